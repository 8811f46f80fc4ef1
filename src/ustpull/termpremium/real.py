"""Joint nominal-real affine model: real term premium, inflation risk and TIPS liquidity premia.

The model of Abrahams, Adrian, Crump, Moench and Yu (2016), estimated by regressions in the
ACM style (units as in :mod:`ustpull.termpremium.affine`: maturities in months, yields in
annualised percent continuously compounded at the edge, decimal per month inside):

1. State ``X_t = (N_t, R_t, L_t)``: ``K_N`` principal components of nominal yields, ``K_R``
   principal components of the real yields' parts orthogonal to ``N_t`` (their residuals
   on the nominal components), and ``K_L`` observed liquidity factors (zero = perfectly
   liquid; none by default). A VAR(1) ``X_{t+1} = mu + Phi X_t + v_{t+1}``, ``Sigma = V'V/T``.
2. One-month excess returns in nominal terms, nominal bonds
   ``rx^N_{t+1}(n-1) = p^N_{t+1}(n-1) - p^N_t(n) - r_t`` and TIPS, whose principal accrues
   inflation, ``rx^T_{t+1}(n-1) = p^R_{t+1}(n-1) - p^R_t(n) + pi_{t+1} - r_t``, are regressed
   jointly on ``(1, v_{t+1}, X_t)``: ``rx = a + beta' v + c X + e``.
3. Prices of risk ``lambda0, Lambda1`` by one cross-sectional regression over all returns
   (ACM 2013, eqs. 13-14), each group's convexity with its own pricing-error variance
   ``sigma^2_N``, ``sigma^2_T``. Nominal short rate ``r_t = delta0 + delta1' X_t`` by OLS.
4. Real short rate ``r^R_t = delta0R + delta1R' X_t``: the real recursion with the same prices
   of risk, ``B^R_n' = B^R_{n-1}'(Phi - Lambda1) - delta1R'``, makes real yields linear in
   ``(delta0R, delta1R)`` up to the convexity term, ``y^R_t(n) = delta0R + delta1R' z_t(n)
   - c_n`` with ``z_t(n) = (S_n X_t + sum_{m<n} S_m (mu - lambda0)) / n``,
   ``S_n = sum_{j<n} (Phi - Lambda1)^j``; ``(delta0R, delta1R)`` minimise the squared TIPS
   yield errors, with ``c_n`` updated by fixed-point iteration (three passes).

Decomposition (per maturity n, percent): nominal yield = expected nominal short rate +
nominal term premium; frictionless real yield (``delta1R`` with the liquidity entries set to
zero) = expected real short rate + real term premium; the fitted TIPS yield minus the
frictionless real yield is the liquidity premium; expected inflation = risk-neutral nominal
minus risk-neutral real yield; inflation risk premium = nominal minus real term premium, so
``nominal term premium = real term premium + inflation risk premium`` and the model
breakeven ``y^N - y^R = expected inflation + inflation risk premium`` hold by construction.

References
----------
Abrahams, M., Adrian, T., Crump, R. K., Moench, E. and Yu, R. (2016). "Decomposing real and
nominal yield curves". Journal of Monetary Economics 84, 182-200.
Adrian, T., Crump, R. K. and Moench, E. (2013). "Pricing the term structure with linear
regressions". Journal of Financial Economics 110(1), 110-138.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ustpull._results import Results
from ustpull.errors import DataError
from ustpull.termpremium import affine
from ustpull.termpremium.acm import NY_FED_RETURN_MATURITIES, principal_components
from ustpull.termpremium.affine import PERCENT_YEAR_TO_DECIMAL_MONTH, FloatArray
from ustpull.termpremium.var import estimate_var

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: TIPS excess-return maturities (months): yearly from 2 years (real curves start at 2 years).
REAL_RETURN_MATURITIES: tuple[int, ...] = tuple(range(24, 121, 12))
#: Passes of the fixed point for the real-yield convexity term.
CONVEXITY_PASSES = 3


@dataclass(frozen=True)
class NominalRealParameters:
    """Estimated parameters, decimal per month (see the module docstring for the equations)."""

    mu: FloatArray
    phi: FloatArray
    sigma: FloatArray
    sigma2_nominal: float
    sigma2_real: float
    lambda0: FloatArray
    lambda1: FloatArray
    delta0: float
    delta1: FloatArray
    delta0_real: float
    delta1_real: FloatArray
    beta: FloatArray


class NominalRealACM:
    """Joint nominal-real affine term-structure model (Abrahams et al. 2016), by regressions.

    Parameters
    ----------
    nominal_yields : DataFrame
        Month-end nominal zero yields, percent continuously compounded, consecutive months,
        integer columns (months) covering 1..120.
    real_yields : DataFrame
        TIPS real zero yields on the same dates, percent continuously compounded, columns
        covering ``min(real_return_maturities) - 1 .. 120``.
    inflation : Series
        Monthly log inflation accruing to TIPS principal over each month, percent per month
        (``100 ln(CPI_ref(t+1) / CPI_ref(t))``); the value on date t+1 is the accrual from t
        to t+1.
    short_rate : Series, optional
        One-month nominal rate, percent continuous; default the 1-month nominal yield.
    liquidity : DataFrame, optional
        ``K_L`` TIPS liquidity factors on the same dates (zero = perfectly liquid).
    n_nominal, n_real : int
        Principal components of nominal yields and of real yields orthogonal to them.
    """

    def __init__(
        self,
        nominal_yields: pd.DataFrame,
        real_yields: pd.DataFrame,
        inflation: pd.Series,
        *,
        short_rate: pd.Series | None = None,
        liquidity: pd.DataFrame | None = None,
        n_nominal: int = 5,
        n_real: int = 2,
        nominal_return_maturities: Sequence[int] = NY_FED_RETURN_MATURITIES,
        real_return_maturities: Sequence[int] = REAL_RETURN_MATURITIES,
        max_maturity: int = 120,
    ) -> None:
        self.n_nominal, self.n_real = int(n_nominal), int(n_real)
        self.nominal_return_maturities = tuple(int(n) for n in nominal_return_maturities)
        self.real_return_maturities = tuple(int(n) for n in real_return_maturities)
        self.max_maturity = int(max_maturity)
        self.real_maturities = tuple(range(min(self.real_return_maturities) - 1, max_maturity + 1))
        self.nominal_yields = _grid(nominal_yields, range(1, max_maturity + 1), "nominal yields")
        index = pd.DatetimeIndex(self.nominal_yields.index)
        self.real_yields = _grid(real_yields, self.real_maturities, "real yields", index)
        self.inflation = _aligned(inflation, index, "inflation")
        rate = self.nominal_yields[1] if short_rate is None else short_rate
        self.short_rate = _aligned(rate, index, "short rate")
        self.liquidity = (
            pd.DataFrame(index=index)
            if liquidity is None
            else _grid(liquidity, list(liquidity.columns), "liquidity factors", index)
        )
        n_factors = self.n_nominal + self.n_real + self.liquidity.shape[1]
        if len(index) < 4 * n_factors + 12:
            raise DataError(
                f"{len(index)} months are too few for {n_factors} factors "
                f"(need at least {4 * n_factors + 12})"
            )

    def fit(self) -> NominalRealResults:
        """Estimate the four steps of the module docstring."""
        factors, loadings = self._factors()
        var = estimate_var(factors)
        scale = PERCENT_YEAR_TO_DECIMAL_MONTH
        rate = self.short_rate.to_numpy() * scale
        returns, n_nominal_returns = self._excess_returns(rate)
        regression = affine.return_regression(returns, var.innovations, factors[:-1])
        squared = regression.residuals**2
        sigma2 = np.array(
            [squared[:, :n_nominal_returns].mean(), squared[:, n_nominal_returns:].mean()]
        )
        counts = [n_nominal_returns, returns.shape[1] - n_nominal_returns]
        group_sigma2 = np.repeat(sigma2, counts)
        lambda0, lambda1 = _prices_of_risk(regression, var.sigma, group_sigma2)
        delta0, delta1 = affine.short_rate_equation(rate, factors)
        real = self.real_yields.to_numpy() * scale
        delta0_real, delta1_real = real_short_rate(
            real, np.asarray(self.real_maturities, dtype=np.float64), factors,
            var.mu, var.phi, var.sigma, float(sigma2[1]), lambda0, lambda1,
        )  # fmt: skip
        parameters = NominalRealParameters(
            mu=var.mu, phi=var.phi, sigma=var.sigma,
            sigma2_nominal=float(sigma2[0]), sigma2_real=float(sigma2[1]),
            lambda0=lambda0, lambda1=lambda1, delta0=float(delta0), delta1=delta1,
            delta0_real=delta0_real, delta1_real=delta1_real, beta=regression.beta,
        )  # fmt: skip
        return NominalRealResults(self, parameters, factors, loadings)

    def _factors(self) -> tuple[FloatArray, FloatArray]:
        nominal = self.nominal_yields.loc[:, 3:].to_numpy()
        nominal_loadings, nominal_mean = principal_components(nominal, self.n_nominal)
        nominal_factors = (nominal - nominal_mean) @ nominal_loadings
        real = self.real_yields.to_numpy()
        design = affine.with_constant(nominal_factors)
        orthogonal = real - design @ affine.ols(design, real)
        real_loadings, real_mean = principal_components(orthogonal, self.n_real)
        real_factors = (orthogonal - real_mean) @ real_loadings
        factors = np.column_stack([nominal_factors, real_factors, self.liquidity.to_numpy()])
        return factors, real_loadings

    def _excess_returns(self, rate: FloatArray) -> tuple[FloatArray, int]:
        nominal_maturities = np.asarray(self.nominal_yields.columns, dtype=np.float64)
        nominal = affine.excess_returns(
            affine.log_prices(self.nominal_yields.to_numpy(), nominal_maturities),
            rate, nominal_maturities, np.asarray(self.nominal_return_maturities, dtype=np.float64),
        )  # fmt: skip
        real_maturities = np.asarray(self.real_maturities, dtype=np.float64)
        real = affine.excess_returns(
            affine.log_prices(self.real_yields.to_numpy(), real_maturities),
            rate, real_maturities, np.asarray(self.real_return_maturities, dtype=np.float64),
        )  # fmt: skip
        accrual = self.inflation.to_numpy()[1:, None] / 100.0
        return np.column_stack([nominal, real + accrual]), nominal.shape[1]


def _prices_of_risk(
    regression: affine.ReturnRegression, sigma: FloatArray, sigma2: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """ACM step 3 over all returns, each with its group's pricing-error variance."""
    beta = regression.beta
    quadratic = np.einsum("kn,kl,ln->n", beta, sigma, beta)
    adjusted = regression.intercept + 0.5 * (quadratic + sigma2)
    gram = beta @ beta.T
    lambda0 = np.linalg.solve(gram, beta @ adjusted)
    lambda1 = np.linalg.solve(gram, beta @ regression.slope.T)
    return np.asarray(lambda0, dtype=np.float64), np.asarray(lambda1, dtype=np.float64)


