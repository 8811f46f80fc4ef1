"""Results of :class:`~ustpull.crossasset.connectedness.model.ConnectednessModel` (read-only).

Every number is in percent of forecast error variance. Measures "over time" are per date of the
model (the window's last row for a rolling VAR, every row for a TVP-VAR, the last row for a
static VAR); averaged measures come from the mean table over those dates.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ustpull._results import Results
from ustpull._typing import FloatArray
from ustpull.crossasset.connectedness.inference import (
    ChangeTest,
    mean_interval,
    percentile_interval,
    tci_change_test,
)
from ustpull.crossasset.connectedness.measures import (
    SpilloverMeasures,
    group_measures,
    spillover_measures,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ustpull.charts import Chart


@dataclass(frozen=True)
class Draws:
    """TCI ``(D, T, 1 + B)`` and NET ``(D, T, 1 + B, N)`` of every coefficient draw."""

    total: FloatArray
    net: FloatArray
    level: float


@dataclass(frozen=True)
class GroupConnectedness:
    """Internal/external decomposition for a partition of the series (percent).

    ``internal_t + external_t`` equals the TCI over time; ``net_t`` holds each group's external
    TO less external FROM (summing to zero); ``table`` the averaged group-to-group table.
    """

    internal_t: pd.Series
    external_t: pd.Series
    net_t: pd.DataFrame
    table: pd.DataFrame


class ConnectednessModelResults(Results):
    """Connectedness table, TO, FROM, NET, NPDC, TCI and cTCI over time and averaged."""

    def __init__(
        self,
        *,
        names: list[str],
        dates: pd.Index,
        shares: FloatArray,
        band_labels: list[str],
        draws: Draws | None,
        specification: dict[str, object],
        band: int = 0,
    ) -> None:
        self._names = names
        self._dates = dates
        self._shares = shares
        self._band_labels = band_labels
        self._draws = draws
        self._spec = specification
        self._band = band
        self._over_time = spillover_measures(shares[:, band])
        self._averaged = spillover_measures(shares[:, band].mean(axis=0))

    # ----- selection -----------------------------------------------------------------------
    @property
    def bands(self) -> list[str]:
        """``total`` and the frequency band labels (``1-5 days``, ``5+ days``, ...)."""
        return list(self._band_labels)

    @property
    def band_label(self) -> str:
        """The band these results describe (``total``: the whole table)."""
        return self._band_labels[self._band]

    def band(self, label: str) -> ConnectednessModelResults:
        """The same results restricted to one frequency band (``KeyError`` names the bands)."""
        if label not in self._band_labels:
            raise KeyError(f"no band {label!r}; the bands are {self._band_labels}")
        return ConnectednessModelResults(
            names=self._names,
            dates=self._dates,
            shares=self._shares,
            band_labels=self._band_labels,
            draws=self._draws,
            specification=self._spec,
            band=self._band_labels.index(label),
        )

    @property
    def specification(self) -> dict[str, object]:
        """Model, lags, horizon, window, forgetting factors, prior and bands."""
        return dict(self._spec)

    @property
    def dates(self) -> pd.Index:
        """Date of each table."""
        return self._dates

    # ----- averaged ------------------------------------------------------------------------
    @property
    def table(self) -> pd.DataFrame:
        """Averaged table: row = receiver, column = source of the shock."""
        return pd.DataFrame(self._averaged.table, index=self._names, columns=self._names)

    @property
    def tci(self) -> float:
        """Averaged total connectedness index."""
        return float(self._averaged.total)

    @property
    def ctci(self) -> float:
        """Averaged corrected total connectedness, ``N/(N-1)`` TCI."""
        return float(self._averaged.corrected_total)

    def _series(self, values: FloatArray, name: str) -> pd.Series:
        return pd.Series(values, index=self._names, name=name)

    @property
    def to_others(self) -> pd.Series:
        """Averaged TO: spillover from each series to all others."""
        return self._series(self._averaged.to_others, "to")

    @property
    def from_others(self) -> pd.Series:
        """Averaged FROM: spillover from all others to each series."""
        return self._series(self._averaged.from_others, "from")

    @property
    def net(self) -> pd.Series:
        """Averaged NET = TO - FROM."""
        return self._series(self._averaged.net, "net")

    @property
    def npdc(self) -> pd.DataFrame:
        """Averaged net pairwise connectedness: ``[i, j]`` = what i gives j less what it takes."""
        return pd.DataFrame(self._averaged.net_pairwise, index=self._names, columns=self._names)

    # ----- over time -----------------------------------------------------------------------
    @property
    def tci_t(self) -> pd.Series:
        """TCI per date."""
        return pd.Series(self._over_time.total, index=self._dates, name="tci")

    @property
    def ctci_t(self) -> pd.Series:
        """Corrected TCI per date."""
        return pd.Series(self._over_time.corrected_total, index=self._dates, name="ctci")

    def _frame(self, values: FloatArray) -> pd.DataFrame:
        return pd.DataFrame(values, index=self._dates, columns=self._names)

    @property
    def to_t(self) -> pd.DataFrame:
        """TO per date and series."""
        return self._frame(self._over_time.to_others)

    @property
    def from_t(self) -> pd.DataFrame:
        """FROM per date and series."""
        return self._frame(self._over_time.from_others)

    @property
    def net_t(self) -> pd.DataFrame:
        """NET per date and series."""
        return self._frame(self._over_time.net)

    @property
    def npdc_t(self) -> pd.DataFrame:
        """Net pairwise connectedness per date, columns ``(from, to)`` for each pair ``i < j``."""
        upper = np.triu_indices(len(self._names), k=1)
        columns = pd.MultiIndex.from_arrays(
            [[self._names[i] for i in upper[0]], [self._names[j] for j in upper[1]]],
            names=["from", "to"],
        )
        values = self._over_time.net_pairwise[:, upper[0], upper[1]]
        return pd.DataFrame(values, index=self._dates, columns=columns)

    @property
    def tables(self) -> FloatArray:
        """``(T, N, N)`` tables per date."""
        return self._over_time.table.copy()

    @property
    def measures(self) -> SpilloverMeasures:
        """All measures per date as arrays."""
        return self._over_time

    # ----- inference -----------------------------------------------------------------------
    def _need_draws(self) -> Draws:
        if self._draws is None:
            raise ValueError("no draws: fit(draws=...) with a positive number for intervals")
        return self._draws

    @property
    def tci_interval(self) -> pd.DataFrame:
        """Percentile interval of the TCI per date (columns ``lower``, ``upper``)."""
        draws = self._need_draws()
        lower, upper = percentile_interval(draws.total[:, :, self._band], draws.level)
        return pd.DataFrame({"lower": lower, "upper": upper}, index=self._dates)

    def net_interval(self, name: str, level: float | None = None) -> pd.DataFrame:
        """Percentile interval of one series' NET per date (columns ``lower``, ``upper``), at
        ``level`` (default: the level the draws were made for)."""
        draws = self._need_draws()
        column = self._names.index(name)
        level = draws.level if level is None else level
        lower, upper = percentile_interval(draws.net[:, :, self._band, column], level)
        return pd.DataFrame({"lower": lower, "upper": upper}, index=self._dates)

    @property
    def intervals(self) -> pd.DataFrame:
        """Averaged TCI, cTCI and NET with intervals (rows; columns estimate, lower, upper).

        Static fit: percentile intervals over the coefficient draws. Rolling VAR or TVP-VAR:
        the averaged measure is the time mean of the per-date measure, and its interval is
        the EWC interval with Student-t critical values, its cosine weights set by the model's
        memory (:func:`~.inference.mean_interval`). The draws are independent across
        dates, so averaging them would understate the uncertainty of a time mean.
        """
        n_vars = len(self._names)
        estimate = np.concatenate([[self.tci, self.ctci], self._averaged.net])
        rows = ["tci", "ctci", *(f"net {name}" for name in self._names)]
        if len(self._dates) > 1:
            level = 0.90 if self._draws is None else self._draws.level
            series = np.column_stack([self.tci_t, self.ctci_t, self._over_time.net])
            lower, upper = mean_interval(series, level, memory=self._memory())
        else:
            draws = self._need_draws()
            total = draws.total[:, 0, self._band]
            samples = np.column_stack(
                [total, total * n_vars / (n_vars - 1), draws.net[:, 0, self._band]]
            )
            lower, upper = percentile_interval(samples, draws.level)
        return pd.DataFrame({"estimate": estimate, "lower": lower, "upper": upper}, index=rows)

    def test_change(
        self,
        first: tuple[object, object],
        second: tuple[object, object],
        *,
        memory: int | None = None,
    ) -> ChangeTest:
        """Test equal mean TCI in two periods (:func:`~.inference.tci_change_test`).

        ``memory`` (rows) defaults to the model's: the window for a rolling VAR,
        :math:`\\lceil 1/(1-\\kappa_1) \\rceil` rows for a TVP-VAR.
        """
        if len(self._dates) < 4:
            raise ValueError("a static fit has one table; fit a rolling VAR or a TVP-VAR")
        if memory is None:
            memory = self._memory()
        return tci_change_test(self.tci_t, first, second, memory=memory)

    def _memory(self) -> int:
        if self._spec["model"] == "tvp-var":
            kappa = float(self._spec["kappa1"])  # type: ignore[arg-type]
            return 100 if kappa >= 1.0 else math.ceil(1.0 / (1.0 - kappa))
        return int(self._spec["window"])  # type: ignore[call-overload]

    def groups(self, groups: Mapping[str, Sequence[str]]) -> GroupConnectedness:
        """Internal/external decomposition for ``{"group": [series, ...], ...}`` (a partition)."""
        members = [name for group in groups.values() for name in group]
        if sorted(members) != sorted(self._names):
            raise ValueError(
                f"groups must hold every series once: {sorted(self._names)}, got {sorted(members)}"
            )
        labels = list(groups)
        membership = np.array(
            [next(k for k, g in enumerate(groups.values()) if name in g) for name in self._names]
        )
        over_time = group_measures(self._over_time.table, membership, len(labels))
        averaged = group_measures(self._averaged.table, membership, len(labels))
        return GroupConnectedness(
            internal_t=pd.Series(over_time.internal, index=self._dates, name="internal"),
            external_t=pd.Series(over_time.external, index=self._dates, name="external"),
            net_t=pd.DataFrame(over_time.net, index=self._dates, columns=labels),
            table=pd.DataFrame(averaged.table, index=labels, columns=labels),
        )

    # ----- presentation --------------------------------------------------------------------
    def summary(self) -> str:
        """The averaged table with TO, NET rows and TCI/cTCI (the ConnectednessApproach layout)."""
        table = self.table.copy()
        table["FROM"] = self.from_others
        extra = pd.DataFrame(
            [self.to_others, self.to_others + np.diag(self._averaged.table), self.net],
            index=["TO", "Inc.Own", "NET"],
            columns=self._names,
        )
        body = pd.concat([table, extra]).round(2).to_string(na_rep="")
        spec = ", ".join(f"{key}={value}" for key, value in self._spec.items() if value is not None)
        span = f"{self._dates[0]} .. {self._dates[-1]}, {len(self._dates)} tables"
        return (
            f"Connectedness ({spec}); band: {self.band_label}\n{span}\n"
            f"TCI {self.tci:.2f} %, corrected TCI {self.ctci:.2f} %\n{body}"
        )

    def __repr__(self) -> str:
        return (
            f"<ConnectednessModelResults model={self._spec['model']} band={self.band_label!r} "
            f"tci={self.tci:.2f} dates={len(self._dates)}>"
        )

    def to_frame(self) -> pd.DataFrame:
        """The averaged connectedness table (percent), as :attr:`table`."""
        return self.table

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: averaged ``tci``, ``ctci``, ``table``, ``to``, ``from``, ``net`` keyed by
        series; ``tci_t``, ``net_t``, ``npdc_t`` over time; every band under ``bands``."""
        out = self._band_dict()
        out["specification"] = self.specification
        out["dates"] = [
            str(date.date()) if hasattr(date, "date") else str(date) for date in self._dates
        ]
        if len(self._band_labels) > 1:
            out["bands"] = {label: self.band(label)._band_dict() for label in self._band_labels[1:]}
        if self._draws is not None or len(self._dates) > 1:
            out["intervals"] = {"averaged": self.intervals.to_dict(orient="index")}
        if self._draws is not None:
            out["intervals"]["level"] = self._draws.level
            if len(self._dates) > 1:
                out["intervals"]["tci_t"] = self.tci_interval.to_dict(orient="list")
        return out

    def _band_dict(self) -> dict[str, Any]:
        npdc = self.npdc_t
        return {
            "tci": self.tci,
            "ctci": self.ctci,
            "table": {row: self.table.loc[row].to_dict() for row in self._names},
            "to": self.to_others.to_dict(),
            "from": self.from_others.to_dict(),
            "net": self.net.to_dict(),
            "npdc": {row: self.npdc.loc[row].to_dict() for row in self._names},
            "tci_t": self.tci_t.tolist(),
            "ctci_t": self.ctci_t.tolist(),
            "net_t": {name: self.net_t[name].tolist() for name in self._names},
            "npdc_t": {f"{pair[0]}->{pair[1]}": npdc[pair].tolist() for pair in npdc.columns},
        }

    def chart(self) -> Chart:
        """The report's chart: with frequency bands (and these results the total),
        :func:`~ustpull.crossasset.charts.connectedness_bands_chart`; otherwise the TCI with
        its band, :func:`~ustpull.crossasset.charts.connectedness_tci_chart` (needs draws)."""
        from ustpull.crossasset.charts import connectedness_bands_chart, connectedness_tci_chart

        if len(self._band_labels) > 1 and self._band == 0:
            return connectedness_bands_chart(self)
        return connectedness_tci_chart(self)

    def plot(self, *, highlight: str | None = None) -> Figure:
        """TCI over time, NET over time (with its band for ``highlight`` when drawn) and NET."""
        from matplotlib.figure import Figure

        figure = Figure(figsize=(10, 7))
        total_ax, net_ax = figure.subplots(2, 1, sharex=True)
        total_ax.plot(self._dates, self.ctci_t, color="black", label="corrected TCI")
        total_ax.plot(self._dates, self.tci_t, color="grey", label="TCI")
        if self._draws is not None:
            band = self.tci_interval
            total_ax.fill_between(self._dates, band["lower"], band["upper"], alpha=0.3)
        total_ax.set_ylabel("percent")
        total_ax.set_title(f"Total connectedness ({self.band_label})")
        total_ax.legend(loc="best")
        for name in self._names:
            net_ax.plot(self._dates, self.net_t[name], label=name, linewidth=0.9)
        if highlight is not None and self._draws is not None:
            band = self.net_interval(highlight)
            net_ax.fill_between(self._dates, band["lower"], band["upper"], alpha=0.25)
        net_ax.axhline(0.0, color="black", linewidth=0.8)
        net_ax.set_ylabel("percent")
        net_ax.set_title("NET connectedness (TO - FROM)")
        net_ax.legend(loc="best", ncol=min(len(self._names), 6))
        figure.tight_layout()
        return figure
