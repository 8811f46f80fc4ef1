"""Frequency bands of the Barunik-Krehlik decomposition, given and labelled in periods.

A band is given by the lengths of the cycles it spans, in observations of the data (days for
daily data, weeks for weekly, months for monthly). Following Barunik and Krehlik (2018) and
their ``frequencyConnectedness`` package, a boundary of ``d`` periods is the frequency
:math:`\\omega = \\pi / d` radians, so ``(1, 5, inf)`` gives the bands :math:`(\\pi/5, \\pi]`
("1-5 days": short-lived spillovers) and :math:`[0, \\pi/5]` ("5+ days": persistent ones).

References
----------
Barunik, J. and T. Krehlik (2018), "Measuring the frequency dynamics of financial connectedness
and systemic risk", Journal of Financial Econometrics 16(2), 271-296.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

# Median spacing of the dates (days) up to which the data count as daily, weekly; beyond: monthly.
_UNIT_BY_SPACING: tuple[tuple[float, str], ...] = ((4.0, "days"), (10.0, "weeks"), (45.0, "months"))


@dataclass(frozen=True)
class FrequencyBands:
    """Band boundaries in periods and in radians, with labels.

    Attributes
    ----------
    periods
        ``B + 1`` increasing cycle lengths, the first 1, the last possibly ``inf``.
    unit
        What one period is (``days``, ``weeks``, ``months`` or ``periods``).
    """

    periods: tuple[float, ...]
    unit: str

    @property
    def edges(self) -> NDArray[np.float64]:
        """``B + 1`` decreasing frequencies in radians, :math:`\\pi` to the last."""
        return np.array([math.pi / period for period in self.periods])

    @property
    def labels(self) -> list[str]:
        """``"1-5 days"``, ``"5+ days"``, ..."""
        pairs = zip(self.periods[:-1], self.periods[1:], strict=True)
        return [
            f"{low:g}+ {self.unit}" if math.isinf(high) else f"{low:g}-{high:g} {self.unit}"
            for low, high in pairs
        ]


def parse_bands(periods: Sequence[float] | str, unit: str) -> FrequencyBands:
    """Check and wrap band boundaries given as numbers or ``"1,5,inf"``.

    Raises
    ------
    ValueError
        When there are fewer than two boundaries, the first is not 1 or they do not increase.
    """
    if isinstance(periods, str):
        try:
            values = tuple(float(part) for part in periods.split(","))
        except ValueError:
            raise ValueError(
                f"bands must be numbers separated by commas like 1,5,inf; got {periods!r}"
            ) from None
    else:
        values = tuple(float(value) for value in periods)
    if len(values) < 2:
        raise ValueError(f"bands need at least two boundaries (e.g. 1,5,inf); got {values}")
    if values[0] != 1.0:
        raise ValueError(
            f"the first band boundary must be 1 period (frequency pi); got {values[0]}"
        )
    if any(high <= low for low, high in itertools.pairwise(values)):
        raise ValueError(f"band boundaries must increase; got {values}")
    return FrequencyBands(periods=values, unit=unit)


def period_unit(index: pd.Index) -> str:
    """``days``, ``weeks`` or ``months`` from a date index's median spacing, else ``periods``."""
    if not isinstance(index, pd.DatetimeIndex) or len(index) < 2:
        return "periods"
    spacing = pd.Series(index).diff().median() / pd.Timedelta(days=1)
    for limit, unit in _UNIT_BY_SPACING:
        if spacing <= limit:
            return unit
    return "periods"
