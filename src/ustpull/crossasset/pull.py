"""The Treasury pull: how a 10 bp move in the U.S. 10-year yield moves stocks, the dollar and
foreign yields, split into its expected-rate and term-premium parts.

For every asset ``a`` (change ``Δa_t`` in its unit: percent for stocks and the dollar, basis
points for yields) and the ACM split of the U.S. 10-year yield ``y = r + τ`` (risk-neutral
"expected-rate" yield ``r`` plus term premium ``τ``; changes in bp), two regressions on
synchronous changes (weekly or month-end, :mod:`ustpull.crossasset.pull_data`):

.. math::

    \\Delta a_t = \\alpha + \\beta\\, \\Delta y_t + u_t
    \\qquad\\text{(total response)}

    \\Delta a_t = \\alpha' + \\beta_r\\, \\Delta r_t + \\beta_\\tau\\, \\Delta \\tau_t + e_t
    \\qquad\\text{(split)}

reported per 10 bp: ``10 β`` (``total``), ``10 β_r`` (``expected_rate``: a 10 bp rise of the
yield that comes from expected rates) and ``10 β_τ`` (``term_premium``: one that comes from
the term premium). Because ``Δy = Δr + Δτ`` and OLS residuals are orthogonal to the
regressors, the two fits are tied by the identity

.. math:: \\beta = s_r \\beta_r + s_\\tau \\beta_\\tau, \\qquad
          s_k = \\operatorname{cov}(\\Delta k, \\Delta y) / \\operatorname{var}(\\Delta y),
          \\quad s_r + s_\\tau = 1,

so the total response is the two parts weighted by each part's share of the yield's variance
in that sample (``shares`` in the results). Every estimate is made on the full sample, on
rolling windows (default three years) and by regime (the stock-bond eras of
:data:`~ustpull.crossasset.stocks_correlation.DEFAULT_ERAS`, or any labelled series), each with
a Newey-West (1987) HAC interval (:mod:`ustpull.crossasset.pull_ols`).

Each asset is used on the dates where it and the U.S. parts both have a change (pairwise, so
India's 2005-2020 sample does not shorten the S&P 500's). The betas are co-movement, not
identified causal effects: a common shock that moves both markets is in them. The U.S. parts
are generated regressors (an ACM fit): the intervals take them as data.

References
----------
Adrian, T., Crump, R. K. and Moench, E. (2013), "Pricing the Term Structure with Linear
Regressions", Journal of Financial Economics 110(1), 110-138.
Newey, W. K. and West, K. D. (1987), Econometrica 55(3), 703-708.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as scipy_stats

from ustpull.crossasset.pull_data import FREQUENCIES, PULL_ASSETS, PullAsset, PullFrequency
from ustpull.crossasset.pull_ols import rolling_windows, stacked_hac_ols
from ustpull.crossasset.pull_results import TreasuryPullResults
from ustpull.crossasset.stocks_correlation import DEFAULT_ERAS
from ustpull.errors import DataError

__all__ = ["COMPONENTS", "PULL_ERAS", "PULL_MOVE_BP", "Regimes", "TreasuryPull", "variance_shares"]

COMPONENTS: tuple[str, ...] = ("total", "expected_rate", "term_premium")
PULL_MOVE_BP = 10.0
"""The size of the U.S. 10-year move every response is scaled to, basis points."""
PP_TO_BP = 100.0
MAX_SPAN_RATIO = 1.25
"""A rolling window whose dates span more than this times its nominal length is left empty."""

Regimes = Sequence[tuple[str, str | None, str | None]] | pd.Series
PULL_ERAS: tuple[tuple[str, str | None, str | None], ...] = tuple(
    (label, f"{label[:4]}-01-01" if first is None else first, last)
    for label, first, last in DEFAULT_ERAS
)
"""The stock-bond eras (:data:`~ustpull.crossasset.stocks_correlation.DEFAULT_ERAS`) with the
first era's open start closed at the year of its label, so "1962-1999" holds no 1961 data."""
# per frequency: default rolling window (3 years) and fewest observations of an estimate
_DEFAULT_WINDOW: dict[str, int] = {"weekly": 156, "month_end": 36, "monthly_average": 36}
_DEFAULT_MIN_NOBS: dict[str, int] = {"weekly": 52, "month_end": 24, "monthly_average": 24}
_PERIODS_PER_YEAR: dict[str, int] = {"weekly": 52, "month_end": 12, "monthly_average": 12}


