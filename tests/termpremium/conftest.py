"""Fixtures of the term-premium tests (synthetic truth in :mod:`tests.termpremium.synthetic`)."""

from __future__ import annotations

import pytest

from tests.termpremium.synthetic import AffineTruth, simulate_affine


@pytest.fixture(scope="session")
def truth() -> AffineTruth:
    """960 months (80 years) from the known 3-factor model, 1 bp measurement noise."""
    return simulate_affine()
