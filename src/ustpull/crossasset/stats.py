"""Statistics shared by the cross-asset analyses.

Everything here is a pure, vectorised function of pandas/numpy inputs:

* :func:`align` puts several series on their common dates (no filling across one market's
  holiday: a date is kept only where every input has an observation);
* :func:`log_returns` and :func:`rolling_correlation` (pandas' rolling moments, no loops);
* :func:`effective_sample_size` (Bartlett 1935 / Bretherton et al. 1999) and
  :func:`fisher_z_difference_test` for the difference of two correlations;
* :func:`block_bootstrap_mean_difference`, a seeded moving-block bootstrap (Künsch 1989)
  for the difference of two means of dependent series (e.g. mean rolling correlations);
* :func:`hac_ols`, OLS with Newey-West (1987) standard errors returning :class:`HACResult`.

Compute returns *after* aligning price levels: both returns then span the same interval.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import overload

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy import stats as scipy_stats

from ustpull._typing import JoinHow
from ustpull.errors import DataError, FitError

__all__ = [
    "BootstrapMeanDifference",
    "CorrelationDifferenceTest",
    "HACResult",
    "align",
    "block_bootstrap_mean_difference",
    "changes_across_rows",
    "effective_sample_size",
    "fisher_z_difference_test",
    "hac_ols",
    "json_records",
    "json_scalar",
    "log_returns",
    "newey_west_lags",
    "rolling_correlation",
]


def _as_frame(obj: pd.Series | pd.DataFrame, position: int) -> pd.DataFrame:
    if isinstance(obj, pd.Series):
        name = obj.name if obj.name is not None else f"series_{position}"
        return obj.to_frame(name=name)
    if isinstance(obj, pd.DataFrame):
        return obj
    raise DataError(f"align: argument {position} is a {type(obj).__name__}, not a Series/DataFrame")


def _date_span(frame: pd.DataFrame) -> str:
    valid = frame.dropna(how="all")
    if valid.empty:
        return "no observations"
    return f"{valid.index[0]:%Y-%m-%d}..{valid.index[-1]:%Y-%m-%d}"


def align(*frames: pd.Series | pd.DataFrame, how: JoinHow = "inner") -> pd.DataFrame:
    """Put series on common dates without filling any gap.

    Parameters
    ----------
    *frames
        Series or DataFrames indexed by dates. Column names (Series names) must be unique.
    how
        ``"inner"``: keep a date only where every column has a (non-missing) observation, so a
        holiday in one market drops the date for all. ``"outer"``: the union of dates with gaps
        left missing (never forward-filled).

    Returns
    -------
    DataFrame
        All columns side by side, sorted by date.

    Raises
    ------
    DataError
        Duplicate column names, a non-datetime index, or (``how="inner"``) no common date; the
        message names every series and its date span.
    """
    if not frames:
        raise DataError("align: no series given")
    parts = [_as_frame(obj, position) for position, obj in enumerate(frames)]
    for part in parts:
        if not isinstance(part.index, pd.DatetimeIndex):
            raise DataError(f"align: series {list(part.columns)} are not indexed by dates")
        if part.index.has_duplicates:
            duplicate = part.index[part.index.duplicated()][0]
            raise DataError(
                f"align: series {list(part.columns)} repeat the date {duplicate:%Y-%m-%d}"
            )
    combined = pd.concat(parts, axis=1, join="outer", sort=True)
    if combined.columns.has_duplicates:
        repeated = sorted({str(c) for c in combined.columns[combined.columns.duplicated()]})
        raise DataError(f"align: column names repeat: {repeated}")
    if how == "outer":
        return combined
    common = combined.dropna(how="any")
    if common.empty:
        spans = "; ".join(f"{column}: {_date_span(combined[[column]])}" for column in combined)
        raise DataError(f"align: the series have no date in common ({spans})")
    return common


def _check_positive(prices: pd.DataFrame) -> None:
    values = prices.to_numpy(dtype=float)
    bad = ~np.isnan(values) & (values <= 0.0)
    if bad.any():
        row, col = np.argwhere(bad)[0]
        raise DataError(
            f"log_returns: {prices.columns[col]} has a non-positive price "
            f"{float(values[row, col])!r} on {prices.index[row]:%Y-%m-%d}"
        )


@overload
def log_returns(prices: pd.Series) -> pd.Series: ...
@overload
def log_returns(prices: pd.DataFrame) -> pd.DataFrame: ...
def log_returns(prices: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
    """Log returns ``r_t = ln(P_t / P_{t-1})`` between consecutive rows (decimal, not percent).

    The first row is dropped; a missing price makes the two returns touching it missing.

    Raises
    ------
    DataError
        A zero or negative price (the message names the series, date and value).
    """
    frame = prices.to_frame() if isinstance(prices, pd.Series) else prices
    _check_positive(frame)
    returns = frame.astype(float).apply(np.log).diff().iloc[1:]
    if isinstance(prices, pd.Series):
        series: pd.Series = returns.iloc[:, 0]
        series.name = prices.name
        return series
    return returns


def rolling_correlation(
    a: pd.Series, b: pd.Series, window: int, *, min_periods: int | None = None
) -> pd.Series:
    """Pearson correlation of ``a`` and ``b`` over a rolling window of rows.

    The two series are first aligned on common dates (:func:`align`). The value on date t
    uses the ``window`` rows ending at t; earlier dates are dropped.

    Parameters
    ----------
    a, b
        Date-indexed series (e.g. stock and bond returns).
    window
        Window length in observations (252 trading days = 1 year, 36 months = 3 years).
    min_periods
        Observations required inside a window (default ``window``).

    Raises
    ------
    DataError
        The window is shorter than 3 or longer than the common sample, or the series share no date.
    """
    if window < 3:
        raise DataError(
            f"rolling_correlation: window must be at least 3 observations, got {window}"
        )
    pair = align(a.rename("a"), b.rename("b"))
    if window > len(pair):
        raise DataError(
            f"rolling_correlation: window of {window} observations is longer than the "
            f"{len(pair)} common observations of {a.name!r} and {b.name!r} "
            f"({pair.index[0]:%Y-%m-%d}..{pair.index[-1]:%Y-%m-%d})"
        )
    needed = window if min_periods is None else min_periods
    correlation = pair["a"].rolling(window, min_periods=needed).corr(pair["b"])
    # A constant window has no correlation; pandas may return +-inf or tiny noise there.
    correlation = correlation.where(np.isfinite(correlation)).clip(-1.0, 1.0)
    return correlation.iloc[needed - 1 :].rename("correlation")


def _autocorrelations(values: np.ndarray, max_lag: int) -> np.ndarray:
    """Sample autocorrelations at lags 1..max_lag via the FFT (biased, Bartlett convention)."""
    centred = values - values.mean()
    size = 1 << math.ceil(math.log2(2 * len(centred)))
    spectrum = np.fft.rfft(centred, size)
    autocovariance = np.fft.irfft(spectrum * np.conj(spectrum), size)[: max_lag + 1]
    return autocovariance[1:] / autocovariance[0]


def effective_sample_size(x: pd.Series, y: pd.Series, *, max_lag: int | None = None) -> float:
    """Effective number of independent pairs for the correlation of two autocorrelated series.

    Bartlett's (1935) large-sample variance of a correlation under independence of the two
    series, as used by Bretherton et al. (1999, J. Climate 12, eq. 31):

    .. math:: n_{eff} = n \\Big/ \\Big(1 + 2 \\sum_{k=1}^{K} \\rho_x(k) \\rho_y(k)\\Big)

    truncated at ``K = max_lag`` (default: the Newey-West rule :func:`newey_west_lags`), and
    capped at ``n`` from above and 4 from below (so ``n_eff - 3 > 0``).
    """
    pair = align(x.rename("x"), y.rename("y"))
    n = len(pair)
    if n < 4:
        raise DataError(f"effective_sample_size: need at least 4 common observations, got {n}")
    lags = newey_west_lags(n) if max_lag is None else max_lag
    lags = max(1, min(lags, n - 2))
    rho_x = _autocorrelations(pair["x"].to_numpy(), lags)
    rho_y = _autocorrelations(pair["y"].to_numpy(), lags)
    inflation = 1.0 + 2.0 * float(np.sum(rho_x * rho_y))
    return float(min(n, max(4.0, n / inflation))) if inflation > 0 else float(n)


@dataclass(frozen=True)
class CorrelationDifferenceTest:
    """Fisher z test of ``H0: rho_1 = rho_2`` for two independent samples."""

    r1: float
    r2: float
    n1: float
    n2: float
    z_statistic: float
    pvalue: float

    @property
    def difference(self) -> float:
        """``r2 - r1``."""
        return self.r2 - self.r1

    def to_dict(self) -> dict[str, float]:
        """JSON-ready fields."""
        return {
            "r1": self.r1,
            "r2": self.r2,
            "n1": self.n1,
            "n2": self.n2,
            "difference": self.difference,
            "z_statistic": self.z_statistic,
            "pvalue": self.pvalue,
        }


def fisher_z_difference_test(
    r1: float,
    n1: float,
    r2: float,
    n2: float,
    *,
    effective_n: tuple[float, float] | None = None,
) -> CorrelationDifferenceTest:
    """Two-sided test that two correlations from independent samples are equal.

    .. math:: z = \\frac{\\operatorname{artanh} r_2 - \\operatorname{artanh} r_1}
              {\\sqrt{1/(n_1 - 3) + 1/(n_2 - 3)}}

    (Fisher 1921; e.g. Cohen et al., *Applied Multiple Regression*, 3rd ed., eq. 2.8.11).

    Parameters
    ----------
    r1, n1, r2, n2
        Correlations and the number of pairs they were computed from.
    effective_n
        Autocorrelation-robust sample sizes ``(n1_eff, n2_eff)`` (e.g. from
        :func:`effective_sample_size`) used in place of ``n1, n2`` in the standard error.
    """
    sizes = (float(n1), float(n2)) if effective_n is None else tuple(map(float, effective_n))
    for label, value in zip(("r1", "r2"), (r1, r2), strict=True):
        if not -1.0 < value < 1.0 or not math.isfinite(value):
            raise DataError(f"fisher_z_difference_test: {label}={value!r} is not in (-1, 1)")
    for label, value in zip(("n1", "n2"), sizes, strict=True):
        if not value > 3.0:
            raise DataError(f"fisher_z_difference_test: {label}={value!r} must exceed 3")
    standard_error = math.sqrt(1.0 / (sizes[0] - 3.0) + 1.0 / (sizes[1] - 3.0))
    z_statistic = (math.atanh(r2) - math.atanh(r1)) / standard_error
    pvalue = 2.0 * float(scipy_stats.norm.sf(abs(z_statistic)))
    return CorrelationDifferenceTest(
        float(r1), float(r2), sizes[0], sizes[1], float(z_statistic), pvalue
    )


@dataclass(frozen=True)
class BootstrapMeanDifference:
    """Moving-block bootstrap of ``mean(b) - mean(a)`` (:func:`block_bootstrap_mean_difference`)."""

    difference: float
    standard_error: float
    ci_low: float
    ci_high: float
    pvalue: float
    block_length: int
    replications: int
    seed: int

    def to_dict(self) -> dict[str, float | int]:
        """JSON-ready fields."""
        return {
            "difference": self.difference,
            "standard_error": self.standard_error,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "pvalue": self.pvalue,
            "block_length": self.block_length,
            "n_boot": self.replications,  # JSON key kept: outputs do not change
            "seed": self.seed,
        }


def _block_bootstrap_means(
    values: np.ndarray, block_length: int, replications: int, rng: np.random.Generator
) -> np.ndarray:
    """Means of ``replications`` moving-block resamples of ``values`` (all replicates at once)."""
    n = len(values)
    n_blocks = -(-n // block_length)
    starts = rng.integers(0, n - block_length + 1, size=(replications, n_blocks))
    index = (starts[:, :, None] + np.arange(block_length)).reshape(replications, -1)[:, :n]
    return values[index].mean(axis=1)


def block_bootstrap_mean_difference(
    a: pd.Series | np.ndarray,
    b: pd.Series | np.ndarray,
    *,
    block_length: int,
    replications: int = 2000,
    seed: int = 0,
    confidence: float = 0.95,
) -> BootstrapMeanDifference:
    """Moving-block bootstrap (Künsch 1989) of the difference of the means of two dependent series.

    Each sample is resampled independently by concatenating ``ceil(n / block_length)`` blocks of
    ``block_length`` consecutive observations with uniformly drawn starts, truncated to ``n``.
    With ``d = mean(b) - mean(a)`` and replicates ``d*``:

    * standard error: the standard deviation of ``d*``;
    * interval: the percentile interval of ``d*``;
    * p-value of ``H0: d = 0``: ``P(|d* - d| >= |d|)``, the share of centred replicates at least
      as far from zero as the estimate.

    For overlapping statistics such as a rolling correlation, use a block at least as long as the
    rolling window. Seeded: the same inputs and ``seed`` give the same numbers.
    """
    samples = []
    for label, series in (("a", a), ("b", b)):
        values = np.asarray(series, dtype=float)
        values = values[~np.isnan(values)]
        if len(values) < 2 * block_length:
            raise DataError(
                f"block_bootstrap_mean_difference: sample {label} has {len(values)} observations, "
                f"fewer than two blocks of {block_length}"
            )
        samples.append(values)
    if block_length < 1 or replications < 10:
        raise DataError(
            "block_bootstrap_mean_difference: need block_length >= 1 and replications >= 10"
        )
    rng = np.random.default_rng(seed)
    means_a = _block_bootstrap_means(samples[0], block_length, replications, rng)
    means_b = _block_bootstrap_means(samples[1], block_length, replications, rng)
    replicates = means_b - means_a
    difference = float(samples[1].mean() - samples[0].mean())
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(replicates, [tail, 1.0 - tail])
    pvalue = float(np.mean(np.abs(replicates - difference) >= abs(difference)))
    return BootstrapMeanDifference(
        difference=difference,
        standard_error=float(replicates.std(ddof=1)),
        ci_low=float(low),
        ci_high=float(high),
        pvalue=pvalue,
        block_length=block_length,
        replications=replications,
        seed=seed,
    )


def newey_west_lags(nobs: int) -> int:
    """Newey-West (1994) automatic truncation lag ``floor(4 (n/100)^(2/9))``."""
    return math.floor(4.0 * (nobs / 100.0) ** (2.0 / 9.0))


@dataclass(frozen=True)
class HACResult:
    """OLS estimates with Newey-West standard errors (labelled by regressor)."""

    params: pd.Series
    bse: pd.Series
    tvalues: pd.Series
    pvalues: pd.Series
    nobs: int
    rsquared: float
    lags: int

    def to_frame(self) -> pd.DataFrame:
        """Coefficient table: one row per regressor."""
        return pd.DataFrame(
            {"coef": self.params, "std_err": self.bse, "t": self.tvalues, "pvalue": self.pvalues}
        )

    def to_dict(self) -> dict[str, object]:
        """JSON-ready fields."""
        return {
            "coefficients": self.to_frame().reset_index(names="regressor").to_dict("records"),
            "nobs": self.nobs,
            "rsquared": self.rsquared,
            "hac_lags": self.lags,
        }


def hac_ols(
    y: pd.Series,
    X: pd.Series | pd.DataFrame,
    *,
    lags: int | None = None,
    add_constant: bool = True,
) -> HACResult:
    """OLS of ``y`` on ``X`` with Newey-West (1987) HAC standard errors.

    .. math:: y_t = \\alpha + X_t' \\beta + u_t, \\quad
              \\widehat{V} = (X'X)^{-1} \\hat S (X'X)^{-1},\\;
              \\hat S = \\sum_{|j| \\le L} (1 - |j|/(L+1)) \\sum_t x_t u_t u_{t-j} x_{t-j}'

    Rows with a missing value in ``y`` or ``X`` are dropped (dates aligned, never filled).
    ``lags`` defaults to :func:`newey_west_lags` of the sample size. Uses statsmodels
    ``OLS.fit(cov_type="HAC", cov_kwds={"maxlags": L, "use_correction": True})``.

    Raises
    ------
    DataError
        Fewer observations than regressors + 2 after aligning.
    """
    import statsmodels.api as sm

    regressors = X.to_frame() if isinstance(X, pd.Series) else X
    data = align(y.rename("__y__"), regressors)
    design = data.drop(columns="__y__")
    if add_constant:
        design.insert(0, "const", 1.0)
    nobs = len(data)
    if nobs < design.shape[1] + 2:
        raise DataError(
            f"hac_ols: {nobs} common observations for {design.shape[1]} regressors "
            f"({list(design.columns)}); need at least {design.shape[1] + 2}"
        )
    maxlags = newey_west_lags(nobs) if lags is None else lags
    fitted = sm.OLS(data["__y__"].to_numpy(), design.to_numpy()).fit(
        cov_type="HAC", cov_kwds={"maxlags": maxlags, "use_correction": True}
    )
    if not np.all(np.isfinite(fitted.params)):
        raise FitError(f"hac_ols: singular design for regressors {list(design.columns)}")
    names = pd.Index(design.columns, name="regressor")
    return HACResult(
        params=pd.Series(fitted.params, index=names, name="coef"),
        bse=pd.Series(fitted.bse, index=names, name="std_err"),
        tvalues=pd.Series(fitted.tvalues, index=names, name="t"),
        pvalues=pd.Series(fitted.pvalues, index=names, name="pvalue"),
        nobs=nobs,
        rsquared=float(fitted.rsquared),
        lags=maxlags,
    )


def json_scalar(value: object) -> object:
    """One value as JSON: NaN/inf/NaT as ``None``, numpy scalars as Python, dates ISO."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float | np.floating) and not np.isfinite(value):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def json_records(frame: pd.DataFrame, *, index: bool = True) -> list[dict[str, object]]:
    """Rows of ``frame`` as JSON-ready dicts: dates ``YYYY-MM-DD``, NaN/inf as ``None``.

    With ``index`` the index becomes the first field(s) (named as the index is).
    """
    table = frame.reset_index() if index else frame.copy()
    for column in table.columns:
        if pd.api.types.is_datetime64_any_dtype(table[column]):
            table[column] = table[column].dt.strftime("%Y-%m-%d")
    return [
        {str(key): json_scalar(value) for key, value in row.items()}
        for row in table.astype(object).to_dict("records")
    ]