def real_short_rate(
    real_yields: FloatArray,
    maturities: FloatArray,
    factors: FloatArray,
    mu: FloatArray,
    phi: FloatArray,
    sigma: FloatArray,
    sigma2: float,
    lambda0: FloatArray,
    lambda1: FloatArray,
) -> tuple[float, FloatArray]:
    """``(delta0R, delta1R)`` minimising squared real-yield errors (module docstring, step 4).

    ``real_yields`` (T, N) decimal per month at integer ``maturities`` (months).
    """
    n_factors = phi.shape[0]
    top = int(maturities.max())
    transition = phi - lambda1
    sums = np.empty((top + 1, n_factors, n_factors))  # sums[n] = S_n, sums[0] = 0
    sums[0] = 0.0
    power = np.eye(n_factors)
    for n in range(1, top + 1):
        sums[n] = sums[n - 1] + power
        power = power @ transition
    drift = sums @ (mu - lambda0)  # (top+1, K): S_m (mu - lambda0)
    carried = np.cumsum(drift, axis=0) - drift  # sum_{m<n} S_m (mu - lambda0)
    months = maturities.astype(int)
    regressors = (
        np.einsum("nkl,tl->tnk", sums[months], factors) + carried[months][None]
    ) / maturities[None, :, None]
    design = affine.with_constant(regressors.reshape(-1, n_factors))
    gram = design.T @ design  # the design is the same in every pass: one Gram matrix
    convexity = np.zeros(months.size)
    for _ in range(CONVEXITY_PASSES):
        target = (real_yields + convexity[None, :]).reshape(-1)
        coefficients = np.linalg.solve(gram, design.T @ target)
        loadings = -coefficients[1:] @ sums[:top]  # B_m' = -delta1R' S_m, m = 0..top-1
        quadratic = 0.5 * (np.einsum("mk,kl,ml->m", loadings, sigma, loadings) + sigma2)
        quadratic[0] = 0.0
        convexity = (np.cumsum(quadratic)[months - 1]) / maturities
    return float(coefficients[0]), np.asarray(coefficients[1:], dtype=np.float64)


