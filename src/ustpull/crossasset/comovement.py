"""Co-movement of foreign 10-year yields with the U.S. 10-year, on month-end yields, with intervals.

**Data.** Changes of monthly *averages* are smoothed (an average's change spreads one month's
moves over two) and share overlapping days with the next change, which inflates correlations
and their persistence. So each market's monthly yield is its **month-end**: the last valid
daily observation of the month (:func:`month_end_yields`; a month whose last observation is
more than ``max_stale_days`` before the month's end has none). Where a market has no daily
series, the OECD monthly average is used as a **labelled fallback** for that market alone, and
its pair with the U.S. is then built from U.S. monthly averages as well, so both sides are
smoothed alike (``basis = "monthly average (fallback)"``).

**Estimator.** For each market ``c`` and sample (an era or a rolling window) the Pearson
correlation of monthly changes ``Δy_{c,t}`` with ``Δy_{US,t}`` (percentage points). The
**headline average** is the mean over DE, JP and the UK (the markets of the note) of their
correlations, on the months all three share:

.. math:: \\bar\\rho = \\tfrac13 (\\rho_{DE} + \\rho_{JP} + \\rho_{UK})

Other markets are listed separately and never enter the headline. The euro-area aggregate is
an average of its members' yields, so it is never averaged with a member (DE, FR, ...):
:meth:`CoMovementResults.average` raises :class:`~ustpull.errors.DataError` if asked.

**Inference** (:mod:`ustpull.crossasset.intervals`). A single correlation: stationary block
bootstrap (Politis-Romano) with the Politis-White block length, at least ``min_blocks`` (10)
blocks per sample, percentile interval; or the HAC delta method on Fisher's z. The average:
the same bootstrap resampling the months jointly (so the three correlations keep their
dependence), or HAC on the mean of the three influence series
``psi_t = (1/3) sum_c psi_{c,t}``. Era differences resample each era on its own. Rolling
windows (60 months) carry HAC intervals. Measured coverage of a nominal 95% under GARCH
(500 simulated series each): one correlation 93.4% stationary bootstrap, 94.2% HAC
(tests/crossasset/test_intervals.py); the three-market average over 400 months 94.8% and
95.8%, over 120 months 92.0% and 91.4%, over 60 months 91.8% and 91.4%
(tests/crossasset/test_comovement.py).

**Known limits.** Tokyo's month-end close is about 14 hours before New York's, so a U.S. move
on the last day shows up in Japan's next month; with 20-odd trading days a month this biases
the correlation slightly towards zero. The DE daily series ends 2024-04 in the shared data,
which bounds the headline's common sample.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from scipy import stats as scipy_stats

from ustpull._results import Results
from ustpull.crossasset.intervals import (
    CorrelationInterval,
    CorrelationIntervalResults,
    IntervalMethod,
    bootstrap_indices,
    correlation_influence,
    hac_standard_error,
    optimal_block_length,
    rowwise_correlation,
)
from ustpull.errors import DataError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ustpull.charts import Chart

__all__ = [
    "DEFAULT_ERAS",
    "EURO_AREA_MEMBERS",
    "HEADLINE_MARKETS",
    "MARKET_SERIES",
    "US_SERIES",
    "CoMovement",
    "CoMovementResults",
    "Era",
    "MarketYield",
    "check_average_set",
    "inputs_from_frame",
    "month_end_yields",
    "monthly_average_yields",
]

YieldBasis = Literal["month-end (daily)", "monthly average (fallback)"]
MONTH_END: YieldBasis = "month-end (daily)"
FALLBACK: YieldBasis = "monthly average (fallback)"
HEADLINE_MARKETS: tuple[str, ...] = ("DE", "JP", "GB")
EURO_AREA = "EA"
#: members of the euro area (ISO codes); none may be averaged with the aggregate ``EA``
EURO_AREA_MEMBERS: frozenset[str] = frozenset(
    {"AT", "BE", "CY", "DE", "EE", "ES", "FI", "FR", "GR", "HR", "IE", "IT", "LT", "LU", "LV",
     "MT", "NL", "PT", "SI", "SK"}
)  # fmt: skip


US_SERIES = "us.cmt.10y"
#: market -> (daily 10-year candidates in order of preference, OECD monthly-average fallback);
#: canonical ids of the vocabulary. Canada has no daily series wired.
MARKET_SERIES: dict[str, tuple[tuple[str, ...], str]] = {
    "DE": (("de.govt.10y", "de.bbk.zero.10y"), "oecd.10y.de"),
    "JP": (("jp.jgb.10y", "jp.mof.par.10y"), "oecd.10y.jp"),
    "GB": (("gb.boe.zero.10y",), "oecd.10y.gb"),
    "FR": (("fr.govt.10y",), "oecd.10y.fr"),
    "CA": ((), "oecd.10y.ca"),
    "AU": (("au.rba.govt.10y",), "oecd.10y.au"),
    "CH": (("ch.snb.zero.10y",), "oecd.10y.ch"),
    "EA": (("ea.aaa.zero.10y",), "oecd.10y.ea"),
}


def inputs_from_frame(
    data: pd.DataFrame,
) -> tuple[pd.Series, dict[str, pd.Series], dict[str, pd.Series]]:
    """``(us_daily, daily, monthly)`` for :class:`CoMovement` from a frame of canonical ids
    (e.g. the report's data), by :data:`MARKET_SERIES`: each market's first daily candidate
    with observations, and its OECD series as the fallback."""

    def present(column: str) -> pd.Series | None:
        if column not in data.columns:
            return None
        values = data[column].dropna()
        return values.rename(column) if not values.empty else None

    us = present(US_SERIES)
    if us is None:
        raise DataError(f"co-movement needs the daily U.S. 10-year yield {US_SERIES!r}")
    daily: dict[str, pd.Series] = {}
    monthly: dict[str, pd.Series] = {}
    for market, (candidates, fallback) in MARKET_SERIES.items():
        found = next((s for s in map(present, candidates) if s is not None), None)
        if found is not None:
            daily[market] = found
        average = present(fallback)
        if average is not None:
            monthly[market] = average
    return us, daily, monthly


@dataclass(frozen=True)
class Era:
    """A named sample of months, ``start`` and ``end`` as ``YYYY-MM`` (``end`` None: latest)."""

    name: str
    start: str
    end: str | None = None

    def months(self, index: pd.DatetimeIndex) -> np.ndarray:
        """Boolean mask of the month-end dates inside the era."""
        start = pd.Period(self.start, "M").to_timestamp(how="start")
        mask = index >= start
        if self.end is not None:
            mask &= index <= pd.Period(self.end, "M").to_timestamp(how="end")
        return np.asarray(mask)


DEFAULT_ERAS: tuple[Era, ...] = (
    Era("since 1990", "1990-01"),
    Era("1990-1999", "1990-01", "1999-12"),
    Era("2000-2007", "2000-01", "2007-12"),
    Era("2008-2019", "2008-01", "2019-12"),
    Era("2020-latest", "2020-01"),
)


def _month_index(periods: pd.PeriodIndex) -> pd.DatetimeIndex:
    return periods.to_timestamp(how="end").normalize()


def month_end_yields(daily: pd.Series, *, max_stale_days: int = 7) -> pd.Series:
    """Last valid daily observation of each month, indexed by month-end date.

    A month whose last observation falls more than ``max_stale_days`` calendar days before
    the month's last day gets none (a series that stops mid-month, a long outage).
    """
    clean = pd.to_numeric(daily, errors="coerce").dropna()
    if clean.empty:
        raise DataError(f"{daily.name!r}: no daily observations")
    dates = pd.DatetimeIndex(clean.index)
    if not dates.is_monotonic_increasing or dates.has_duplicates:
        raise DataError(f"{daily.name!r}: dates are not strictly increasing")
    periods = dates.to_period("M")
    last = ~pd.Series(periods).duplicated(keep="last").to_numpy()
    ends = _month_index(periods[last])
    fresh = (ends - dates[last]).days <= max_stale_days
    return pd.Series(clean.to_numpy()[last][fresh], index=ends[fresh], name=daily.name)


def monthly_average_yields(series: pd.Series) -> pd.Series:
    """Mean of each month (a monthly-average series passes through), by month-end date."""
    clean = pd.to_numeric(series, errors="coerce").dropna()
    if clean.empty:
        raise DataError(f"{series.name!r}: no observations")
    periods = pd.DatetimeIndex(clean.index).to_period("M")
    mean = clean.groupby(periods).mean()
    return pd.Series(
        mean.to_numpy(), index=_month_index(pd.PeriodIndex(mean.index)), name=series.name
    )


def _changes(levels: pd.Series) -> pd.Series:
    """Month-on-month changes; a change across a missing month is not formed."""
    full = pd.period_range(levels.index[0], levels.index[-1], freq="M")
    on_grid = levels.reindex(_month_index(full))
    return on_grid.diff().dropna()


def check_average_set(markets: Sequence[str]) -> None:
    """Refuse an average holding the euro-area aggregate with any of its members."""
    members = sorted(EURO_AREA_MEMBERS.intersection(markets))
    if EURO_AREA in markets and members:
        raise DataError(
            f"the euro-area aggregate (EA) cannot be averaged with its members {members}: "
            "its yield is built from theirs (double counting)"
        )
    if len(set(markets)) != len(markets):
        raise DataError(f"a market appears twice in the average {list(markets)}")


@dataclass(frozen=True)
class MarketYield:
    """A market's monthly 10-year yield changes paired with the matching U.S. changes."""

    market: str
    basis: YieldBasis
    source: str
    pair: pd.DataFrame  # columns us, foreign (monthly changes, pp), month-end dates


def _market(
    market: str,
    daily: pd.Series | None,
    monthly: pd.Series | None,
    us_end: pd.Series,
    us_avg: pd.Series,
    max_stale_days: int,
) -> MarketYield:
    if daily is not None and not daily.dropna().empty:
        levels, us, basis = (
            month_end_yields(daily, max_stale_days=max_stale_days),
            us_end,
            MONTH_END,
        )
        source = str(daily.name)
    elif monthly is not None:
        levels, us, basis = monthly_average_yields(monthly), us_avg, FALLBACK
        source = str(monthly.name)
    else:
        raise DataError(f"market {market}: neither a daily nor a monthly yield series")
    pair = pd.concat(
        [_changes(us).rename("us"), _changes(levels).rename("foreign")], axis=1, sort=True
    )
    return MarketYield(market, basis, source, pair.dropna())


def _fisher(rho: float, se: float, crit: float) -> tuple[float, float]:
    """Interval on Fisher's z mapped back to the correlation scale."""
    z = np.arctanh(np.clip(rho, -0.999999, 0.999999))
    se_z = se / max(1.0 - rho**2, 1e-12)
    return float(np.tanh(z - crit * se_z)), float(np.tanh(z + crit * se_z))


def _bootstrap_summary(
    reps: np.ndarray, estimate: float, confidence: float
) -> tuple[float, float, float, float]:
    """Percentile interval, standard deviation and the p-value of ``H0: value = 0`` (share of
    centred replicates at least as far from zero as the estimate) of bootstrap replicates."""
    tail = (1.0 - confidence) / 2.0
    low, high = (float(v) for v in np.quantile(reps, [tail, 1.0 - tail]))
    pvalue = float(np.mean(np.abs(reps - estimate) >= abs(estimate)))
    return low, high, float(np.std(reps, ddof=1)), pvalue


def _normal_pvalue(estimate: float, se: float) -> float:
    return 2.0 * float(scipy_stats.norm.sf(abs(estimate) / se)) if se > 0 else 0.0


@dataclass(frozen=True)
class _Panel:
    """Changes of several markets on their common months: arrays of shape ``(k, n)``."""

    markets: tuple[str, ...]
    us: np.ndarray
    foreign: np.ndarray
    dates: pd.DatetimeIndex

    @classmethod
    def build(cls, markets: Sequence[MarketYield], era: Era) -> _Panel:
        common = markets[0].pair.index
        for m in markets[1:]:
            common = common.intersection(m.pair.index)
        dates = pd.DatetimeIndex(common)
        dates = dates[era.months(dates)]
        us = np.vstack([m.pair.loc[dates, "us"].to_numpy(dtype=float) for m in markets])
        fx = np.vstack([m.pair.loc[dates, "foreign"].to_numpy(dtype=float) for m in markets])
        return cls(tuple(m.market for m in markets), us, fx, dates)

    def average(self) -> tuple[float, np.ndarray]:
        """Mean correlation and the mean of the markets' influence series."""
        parts = [correlation_influence(self.us[i], self.foreign[i]) for i in range(len(self.us))]
        return float(np.mean([p[0] for p in parts])), np.mean([p[1] for p in parts], axis=0)

    def replicates(
        self, block: float, replications: int, rng: np.random.Generator, method: str
    ) -> np.ndarray:
        """Bootstrap averages, resampling the months of all markets jointly."""
        index = bootstrap_indices(len(self.dates), block, replications, rng, method=method)  # type: ignore[arg-type]
        reps = [
            rowwise_correlation(self.us[i][index], self.foreign[i][index])
            for i in range(len(self.us))
        ]
        return np.mean(reps, axis=0)


class _AverageInterval:
    """Average correlation of a panel with a bootstrap or HAC interval."""

    def __init__(
        self, method: IntervalMethod, confidence: float, replications: int, min_blocks: float
    ) -> None:
        self.method, self.confidence = method, confidence
        self.replications, self.min_blocks = replications, min_blocks
        self.crit = float(scipy_stats.norm.ppf(0.5 + confidence / 2.0))

    def block(self, panel: _Panel, psi: np.ndarray) -> tuple[float, bool]:
        n = len(panel.dates)
        sb, mb = optimal_block_length(psi)
        length = sb if self.method == "stationary" else mb
        cap = n / self.min_blocks
        if cap < 2.0:
            raise DataError(
                f"average over {list(panel.markets)}: {n} common months cannot hold "
                f"{self.min_blocks:g} blocks of at least 2; use method='hac'"
            )
        return min(length, cap), length > cap

    def fit(self, panel: _Panel, seed: int, label: str) -> CorrelationIntervalResults:
        rho, psi = panel.average()
        n = len(panel.dates)
        if self.method == "hac":
            se = hac_standard_error(psi)
            low, high = _fisher(rho, se, self.crit)
            pvalue = _normal_pvalue(float(np.arctanh(rho)), se / max(1.0 - rho**2, 1e-12))
            block, blocks, capped = None, None, False
        else:
            block_len, capped = self.block(panel, psi)
            reps = panel.replicates(
                block_len, self.replications, np.random.default_rng(seed), self.method
            )
            low, high, se, pvalue = _bootstrap_summary(reps, rho, self.confidence)
            block, blocks = block_len, (n / block_len,)
        return CorrelationIntervalResults(
            estimate=rho, ci_low=low, ci_high=high, standard_error=se,
            pvalue=pvalue, method=self.method, confidence=self.confidence, nobs=(n,),
            block_length=block, n_blocks=blocks, data_through=panel.dates[-1], label=label,
            block_capped=capped,
        )  # fmt: skip

    def difference(self, a: _Panel, b: _Panel, seed: int, label: str) -> CorrelationIntervalResults:
        """``average_b - average_a``, the eras resampled independently (or HAC variances added)."""
        rho_a, psi_a = a.average()
        rho_b, psi_b = b.average()
        diff = rho_b - rho_a
        if self.method == "hac":
            se = float(np.hypot(hac_standard_error(psi_a), hac_standard_error(psi_b)))
            low, high = diff - self.crit * se, diff + self.crit * se
            pvalue = _normal_pvalue(diff, se)
            block, blocks, capped = None, None, False
        else:
            rng = np.random.default_rng(seed)
            (blk_a, cap_a), (blk_b, cap_b) = self.block(a, psi_a), self.block(b, psi_b)
            reps = b.replicates(blk_b, self.replications, rng, self.method) - a.replicates(
                blk_a, self.replications, rng, self.method
            )
            low, high, se, pvalue = _bootstrap_summary(reps, diff, self.confidence)
            block, capped = max(blk_a, blk_b), cap_a or cap_b
            blocks = (len(a.dates) / blk_a, len(b.dates) / blk_b)
        return CorrelationIntervalResults(
            estimate=diff, ci_low=low, ci_high=high, standard_error=se, pvalue=pvalue,
            method=self.method, confidence=self.confidence, nobs=(len(a.dates), len(b.dates)),
            block_length=block, n_blocks=blocks, data_through=max(a.dates[-1], b.dates[-1]),
            label=label, block_capped=capped, extra={"rho_a": rho_a, "rho_b": rho_b},
        )  # fmt: skip


def rolling_hac(us: np.ndarray, foreign: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Rolling correlations of ``(k, n)`` panels and their influence series, all windows at once.

    Returns ``rho`` of shape ``(k, n - window + 1)`` and ``psi`` of shape
    ``(k, n - window + 1, window)`` (module docstring of :mod:`~ustpull.crossasset.intervals`).
    """
    x = np.lib.stride_tricks.sliding_window_view(us, window, axis=-1)
    y = np.lib.stride_tricks.sliding_window_view(foreign, window, axis=-1)
    xs = (x - x.mean(axis=-1, keepdims=True)) / x.std(axis=-1, keepdims=True)
    ys = (y - y.mean(axis=-1, keepdims=True)) / y.std(axis=-1, keepdims=True)
    rho = np.mean(xs * ys, axis=-1)
    psi = xs * ys - 0.5 * rho[..., None] * (xs**2 + ys**2)
    return rho, psi


def rolling_hac_se(psi: np.ndarray) -> np.ndarray:
    """Newey-West standard error of the mean of each window (last axis) of ``psi``."""
    n = psi.shape[-1]
    lags = int(np.floor(4.0 * (n / 100.0) ** (2.0 / 9.0)))
    centred = psi - psi.mean(axis=-1, keepdims=True)
    lrv = np.mean(centred**2, axis=-1)
    for lag in range(1, lags + 1):
        gamma = np.sum(centred[..., lag:] * centred[..., :-lag], axis=-1) / n
        lrv = lrv + 2.0 * (1.0 - lag / (lags + 1.0)) * gamma
    return np.sqrt(np.maximum(lrv, 0.0) / n)


class CoMovementResults(Results):
    """Correlations with the U.S. by market and era, the headline average, rolling windows."""

    def __init__(
        self,
        markets: Mapping[str, MarketYield],
        correlations: pd.DataFrame,
        averages: Mapping[str, CorrelationIntervalResults],
        change: CorrelationIntervalResults | None,
        rolling: pd.DataFrame,
        spec: CoMovement,
    ) -> None:
        self._markets = dict(markets)
        self._correlations = correlations
        self._averages = dict(averages)
        self._change = change
        self._rolling = rolling
        self._spec = spec

    @property
    def correlations(self) -> pd.DataFrame:
        """Per ``(market, era)``: ``estimate``, ``ci_low``, ``ci_high``, ``nobs``, ``basis``,
        ``source``, ``headline`` (member of the headline average), ``first``/``data_through``
        (month-end dates of the first and last change)."""
        return self._correlations.copy()

    @property
    def averages(self) -> pd.DataFrame:
        """The headline average per era: ``estimate``, ``ci_low``, ``ci_high``,
        ``standard_error``, ``nobs`` (common months), ``n_blocks``, ``data_through``."""
        rows = {
            era: {
                "estimate": r.estimate,
                "ci_low": r.ci_low,
                "ci_high": r.ci_high,
                "standard_error": r.standard_error,
                "nobs": r.nobs[0],
                "n_blocks": None if r.n_blocks is None else r.n_blocks[0],
                "data_through": r.data_through,
            }
            for era, r in self._averages.items()
        }
        return pd.DataFrame(rows).T.rename_axis("era")

    @property
    def change(self) -> CorrelationIntervalResults | None:
        """Headline average of the last era minus the first (``change_eras``), with interval."""
        return self._change

    @property
    def rolling(self) -> pd.DataFrame:
        """Rolling-window correlations (one column per market), ``headline_average`` and its
        HAC interval ``headline_ci_low``/``headline_ci_high``, by window-end month."""
        return self._rolling.copy()

    @property
    def window(self) -> int:
        """Months per rolling window."""
        return self._spec.window

    @property
    def headline(self) -> tuple[str, ...]:
        """Markets of the headline average."""
        return self._spec.headline

    @property
    def change_eras(self) -> tuple[str, str]:
        """The eras whose headline averages :attr:`change` differences (second minus first)."""
        return self._spec.change_eras

    @property
    def bases(self) -> dict[str, str]:
        """How each market's monthly yield was formed (month-end of daily, or the fallback)."""
        return {m: f"{y.basis}: {y.source}" for m, y in self._markets.items()}

    def to_frame(self) -> pd.DataFrame:
        """The per-market table (as :attr:`correlations`)."""
        return self.correlations

    def average(
        self, markets: Sequence[str], era: str = "since 1990"
    ) -> CorrelationIntervalResults:
        """Average correlation over any set of markets on their common months, with interval.

        Raises :class:`~ustpull.errors.DataError` for the euro-area aggregate with a member,
        or for a market not in the data.
        """
        check_average_set(markets)
        unknown = [m for m in markets if m not in self._markets]
        if unknown:
            raise DataError(f"markets {unknown} not in the data (have {sorted(self._markets)})")
        spec = self._spec
        panel = _Panel.build([self._markets[m] for m in markets], spec.era(era))
        if len(panel.dates) < spec.min_months:
            raise DataError(
                f"average over {list(markets)}, {era}: {len(panel.dates)} common months "
                f"(need {spec.min_months})"
            )
        return spec.averager.fit(panel, spec.seed, f"average over {'+'.join(markets)}, {era}")

    def findings(self) -> list[dict[str, Any]]:
        """Findings in the ``findings.json`` layout: ``key``, ``label``, ``value``, ``unit``,
        ``definition``, ``window``, ``ci``, ``ci_method``, ``pvalue``, ``data_through``, plus
        ``nobs``, ``markets`` and each market's ``basis``."""
        bases, head = self.bases, list(self._spec.headline)
        names = ", ".join("UK" if m == "GB" else m for m in head)
        out = []
        for era, res in self._averages.items():
            label = f"Average correlation with the U.S. of monthly 10-year yield changes, {names}"
            window = f"{self._spec.era(era).start} .. {res.data_through:%Y-%m}"
            key = f"comovement.headline_average.{_slug(era)}"
            out.append(_finding(key, f"{label}, {era}", window, res, head, bases))
        if self._change is not None:
            first, last = self._spec.change_eras
            label = f"Change in the average correlation ({names}), {last} minus {first}"
            window = f"{self._spec.era(first).start} .. {self._change.data_through:%Y-%m}"
            out.append(
                _finding("comovement.headline_average.change", label, window, self._change,
                         head, bases)
            )  # fmt: skip
        for index, row in self._correlations.iterrows():
            market, era = (str(part) for part in index)  # type: ignore[attr-defined]
            item = {
                "key": f"comovement.{market.lower()}.{_slug(era)}",
                "label": f"{market}: correlation with the U.S. of monthly 10-year yield changes, "
                f"{era}",
                "value": float(row["estimate"]),
                "unit": "correlation",
                "definition": _DEFINITION,
                "window": f"{row['first']:%Y-%m} .. {row['data_through']:%Y-%m}",
                "ci": [float(row["ci_low"]), float(row["ci_high"])],
                "ci_method": row["ci_method"],
                "pvalue": float(row["pvalue"]),
                "data_through": f"{row['data_through']:%Y-%m-%d}",
                "nobs": int(row["nobs"]),
                "markets": [market],
                "basis": {market: bases[market]},
                "in_headline": bool(row["headline"]),
            }
            out.append(item)
        return out

    def summary(self) -> str:
        """Headline averages, the era change, the per-market table and the bases."""
        fmt = lambda v: f"{v:.3f}"  # noqa: E731
        lines = [
            f"Co-movement of monthly 10-year yield changes with the U.S.; headline average over "
            f"{', '.join(self._spec.headline)}; 95% intervals ({self._spec.method})",
            self.averages.to_string(float_format=fmt),
        ]
        if self._change is not None:
            lines.append(self._change.summary())
        table = self._correlations[["estimate", "ci_low", "ci_high", "nobs", "headline"]]
        lines += [table.to_string(float_format=fmt), "Bases:"]
        lines += [f"  {m}: {b}" for m, b in self.bases.items()]
        return "\n".join(lines)

    def chart(self) -> Chart:
        """The report's chart, :func:`~ustpull.crossasset.comovement_chart.comovement_chart`
        (``figure()`` draws it with plotly)."""
        from ustpull.crossasset.comovement_chart import comovement_chart

        return comovement_chart(self)

    def plot(self) -> Figure:
        """Rolling headline average with its band, and each market's rolling correlation."""
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(8, 4))
        roll = self._rolling
        for market in self._markets:
            if market in roll and market not in self._spec.headline:
                ax.plot(roll.index, roll[market], linewidth=0.6, alpha=0.5, label=market)
        ax.fill_between(
            roll.index, roll["headline_ci_low"], roll["headline_ci_high"], alpha=0.3, color="C0"
        )
        ax.plot(roll.index, roll["headline_average"], color="C0", linewidth=2,
                label=f"average {'+'.join(self._spec.headline)} (95% HAC band)")  # fmt: skip
        ax.set_ylabel(f"{self._spec.window}-month correlation with U.S.")
        ax.legend(fontsize="small", ncol=3)
        fig.tight_layout()
        return fig


def _slug(era: str) -> str:
    return era.replace(" ", "_").replace("-", "_")


_DEFINITION = (
    "Pearson correlation of month-on-month changes of month-end 10-year yields (last daily "
    "quote of the month; OECD monthly averages on both sides where the basis says fallback) "
    "with the U.S. 10-year Treasury yield"
)


def _finding(
    key: str,
    label: str,
    window: str,
    res: CorrelationIntervalResults,
    markets: list[str],
    bases: Mapping[str, str],
) -> dict[str, Any]:
    return {
        "key": key,
        "label": label,
        "value": float(res.estimate),
        "unit": "correlation",
        "definition": f"Mean over {', '.join(markets)} of the correlations; {_DEFINITION}",
        "window": window,
        "ci": [float(res.ci_low), float(res.ci_high)],
        "ci_method": res.ci_method,
        "pvalue": float(res.pvalue),
        "data_through": f"{res.data_through:%Y-%m-%d}",
        "nobs": list(res.nobs),
        "markets": markets,
        "basis": {m: bases[m] for m in markets},
    }


class CoMovement:
    """Correlation of foreign 10-year yield changes with the U.S. (specification; module doc).

    Parameters
    ----------
    us_daily
        Daily U.S. 10-year yield (percent), e.g. FRED DGS10.
    daily
        Market code (ISO, ``EA`` for the euro-area aggregate) -> daily 10-year yield.
    monthly
        Market code -> monthly-average yield (OECD ``IRLTLT01``), used only for markets
        without a daily series (the labelled fallback).
    headline
        Markets of the headline average (default DE, JP, GB).
    eras
        Samples of the era table; ``change_eras`` names the two whose headline averages are
        differenced (second minus first).
    window
        Months per rolling window.
    method, confidence, replications, min_blocks, seed
        Inference (:mod:`ustpull.crossasset.intervals`); rolling windows always use HAC.
    max_stale_days
        See :func:`month_end_yields`.
    min_months
        Fewest monthly changes for a market's era correlation (else the cell is left out).
    """

    def __init__(
        self,
        us_daily: pd.Series,
        daily: Mapping[str, pd.Series],
        monthly: Mapping[str, pd.Series] | None = None,
        *,
        headline: Sequence[str] = HEADLINE_MARKETS,
        eras: Sequence[Era] = DEFAULT_ERAS,
        change_eras: tuple[str, str] = ("1990-1999", "2020-latest"),
        window: int = 60,
        method: IntervalMethod = "stationary",
        confidence: float = 0.95,
        replications: int = 999,
        min_blocks: float = 10.0,
        seed: int = 0,
        max_stale_days: int = 7,
        min_months: int = 24,
    ) -> None:
        check_average_set(list(headline))
        if method not in ("stationary", "moving", "hac"):
            raise DataError(f"method must be 'stationary', 'moving' or 'hac', got {method!r}")
        if not 0.5 < confidence < 1.0 or replications < 99:
            raise DataError(
                f"need 0.5 < confidence < 1 and replications >= 99 ({confidence}, {replications})"
            )
        monthly = dict(monthly or {})
        available = set(daily) | set(monthly)
        missing = [m for m in headline if m not in available]
        if missing:
            raise DataError(f"headline markets {missing} have neither a daily nor a monthly series")
        names = [e.name for e in eras]
        for name in change_eras:
            if name not in names:
                raise DataError(f"change era {name!r} is not one of the eras {names}")
        if window < 24:
            raise DataError(f"window must be at least 24 months, got {window}")
        self.us_daily = us_daily
        self.daily, self.monthly = dict(daily), monthly
        self.headline = tuple(headline)
        self.eras = tuple(eras)
        self.change_eras = change_eras
        self.window, self.method, self.seed = window, method, seed
        self.confidence, self.replications, self.min_blocks = confidence, replications, min_blocks
        self.max_stale_days, self.min_months = max_stale_days, min_months
        self.averager = _AverageInterval(method, confidence, replications, min_blocks)

    def era(self, name: str) -> Era:
        """The era called ``name``."""
        for era in self.eras:
            if era.name == name:
                return era
        raise DataError(f"unknown era {name!r}; eras are {[e.name for e in self.eras]}")

    def _markets(self) -> dict[str, MarketYield]:
        us_end = month_end_yields(self.us_daily, max_stale_days=self.max_stale_days)
        us_avg = monthly_average_yields(self.us_daily)
        codes = sorted((set(self.daily) | set(self.monthly)) - {"US"})
        return {
            c: _market(c, self.daily.get(c), self.monthly.get(c), us_end, us_avg,
                       self.max_stale_days)
            for c in codes
        }  # fmt: skip

    def _correlations(self, markets: Mapping[str, MarketYield]) -> pd.DataFrame:
        rows = {}
        for code, market in markets.items():
            for era in self.eras:
                pair = market.pair.loc[era.months(pd.DatetimeIndex(market.pair.index))]
                if len(pair) < self.min_months:
                    continue
                res = CorrelationInterval(
                    pair["us"], pair["foreign"], min_blocks=self.min_blocks
                ).fit(
                    method=self.method, confidence=self.confidence,
                    replications=self.replications, seed=self.seed,
                )  # fmt: skip
                rows[(code, era.name)] = {
                    "estimate": res.estimate, "ci_low": res.ci_low, "ci_high": res.ci_high,
                    "nobs": len(pair), "basis": market.basis, "source": market.source,
                    "headline": code in self.headline, "ci_method": res.ci_method,
                    "pvalue": res.pvalue,
                    "first": pair.index[0], "data_through": pair.index[-1],
                }  # fmt: skip
        table = pd.DataFrame.from_dict(rows, orient="index")
        table.index = pd.MultiIndex.from_tuples(list(rows), names=["market", "era"])
        return table

    def _rolling(self, markets: Mapping[str, MarketYield]) -> pd.DataFrame:
        columns = {}
        for code, market in markets.items():
            pair = market.pair
            if len(pair) < self.window:
                continue
            rho, _ = rolling_hac(pair["us"].to_numpy()[None], pair["foreign"].to_numpy()[None],
                                 self.window)  # fmt: skip
            columns[code] = pd.Series(rho[0], index=pair.index[self.window - 1 :])
        panel = _Panel.build([markets[m] for m in self.headline], Era("all", "1800-01"))
        if len(panel.dates) < self.window:
            raise DataError(
                f"headline markets {list(self.headline)} share {len(panel.dates)} months, "
                f"fewer than one {self.window}-month window"
            )
        rho, psi = rolling_hac(panel.us, panel.foreign, self.window)
        mean, se = rho.mean(axis=0), rolling_hac_se(psi.mean(axis=0))
        crit = float(scipy_stats.norm.ppf(0.5 + self.confidence / 2.0))
        bounds = np.array([_fisher(r, s, crit) for r, s in zip(mean, se, strict=True)])
        ends = panel.dates[self.window - 1 :]
        frame = pd.DataFrame(columns).reindex(ends)
        frame["headline_average"] = mean
        frame["headline_ci_low"], frame["headline_ci_high"] = bounds[:, 0], bounds[:, 1]
        return frame.rename_axis("window_end")

    def fit(self) -> CoMovementResults:
        """Era correlations with intervals, headline averages, the era change, rolling windows."""
        markets = self._markets()
        head = [markets[m] for m in self.headline]
        averages = {}
        for k, era in enumerate(self.eras):
            panel = _Panel.build(head, era)
            if len(panel.dates) >= self.min_months:
                averages[era.name] = self.averager.fit(panel, self.seed + k, f"average, {era.name}")
        first, last = (_Panel.build(head, self.era(name)) for name in self.change_eras)
        change = None
        if min(len(first.dates), len(last.dates)) >= self.min_months:
            label = f"headline average, {self.change_eras[1]} minus {self.change_eras[0]}"
            change = self.averager.difference(first, last, self.seed, label)
        return CoMovementResults(
            markets, self._correlations(markets), averages, change, self._rolling(markets), self
        )
