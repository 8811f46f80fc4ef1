"""U.S. federal fiscal stance net of automatic stabilisers, known at the time.

The headline fiscal impulse (the four-quarter fall in the balance) mostly measures the
business cycle: in a recession receipts fall and transfers rise with no policy decision, so a
"loose" stance by the headline mostly means "recession". This module strips the cycle out.

**Choice (stated).** The stance is the *discretionary fiscal impulse*: the four-quarter fall in
the cyclically adjusted primary balance (CAPB), the OECD/IMF standard measure of discretionary
policy. With all ratios in percent of nominal GDP (federal government current receipts ``R``,
current expenditures ``G`` including interest ``I``; NIPA, FRED FGRECPT, FGEXPND,
A091RC1Q027SBEA, GDP):

.. math::

    B_t = 100 (R_t - G_t) / Y_t, \\qquad i_t = 100 I_t / Y_t, \\qquad PB_t = B_t + i_t

    CAPB_t = PB_t - \\varepsilon \\, \\mathrm{gap}_t

    \\mathrm{impulse}^{disc}_t = -(CAPB_t - CAPB_{t-4})

so the headline impulse splits exactly into discretionary, automatic and interest parts:

.. math::

    -(B_t - B_{t-4}) = \\underbrace{-(CAPB_t - CAPB_{t-4})}_{\\text{discretionary}}
    \\underbrace{- \\varepsilon (\\mathrm{gap}_t - \\mathrm{gap}_{t-4})}_{\\text{automatic}}
    + \\underbrace{(i_t - i_{t-4})}_{\\text{interest}}

A quarter is ``"loose"`` when the discretionary impulse exceeds ``threshold`` percentage points
of GDP, ``"tight"`` when it is below ``-threshold``, else ``"neutral"``.

**Budget semi-elasticity** ``epsilon`` (default 0.35): the change in the balance, in percent of
GDP, per percentage point of output gap. OECD estimates for the United States are about 0.35,
against an OECD average near 0.5 (Girouard and André 2005, OECD Economics Department Working
Paper 434; re-estimated by Price, Dang and Botev 2015, Working Paper 1275). They refer to the
general government; most U.S. automatic stabilisers (income and corporate taxes,
unemployment insurance) are federal, so the federal balance carries most of that sensitivity.
``FiscalStance(...).fit().sensitivity`` reports the stance under other values.

**Output gap known at the time.** The shared data hold no potential GDP (no CBO ``GDPPOT``),
and CBO's potential is revised after the fact anyway. The default gap is Hamilton's (2018)
regression filter run in real time: for each quarter ``t`` the regression

.. math:: y_s = \\beta_0 + \\sum_{j=0}^{3} \\beta_{j+1} y_{s-h-j} + v_s, \\qquad
          y = 100 \\ln(\\text{real GDP}), \\; h = 8

is estimated on ``s <= t`` only (expanding window, at least ``min_obs`` quarters), and
``gap_t = y_t - \\hat y_t`` (percent of trend). The impulse at ``t`` takes both ``gap_t`` and
``gap_{t-4}`` from the coefficients estimated at ``t``, so a re-estimated trend is not booked as
policy. With ``gap="potential"`` a given potential series is used instead
(``gap = 100 (Y / Y^* - 1)``), with the caveat that published potential is not real time.

**Publication lag.** NIPA federal receipts and expenditures for a quarter are complete with the
second GDP estimate, about two months after the quarter ends. The stance of a quarter is
therefore first used ``publication_lag`` months after its last month (default 2: the 2009Q1
stance is known at the end of May 2009 and classifies June-August 2009). The shared data hold
the latest vintage of every series, so revisions are not undone (ALFRED vintages would do it).

References
----------
Hamilton, J. D. (2018), "Why you should never use the Hodrick-Prescott filter", REStat 100(5).
Girouard, N. and André, C. (2005), "Measuring cyclically-adjusted budget balances for OECD
countries", OECD Economics Department Working Papers 434.
Price, R., Dang, T. and Botev, J. (2015), "Adjusting fiscal balances for the business cycle:
new tax and expenditure elasticity estimates for OECD countries", OECD ECO WP 1275.
Blanchard, O. (1990), "Suggestions for a new set of fiscal indicators", OECD ECO WP 79.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from ustpull._results import Results
from ustpull.errors import DataError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "FISCAL_COLUMNS",
    "FiscalStance",
    "FiscalStanceResults",
    "GapMethod",
    "realtime_hamilton_gap",
]

GapMethod = Literal["hamilton", "potential"]
#: canonical ids of the fiscal table (vocabulary ``us.fiscal.*``), units USD bn SAAR
FISCAL_COLUMNS: dict[str, str] = {
    "receipts": "us.fiscal.receipts",
    "expenditure": "us.fiscal.expenditure",
    "interest": "us.fiscal.interest",
    "gdp": "us.fiscal.gdp",
}
STANCES = ("tight", "neutral", "loose")
DEFAULT_SENSITIVITY: tuple[float, ...] = (0.25, 0.35, 0.5)
#: deficit episodes reported as findings: name -> (first quarter, last quarter)
EPISODES: dict[str, tuple[str, str]] = {"2009": ("2009Q1", "2009Q4"), "2020": ("2020Q2", "2020Q4")}


def _quarterly(series: pd.Series, name: str) -> pd.Series:
    """A quarterly series indexed by ``Period[Q]``; duplicates or non-numbers refused."""
    clean = pd.to_numeric(series, errors="coerce").dropna().astype(float)
    if clean.empty:
        raise DataError(f"{name}: no numeric observations")
    index = clean.index
    periods = (
        index.asfreq("Q")
        if isinstance(index, pd.PeriodIndex)
        else pd.DatetimeIndex(index).to_period("Q")
    )
    if periods.has_duplicates:
        raise DataError(f"{name}: two observations in quarter {periods[periods.duplicated()][0]}")
    return pd.Series(clean.to_numpy(), index=periods, name=name).sort_index()


def _hamilton_design(y: np.ndarray, horizon: int, lags: int) -> np.ndarray:
    """Regressors of Hamilton's filter, reparametrised for conditioning.

    ``[1, y_{s-h}, y_{s-h} - y_{s-h-1}, ..., y_{s-h-p+2} - y_{s-h-p+1}]`` spans the same space as
    ``[1, y_{s-h}, ..., y_{s-h-p+1}]`` (same fit), with near-orthogonal columns. Rows without
    all lags are NaN.
    """
    n = len(y)
    lagged = np.full((n, lags), np.nan)
    for j in range(lags):
        shift = horizon + j
        lagged[shift:, j] = y[: n - shift]
    diffs = lagged[:, :-1] - lagged[:, 1:]
    return np.column_stack([np.ones(n), lagged[:, 0], diffs])


def _expanding_ols(
    x: np.ndarray, y: np.ndarray, min_obs: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """OLS coefficients on rows ``<= t`` for every ``t`` at once (cumulative cross-products).

    Rows of ``x`` with a NaN are skipped. Returns ``beta`` (NaN before ``min_obs`` usable
    rows), the running count of usable rows and the mask of rows with coefficients.
    """
    valid = ~np.isnan(x).any(axis=1)
    xv = np.where(valid[:, None], x, 0.0)
    yv = np.where(valid, y, 0.0)
    xtx = np.cumsum(xv[:, :, None] * xv[:, None, :], axis=0)
    xty = np.cumsum(xv * yv[:, None], axis=0)
    nobs = np.cumsum(valid)
    ready = valid & (nobs >= min_obs)
    beta = np.full(x.shape, np.nan)
    if ready.any():
        try:
            beta[ready] = np.linalg.solve(xtx[ready], xty[ready][:, :, None])[:, :, 0]
        except np.linalg.LinAlgError as exc:
            raise DataError(
                "real GDP: the Hamilton regressors are collinear (an exact trend or a constant "
                f"growth rate over the first {min_obs} observations)"
            ) from exc
    return beta, nobs, ready


def realtime_hamilton_gap(
    real_gdp: pd.Series,
    *,
    horizon: int = 8,
    lags: int = 4,
    min_obs: int = 40,
    lookback: int = 4,
) -> pd.DataFrame:
    """Output gap (percent of trend) by Hamilton's (2018) regression, estimated in real time.

    For each quarter ``t`` the coefficients use only pairs ``(y_s, x_s)`` with ``s <= t``
    (module docstring); all quarters are solved at once from cumulative cross-products.

    Parameters
    ----------
    real_gdp
        Real GDP level (any positive units), quarterly.
    horizon, lags
        Hamilton's ``h`` and ``p`` (8 and 4 for quarterly data).
    min_obs
        Fewest regression observations before a gap is produced.
    lookback
        Also return the gap of quarter ``t - lookback`` under the coefficients of ``t``.

    Returns
    -------
    DataFrame
        Indexed by quarter: ``gap`` (gap of ``t`` as estimated at ``t``), ``gap_lookback``
        (gap of ``t - lookback`` as estimated at ``t``) and ``nobs`` (regression size).
    """
    level = _quarterly(real_gdp, "real GDP")
    if (level <= 0).any():
        bad = level[level <= 0]
        raise DataError(f"real GDP is not positive in {bad.index[0]} ({bad.iloc[0]})")
    if min_obs < lags + 2:
        raise DataError(f"min_obs must be at least {lags + 2}, got {min_obs}")
    expected = pd.period_range(level.index[0], level.index[-1], freq="Q")
    if len(expected) != len(level):
        missing = expected.difference(pd.PeriodIndex(level.index))
        raise DataError(f"real GDP has a gap: {missing[0]} is missing")
    y = 100.0 * np.log(level.to_numpy())
    y = y - y[0]  # a level shift changes only the intercept
    x = _hamilton_design(y, horizon, lags)
    beta, nobs, ready = _expanding_ols(x, y, min_obs)
    gap = y - np.einsum("ij,ij->i", x, beta)
    x_back = np.full(x.shape, np.nan)
    x_back[lookback:] = x[:-lookback]
    y_back = np.full(len(y), np.nan)
    y_back[lookback:] = y[:-lookback]
    gap_back = y_back - np.einsum("ij,ij->i", x_back, beta)
    return pd.DataFrame(
        {"gap": gap, "gap_lookback": gap_back, "nobs": nobs}, index=level.index
    ).loc[ready]


def _potential_gap(real_gdp: pd.Series, potential: pd.Series, lookback: int) -> pd.DataFrame:
    """``100 (Y / Y* - 1)``; the lookback gap is the same series four quarters earlier."""
    pair = pd.concat(
        [_quarterly(real_gdp, "real GDP"), _quarterly(potential, "potential GDP")], axis=1
    ).dropna()
    if pair.empty:
        raise DataError("real GDP and potential GDP do not overlap")
    if (pair <= 0).any().any():
        raise DataError("real or potential GDP is not positive")
    gap = 100.0 * (pair.iloc[:, 0] / pair.iloc[:, 1] - 1.0)
    back = gap.shift(lookback, freq="Q").reindex(gap.index)
    return pd.DataFrame({"gap": gap, "gap_lookback": back, "nobs": np.nan})


def _ratios(fiscal: pd.DataFrame) -> pd.DataFrame:
    """Balance, interest and primary balance in percent of nominal GDP, by quarter."""
    missing = [c for c in FISCAL_COLUMNS.values() if c not in fiscal.columns]
    if missing:
        raise DataError(f"fiscal data lack columns {missing} (have {list(fiscal.columns)})")
    parts = {k: _quarterly(fiscal[c], c) for k, c in FISCAL_COLUMNS.items()}
    table = pd.concat(parts, axis=1).dropna()
    if table.empty:
        raise DataError(f"fiscal columns {list(FISCAL_COLUMNS.values())} never all present")
    for key in ("gdp", "receipts", "expenditure"):
        bad = table[key] <= 0
        if bad.any():
            raise DataError(
                f"{FISCAL_COLUMNS[key]} is not positive in {table.index[bad][0]} "
                f"({table.loc[bad, key].iloc[0]})"
            )
    bad = (table["interest"] < 0) | (table["interest"] > table["expenditure"])
    if bad.any():
        raise DataError(
            f"{FISCAL_COLUMNS['interest']} outside [0, expenditure] in {table.index[bad][0]}"
        )
    gdp = table["gdp"]
    balance = 100.0 * (table["receipts"] - table["expenditure"]) / gdp
    interest = 100.0 * table["interest"] / gdp
    return pd.DataFrame(
        {"balance": balance, "interest": interest, "primary_balance": balance + interest}
    )


def _classify(impulse: pd.Series, threshold: float) -> pd.Series:
    values = np.where(
        impulse > threshold, "loose", np.where(impulse < -threshold, "tight", "neutral")
    )
    return pd.Series(values, index=impulse.index, dtype=object).where(impulse.notna())


def stance_table(
    ratios: pd.DataFrame, gaps: pd.DataFrame, epsilon: float, threshold: float, lag: int
) -> pd.DataFrame:
    """The quarterly table of :class:`FiscalStanceResults` (columns documented there)."""
    data = ratios.join(gaps, how="inner")
    back = ratios.shift(4, freq="Q").reindex(data.index)
    cyclical = epsilon * data["gap"]
    capb = data["primary_balance"] - cyclical
    capb_back = back["primary_balance"] - epsilon * data["gap_lookback"]
    table = pd.DataFrame(
        {
            "balance": data["balance"],
            "primary_balance": data["primary_balance"],
            "interest": data["interest"],
            "output_gap": data["gap"],
            "cyclical_balance": cyclical,
            "capb": capb,
            "impulse_headline": -(data["balance"] - back["balance"]),
            "impulse_discretionary": -(capb - capb_back),
            "impulse_automatic": -epsilon * (data["gap"] - data["gap_lookback"]),
            "impulse_interest": data["interest"] - back["interest"],
        }
    )
    table["stance"] = _classify(table["impulse_discretionary"], threshold)
    table["stance_headline"] = _classify(table["impulse_headline"], threshold)
    # first month the quarter's figures are public: its last month + lag, used from the next
    quarters = pd.PeriodIndex(table.index)
    table["known_from"] = (quarters.asfreq("M", how="E") + lag + 1).astype(str)
    return table.dropna(subset=["stance"]).rename_axis("quarter")


class FiscalStanceResults(Results):
    """Cyclically adjusted balance, impulses and stance per quarter (read-only)."""

    def __init__(
        self,
        table: pd.DataFrame,
        *,
        epsilon: float,
        threshold: float,
        gap_method: str,
        publication_lag: int,
        sensitivity: pd.DataFrame,
    ) -> None:
        self._table = table
        self.epsilon = epsilon
        self.threshold = threshold
        self.gap_method = gap_method
        self.publication_lag = publication_lag
        self._sensitivity = sensitivity

    @property
    def table(self) -> pd.DataFrame:
        """Per quarter, in percent of GDP unless stated: ``balance``, ``primary_balance``,
        ``interest``, ``output_gap`` (percent of trend), ``cyclical_balance``
        (``epsilon * gap``), ``capb``, the four-quarter impulses ``impulse_headline``,
        ``impulse_discretionary``, ``impulse_automatic``, ``impulse_interest`` (headline =
        sum of the other three), ``stance`` (from the discretionary impulse),
        ``stance_headline`` (from the headline impulse, for comparison) and ``known_from``
        (first month, ``YYYY-MM``, in which the quarter's stance is public)."""
        return self._table.copy()

    @property
    def stance(self) -> pd.Series:
        """``tight``/``neutral``/``loose`` by quarter."""
        return self._table["stance"].copy()

    @property
    def data_through(self) -> pd.Period:
        """Last quarter with a stance."""
        return self._table.index[-1]

    @property
    def sensitivity(self) -> pd.DataFrame:
        """Per semi-elasticity: quarters ``loose``/``neutral``/``tight`` and how many differ
        from the default ``epsilon``."""
        return self._sensitivity.copy()

    def to_frame(self) -> pd.DataFrame:
        """The quarterly table (as :attr:`table`)."""
        return self.table

    def monthly_stance(self) -> pd.Series:
        """Stance by month as known in that month: the latest quarter public by then.

        Indexed by ``Period[M]`` from the first ``known_from`` month to two months after the
        last one (the next quarter would be public then).
        """
        known = pd.PeriodIndex(self._table["known_from"], freq="M")
        by_month = pd.Series(self._table["stance"].to_numpy(), index=known)
        months = pd.period_range(known[0], known[-1] + 2, freq="M")
        return by_month.reindex(months).ffill().rename("fiscal_stance")

    def shape_states(self) -> pd.Series:
        """:meth:`monthly_stance` as the ``low``/``mid``/``high`` states of
        :class:`~ustpull.crossasset.smile.ShapeTest` (tight = low, neutral = mid, loose =
        high), so a "frown" is a negative curvature of the outcome across stances."""
        states = self.monthly_stance().map({"tight": "low", "neutral": "mid", "loose": "high"})
        return states.rename("fiscal_state")

    def episode(self, start: str, end: str) -> pd.Series:
        """Average deficit and impulse decomposition over quarters ``start..end`` (e.g.
        ``"2009Q1"``, ``"2009Q4"``), percent of GDP.

        ``deficit = cyclical_deficit + structural_primary_deficit + interest`` with
        ``cyclical_deficit = -epsilon gap`` and ``structural_primary_deficit = -capb``;
        ``cyclical_share`` is the cyclical part of the deficit, ``automatic_share`` the
        automatic part of the headline impulse.
        """
        part = self._table.loc[pd.Period(start, "Q") : pd.Period(end, "Q")]
        if part.empty:
            raise DataError(
                f"no quarters between {start} and {end} "
                f"(stance covers {self._table.index[0]}..{self._table.index[-1]})"
            )
        mean = part.drop(columns=["stance", "stance_headline", "known_from"]).mean()
        deficit = -mean["balance"]
        out = {
            "quarters": float(len(part)),
            "deficit": deficit,
            "cyclical_deficit": -mean["cyclical_balance"],
            "structural_primary_deficit": -mean["capb"],
            "interest": mean["interest"],
            "output_gap": mean["output_gap"],
            "impulse_headline": mean["impulse_headline"],
            "impulse_discretionary": mean["impulse_discretionary"],
            "impulse_automatic": mean["impulse_automatic"],
            "impulse_interest": mean["impulse_interest"],
        }
        out["cyclical_share"] = out["cyclical_deficit"] / deficit
        out["automatic_share"] = out["impulse_automatic"] / out["impulse_headline"]
        return pd.Series(out, name=f"{start}..{end}")

    def findings(self) -> list[dict[str, Any]]:
        """Findings in the ``findings.json`` layout (``key``, ``label``, ``value``, ``unit``,
        ``definition``, ``window``, ``ci``, ``ci_method``, ``ci_note``, ``data_through``).
        These are measurements given a stated elasticity, not estimates with sampling error:
        ``ci`` is null and ``ci_note`` says why; :attr:`sensitivity` gives the range."""
        table, last = self._table, self._table.iloc[-1]
        quarter, span = str(self.data_through), f"{table.index[0]} .. {self.data_through}"
        counts = table["stance"].value_counts()
        headline = table["stance_headline"].value_counts()
        method = f"epsilon {self.epsilon}, real-time {self.gap_method} output gap"
        rows = [
            ("capb_latest", "Cyclically adjusted primary balance, latest quarter",
             float(last["capb"]), "percent of GDP", f"PB - epsilon x gap; {method}", quarter),
            ("impulse_discretionary_latest", "Discretionary fiscal impulse, latest quarter",
             float(last["impulse_discretionary"]), "pp of GDP",
             f"-(CAPB_t - CAPB_t-4); {method}", quarter),
            ("output_gap_latest", "Output gap known at the time, latest quarter",
             float(last["output_gap"]), "percent of trend", method, quarter),
            ("loose_quarters", "Quarters of loose policy net of automatic stabilisers",
             float(counts.get("loose", 0)), "quarters",
             f"discretionary impulse above {self.threshold} pp; {method}", span),
            ("loose_quarters_headline", "Quarters of loose policy by the headline balance",
             float(headline.get("loose", 0)), "quarters",
             f"headline impulse above {self.threshold} pp", span),
        ]  # fmt: skip
        for name, (start, end) in EPISODES.items():
            if pd.Period(start, "Q") >= table.index[0] and pd.Period(end, "Q") <= table.index[-1]:
                share = float(self.episode(start, end)["cyclical_share"])
                rows.append(
                    (f"cyclical_share_{name}", f"Cyclical share of the federal deficit, {name}",
                     share, "share", f"-epsilon x gap over the deficit, mean of quarters; {method}",
                     f"{start} .. {end}")
                )  # fmt: skip
        note = (
            f"a measurement given the budget semi-elasticity {self.epsilon}; no sampling "
            "interval applies (see the sensitivity to the elasticity)"
        )
        return [
            {"key": f"fiscal.{key}", "label": label, "value": value, "unit": unit,
             "definition": definition, "window": window, "ci": None, "ci_method": None,
             "ci_note": note, "data_through": f"{self.data_through.end_time:%Y-%m-%d}",
             "stance_latest": str(last["stance"])}
            for key, label, value, unit, definition, window in rows
        ]  # fmt: skip

    def summary(self) -> str:
        """Method line, stance counts, sensitivity and the last eight quarters."""
        cols = [
            "balance",
            "capb",
            "output_gap",
            "impulse_headline",
            "impulse_discretionary",
            "stance",
            "stance_headline",
            "known_from",
        ]
        counts = self._table[["stance", "stance_headline"]].apply(pd.Series.value_counts)
        return "\n".join(
            [
                f"Fiscal stance net of automatic stabilisers: discretionary impulse "
                f"-(CAPB_t - CAPB_t-4), epsilon {self.epsilon}, threshold +-{self.threshold} pp "
                f"of GDP, gap {self.gap_method} (real time), publication lag "
                f"{self.publication_lag} months; {self._table.index[0]}..{self.data_through}",
                counts.fillna(0).astype(int).to_string(),
                self._sensitivity.to_string(),
                self._table[cols].tail(8).to_string(float_format=lambda v: f"{v:.2f}"),
            ]
        )

    def plot(self) -> Figure:
        """Headline and discretionary impulses and the output gap over time."""
        import matplotlib.pyplot as plt

        fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 5), sharex=True)
        dates = pd.PeriodIndex(self._table.index).to_timestamp()
        top.plot(dates, self._table["impulse_headline"], label="headline impulse")
        top.plot(dates, self._table["impulse_discretionary"], label="discretionary (CAPB)")
        for level in (self.threshold, -self.threshold):
            top.axhline(level, color="grey", linewidth=0.5, linestyle="--")
        top.set_ylabel("pp of GDP, 4 quarters")
        top.legend()
        bottom.plot(dates, self._table["output_gap"], color="black", label="output gap")
        bottom.axhline(0.0, color="grey", linewidth=0.5)
        bottom.set_ylabel("percent of trend")
        bottom.legend()
        fig.tight_layout()
        return fig