def changes_across_rows(levels: pd.DataFrame, *, max_gap_factor: float = 20.0) -> pd.DataFrame:
    """Changes between consecutive rows, leaving out those that span a hole in the data.

    ``levels`` holds only dates where every column has a value (see :func:`align`). A change
    whose two dates lie more than ``max_gap_factor`` times the median spacing of the rows apart
    (20 days for daily data: Japan's 10-day Golden Week of 2019 stays in) bridges missing data,
    such as French yields between 1990-06 and 1994-01 in the shared data, and is dropped rather
    than counted as one observation.
    """
    dates = pd.DatetimeIndex(levels.index)
    if len(dates) < 2:
        return levels.iloc[0:0]
    spacing = np.diff(dates.asi8)
    limit = max_gap_factor * float(np.median(spacing))
    changes = levels.diff().iloc[1:]
    return changes.loc[spacing <= limit]


# ---------------------------------------------------- tests of dependent correlations


@dataclass(frozen=True)
class DependentCorrelationTest:
    """Steiger (1980) test of ``rho_jk = rho_hm`` for two correlations from one sample."""

    r_jk: float
    r_hm: float
    nobs: int
    z_statistic: float
    pvalue: float


def dependent_correlation_test(
    correlation: NDArray[np.float64], nobs: int
) -> DependentCorrelationTest:
    """Test that two non-overlapping correlations from the same sample are equal.

    Variables are ordered ``(j, k, h, m)`` and the hypothesis is :math:`\\rho_{jk} =
    \\rho_{hm}` (here: U.S. and foreign term premium vs U.S. and foreign expected rate).
    Steiger's (1980) :math:`Z_2^*` with the pooled :math:`\\bar r = (r_{jk} + r_{hm})/2`:

    .. math::

        \\psi = \\tfrac12\\big[(r_{jh} - \\bar r r_{kh})(r_{km} - r_{kh}\\bar r)
              + (r_{jm} - r_{jh}\\bar r)(r_{kh} - \\bar r r_{jh})
              + (r_{jh} - r_{jm}\\bar r)(r_{km} - \\bar r r_{jm})
              + (r_{jm} - \\bar r r_{km})(r_{kh} - r_{km}\\bar r)\\big],

        c = \\psi / (1 - \\bar r^2)^2, \\qquad
        Z = \\sqrt{n - 3}\\,(\\operatorname{artanh} r_{jk} - \\operatorname{artanh} r_{hm})
            / \\sqrt{2 - 2c},

    two-sided p-value from the standard normal. With zero cross-correlations it is Fisher's
    test for two independent samples of size ``n``.

    Parameters
    ----------
    correlation
        ``(4, 4)`` sample correlation matrix of ``(j, k, h, m)``.
    nobs
        Observations behind it.
    """
    r_jk, r_hm = correlation[0, 1], correlation[2, 3]
    r_jh, r_jm, r_kh, r_km = (
        correlation[0, 2],
        correlation[0, 3],
        correlation[1, 2],
        correlation[1, 3],
    )
    pooled = 0.5 * (r_jk + r_hm)
    psi = 0.5 * (
        (r_jh - pooled * r_kh) * (r_km - r_kh * pooled)
        + (r_jm - r_jh * pooled) * (r_kh - pooled * r_jh)
        + (r_jh - r_jm * pooled) * (r_km - pooled * r_jm)
        + (r_jm - pooled * r_km) * (r_kh - r_km * pooled)
    )
    covariance = psi / (1.0 - pooled**2) ** 2
    z_statistic = (
        math.sqrt(nobs - 3)
        * (math.atanh(r_jk) - math.atanh(r_hm))
        / math.sqrt(2.0 - 2.0 * covariance)
    )
    pvalue = 2.0 * float(scipy_stats.norm.sf(abs(z_statistic)))
    return DependentCorrelationTest(float(r_jk), float(r_hm), nobs, float(z_statistic), pvalue)