class NominalRealResults(Results):
    """Read-only results of :meth:`NominalRealACM.fit`: frames by date x maturity (months),
    percent; :meth:`to_frame` gives the yearly columns of ``ustpull termpremium --real``."""

    def __init__(
        self,
        model: NominalRealACM,
        parameters: NominalRealParameters,
        factors: FloatArray,
        real_pc_loadings: FloatArray,
    ) -> None:
        self._model = model
        self._parameters = parameters
        self._factors = factors
        self._real_pc_loadings = real_pc_loadings

    @property
    def model(self) -> NominalRealACM:
        """The specification that was fitted."""
        return self._model

    @property
    def parameters(self) -> NominalRealParameters:
        """Estimated parameters (decimal per month)."""
        return self._parameters

    @property
    def factors(self) -> pd.DataFrame:
        """The state: nominal PCs, orthogonal real PCs, liquidity factors."""
        m = self._model
        names = [f"nominal_pc{k + 1}" for k in range(m.n_nominal)]
        names += [f"real_pc{k + 1}" for k in range(m.n_real)]
        names += [f"liquidity_{c}" for c in m.liquidity.columns]
        return pd.DataFrame(self._factors, index=m.nominal_yields.index, columns=names)

    @cached_property
    def _yields(self) -> dict[str, FloatArray]:
        """Every curve of the decomposition, percent, shape (T, max_maturity)."""
        p, m = self._parameters, self._model
        n_liquid = m.n_nominal + m.n_real
        frictionless = p.delta1_real.copy()
        frictionless[n_liquid:] = 0.0
        risk = np.stack([p.lambda0, np.zeros_like(p.lambda0)] * 3)
        slopes = np.stack([p.lambda1, np.zeros_like(p.lambda1)] * 3)
        delta0 = np.array([p.delta0] * 2 + [p.delta0_real] * 4)
        delta1 = np.stack([p.delta1] * 2 + [p.delta1_real] * 2 + [frictionless] * 2)
        sigma2 = np.array([p.sigma2_nominal] * 2 + [p.sigma2_real] * 4)
        intercept, loadings = affine.affine_coefficients(
            m.max_maturity, p.mu, p.phi, p.sigma, sigma2, risk, slopes, delta0, delta1
        )
        names = ("nominal", "nominal_rn", "tips", "tips_rn", "real", "real_rn")
        return {
            name: affine.affine_yields(intercept[i], loadings[i], self._factors)
            for i, name in enumerate(names)
        }

    def _frame(self, values: FloatArray) -> pd.DataFrame:
        columns = pd.Index(range(1, self._model.max_maturity + 1), name="maturity")
        return pd.DataFrame(values, index=self._model.nominal_yields.index, columns=columns)

    @property
    def nominal_yields(self) -> pd.DataFrame:
        """Fitted nominal yields."""
        return self._frame(self._yields["nominal"])

    @property
    def nominal_term_premium(self) -> pd.DataFrame:
        """Nominal yields minus the expected average nominal short rate (risk-neutral)."""
        return self._frame(self._yields["nominal"] - self._yields["nominal_rn"])

    @property
    def tips_yields(self) -> pd.DataFrame:
        """Fitted TIPS yields (with the liquidity factors' effect)."""
        return self._frame(self._yields["tips"])

    @property
    def real_yields(self) -> pd.DataFrame:
        """Frictionless (liquidity-free) real yields."""
        return self._frame(self._yields["real"])

    @property
    def expected_real_rate(self) -> pd.DataFrame:
        """Risk-neutral frictionless real yields: expected average real short rate."""
        return self._frame(self._yields["real_rn"])

    @property
    def real_term_premium(self) -> pd.DataFrame:
        """Frictionless real yields minus the expected average real short rate."""
        return self._frame(self._yields["real"] - self._yields["real_rn"])

    @property
    def expected_inflation(self) -> pd.DataFrame:
        """Risk-neutral nominal minus risk-neutral real yields."""
        return self._frame(self._yields["nominal_rn"] - self._yields["real_rn"])

    @property
    def inflation_risk_premium(self) -> pd.DataFrame:
        """Nominal minus real term premium."""
        return self.nominal_term_premium - self.real_term_premium

    @property
    def liquidity_premium(self) -> pd.DataFrame:
        """Fitted TIPS minus frictionless real yields (zero without liquidity factors)."""
        return self._frame(self._yields["tips"] - self._yields["real"])

    @property
    def real_pricing_errors(self) -> pd.DataFrame:
        """Fitted minus observed TIPS yields, basis points, at the real maturities."""
        observed = self._model.real_yields
        return 100.0 * (self.tips_yields.loc[:, observed.columns] - observed)

    @property
    def nominal_pricing_errors(self) -> pd.DataFrame:
        """Fitted minus observed nominal yields, basis points."""
        return 100.0 * (self.nominal_yields - self._model.nominal_yields.to_numpy())

    def to_frame(self, years: Sequence[int] = tuple(range(2, 11))) -> pd.DataFrame:
        """Yearly columns: ``yield``, ``risk_neutral``, ``term_premium``, ``real_yield``,
        ``expected_real_rate``, ``real_term_premium``, ``inflation_risk_premium``,
        ``expected_inflation``, ``liquidity_premium`` for each ``{n}y`` (percent)."""
        curves = {
            "yield": self._yields["nominal"],
            "risk_neutral": self._yields["nominal_rn"],
            "term_premium": self._yields["nominal"] - self._yields["nominal_rn"],
            "real_yield": self._yields["real"],
            "expected_real_rate": self._yields["real_rn"],
            "real_term_premium": self._yields["real"] - self._yields["real_rn"],
            "inflation_risk_premium": self.inflation_risk_premium.to_numpy(),
            "expected_inflation": self._yields["nominal_rn"] - self._yields["real_rn"],
            "liquidity_premium": self._yields["tips"] - self._yields["real"],
        }
        parts = {
            f"{name}_{n}y": values[:, 12 * n - 1] for n in years for name, values in curves.items()
        }
        frame = pd.DataFrame(parts, index=self._model.nominal_yields.index)
        frame.index.name = "date"
        return frame

    def summary(self) -> str:
        """Sample, fit (pricing errors) and the latest decomposition at 5 and 10 years."""
        m = self._model
        index = m.nominal_yields.index
        real_rmse = np.sqrt((self.real_pricing_errors**2).mean())
        nominal_rmse = np.sqrt((self.nominal_pricing_errors**2).mean())
        latest = self.to_frame((5, 10)).iloc[-1]
        lines = [
            "Joint nominal-real affine model (Abrahams, Adrian, Crump, Moench and Yu 2016)",
            "=" * 72,
            f"Sample:        {index[0]:%Y-%m} .. {index[-1]:%Y-%m} ({len(index)} months)",
            f"Factors:       {m.n_nominal} nominal, {m.n_real} real, "
            f"{m.liquidity.shape[1]} liquidity",
            f"Yield RMSE:    nominal 24/60/120m {nominal_rmse[[24, 60, 120]].round(2).tolist()} "
            f"bp; TIPS 24/60/120m {real_rmse[[24, 60, 120]].round(2).tolist()} bp",
            f"Latest ({index[-1]:%Y-%m-%d}), percent:",
            latest.round(4).to_string(),
        ]
        return "\n".join(lines)

    def plot(self, years: int = 10, *, ax: Any = None) -> Figure:
        """Nominal and real term premia, inflation risk premium and expected inflation."""
        import matplotlib.pyplot as plt

        if not 2 <= years <= self._model.max_maturity // 12:
            raise DataError(f"years must be in 2..{self._model.max_maturity // 12}, got {years}")
        frame = self.to_frame((years,))
        if ax is None:
            figure, ax = plt.subplots(figsize=(9, 4.5))
        else:
            figure = ax.figure
        for name in (
            "term_premium",
            "real_term_premium",
            "inflation_risk_premium",
            "expected_inflation",
            "liquidity_premium",
        ):
            ax.plot(frame.index, frame[f"{name}_{years}y"], label=name.replace("_", " "))
        ax.axhline(0.0, color="grey", linewidth=0.5)
        ax.set_ylabel("percent")
        ax.set_title(f"Nominal-real decomposition, {years}-year maturity")
        ax.legend()
        return figure

    def __repr__(self) -> str:
        index = self._model.nominal_yields.index
        return f"<NominalRealResults {index[0]:%Y-%m}..{index[-1]:%Y-%m}>"


