"""Results of :class:`~ustpull.crossasset.pull.TreasuryPull`: tables, findings, sentences, chart.

Read-only: every property returns a new labelled pandas object built from private state.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from ustpull._results import Results
from ustpull.crossasset.pull_data import PullAsset, PullFrequency

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from plotly.graph_objects import Figure as PlotlyFigure

__all__ = ["TreasuryPullResults"]

_COMPONENT_WORDS = {
    "total": "",
    "expected_rate": " driven by expected rates",
    "term_premium": " driven by the term premium",
}
_FREQUENCY_WORDS = {
    "weekly": "weekly",
    "month_end": "month-end",
    "monthly_average": "monthly-average (fallback)",
}
_COLOURS = {"total": "black", "expected_rate": "tab:blue", "term_premium": "tab:red"}
_LABELS = {
    "total": "10-year yield",
    "expected_rate": "expected-rate part",
    "term_premium": "term-premium part",
}


def _amount(value: float, unit: str) -> str:
    """A signed number with its unit: ``+0.12%`` or ``-3.4 bp``."""
    return f"{value:+.2f}%" if unit == "%" else f"{value:+.1f} bp"


def _bound(value: float, unit: str) -> str:
    return f"{value:.2f}" if unit == "%" else f"{value:.1f}"


def _significant(low: float, high: float) -> bool:
    return low > 0.0 or high < 0.0


class TreasuryPullResults(Results):
    """Responses per 10 bp of the U.S. 10-year yield with Newey-West intervals (read-only)."""

    def __init__(
        self,
        *,
        estimates: pd.DataFrame,
        rolling: Mapping[str, pd.DataFrame],
        assets: Mapping[str, PullAsset],
        frequency: PullFrequency,
        window: int,
        confidence: float,
        hac_lags: Mapping[str, int],
        fixed_lags: bool,
        notes: tuple[str, ...],
        regime_runs: tuple[tuple[str, pd.Timestamp, pd.Timestamp], ...] = (),
    ) -> None:
        self._estimates = estimates
        self._rolling = dict(rolling)
        self._assets = dict(assets)
        self._frequency: PullFrequency = frequency
        self._window = window
        self._confidence = confidence
        self._hac_lags = dict(hac_lags)
        self._fixed_lags = fixed_lags
        self._notes = notes
        self._regime_runs = regime_runs

    # ------------------------------------------------------------------ tables

    @property
    def estimates(self) -> pd.DataFrame:
        """Every estimate: index ``(asset, window, component)``; columns ``value``,
        ``std_err``, ``ci_low``, ``ci_high`` (per 10 bp, asset units), ``share`` (the part's
        share of the yield-change variance, 1 for ``total``), ``nobs``, ``first``,
        ``data_through``. Windows: ``full``, the latest rolling window, then the regimes."""
        return self._estimates.copy()

    @property
    def full_sample(self) -> pd.DataFrame:
        """Full-sample responses: index ``(asset, component)``."""
        full = self._estimates.xs("full", level="window")
        return pd.DataFrame(full).copy()

    @property
    def by_regime(self) -> pd.DataFrame:
        """Responses by regime: index ``(asset, window, component)`` without the full sample
        and the latest rolling window."""
        windows = self._estimates.index.get_level_values("window")
        keep = (windows != "full") & ~windows.str.startswith("latest_")
        return self._estimates[keep].copy()

    @property
    def rolling(self) -> dict[str, pd.DataFrame]:
        """Rolling responses per asset: date index (window end), columns ``(component, stat)``
        with stats ``value``, ``ci_low``, ``ci_high``."""
        return {name: frame.copy() for name, frame in self._rolling.items()}

    def rolling_table(self) -> pd.DataFrame:
        """All rolling responses in one long table (a chart's CSV): columns ``date``,
        ``asset``, ``component``, ``value``, ``ci_low``, ``ci_high``; empty windows left out."""
        parts = []
        for name, frame in self._rolling.items():
            long = frame.stack("component", future_stack=True).reset_index()
            long.insert(1, "asset", name)
            parts.append(long.dropna(subset=["value"]))
        table = pd.concat(parts, ignore_index=True)
        table.columns.name = None
        return table[["date", "asset", "component", "value", "ci_low", "ci_high"]]

    @property
    def shares(self) -> pd.DataFrame:
        """Expected-rate and term-premium shares of the yield-change variance, per asset and
        window (they add to one; ``total = s_r * expected_rate + s_tp * term_premium``)."""
        parts = self._estimates["share"].unstack("component")
        return parts[["expected_rate", "term_premium"]].copy()

    @property
    def data_through(self) -> pd.Series:
        """Last date used per asset (full sample)."""
        full = self.full_sample.xs("total", level="component")
        return full["data_through"].rename("data_through")

    @property
    def nobs(self) -> pd.Series:
        """Full-sample observations per asset."""
        return self.full_sample.xs("total", level="component")["nobs"].rename("nobs")

    @property
    def regime_spans(self) -> pd.DataFrame:
        """Contiguous stretches of each regime in the data: ``regime``, ``first``, ``last``."""
        return pd.DataFrame(list(self._regime_runs), columns=["regime", "first", "last"])

    @property
    def notes(self) -> tuple[str, ...]:
        """What was not estimated, and why."""
        return self._notes

    @property
    def frequency(self) -> PullFrequency:
        """Frequency of the changes."""
        return self._frequency

    @property
    def window(self) -> int:
        """Rolling window, observations."""
        return self._window

    @property
    def confidence(self) -> float:
        """Two-sided level of the intervals."""
        return self._confidence

    @property
    def ci_method(self) -> str:
        """How the intervals were made, in words."""
        lags = "/".join(map(str, sorted(set(self._hac_lags.values()))))
        rule = (
            f"{lags} lags in every sample"
            if self._fixed_lags
            else f"{lags} lags in the full samples, floor(4(n/100)^(2/9)) per sample"
        )
        return (
            f"Newey-West HAC (Bartlett kernel, {rule}), normal {100 * self._confidence:.0f}% "
            f"interval; OLS on {_FREQUENCY_WORDS[self._frequency]} synchronous changes"
        )

    def to_frame(self) -> pd.DataFrame:
        """All estimates as a flat table (one row per asset, window and component)."""
        return self._estimates.reset_index()

    # ------------------------------------------------------------------ findings

    def findings(self) -> list[dict[str, object]]:
        """``findings.json`` entries: one per asset, component and window.

        Keys ``key`` (``pull.<asset>.<component>.<window>``), ``asset``, ``component``,
        ``window``, ``value`` (per 10 bp), ``unit``, ``ci`` ``[low, high]``, ``ci_method``,
        ``confidence``, ``significant``, ``data_through`` and ``first`` (ISO dates), ``n``,
        ``frequency``, ``label``.
        """
        out: list[dict[str, object]] = []
        table = self._estimates.reset_index()
        for record in table.to_dict("records"):
            asset, window = str(record["asset"]), str(record["window"])
            component = str(record["component"])
            spec = self._assets[asset]
            low, high = float(record["ci_low"]), float(record["ci_high"])
            out.append(
                {
                    "key": f"pull.{asset}.{component}.{window}",
                    "asset": asset,
                    "component": component,
                    "window": window,
                    "value": float(record["value"]),
                    "unit": spec.unit,
                    "ci": [low, high],
                    "ci_method": self.ci_method,
                    "confidence": self._confidence,
                    "significant": _significant(low, high),
                    "data_through": f"{record['data_through']:%Y-%m-%d}",
                    "first": f"{record['first']:%Y-%m-%d}",
                    "n": int(record["nobs"]),
                    "frequency": self._frequency,
                    "label": f"Response of {spec.label} to a 10 bp rise in the U.S. 10-year "
                    f"yield{_COMPONENT_WORDS[component]} ({spec.unit})",
                }
            )
        return out

    def sentence(self, asset: str, *, window: str = "full") -> str:
        """One sentence on an asset, computed from the numbers of one window."""
        spec = self._assets[asset]
        rows = pd.DataFrame(self._estimates.xs((asset, window), level=("asset", "window")))
        records = {str(k): v for k, v in rows.to_dict("index").items()}
        level = f"{100 * self._confidence:.0f}%"

        def part(component: str) -> str:
            row = records[component]
            low, high = float(row["ci_low"]), float(row["ci_high"])
            verdict = "significant" if _significant(low, high) else "not significant"
            return (
                f"{_amount(float(row['value']), spec.unit)} ({level} CI "
                f"{_bound(low, spec.unit)} to {_bound(high, spec.unit)}, {verdict})"
            )

        total = records["total"]
        span = (
            f"since {total['first']:%Y-%m-%d}"
            if window == "full"
            else f"in {window} ({total['first']:%Y-%m-%d} to {total['data_through']:%Y-%m-%d})"
        )
        return (
            f"Per 10 bp rise in the U.S. 10-year yield, {spec.label} moved by {part('total')} "
            f"{span}; with a rise driven by the term premium by {part('term_premium')}, with one "
            f"driven by expected rates by {part('expected_rate')} (co-movement on "
            f"{_FREQUENCY_WORDS[self._frequency]} changes, not an identified effect; "
            f"n = {int(total['nobs'])}, data through {total['data_through']:%Y-%m-%d})."
        )

    @property
    def sentences(self) -> pd.Series:
        """One full-sample sentence per asset."""
        names = list(self._assets)
        return pd.Series([self.sentence(a) for a in names], index=names, name="sentence")

    # ------------------------------------------------------------------ display

    def summary(self) -> str:
        """Full-sample and regime responses per 10 bp, with intervals, as text."""
        table = self._estimates.reset_index()
        lines = [
            "Treasury pull: response to a 10 bp rise in the U.S. 10-year yield",
            f"{_FREQUENCY_WORDS[self._frequency]} changes; {self.ci_method}",
            f"{'asset':<10} {'window':<14} {'component':<14} {'value':>8} "
            f"{'ci_low':>8} {'ci_high':>8} {'n':>6}  data through",
        ]
        for row in table.itertuples(index=False):
            lines.append(
                f"{row.asset:<10} {row.window:<14} {row.component:<14} {row.value:>8.3f} "
                f"{row.ci_low:>8.3f} {row.ci_high:>8.3f} {row.nobs:>6d}  "
                f"{row.data_through:%Y-%m-%d}"
            )
        lines += [f"note: {note}" for note in self._notes]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        table = self._estimates[["value", "ci_low", "ci_high", "nobs", "data_through"]].copy()
        table["data_through"] = table["data_through"].dt.strftime("%Y-%m-%d")
        caption = (
            f"Response to a 10 bp rise in the U.S. 10-year yield (asset units); {self.ci_method}"
        )
        return f"<p>{caption}</p>" + table.to_html(float_format=lambda v: f"{v:.3f}")

    def _shade(self, ax: Axes, start: pd.Timestamp, end: pd.Timestamp) -> None:
        """Alternate grey and white behind the regimes inside ``[start, end]`` (the panel's
        dates), each named at its top left."""
        from matplotlib.dates import date2num

        for i, (label, first, last) in enumerate(self._regime_runs):
            left, right = max(first, start), min(last, end)
            if left >= right:
                continue
            x0, x1 = float(date2num(left)), float(date2num(right))
            if i % 2 == 0:
                ax.axvspan(x0, x1, color="0.9", lw=0, zorder=0)
            if x1 - x0 < 0.05 * (float(date2num(end)) - float(date2num(start))):
                continue  # too narrow to carry its name without overprinting the next
            ax.text(x0, 1.0, f" {label}", transform=ax.get_xaxis_transform(), fontsize=6,
                    va="top", color="0.35")  # fmt: skip
        ax.set_xlim(float(date2num(start)), float(date2num(end)))

    def figure(self) -> PlotlyFigure:
        """The rolling responses as an interactive plotly figure (one panel per asset)."""
        from ustpull.crossasset.pull_figure import rolling_pull_figure

        return rolling_pull_figure(self._rolling, self._assets, self._confidence, self._regime_runs)

    def plot(self) -> Figure:
        """Rolling responses per asset, each part with its interval band."""
        import matplotlib.pyplot as plt

        names = list(self._rolling)
        fig, axes = plt.subplots(len(names), 1, figsize=(10, 2.6 * len(names)), squeeze=False)
        for ax, name in zip(axes[:, 0], names, strict=True):
            frame = self._rolling[name]
            for component, colour in _COLOURS.items():
                ax.plot(
                    frame.index,
                    frame[(component, "value")].to_numpy(),
                    color=colour,
                    lw=1.0,
                    label=_LABELS[component],
                )
                ax.fill_between(
                    frame.index,
                    frame[(component, "ci_low")].to_numpy(),
                    frame[(component, "ci_high")].to_numpy(),
                    color=colour,
                    alpha=0.12,
                    lw=0,
                )
            ax.axhline(0.0, color="0.4", lw=0.8, ls=":")
            self._shade(ax, frame.index[0], frame.index[-1])
            spec = self._assets[name]
            ax.set_title(f"{spec.label}: response to a 10 bp rise ({spec.unit})", fontsize=9)
            ax.set_ylabel(f"{spec.unit} per 10 bp", fontsize=8)
        handles, labels = axes[0, 0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="lower center", ncol=3, fontsize=8, frameon=False)
        fig.tight_layout(rect=(0.0, 0.03, 1.0, 1.0))
        return fig