@dataclass(frozen=True)
class _Sample:
    """One asset's regression sample: response and the two U.S. parts in bp, on common dates."""

    name: str
    dates: pd.DatetimeIndex
    values: np.ndarray  # (n, 3): asset change, expected-rate change (bp), term-premium (bp)
    # the dates of the quotes behind the change labels: the asset's and the U.S. parts' raw
    # observation dates (a weekly change is labelled by its Friday, its last quote may be
    # earlier); empty when only changes were given (then the labels are the dates)
    observed: tuple[pd.DatetimeIndex, ...] = ()

    def data_through(self, last_label: pd.Timestamp) -> pd.Timestamp:
        """The last quote on or before ``last_label`` that every input has (the sample's
        data-through date; the label itself when the raw dates are unknown)."""
        through = pd.Timestamp(last_label)
        for dates in self.observed:
            position = int(dates.searchsorted(through, side="right"))
            if position:
                through = min(through, pd.Timestamp(dates[position - 1]))
        return through


def _first_bad(frame: pd.DataFrame, mask: np.ndarray) -> tuple[str, pd.Timestamp, float]:
    row, col = (int(i) for i in np.argwhere(mask)[0])
    value = float(frame.to_numpy(dtype=float)[row, col])
    return str(frame.columns[col]), pd.Timestamp(frame.index[row]), value


def _check_index(index: pd.Index, label: str) -> pd.DatetimeIndex:
    if not isinstance(index, pd.DatetimeIndex):
        raise DataError(f"TreasuryPull: {label} is not indexed by dates")
    if index.has_duplicates:
        raise DataError(
            f"TreasuryPull: {label} repeats the date {index[index.duplicated()][0]:%Y-%m-%d}"
        )
    if not index.is_monotonic_increasing:
        raise DataError(f"TreasuryPull: {label} is not sorted by date")
    return index


def _check_aligned(reference: pd.DatetimeIndex, given: pd.Index, label: str) -> None:
    """The U.S. parts must sit on exactly the assets' dates: misaligned changes are a defect."""
    if reference.equals(given):
        return
    other = _check_index(given, label)
    only_assets = reference.difference(other)
    only_other = other.difference(reference)
    where = (
        f"{only_assets[0]:%Y-%m-%d} is in asset_changes but not in {label}"
        if len(only_assets)
        else f"{only_other[0]:%Y-%m-%d} is in {label} but not in asset_changes"
    )
    raise DataError(
        f"TreasuryPull: {label} is not on the dates of asset_changes ({where}); build all "
        "three with ustpull.crossasset.pull_data.pull_changes"
    )


def _check_frequency(index: pd.DatetimeIndex, frequency: PullFrequency) -> None:
    if frequency == "weekly":
        off = index.day_of_week != index[0].day_of_week if len(index) else np.array([], dtype=bool)
        if np.any(off):
            when = index[int(np.argmax(off))]
            raise DataError(
                f"TreasuryPull: weekly changes must share one weekday; {when:%Y-%m-%d} "
                f"is a {when:%A}, {index[0]:%Y-%m-%d} a {index[0]:%A}"
            )
        return
    off = ~np.asarray(index.is_month_end)
    if off.any():
        raise DataError(
            f"TreasuryPull: {frequency} changes must be labelled by month-end dates; "
            f"{index[int(np.argmax(off))]:%Y-%m-%d} is not one"
        )


def _check_finite(frame: pd.DataFrame) -> None:
    values = frame.to_numpy(dtype=float)
    if np.isinf(values).any():
        name, when, value = _first_bad(frame, np.isinf(values))
        raise DataError(f"TreasuryPull: {name} is {value} on {when:%Y-%m-%d}")
    parts = values[:, -2:]
    lone = np.isnan(parts).any(axis=1) & ~np.isnan(parts).all(axis=1)
    if lone.any():
        row = int(np.argmax(lone))
        missing = frame.columns[-2:][np.isnan(parts[row])][0]
        raise DataError(
            f"TreasuryPull: {missing} is missing on {frame.index[row]:%Y-%m-%d} while the other "
            "U.S. part is not; both parts come from one yield-curve fit"
        )