def _grid(
    frame: pd.DataFrame,
    columns: Sequence[Any],
    what: str,
    index: pd.DatetimeIndex | None = None,
) -> pd.DataFrame:
    """``frame`` restricted to ``columns`` (and ``index``), all finite, else a DataError."""
    if not isinstance(frame, pd.DataFrame) or not isinstance(frame.index, pd.DatetimeIndex):
        raise DataError(f"{what} must be a DataFrame with a DatetimeIndex")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(f"{what} lack columns {missing[:5]} (need {columns[0]}..{columns[-1]})")
    picked = frame.loc[:, list(columns)].astype(np.float64)
    if index is not None:
        picked = picked.reindex(index)
    bad = ~np.isfinite(picked.to_numpy()).all(axis=1)
    if bad.any():
        shown = ", ".join(f"{d:%Y-%m-%d}" for d in picked.index[bad][:5])
        raise DataError(f"{what}: NaN or missing on {int(bad.sum())} dates: {shown}")
    return picked


def _aligned(series: pd.Series, index: pd.DatetimeIndex, what: str) -> pd.Series:
    values = pd.Series(series.to_numpy(dtype=np.float64), index=series.index).reindex(index)
    bad = ~np.isfinite(values.to_numpy())
    if bad.any():
        shown = ", ".join(f"{d:%Y-%m-%d}" for d in index[bad][:5])
        raise DataError(f"{what}: NaN or missing on {int(bad.sum())} dates: {shown}")
    return values


__all__ = [
    "REAL_RETURN_MATURITIES",
    "NominalRealACM",
    "NominalRealParameters",
    "NominalRealResults",
    "real_short_rate",
]