class FiscalStance:
    """Fiscal stance net of automatic stabilisers (specification; module docstring).

    Parameters
    ----------
    fiscal
        Quarterly frame with :data:`FISCAL_COLUMNS` (USD bn SAAR), date- or period-indexed.
    real_gdp
        Quarterly real GDP (FRED GDPC1) for the output gap.
    epsilon
        Budget semi-elasticity (percent of GDP per percentage point of gap), in ``[0, 2]``.
    threshold
        Discretionary impulse (pp of GDP over four quarters) beyond which the stance is
        loose or tight.
    gap
        ``"hamilton"`` (real-time regression filter, default) or ``"potential"``.
    potential
        Potential real GDP (e.g. CBO GDPPOT), required with ``gap="potential"``.
    publication_lag
        Months after a quarter's last month before its figures are public.
    horizon, lags, min_obs
        Hamilton filter settings (:func:`realtime_hamilton_gap`).
    sensitivity
        Semi-elasticities for :attr:`FiscalStanceResults.sensitivity`.
    """

    def __init__(
        self,
        fiscal: pd.DataFrame,
        real_gdp: pd.Series,
        *,
        epsilon: float = 0.35,
        threshold: float = 0.5,
        gap: GapMethod = "hamilton",
        potential: pd.Series | None = None,
        publication_lag: int = 2,
        horizon: int = 8,
        lags: int = 4,
        min_obs: int = 40,
        sensitivity: Sequence[float] = DEFAULT_SENSITIVITY,
    ) -> None:
        if gap not in ("hamilton", "potential"):
            raise DataError(f"gap must be 'hamilton' or 'potential', got {gap!r}")
        if (gap == "potential") != (potential is not None):
            raise DataError("a potential GDP series is needed with gap='potential', and only then")
        for name, value, low, high in (
            ("epsilon", epsilon, 0.0, 2.0),
            ("threshold", threshold, 0.0, 10.0),
        ):
            if not low <= value <= high:
                raise DataError(f"{name} must be in [{low}, {high}], got {value}")
        if publication_lag < 0:
            raise DataError(f"publication_lag must be >= 0 months, got {publication_lag}")
        self.fiscal = fiscal
        self.real_gdp = real_gdp
        self.epsilon = float(epsilon)
        self.threshold = float(threshold)
        self.gap: GapMethod = gap
        self.potential = potential
        self.publication_lag = publication_lag
        self.horizon, self.lags, self.min_obs = horizon, lags, min_obs
        self.sensitivity = tuple(float(e) for e in sensitivity)

    def _gaps(self) -> pd.DataFrame:
        if self.potential is not None:
            return _potential_gap(self.real_gdp, self.potential, 4)
        return realtime_hamilton_gap(
            self.real_gdp, horizon=self.horizon, lags=self.lags, min_obs=self.min_obs
        )

    def fit(self) -> FiscalStanceResults:
        """Gap, CAPB, impulses and stance for every quarter with the data to compute them."""
        ratios, gaps = _ratios(self.fiscal), self._gaps()
        lag = self.publication_lag
        table = stance_table(ratios, gaps, self.epsilon, self.threshold, lag)
        if table.empty:
            raise DataError(
                f"fiscal data ({ratios.index[0]}..{ratios.index[-1]}) and the output gap "
                f"({gaps.index[0] if len(gaps) else 'none'}..) leave no quarter with a stance"
            )
        rows = {}
        for eps in self.sensitivity:
            other = stance_table(ratios, gaps, eps, self.threshold, lag)["stance"]
            counts = other.value_counts()
            row = {s: int(counts.get(s, 0)) for s in STANCES}
            row["changed"] = int((other.reindex(table.index) != table["stance"]).sum())
            rows[eps] = row
        sensitivity = pd.DataFrame(rows).T.rename_axis("epsilon")
        return FiscalStanceResults(
            table,
            epsilon=self.epsilon,
            threshold=self.threshold,
            gap_method=self.gap,
            publication_lag=lag,
            sensitivity=sensitivity,
        )
