"""Connectedness measures of one or many row-normalised FEVD tables (Diebold-Yilmaz 2012, 2014).

References
----------
Diebold, F. X. and K. Yilmaz (2012), "Better to give than to receive", International Journal of
Forecasting 28(1), 57-66.
Chatziantoniou, I. and D. Gabauer (2021), "EMU risk-synchronisation and financial fragility through
the prism of dynamic connectedness", Quarterly Review of Economics and Finance 79, 1-14.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Float = NDArray[np.float64]


@dataclass(frozen=True)
class SpilloverMeasures:
    """Diebold-Yilmaz measures of one or many connectedness tables (all in percent).

    Attributes
    ----------
    table
        ``(..., N, N)`` row-normalised GFEVD times 100.
    total
        ``(...)`` total spillover index.
    to_others
        ``(..., N)`` column sums without the diagonal.
    from_others
        ``(..., N)`` row sums without the diagonal.
    net
        ``(..., N)`` ``to_others - from_others``.
    net_pairwise
        ``(..., N, N)`` element ``[i, j]`` = ``table[j, i] - table[i, j]``: what ``i``
        transmits to ``j`` less what it receives from ``j`` (Diebold-Yilmaz 2014 net pairwise
        connectedness); positive means ``i`` is the net giver. Rows sum to ``net``.
    """

    table: Float
    total: Float
    to_others: Float
    from_others: Float
    net: Float
    net_pairwise: Float


def spillover_measures(shares: Float) -> SpilloverMeasures:
    """Total, directional, net and net pairwise spillovers from row-normalised GFEVD shares.

    Parameters
    ----------
    shares
        ``(..., N, N)`` rows summing to one.

    Returns
    -------
    SpilloverMeasures
        Every measure in percent (formulas in the module docstring).
    """
    table = 100.0 * shares
    own = np.diagonal(table, axis1=-2, axis2=-1)
    from_others = table.sum(axis=-1) - own
    to_others = table.sum(axis=-2) - own
    n_vars = table.shape[-1]
    return SpilloverMeasures(
        table=table,
        total=from_others.sum(axis=-1) / n_vars,
        to_others=to_others,
        from_others=from_others,
        net=to_others - from_others,
        net_pairwise=np.swapaxes(table, -1, -2) - table,
    )
