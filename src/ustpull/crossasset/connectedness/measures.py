"""Connectedness measures of one or many FEVD tables (Diebold-Yilmaz 2012, 2014).

With the table :math:`\\tilde\\theta_{ij}` in percent (row = receiver ``i``, column = source ``j``):
FROM :math:`_i = \\sum_{j \\ne i} \\tilde\\theta_{ij}`, TO :math:`_j = \\sum_{i \\ne j}
\\tilde\\theta_{ij}`, NET = TO - FROM, net pairwise (NPDC) :math:`\\tilde\\theta_{ji} -
\\tilde\\theta_{ij}`, total connectedness TCI :math:`= \\frac{1}{N} \\sum_{i \\ne j}
\\tilde\\theta_{ij}` and the corrected total of Chatziantoniou and Gabauer (2021)
cTCI :math:`= \\frac{N}{N-1}` TCI, which runs from 0 to 100 (the diagonal can never be
zero, so the plain TCI tops out at :math:`100 (N-1)/N`). Band tables of the frequency
decomposition use the same formulas (their rows add up to the band's share).

Group decomposition (Diebold and Yilmaz 2014, sec. 4; Gabauer's internal and external
connectedness): for a partition of the markets into groups, the spillovers between markets of the
same group are internal, the others external, and TCI = internal + external.

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

from ustpull._typing import FloatArray


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

    table: FloatArray
    total: FloatArray
    to_others: FloatArray
    from_others: FloatArray
    net: FloatArray
    net_pairwise: FloatArray

    @property
    def corrected_total(self) -> FloatArray:
        """``(...)`` corrected total connectedness :math:`N/(N-1)` TCI (Chatziantoniou-Gabauer)."""
        n_vars = self.table.shape[-1]
        return self.total * n_vars / (n_vars - 1)


def spillover_measures(shares: FloatArray) -> SpilloverMeasures:
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


@dataclass(frozen=True)
class GroupMeasures:
    """Internal/external split of total connectedness for a partition of the markets (percent).

    Attributes
    ----------
    internal
        ``(...)`` spillovers between markets of the same group, over ``N``.
    external
        ``(...)`` spillovers between groups, over ``N``; ``internal + external`` = TCI.
    table
        ``(..., G, G)`` block sums of the table over ``N``: element ``[g, h]`` is what group
        ``g`` receives from group ``h`` (the diagonal holds internal spillovers only).
    net
        ``(..., G)`` external TO less external FROM of each group (sums to zero).
    """

    internal: FloatArray
    external: FloatArray
    table: FloatArray
    net: FloatArray


def group_measures(table: FloatArray, membership: NDArray[np.intp], n_groups: int) -> GroupMeasures:
    """Group decomposition of ``(..., N, N)`` tables in percent.

    Parameters
    ----------
    table
        Connectedness tables (percent).
    membership
        ``(N,)`` group number of each market, ``0 .. n_groups - 1``.
    n_groups
        Number of groups ``G``.
    """
    n_vars = table.shape[-1]
    off_diagonal = table * (1.0 - np.eye(n_vars))
    assign = np.eye(n_groups)[membership]  # (N, G)
    blocks = np.einsum("ig,...ij,jh->...gh", assign, off_diagonal, assign) / n_vars
    internal = np.diagonal(blocks, axis1=-2, axis2=-1).sum(axis=-1)
    external_blocks = blocks * (1.0 - np.eye(n_groups))
    return GroupMeasures(
        internal=internal,
        external=external_blocks.sum(axis=(-2, -1)),
        table=blocks,
        net=external_blocks.sum(axis=-2) - external_blocks.sum(axis=-1),
    )