def _regime_labels(dates: pd.DatetimeIndex, regimes: Regimes) -> pd.Series:
    """The regime label of every date (empty string: in no regime)."""
    if isinstance(regimes, pd.Series):
        given = regimes.dropna().sort_index()
        if not isinstance(given.index, pd.DatetimeIndex):
            raise DataError("TreasuryPull: regimes must be indexed by dates")
        positions = given.index.searchsorted(dates, side="right") - 1
        chosen = np.where(positions >= 0, given.to_numpy(dtype=object)[positions], "")
        return pd.Series(chosen, index=dates, dtype=object).astype(str)
    labels = pd.Series("", index=dates, dtype=object)
    for label, first, last in regimes:
        start = dates[0] if first is None else pd.Timestamp(first)
        end = dates[-1] if last is None else pd.Timestamp(last)
        labels[(dates >= start) & (dates <= end)] = label
    return labels.astype(str)


class TreasuryPull:
    """Response of stocks, the dollar and foreign yields to a 10 bp U.S. 10-year move (model).

    Parameters
    ----------
    asset_changes
        Synchronous changes, one column per asset (keys of ``assets``), in the asset's unit
        (percent log changes for prices, bp for yields); NaN = the asset has no change in that
        window. Build with :func:`~ustpull.crossasset.pull_data.pull_changes` or
        :meth:`from_levels`.
    expected_rate_changes, term_premium_changes
        Changes of the U.S. 10-year risk-neutral yield and term premium (ACM), percentage
        points, on exactly the dates of ``asset_changes``.
    frequency
        ``"weekly"`` (default), ``"month_end"`` or ``"monthly_average"`` (the labelled
        fallback for series published only as monthly averages). Sets the default window and
        the wording; the index must match it (one weekday, or month-end dates).
    window
        Rolling window in observations; default three years (156 weeks, 36 months).
    regimes
        ``(label, first, last)`` eras (default :data:`PULL_ERAS`, the stock-bond eras 1962-1999,
        2000-2007, 2008-2019, 2020-latest), or a date-indexed series of
        labels (each date takes the label of the latest entry at or before it), or ``()``.
    assets
        Asset table (default :data:`~ustpull.crossasset.pull_data.PULL_ASSETS`).
    min_nobs
        Fewest observations of any estimate (default one year: 52 weeks, 24 months). A regime
        in which an asset has fewer is not estimated and the results' ``notes`` say so; a
        full sample shorter than ``window`` is an error.
    observed
        Raw observation dates by input (asset names, ``"expected_rate"``, ``"term_premium"``;
        :meth:`from_levels` fills it for weekly changes): each estimate's ``data_through`` is
        then the last quote every input has on or before its last label, not the label (a
        week ending on a Thursday holiday is labelled Friday).

    Notes
    -----
    See the module docstring for the estimating equations and the identity that ties the
    total response to its parts.

    Examples
    --------
    >>> TreasuryPull.from_levels(levels, us.components(10)).fit().full_sample  # doctest: +SKIP
    """

    def __init__(
        self,
        asset_changes: pd.DataFrame,
        expected_rate_changes: pd.Series,
        term_premium_changes: pd.Series,
        *,
        frequency: PullFrequency = "weekly",
        window: int | None = None,
        regimes: Regimes | None = None,
        assets: Mapping[str, PullAsset] | None = None,
        min_nobs: int | None = None,
        observed: Mapping[str, pd.DatetimeIndex] | None = None,
    ) -> None:
        if frequency not in FREQUENCIES:
            raise DataError(f"frequency must be one of {list(FREQUENCIES)}, got {frequency!r}")
        self.frequency: PullFrequency = frequency
        self.assets: dict[str, PullAsset] = dict(PULL_ASSETS if assets is None else assets)
        self.window = _DEFAULT_WINDOW[frequency] if window is None else int(window)
        self.min_nobs = _DEFAULT_MIN_NOBS[frequency] if min_nobs is None else int(min_nobs)
        if self.min_nobs < 10 or self.window < self.min_nobs:
            raise DataError(
                f"TreasuryPull: need 10 <= min_nobs <= window, got min_nobs={self.min_nobs}, "
                f"window={self.window}"
            )
        self.regimes: Regimes = PULL_ERAS if regimes is None else regimes
        self._data = self._checked(asset_changes, expected_rate_changes, term_premium_changes)
        self._regime_of = _regime_labels(pd.DatetimeIndex(self._data.index), self.regimes)
        self._observed = {k: pd.DatetimeIndex(v) for k, v in (observed or {}).items()}

    def _checked(
        self, assets: pd.DataFrame, expected: pd.Series, premium: pd.Series
    ) -> pd.DataFrame:
        index = _check_index(assets.index, "asset_changes")
        unknown = [str(c) for c in assets.columns if c not in self.assets]
        if unknown:
            raise DataError(f"TreasuryPull: unknown assets {unknown}; known: {sorted(self.assets)}")
        if assets.shape[1] == 0:
            raise DataError("TreasuryPull: asset_changes has no columns")
        _check_aligned(index, expected.index, "expected_rate_changes")
        _check_aligned(index, premium.index, "term_premium_changes")
        _check_frequency(index, self.frequency)
        frame = assets.astype(float).copy()
        frame.columns = [str(c) for c in frame.columns]
        frame["expected_rate_changes"] = expected.astype(float).to_numpy()
        frame["term_premium_changes"] = premium.astype(float).to_numpy()
        _check_finite(frame)
        return frame

    @classmethod
    def from_levels(
        cls,
        asset_levels: pd.DataFrame,
        us_components: pd.DataFrame,
        *,
        frequency: PullFrequency = "weekly",
        window: int | None = None,
        regimes: Regimes | None = None,
        assets: Mapping[str, PullAsset] | None = None,
        min_nobs: int | None = None,
        end: str | pd.Timestamp | None = None,
    ) -> TreasuryPull:
        """The model on synchronous changes built from daily levels up to ``end``
        (:func:`~ustpull.crossasset.pull_data.pull_changes`)."""
        from ustpull.crossasset.pull_data import pull_changes

        changes, expected, premium = pull_changes(
            asset_levels, us_components, frequency=frequency, assets=assets, end=end
        )
        upto = slice(None, None if end is None else pd.Timestamp(end))
        observed = {
            str(name): pd.DatetimeIndex(column.loc[upto].dropna().index)
            for name, column in [*asset_levels.items(), *us_components.items()]
            if frequency == "weekly" and name in (*changes.columns, "expected_rate", "term_premium")
        }
        return cls(
            changes,
            expected,
            premium,
            frequency=frequency,
            window=window,
            regimes=regimes,
            assets=assets,
            min_nobs=min_nobs,
            observed=observed,
        )

    @property
    def latest_label(self) -> str:
        """Name of the latest rolling window in the results (``"latest_3y"``, ``"latest_30w"``)."""
        per_year = _PERIODS_PER_YEAR[self.frequency]
        if self.window % per_year == 0:
            return f"latest_{self.window // per_year}y"
        return f"latest_{self.window}{'w' if self.frequency == 'weekly' else 'm'}"

    def _sample(self, name: str) -> _Sample:
        columns = [name, "expected_rate_changes", "term_premium_changes"]
        frame = self._data[columns].dropna(how="any")
        values = frame.to_numpy(dtype=float) * np.array([1.0, PP_TO_BP, PP_TO_BP])
        if len(frame) < self.window:
            span = (
                "no observations"
                if frame.empty
                else f"{frame.index[0]:%Y-%m-%d}..{frame.index[-1]:%Y-%m-%d}"
            )
            raise DataError(
                f"TreasuryPull: {name} has {len(frame)} {self.frequency} changes with the U.S. "
                f"parts ({span}), fewer than the window of {self.window}"
            )
        inputs = (name, "expected_rate", "term_premium")
        observed = tuple(self._observed[k] for k in inputs if k in self._observed)
        return _Sample(name, pd.DatetimeIndex(frame.index), values, observed)

    def sample_sizes(self) -> pd.Series:
        """Changes of each asset with both U.S. parts (the full sample :meth:`fit` uses; it
        needs at least :attr:`window` of them), by asset."""
        parts = self._data[["expected_rate_changes", "term_premium_changes"]].notna().all(axis=1)
        assets = self._data.iloc[:, :-2].notna() & parts.to_numpy()[:, None]
        return assets.sum().astype(int).rename("changes")

    def fit(self, *, confidence: float = 0.95, hac_lags: int | None = None) -> TreasuryPullResults:
        """Estimate the responses on the full sample, rolling windows and regimes.

        Parameters
        ----------
        confidence
            Two-sided level of the Newey-West intervals (normal critical values).
        hac_lags
            Newey-West truncation lag; default ``floor(4 (n/100)^(2/9))`` of each sample.
        """
        if not 0.5 < confidence < 1.0:
            raise DataError(f"confidence must be in (0.5, 1), got {confidence}")
        if hac_lags is not None and hac_lags < 0:
            raise DataError(f"hac_lags must be a non-negative integer, got {hac_lags}")
        crit = float(scipy_stats.norm.ppf(0.5 + confidence / 2.0))
        rows: list[dict[str, object]] = []
        rolling: dict[str, pd.DataFrame] = {}
        notes: list[str] = []
        lags_used: dict[str, int] = {}
        for name in map(str, self._data.columns[:-2]):
            sample = self._sample(name)
            full, lags_used[name] = _estimates(sample.values[None], crit, hac_lags)
            rows += _rows(sample, "full", full[0], sample.dates, sample.values)
            rolling[name] = self._rolling(sample, crit, hac_lags, notes)
            if rolling[name].iloc[-1].notna().all():  # else the notes say why
                rows += self._latest_rows(sample, crit, hac_lags)
            rows += self._regime_rows(sample, crit, hac_lags, notes)
        return TreasuryPullResults(
            estimates=pd.DataFrame(rows).set_index(["asset", "window", "component"]),
            rolling=rolling,
            assets={name: self.assets[name] for name in rolling},
            frequency=self.frequency,
            window=self.window,
            confidence=confidence,
            hac_lags=lags_used,
            fixed_lags=hac_lags is not None,
            notes=tuple(notes),
            regime_runs=_runs(self._regime_of),
        )

    def _latest_rows(
        self, sample: _Sample, crit: float, lags: int | None
    ) -> list[dict[str, object]]:
        latest = sample.values[-self.window :]
        estimates, _ = _estimates(latest[None], crit, lags)
        dates = sample.dates[-self.window :]
        return _rows(sample, self.latest_label, estimates[0], dates, latest)

    def _rolling(
        self, sample: _Sample, crit: float, lags: int | None, notes: list[str]
    ) -> pd.DataFrame:
        windows = rolling_windows(sample.values, self.window)
        estimates, _ = _estimates(windows, crit, lags)
        dates = sample.dates[self.window - 1 :]
        # a window of n observations that spans a hole in the data is not an n-period window
        nominal_days = self.window * 365.25 / _PERIODS_PER_YEAR[self.frequency]
        spans = (dates - sample.dates[: len(dates)]).days.to_numpy()
        too_long = spans > MAX_SPAN_RATIO * nominal_days
        if too_long.any():
            estimates[too_long] = np.nan
            notes.append(
                f"{sample.name}: {int(too_long.sum())} rolling windows span more than "
                f"{MAX_SPAN_RATIO:g} times {self.window} {self.frequency} periods (a hole in "
                f"the data, first ending {dates[int(np.argmax(too_long))]:%Y-%m-%d}); left empty"
            )
        stats = ("value", "ci_low", "ci_high")
        columns = pd.MultiIndex.from_product([COMPONENTS, stats], names=["component", "stat"])
        return pd.DataFrame(
            estimates[:, :, [0, 2, 3]].reshape(len(dates), -1),
            index=pd.DatetimeIndex(dates, name="date"),
            columns=columns,
        )

    def _regime_rows(
        self, sample: _Sample, crit: float, lags: int | None, notes: list[str]
    ) -> list[dict[str, object]]:
        labels = self._regime_of.reindex(sample.dates).to_numpy()
        rows: list[dict[str, object]] = []
        for label in dict.fromkeys(str(x) for x in labels if x):
            inside = labels == label
            count = int(inside.sum())
            if count < self.min_nobs:
                dates = sample.dates[inside]
                notes.append(
                    f"{sample.name} in regime {label!r}: {count} {self.frequency} changes "
                    f"({dates[0]:%Y-%m-%d}..{dates[-1]:%Y-%m-%d}), fewer than min_nobs="
                    f"{self.min_nobs}; not estimated"
                )
                continue
            values = sample.values[inside]
            estimates, _ = _estimates(values[None], crit, lags)
            name = _named_by_data(label, sample.dates[inside][0])
            rows += _rows(sample, name, estimates[0], sample.dates[inside], values)
        return rows


