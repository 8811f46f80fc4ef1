"""The bootstrap's Pope correction and eigenvalue cap, batched across replications, give the
same slopes bit for bit as the one-replication-at-a-time functions of ``termpremium.var``."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from ustpull.errors import FitError
from ustpull.termpremium import bands


def _draws(seed: int, replications: int, n_factors: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    base = np.diag(rng.uniform(0.8, 0.999, n_factors)) + rng.normal(0, 0.02, (n_factors,) * 2)
    phi = base + rng.normal(0, 0.01, (replications, n_factors, n_factors))
    shocks = rng.normal(0, 1, (replications, n_factors, n_factors))
    return phi, shocks @ shocks.mT / n_factors


@pytest.mark.parametrize("n_factors", [3, 5])
@pytest.mark.parametrize(("bias_correct", "cap"), [(True, None), (True, 0.99), (False, 0.95)])
def test_batched_equals_one_by_one(n_factors: int, bias_correct: bool, cap: float | None) -> None:
    phi, sigma = _draws(n_factors, 200, n_factors)
    design = SimpleNamespace(bias_correct=bias_correct, eigenvalue_cap=cap)
    expected = bands._corrected_one_by_one(phi, sigma, 120, design)  # type: ignore[arg-type]
    batched = phi
    if bias_correct:
        batched = bands._stationary_batch(batched, bands._pope_bias_batch(batched, sigma, 120))
    if cap is not None:
        batched = bands._capped_batch(batched, cap)
    np.testing.assert_array_equal(batched, expected)
    # the correction did something: unstable draws were shrunk, biases are not zero
    assert not np.array_equal(batched, phi)


def test_unit_root_replication_raises_the_one_by_one_error() -> None:
    phi, sigma = _draws(0, 20, 3)
    phi[7] = np.eye(3)  # a unit root: Gamma0 does not exist
    factors = np.zeros((20, 11, 3))
    design = SimpleNamespace(bias_correct=True, eigenvalue_cap=None, var_intercept="estimate")
    with pytest.raises(FitError, match="unit root"):
        bands._corrected(factors, phi, sigma, design)  # type: ignore[arg-type]
