"""The ACM term-premium model: specification class :class:`ACM` and :class:`ACMResults`.

Adrian, Crump and Moench (2013) price the term structure with three linear regressions:

1. a VAR(1) of K principal components ``X_t`` of the yield curve
   (``X_{t+1} = mu + Phi X_t + v_{t+1}``);
2. one-month log excess returns on a constant, the VAR innovations and the lagged factors
   (``rx_{t+1} = a + beta' v_{t+1} + c X_t + e_{t+1}``);
3. the market prices of risk by a cross-sectional regression of ``a`` and ``c`` on ``beta``
   with the convexity adjustment; with the short-rate equation ``r_t = delta0 + delta1' X_t``
   they give affine fitted yields and, with prices of risk set to zero, risk-neutral yields.

The term premium is the fitted yield minus the risk-neutral yield. Units: see
:mod:`ustpull.termpremium.affine` (input and output yields in annualised percent,
continuously compounded; maturities in months).

The defaults are the Federal Reserve Bank of New York's: month-end zero yields at maturities
1..120 months, K = 5 principal components of the demeaned yields at 3..120 months, excess
returns at 6, 12, 24, 36, ..., 120 months.

References
----------
Adrian, T., Crump, R. K. and Moench, E. (2013). "Pricing the term structure with linear
regressions". Journal of Financial Economics 110(1), 110-138.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ustpull._results import Results
from ustpull._typing import BootstrapDGP
from ustpull.errors import DataError, ShortSampleWarning
from ustpull.termpremium import affine
from ustpull.termpremium.affine import PERCENT_YEAR_TO_DECIMAL_MONTH, FloatArray
from ustpull.termpremium.var import BiasCorrection, Intercept, estimate_var, spectral_radius

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from matplotlib.figure import Figure

    from ustpull.termpremium.bands import TermPremiumBands

NY_FED_RETURN_MATURITIES: tuple[int, ...] = (6, 12, 24, 36, 48, 60, 72, 84, 96, 108, 120)
NY_FED_FACTOR_MATURITIES: tuple[int, ...] = tuple(range(3, 121))
#: Below this many months the VAR's small-sample bias is material (ShortSampleWarning).
SHORT_SAMPLE_MONTHS = 120


def principal_components(yields: FloatArray, n_factors: int) -> tuple[FloatArray, FloatArray]:
    """Loadings and mean for the first ``n_factors`` principal components of ``yields``.

    ``X_t = (y_t - mean) @ loadings`` has unit sample variance per factor; each loading vector
    is signed so that its average is positive (a level factor rises with yields).

    Parameters
    ----------
    yields : ndarray, shape (T, N)
        Yields in percent.

    Returns
    -------
    loadings : ndarray, shape (N, K)
    mean : ndarray, shape (N,)

    Raises
    ------
    DataError
        The yields have fewer than ``n_factors`` independent components (a factor would be
        rounding noise scaled up to unit variance, and every estimate built on it garbage).
    """
    mean = yields.mean(axis=0)
    centred = yields - mean
    eigenvalues, eigenvectors = np.linalg.eigh(centred.T @ centred / (yields.shape[0] - 1))
    order = np.argsort(eigenvalues)[::-1][:n_factors]
    largest = eigenvalues[order[0]]
    weak = [k + 1 for k, value in enumerate(eigenvalues[order]) if not value > 1e-10 * largest]
    if weak:
        raise DataError(
            f"the yields have only {weak[0] - 1} independent principal component(s), fewer "
            f"than the {n_factors} pricing factors asked for (eigenvalue {weak[0]} is "
            f"{eigenvalues[order][weak[0] - 1]:.3g} against {largest:.3g}); use fewer factors"
        )
    vectors = eigenvectors[:, order]
    vectors = vectors * np.where(vectors.mean(axis=0) < 0, -1.0, 1.0)
    scale = np.sqrt(eigenvalues[order])
    return np.asarray(vectors / scale, dtype=np.float64), mean


class ACM:
    """Adrian-Crump-Moench (2013) affine term-structure model, estimated by regressions.

    Parameters
    ----------
    yields : DataFrame
        Month-end zero yields, annualised percent, continuously compounded; DatetimeIndex of
        consecutive months, integer columns = maturities in months covering 1..max_maturity.
    short_rate : Series, optional
        One-month rate ``r_t`` (annualised percent, continuously compounded) on the same
        dates; default the 1-month column of ``yields``. See
        :func:`ustpull.termpremium.inputs.spliced_short_rate` for the U.S. bill splice.
    n_factors : int
        Number K of principal components used as pricing factors.
    factor_maturities : sequence of int
        Maturities (months) whose demeaned yields define the principal components.
    return_maturities : sequence of int
        Maturities n (months) of the bonds whose one-month excess returns enter steps 2-3.
    max_maturity : int
        Longest maturity (months) of the outputs.
    var_intercept : {"estimate", "zero"}
        Estimate the VAR intercept, or force it to zero (the factors are demeaned).
    var_bias : {"none", "pope", "kilian"}
        Small-sample bias correction of the VAR slope (see :mod:`ustpull.termpremium.var`).
    eigenvalue_cap : float, optional
        Shrink VAR eigenvalues with modulus above this onto it (e.g. 0.995).
    bias_replications, seed : int, optional
        Deprecated here: pass them to :meth:`fit` (numerics belong to the fit). When given,
        they become :meth:`fit`'s defaults.

    Notes
    -----
    Warns :class:`~ustpull.errors.ShortSampleWarning` with fewer than 120 months. Raises
    :class:`~ustpull.errors.DataError` on NaN yields, missing months or maturities that do not
    cover what the specification needs.
    """

    def __init__(
        self,
        yields: pd.DataFrame,
        *,
        short_rate: pd.Series | None = None,
        n_factors: int = 5,
        factor_maturities: Sequence[int] = NY_FED_FACTOR_MATURITIES,
        return_maturities: Sequence[int] = NY_FED_RETURN_MATURITIES,
        max_maturity: int = 120,
        var_intercept: Intercept = "estimate",
        var_bias: BiasCorrection = "none",
        eigenvalue_cap: float | None = None,
        bias_replications: int | None = None,
        seed: int | None = None,
    ) -> None:
        _check_choice("var_intercept", var_intercept, ("estimate", "zero"))
        _check_choice("var_bias", var_bias, ("none", "pope", "kilian"))
        self.n_factors = int(n_factors)
        self.factor_maturities = tuple(int(n) for n in factor_maturities)
        self.return_maturities = tuple(int(n) for n in return_maturities)
        self.max_maturity = int(max_maturity)
        self.var_intercept: Intercept = var_intercept
        self.var_bias: BiasCorrection = var_bias
        self.eigenvalue_cap = eigenvalue_cap
        if bias_replications is not None or seed is not None:
            warnings.warn(
                "ACM(bias_replications=, seed=) is deprecated; pass them to ACM.fit()",
                DeprecationWarning,
                stacklevel=2,
            )
        #: Defaults of :meth:`fit`'s ``bias_replications`` and ``seed``.
        self.bias_replications = 500 if bias_replications is None else int(bias_replications)
        self.seed = 0 if seed is None else int(seed)
        self.yields = _validated_yields(yields, self._needed_maturities())
        self.short_rate = _validated_short_rate(short_rate, self.yields)
        if len(self.return_maturities) < self.n_factors:
            raise DataError(
                f"need at least n_factors={self.n_factors} return maturities, got "
                f"{list(self.return_maturities)}"
            )
        if min(self.return_maturities) < 2:
            raise DataError("return maturities must be at least 2 months")
        if not 1 <= self.n_factors <= len(self.factor_maturities):
            raise DataError(
                f"n_factors must be between 1 and the {len(self.factor_maturities)} factor "
                f"maturities, got {self.n_factors}"
            )
        n_months = self.yields.shape[0]
        # the return regression has 1 + 2K coefficients: keep a few degrees of freedom
        if n_months < 2 * self.n_factors + 6:
            raise DataError(
                f"{n_months} months are too few for {self.n_factors} factors "
                f"(need at least {2 * self.n_factors + 6})"
            )
        if n_months < SHORT_SAMPLE_MONTHS:
            warnings.warn(
                f"only {n_months} months ({self.yields.index[0]:%Y-%m} to "
                f"{self.yields.index[-1]:%Y-%m}); below {SHORT_SAMPLE_MONTHS} months the OLS "
                "VAR is biased towards too little persistence, which biases the risk-neutral "
                "yields and the term premium (consider var_bias='kilian' or 'pope', or an "
                "eigenvalue_cap)",
                ShortSampleWarning,
                stacklevel=2,
            )

    def _needed_maturities(self) -> list[int]:
        needed = set(range(1, self.max_maturity + 1)) | set(self.factor_maturities)
        needed |= set(self.return_maturities) | {n - 1 for n in self.return_maturities}
        return sorted(needed)

    def fit(self, *, bias_replications: int | None = None, seed: int | None = None) -> ACMResults:
        """Estimate the three ACM regressions and the affine recursions.

        Parameters
        ----------
        bias_replications : int, optional
            Replications of the Kilian bootstrap bias correction (``var_bias="kilian"``);
            default 500.
        seed : int, optional
            Seed of that bootstrap; default 0.
        """
        maturities = np.asarray(self.yields.columns, dtype=np.float64)
        values = self.yields.to_numpy(dtype=np.float64)
        factor_columns = self.yields.columns.get_indexer(pd.Index(self.factor_maturities))
        loadings, mean = principal_components(values[:, factor_columns], self.n_factors)
        factors = (values[:, factor_columns] - mean) @ loadings

        var = estimate_var(
            factors,
            intercept=self.var_intercept,
            bias_correction=self.var_bias,
            eigenvalue_cap=self.eigenvalue_cap,
            bootstrap_replications=(
                self.bias_replications if bias_replications is None else int(bias_replications)
            ),
            seed=self.seed if seed is None else int(seed),
        )
        short_rate = self.short_rate.to_numpy(dtype=np.float64) * PERCENT_YEAR_TO_DECIMAL_MONTH
        holding = np.asarray(self.return_maturities, dtype=np.float64)
        returns = affine.excess_returns(
            affine.log_prices(values, maturities), short_rate, maturities, holding
        )
        regression = affine.return_regression(returns, var.innovations, factors[:-1])
        lambda0, lambda1 = affine.prices_of_risk(regression, var.sigma)
        delta0, delta1 = affine.short_rate_equation(short_rate, factors)
        parameters = ACMParameters(
            mu=var.mu,
            phi=var.phi,
            sigma=var.sigma,
            sigma2=float(regression.sigma2),
            lambda0=lambda0,
            lambda1=lambda1,
            delta0=float(delta0),
            delta1=delta1,
            beta=regression.beta,
            return_intercept=regression.intercept,
            return_slope=regression.slope,
        )
        return ACMResults(
            model=self,
            parameters=parameters,
            loadings=loadings,
            mean=mean,
            factors=factors,
            return_residuals=regression.residuals,
            short_rate_residuals=short_rate - delta0 - factors @ delta1,
        )


@dataclass(frozen=True)
class ACMParameters:
    """Estimated ACM parameters (decimal per month; factors have unit sample variance).

    ``mu`` (K,), ``phi`` (K, K), ``sigma`` (K, K): VAR; ``sigma2``: variance of the return
    pricing errors; ``lambda0`` (K,), ``lambda1`` (K, K): prices of risk; ``delta0``,
    ``delta1`` (K,): short-rate equation; ``beta`` (K, M), ``return_intercept`` (M,) and
    ``return_slope`` (K, M): the step-2 return regression ``rx = a + beta' v + c X``.
    """

    mu: FloatArray
    phi: FloatArray
    sigma: FloatArray
    sigma2: float
    lambda0: FloatArray
    lambda1: FloatArray
    delta0: float
    delta1: FloatArray
    beta: FloatArray
    return_intercept: FloatArray
    return_slope: FloatArray

    def coefficients(self, max_maturity: int) -> tuple[FloatArray, FloatArray]:
        """Stacked loadings for fitted (row 0) and risk-neutral (row 1) log prices.

        Returns ``A`` with shape (2, N) and ``B`` with shape (2, N, K).
        """
        zero_risk = np.stack([np.ones_like(self.lambda0), np.zeros_like(self.lambda0)])
        return affine.affine_coefficients(
            max_maturity,
            self.mu,
            self.phi,
            self.sigma,
            np.full(2, self.sigma2),
            zero_risk * self.lambda0,
            zero_risk[:, :, None] * self.lambda1,
            np.full(2, self.delta0),
            self.delta1,
        )


class Decomposition:
    """Observed, fitted and risk-neutral yields and the term premium on a set of dates.

    All frames have the input's dates as index and maturities 1..N (months) as columns;
    yields, term premium and expected excess returns are annualised percent, pricing
    errors are basis points (fitted minus observed).
    """

    def __init__(
        self,
        observed: pd.DataFrame,
        factors: FloatArray,
        intercept: FloatArray,
        loadings: FloatArray,
        parameters: ACMParameters,
    ) -> None:
        self._observed = observed
        self._factors = factors
        self._intercept = intercept
        self._loadings = loadings
        self._parameters = parameters
        self._columns = pd.Index(np.arange(1, intercept.shape[-1] + 1), name="maturity")

    def _frame(self, values: FloatArray) -> pd.DataFrame:
        return pd.DataFrame(values, index=self._observed.index, columns=self._columns, copy=False)

    @cached_property
    def factors(self) -> pd.DataFrame:
        """Pricing factors ``X_t`` (principal components, unit variance in the sample)."""
        names = [f"pc{k + 1}" for k in range(self._factors.shape[1])]
        return pd.DataFrame(self._factors, index=self._observed.index, columns=names)

    @cached_property
    def observed_yields(self) -> pd.DataFrame:
        """Input yields at maturities 1..N, percent."""
        return self._observed.loc[:, list(self._columns)].set_axis(self._columns, axis=1)

    @cached_property
    def fitted_yields(self) -> pd.DataFrame:
        """Model-implied yields, percent."""
        return self._frame(
            affine.affine_yields(self._intercept[0], self._loadings[0], self._factors)
        )

    @cached_property
    def risk_neutral_yields(self) -> pd.DataFrame:
        """Risk-neutral yields (prices of risk zero): expected average short rate plus
        convexity, percent."""
        return self._frame(
            affine.affine_yields(self._intercept[1], self._loadings[1], self._factors)
        )

    @cached_property
    def term_premium(self) -> pd.DataFrame:
        """Fitted minus risk-neutral yields, percent (from the loading differences directly)."""
        return self._frame(
            affine.affine_yields(
                self._intercept[0] - self._intercept[1],
                self._loadings[0] - self._loadings[1],
                self._factors,
            )
        )

    @cached_property
    def expected_excess_returns(self) -> pd.DataFrame:
        """Expected one-month log excess return of the n-month bond, annualised percent."""
        p = self._parameters
        return self._frame(
            affine.expected_excess_returns(
                self._loadings[0], p.sigma, p.sigma2, p.lambda0, p.lambda1, self._factors
            )
        )

    @cached_property
    def pricing_errors(self) -> pd.DataFrame:
        """Fitted minus observed yields, basis points."""
        return self._frame(
            100.0 * (self.fitted_yields.to_numpy() - self.observed_yields.to_numpy())
        )

    def plot(self, maturity: int = 120, *, ax: Any = None) -> Figure:
        """Fitted yield, risk-neutral yield and term premium at ``maturity`` months."""
        import matplotlib.pyplot as plt

        if maturity not in self.fitted_yields.columns:
            raise DataError(f"maturity {maturity} months is not in 1..{len(self._columns)}")
        if ax is None:
            figure, ax = plt.subplots(figsize=(9, 4.5))
        else:
            figure = ax.figure
        ax.plot(self.fitted_yields.index, self.fitted_yields[maturity], label="fitted yield")
        ax.plot(
            self.risk_neutral_yields.index,
            self.risk_neutral_yields[maturity],
            label="risk-neutral yield",
        )
        ax.plot(self.term_premium.index, self.term_premium[maturity], label="term premium")
        ax.axhline(0.0, color="grey", linewidth=0.5)
        ax.set_ylabel("percent")
        ax.set_title(f"ACM decomposition, {maturity}-month yield")
        ax.legend()
        return figure


class ACMResults(Results):
    """Read-only results of :meth:`ACM.fit`.

    Frames (index = month-end dates, columns = maturities 1..N months): ``fitted_yields``,
    ``risk_neutral_yields``, ``term_premium``, ``expected_excess_returns`` (percent) and
    ``pricing_errors`` (bp). ``project(daily_yields)`` applies the monthly estimates to other
    dates (the NY Fed's daily series); ``bands(...)`` bootstraps confidence bands.
    """

    def __init__(
        self,
        *,
        model: ACM,
        parameters: ACMParameters,
        loadings: FloatArray,
        mean: FloatArray,
        factors: FloatArray,
        return_residuals: FloatArray,
        short_rate_residuals: FloatArray,
    ) -> None:
        self._model = model
        self._parameters = parameters
        self._pc_loadings = loadings
        self._pc_mean = mean
        self._return_residuals = return_residuals
        self._short_rate_residuals = short_rate_residuals
        self._intercept, self._loadings = parameters.coefficients(model.max_maturity)
        self._monthly = Decomposition(
            model.yields, factors, self._intercept, self._loadings, parameters
        )

    # --- estimates -------------------------------------------------------------------------
    @property
    def model(self) -> ACM:
        """The specification that was fitted."""
        return self._model

    @property
    def parameters(self) -> ACMParameters:
        """Estimated parameters (decimal per month)."""
        return self._parameters

    @property
    def return_residuals(self) -> FloatArray:
        """Step-2 return pricing errors ``e_{t+1}``, shape (T, M), decimal per month."""
        return self._return_residuals

    @property
    def short_rate_residuals(self) -> FloatArray:
        """Residuals of the short-rate equation, shape (T+1,), decimal per month."""
        return self._short_rate_residuals

    @property
    def factor_loadings(self) -> pd.DataFrame:
        """Principal-component loadings (rows = factor maturities in months)."""
        names = [f"pc{k + 1}" for k in range(self._model.n_factors)]
        index = pd.Index(self._model.factor_maturities, name="maturity")
        return pd.DataFrame(self._pc_loadings, index=index, columns=names)

    @property
    def factor_mean(self) -> pd.Series:
        """Sample mean of the yields at the factor maturities (percent)."""
        index = pd.Index(self._model.factor_maturities, name="maturity")
        return pd.Series(self._pc_mean, index=index, name="mean")

    @property
    def affine_loadings(self) -> pd.DataFrame:
        """``A_n, B_n`` of fitted and risk-neutral log prices (rows: (kind, maturity))."""
        names = ["A"] + [f"B_pc{k + 1}" for k in range(self._model.n_factors)]
        frames = []
        for row, kind in enumerate(("fitted", "risk_neutral")):
            values = np.column_stack([self._intercept[row], self._loadings[row]])
            index = pd.MultiIndex.from_product(
                [[kind], range(1, self._model.max_maturity + 1)], names=["kind", "maturity"]
            )
            frames.append(pd.DataFrame(values, index=index, columns=names))
        return pd.concat(frames)

    @property
    def params(self) -> pd.Series:
        """All scalar parameters as one labelled Series (decimal per month)."""
        p = self._parameters
        k = range(1, self._model.n_factors + 1)
        entries: dict[str, float] = {"delta0": p.delta0, "sigma2": p.sigma2}
        entries |= {f"delta1.pc{i}": float(p.delta1[i - 1]) for i in k}
        entries |= {f"mu.pc{i}": float(p.mu[i - 1]) for i in k}
        entries |= {f"lambda0.pc{i}": float(p.lambda0[i - 1]) for i in k}
        entries |= {f"phi.pc{i}.pc{j}": float(p.phi[i - 1, j - 1]) for i in k for j in k}
        entries |= {f"lambda1.pc{i}.pc{j}": float(p.lambda1[i - 1, j - 1]) for i in k for j in k}
        return pd.Series(entries, name="value")

    @property
    def var_spectral_radius(self) -> float:
        """Largest eigenvalue modulus of the (possibly corrected) VAR slope."""
        return spectral_radius(self._parameters.phi)

    # --- monthly outputs -------------------------------------------------------------------
    @property
    def factors(self) -> pd.DataFrame:
        """Pricing factors on the estimation dates."""
        return self._monthly.factors

    @property
    def fitted_yields(self) -> pd.DataFrame:
        """Model-implied yields on the estimation dates, percent."""
        return self._monthly.fitted_yields

    @property
    def risk_neutral_yields(self) -> pd.DataFrame:
        """Risk-neutral yields on the estimation dates, percent."""
        return self._monthly.risk_neutral_yields

    @property
    def term_premium(self) -> pd.DataFrame:
        """Term premium on the estimation dates, percent."""
        return self._monthly.term_premium

    @property
    def expected_excess_returns(self) -> pd.DataFrame:
        """Expected one-month log excess returns, annualised percent."""
        return self._monthly.expected_excess_returns

    @property
    def pricing_errors(self) -> pd.DataFrame:
        """Yield pricing errors (fitted minus observed), basis points."""
        return self._monthly.pricing_errors

    @property
    def pricing_error_summary(self) -> pd.DataFrame:
        """Mean, standard deviation, RMSE and max absolute yield pricing error by maturity (bp)."""
        errors = self.pricing_errors
        return pd.DataFrame(
            {
                "mean_bp": errors.mean(),
                "std_bp": errors.std(),
                "rmse_bp": np.sqrt((errors**2).mean()),
                "max_abs_bp": errors.abs().max(),
            }
        )

    # --- other dates -----------------------------------------------------------------------
    def project(self, yields: pd.DataFrame) -> Decomposition:
        """Apply the monthly estimates to yields on other dates (e.g. daily).

        The factors are ``(y_t - mean) @ loadings`` with the monthly sample mean and
        principal-component loadings; fitted and risk-neutral yields follow from the monthly
        affine loadings. This is how the NY Fed publishes daily ACM values.

        Parameters
        ----------
        yields : DataFrame
            Zero yields (percent, continuously compounded), DatetimeIndex, integer columns in
            months covering the factor maturities and 1..max_maturity; no NaN.
        """
        model = self._model
        needed = sorted(set(model.factor_maturities) | set(range(1, model.max_maturity + 1)))
        checked = _validated_yields(yields, needed, consecutive_months=False)
        # one product with the loadings scattered onto every input column: no column copy
        columns = checked.columns.get_indexer(pd.Index(model.factor_maturities))
        weights = np.zeros((checked.shape[1], model.n_factors))
        weights[columns] = self._pc_loadings
        factors = checked.to_numpy(dtype=np.float64) @ weights
        factors -= self._pc_mean @ self._pc_loadings
        return Decomposition(checked, factors, self._intercept, self._loadings, self._parameters)

    def bands(
        self,
        replications: int = 1000,
        *,
        maturities: Sequence[int] = (12, 24, 36, 48, 60, 72, 84, 96, 108, 120),
        confidence: float = 0.90,
        block_length: int = 12,
        chunk_size: int = 50,
        seed: int = 0,
        executor: Executor | None = None,
        yields: pd.DataFrame | None = None,
        coverage: float | None = None,
        dgp: BootstrapDGP = "bias_corrected",
    ) -> TermPremiumBands:
        """Bootstrap confidence bands for the term premium; see :func:`bootstrap_bands`
        (``coverage``: deprecated name of ``confidence``)."""
        from ustpull.termpremium.bands import bootstrap_bands

        return bootstrap_bands(
            self,
            replications,
            maturities=maturities,
            confidence=confidence,
            coverage=coverage,
            block_length=block_length,
            chunk_size=chunk_size,
            seed=seed,
            executor=executor,
            yields=yields,
            dgp=dgp,
        )

    # --- presentation ----------------------------------------------------------------------
    def summary(self, *, diagnostics: bool = True) -> str:
        """A text summary: sample, specification, fit and the latest decomposition.

        With ``diagnostics`` it adds the VAR eigenvalues, the factor-count table for K = 3..6
        and the unspanned-factor test (:mod:`ustpull.termpremium.diagnostics`).
        """
        model = self._model
        index = model.yields.index
        errors = self.pricing_error_summary
        shown = [n for n in (12, 24, 60, 120) if n <= model.max_maturity]
        lines = [
            "ACM term-structure model (Adrian, Crump and Moench 2013)",
            "=" * 64,
            f"Sample:             {index[0]:%Y-%m-%d} .. {index[-1]:%Y-%m-%d} "
            f"({len(index)} months)",
            f"Factors:            {model.n_factors} PCs of yields at "
            f"{model.factor_maturities[0]}..{model.factor_maturities[-1]} months",
            f"Return maturities:  {', '.join(str(n) for n in model.return_maturities)}",
            f"VAR:                intercept={model.var_intercept}, bias={model.var_bias}, "
            f"cap={model.eigenvalue_cap}, spectral radius={self.var_spectral_radius:.4f}",
            f"Return error sd:    {np.sqrt(self._parameters.sigma2) * 1e4:.2f} bp per month",
            "-" * 64,
            "Yield pricing errors (bp):",
            errors.loc[shown].round(2).to_string(),
            "-" * 64,
            f"Latest ({index[-1]:%Y-%m-%d}), percent:",
            pd.DataFrame(
                {
                    "fitted": self.fitted_yields.iloc[-1][shown],
                    "risk_neutral": self.risk_neutral_yields.iloc[-1][shown],
                    "term_premium": self.term_premium.iloc[-1][shown],
                }
            )
            .round(4)
            .to_string(),
        ]
        if diagnostics:
            lines += self._diagnostic_lines()
        return "\n".join(lines)

    def _diagnostic_lines(self) -> list[str]:
        from ustpull.termpremium.diagnostics import (
            factor_count_table,
            unspanned_factor_test,
            var_eigenvalues,
        )

        moduli = np.abs(var_eigenvalues(self).to_numpy())
        test = unspanned_factor_test(self)
        return [
            "-" * 64,
            "VAR eigenvalue moduli: " + ", ".join(f"{m:.4f}" for m in moduli),
            f"Unspanned factors ({test.name}): robust Wald {test['statistic']:.2f}, "
            f"df {int(test['df'])}, p = {test['p_value']:.3f}",
            "Number of factors (same specification, K = 3..6):",
            factor_count_table(self._model).round(4).to_string(),
        ]

    def __repr__(self) -> str:
        index = self._model.yields.index
        return (
            f"<ACMResults {index[0]:%Y-%m}..{index[-1]:%Y-%m}, "
            f"K={self._model.n_factors}, N={self._model.max_maturity}>"
        )

    def plot(self, maturity: int = 120, *, ax: Any = None) -> Figure:
        """Fitted yield, risk-neutral yield and term premium at ``maturity`` months."""
        return self._monthly.plot(maturity, ax=ax)


def _validated_yields(
    yields: pd.DataFrame, needed: Sequence[int], *, consecutive_months: bool = True
) -> pd.DataFrame:
    """Check dates, maturities and values; return the needed columns in maturity order."""
    if not isinstance(yields, pd.DataFrame) or not isinstance(yields.index, pd.DatetimeIndex):
        raise DataError("yields must be a DataFrame with a DatetimeIndex")
    try:
        maturities = [int(n) for n in yields.columns]
    except (TypeError, ValueError) as exc:
        raise DataError(
            f"yield columns must be maturities in months (integers), got {list(yields.columns)[:5]}"
        ) from exc
    missing = sorted(set(needed) - set(maturities))
    if missing:
        raise DataError(
            f"yields do not cover maturities {needed[0]}..{needed[-1]} months: missing "
            f"{_ranges(missing)} months"
        )
    if not yields.index.is_monotonic_increasing or yields.index.has_duplicates:
        raise DataError("yield dates must be sorted and unique")
    if maturities == list(needed):
        frame = yields.set_axis(maturities, axis=1).astype(np.float64)
    else:
        frame = yields.set_axis(maturities, axis=1).loc[:, list(needed)].astype(np.float64)
    values = frame.to_numpy()
    bad_rows = ~np.isfinite(values).all(axis=1)
    if bad_rows.any():
        dates = frame.index[bad_rows]
        shown = ", ".join(f"{d:%Y-%m-%d}" for d in dates[:5])
        more = f" and {len(dates) - 5} more" if len(dates) > 5 else ""
        raise DataError(f"NaN or infinite yields on {len(dates)} dates: {shown}{more}")
    if consecutive_months:
        dates = pd.DatetimeIndex(frame.index)
        months = dates.year * 12 + dates.month
        if len(months) < 3:
            raise DataError(f"need at least 3 months of yields, got {len(months)}")
        gaps = np.flatnonzero(np.diff(months) != 1)
        if gaps.size:
            shown = ", ".join(
                f"{frame.index[g]:%Y-%m}->{frame.index[g + 1]:%Y-%m}" for g in gaps[:5]
            )
            raise DataError(
                f"yields must be one observation per consecutive month; gaps or repeats at {shown}"
            )
    frame.columns = pd.Index(needed, name="maturity")
    return frame


def _check_choice(name: str, value: object, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise DataError(f"{name} must be one of {', '.join(allowed)}; got {value!r}")


def _validated_short_rate(short_rate: pd.Series | None, yields: pd.DataFrame) -> pd.Series:
    if short_rate is None:
        return yields[1].rename("short_rate")
    # rebuilt from the values: attrs (e.g. the splice's per-date source) are deep-copied by
    # every pandas operation and would dominate the cost of a fit
    plain = pd.Series(short_rate.to_numpy(dtype=np.float64), index=short_rate.index)
    aligned = plain.reindex(yields.index)
    missing = aligned.index[~np.isfinite(aligned.to_numpy())]
    if len(missing):
        shown = ", ".join(f"{d:%Y-%m-%d}" for d in missing[:5])
        raise DataError(f"short rate missing or NaN on {len(missing)} yield dates: {shown}")
    return aligned.rename("short_rate")


def _ranges(values: Sequence[int]) -> str:
    """``[1, 2, 3, 7]`` -> ``"1-3, 7"``."""
    parts: list[str] = []
    start = previous = values[0]
    for value in [*values[1:], None]:
        if value is not None and value == previous + 1:
            previous = value
            continue
        parts.append(str(start) if start == previous else f"{start}-{previous}")
        if value is not None:
            start = previous = value
    return ", ".join(parts)


__all__ = ["ACM", "ACMParameters", "ACMResults", "Decomposition", "principal_components"]