def _named_by_data(label: str, first: pd.Timestamp) -> str:
    """An era ``"YYYY-YYYY"`` or ``"YYYY-latest"`` named from the year its data start when
    that is later ("1962-1999" holds German yields only from 1988: "1988-1999")."""
    match = re.fullmatch(r"(\d{4})-(\d{4}|latest)", label)
    if match is None or first.year <= int(match[1]):
        return label
    return f"{first.year}-{match[2]}"


def _runs(labels: pd.Series) -> tuple[tuple[str, pd.Timestamp, pd.Timestamp], ...]:
    """Contiguous stretches of one regime label: ``(label, first date, last date)``."""
    values = labels.to_numpy(dtype=object)
    if not len(values):
        return ()
    starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])
    ends = np.r_[starts[1:] - 1, len(values) - 1]
    dates = pd.DatetimeIndex(labels.index)
    return tuple(
        (str(values[a]), pd.Timestamp(dates[int(a)]), pd.Timestamp(dates[int(b)]))
        for a, b in zip(starts, ends, strict=True)
        if values[a]
    )


def _estimates(values: np.ndarray, crit: float, lags: int | None) -> tuple[np.ndarray, int]:
    """Per sample and component: ``[value, std_err, ci_low, ci_high]`` per 10 bp; shape
    ``(W, 3, 4)`` for samples ``values`` of shape ``(W, L, 3)``; and the HAC lag used."""
    response = values[:, :, 0]
    parts = values[:, :, 1:]
    total = stacked_hac_ols(response, parts.sum(axis=2, keepdims=True), lags=lags)
    split = stacked_hac_ols(response, parts, lags=lags)
    beta = np.column_stack([total.params[:, 1], split.params[:, 1], split.params[:, 2]])
    se = np.column_stack([total.std_err[:, 1], split.std_err[:, 1], split.std_err[:, 2]])
    value, err = PULL_MOVE_BP * beta, PULL_MOVE_BP * se
    return np.stack([value, err, value - crit * err, value + crit * err], axis=2), total.lags


def variance_shares(values: np.ndarray) -> tuple[float, float]:
    """``(s_r, s_τ)``: each U.S. part's covariance with the yield change over its variance."""
    parts = values[:, 1:] - values[:, 1:].mean(axis=0)
    total = parts.sum(axis=1)
    var = float(total @ total)
    return float(parts[:, 0] @ total) / var, float(parts[:, 1] @ total) / var


def _rows(
    sample: _Sample,
    window: str,
    estimates: np.ndarray,
    dates: pd.DatetimeIndex,
    values: np.ndarray,
) -> list[dict[str, object]]:
    shares = (1.0, *variance_shares(values))
    return [
        {
            "asset": sample.name,
            "window": window,
            "component": component,
            "value": float(estimates[i, 0]),
            "std_err": float(estimates[i, 1]),
            "ci_low": float(estimates[i, 2]),
            "ci_high": float(estimates[i, 3]),
            "share": shares[i],
            "nobs": len(dates),
            "first": pd.Timestamp(dates[0]),
            "data_through": sample.data_through(dates[-1]),
        }
        for i, component in enumerate(COMPONENTS)
    ]