@dataclass(frozen=True)
class BootstrapCorrelationDifference:
    """Moving-block bootstrap of ``corr(j, k) - corr(h, m)`` (rows resampled jointly)."""

    difference: float
    ci_low: float
    ci_high: float
    pvalue: float
    block_length: int
    replications: int


def block_bootstrap_correlation_difference(
    values: NDArray[np.float64], *, block_length: int, replications: int = 2000, seed: int = 0
) -> BootstrapCorrelationDifference:
    """Bootstrap the difference of two correlations of four jointly observed series.

    Rows of ``values`` (``(n, 4)``, columns ``j, k, h, m``) are resampled in overlapping
    blocks of ``block_length`` consecutive rows (Künsch 1989), keeping the dependence across
    series and, within blocks, over time. The 95 % interval is the percentile interval of the
    replicates ``d*`` and the p-value of ``d = 0`` is ``P(|d* - d| >= |d|)``. All replicates
    are computed at once; seeded.
    """
    n_obs = values.shape[0]
    if n_obs < 2 * block_length:
        raise DataError(f"{n_obs} observations are fewer than two blocks of {block_length}")
    rng = np.random.default_rng(seed)
    n_blocks = -(-n_obs // block_length)
    starts = rng.integers(0, n_obs - block_length + 1, size=(replications, n_blocks))
    rows = (starts[:, :, None] + np.arange(block_length)).reshape(replications, -1)[:, :n_obs]
    sample = values[rows]  # (replications, n, 4)
    centred = sample - sample.mean(axis=1, keepdims=True)
    cross = np.einsum("bti,btj->bij", centred, centred)
    scale = np.sqrt(np.diagonal(cross, axis1=1, axis2=2))
    with np.errstate(divide="ignore", invalid="ignore"):
        replicates = cross[:, 0, 1] / (scale[:, 0] * scale[:, 1]) - cross[:, 2, 3] / (
            scale[:, 2] * scale[:, 3]
        )
    replicates = replicates[np.isfinite(replicates)]
    observed = np.asarray(np.corrcoef(values, rowvar=False))
    difference = float(observed[0, 1] - observed[2, 3])
    low, high = np.quantile(replicates, [0.025, 0.975])
    pvalue = float(np.mean(np.abs(replicates - difference) >= abs(difference)))
    return BootstrapCorrelationDifference(
        difference, float(low), float(high), pvalue, block_length, int(replicates.size)
    )
