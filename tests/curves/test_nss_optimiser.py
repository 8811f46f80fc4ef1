"""The optimiser's own numerics against numpy's references.

Its copy of the loading terms (one ``exp``, the Taylor series near zero) against
:func:`ustpull.curves.nss_formulas._decay_terms` (``expm1``), and its batched Cholesky solve
of the 3x3/4x4 Gram matrices against :func:`numpy.linalg.solve`.
"""

from __future__ import annotations

import numpy as np
import pytest

from ustpull.curves.nss_formulas import _decay_terms as reference_terms
from ustpull.curves.nss_optimiser import _cholesky, _cholesky_solve, _decay_terms


def test_decay_terms_match_the_formulas_to_1e13_relative() -> None:
    x = np.concatenate([[0.0], np.geomspace(1e-12, 60.0, 20_001)])[None, :]
    tau = np.ones((1, 1))
    fast, exact = _decay_terms(x, tau), reference_terms(x, tau)
    assert np.array_equal(fast[0], exact[0])
    assert fast[1][0, 0] == 1.0  # the limit at x = 0
    assert np.max(np.abs(fast[1] / exact[1] - 1.0)) < 1e-13
    assert np.max(np.abs(fast[2] - exact[2])) < 1e-15


@pytest.mark.parametrize("k", [3, 4])
def test_cholesky_solve_matches_numpy(k: int) -> None:
    rng = np.random.default_rng(20261203)
    loadings = rng.normal(size=(500, 11, k))
    gram = loadings.transpose(0, 2, 1) @ loadings
    rhs = rng.normal(size=(500, k, 3))
    solution = _cholesky_solve(_cholesky(gram), rhs)
    assert np.max(np.abs(solution - np.linalg.solve(gram, rhs))) < 1e-10


def test_cholesky_of_an_indefinite_matrix_is_nan_not_an_error() -> None:
    gram = np.array([[[1.0, 2.0], [2.0, 1.0]]])  # eigenvalues 3 and -1
    with np.errstate(invalid="ignore"):
        solution = _cholesky_solve(_cholesky(gram), np.ones((1, 2, 1)))
    assert np.isnan(solution).all()
