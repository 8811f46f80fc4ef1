"""NSS curves fitted to coupon-bond prices, with the Gürkaynak-Sack-Wright bond selection.

The model dirty price of bond ``i`` with payments ``A_ij`` at times ``t_j`` (years) is

.. math:: P_i(\\theta) = \\sum_j A_{ij} \\exp(-y(t_j; \\theta)\\, t_j / 100)

with ``y`` the NSS zero yield (percent, continuously compounded; :mod:`ustpull.curves.nss`).
Following GSW (2007, section 3) the parameters minimise duration-weighted price errors

.. math:: \\min_\\theta \\sum_i \\left(\\frac{P_i(\\theta) - P_i^{obs}}{D_i}\\right)^2

(``D_i`` Macaulay duration in years), which makes each term about the bond's yield error
times its price. Bond selection (GSW 2007, section 2): no bills, nothing within three months
of maturity, no on-the-run or first off-the-run issue of a benchmark tenor, no callable or
flower bonds.

References
----------
Gürkaynak, R. S., Sack, B. and Wright, J. H. (2007), "The U.S. Treasury Yield Curve: 1961 to
the Present", Journal of Monetary Economics 54(8), 2291-2304.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ustpull._results import Results
from ustpull.conventions import to_continuous
from ustpull.curves.bonds import CashflowMatrix, cashflow_matrix
from ustpull.curves.nss_formulas import PARAM_NAMES, Model, nss_zero_yield
from ustpull.curves.nss_optimiser import (
    _free_to_theta,
    _grid_starts,
    _levenberg_marquardt,
    _projected_fit,
    _theta_to_free,
    _zero_model_and_jacobian,
)
from ustpull.errors import DataError, FitError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "US_BENCHMARK_ISSUES",
    "NSSPriceFit",
    "PriceFitResults",
    "gsw_selection",
]

US_BENCHMARK_ISSUES: dict[int, int] = {2: 1, 3: 1, 5: 1, 7: 1, 10: 3, 20: 3, 30: 3}
"""U.S. Treasury benchmark tenors (years) and months between new issues (10y/20y/30y are
issued quarterly and reopened in between, so a reopening keeps the maturity date)."""

MIN_MATURITY_YEARS = 0.25
"""GSW drop securities with less than three months to maturity."""

_SLACK_DAYS = 16  # maturities of one monthly cycle fall on the 15th or the month end


def gsw_selection(
    cashflows: CashflowMatrix,
    *,
    callable_bonds: NDArray[np.bool_] | None = None,
    exclude: tuple[str, ...] = (),
    benchmark_issues: dict[int, int] | None = None,
) -> pd.DataFrame:
    """Which securities enter a GSW fit, and why the others do not.

    Parameters
    ----------
    cashflows : CashflowMatrix
        The day's securities (:func:`ustpull.curves.bonds.cashflow_matrix`).
    callable_bonds : array of bool, optional
        True for callable bonds (e.g. FedInvest rows with a call date); flower bonds, which
        no longer exist (the last matured in 1998), belong here too.
    exclude : tuple of str
        CUSIPs to drop in addition (e.g. on-the-run issues known from auction data).
    benchmark_issues : dict, optional
        Tenor (years) -> months between new issues; default :data:`US_BENCHMARK_ISSUES`.

    Returns
    -------
    DataFrame
        Indexed by CUSIP: ``included`` (bool) and ``reason`` (empty when included; else
        ``bill``, ``under 3 months``, ``on-the-run 10y``, ``first off-the-run 10y``,
        ``callable/flower``, ``excluded by caller``).

    Notes
    -----
    Without issue dates the most recent issue of tenor ``T`` is identified by maturity:
    the security maturing latest within ``(settle + T - 2 cycles, settle + T]`` (notes for
    tenors up to 10 years, bonds above); the first off-the-run is the latest one maturing
    at least half a cycle before it and no more than one cycle and ``16`` days earlier.
    Every security sharing either maturity date goes too (reopenings, old 30-year bonds
    that now mature with a new 20-year).
    """
    issues = US_BENCHMARK_ISSUES if benchmark_issues is None else benchmark_issues
    reason = np.full(len(cashflows.cusips), "", dtype=object)
    maturity = cashflows.maturity
    settle = cashflows.settlement

    def mark(mask: NDArray[np.bool_], label: str) -> None:
        reason[mask & (reason == "")] = label

    mark(np.asarray(cashflows.security_type == "bill"), "bill")
    mark(cashflows.maturity_times < MIN_MATURITY_YEARS, "under 3 months")
    if callable_bonds is not None:
        mark(np.asarray(callable_bonds, dtype=bool), "callable/flower")
    mark(np.asarray(cashflows.cusips.isin(exclude)), "excluded by caller")
    coupon_type = np.asarray(cashflows.security_type)
    for tenor, cycle in issues.items():
        kind = "note" if tenor <= 10 else "bond"
        latest_possible = settle + pd.DateOffset(years=tenor)
        window_start = latest_possible - pd.DateOffset(months=2 * cycle)
        candidates = (
            (coupon_type == kind) & (maturity > window_start) & (maturity <= latest_possible)
        )
        if not candidates.any():
            continue
        on_the_run = maturity[candidates].max()
        mark(np.asarray(maturity == on_the_run), f"on-the-run {tenor}y")
        earliest = on_the_run - pd.DateOffset(months=cycle) - pd.Timedelta(days=_SLACK_DAYS)
        latest = on_the_run - pd.Timedelta(days=int(15 * cycle))
        previous = (coupon_type == kind) & (maturity >= earliest) & (maturity <= latest)
        if previous.any():
            first_off = maturity[previous].max()
            mark(np.asarray(maturity == first_off), f"first off-the-run {tenor}y")
    return pd.DataFrame(
        {"included": reason == "", "reason": reason.astype(str)}, index=cashflows.cusips
    )


class PriceFitResults(Results):
    """Read-only results of an NSS fit to one day's bond prices."""

    def __init__(
        self,
        params: pd.Series,
        cashflows: CashflowMatrix,
        selection: pd.DataFrame,
        *,
        converged: bool,
        model: str,
    ) -> None:
        self._params = params
        self._cashflows = cashflows
        self._selection = selection
        self._converged = converged
        self._model = model

    @property
    def _model_dirty(self) -> NDArray[np.float64]:
        cf = self._cashflows
        zero = nss_zero_yield(self._params.to_numpy()[None, :], cf.times)[0]
        return cf.amounts @ np.exp(-zero * cf.times / 100.0)

    @property
    def params(self) -> pd.Series:
        """``beta0..beta3`` (percent), ``tau1, tau2`` (years)."""
        return self._params.copy()

    @property
    def converged(self) -> bool:
        """Whether the optimiser converged."""
        return self._converged

    @property
    def settlement(self) -> pd.Timestamp:
        """Settlement date: time zero of the curve."""
        return self._cashflows.settlement

    @property
    def selection(self) -> pd.DataFrame:
        """Per CUSIP: ``included`` and the exclusion ``reason`` (:func:`gsw_selection`)."""
        return self._selection.copy()

    @property
    def bonds(self) -> pd.DataFrame:
        """Per security (all, fitted or not): maturity, observed and model clean prices, the
        price error and its first-order yield error in bp (model minus observed yield,
        ``-(P_model - P_obs) / (D_mod P_dirty) 1e4``), and ``included``."""
        cf = self._cashflows
        model_clean = self._model_dirty - cf.accrued
        price_error = model_clean - cf.clean_price
        return pd.DataFrame(
            {
                "maturity": cf.maturity,
                "maturity_years": cf.maturity_times,
                "clean_price": cf.clean_price,
                "model_clean_price": model_clean,
                "price_error": price_error,
                "yield_error_bp": -price_error / (cf.modified_duration * cf.dirty_price) * 1e4,
                "included": self._selection["included"].to_numpy(),
            },
            index=cf.cusips,
        )

    @property
    def rmse_bp(self) -> float:
        """Root mean squared first-order yield error of the fitted bonds, basis points."""
        errors = self.bonds.loc[lambda frame: frame["included"], "yield_error_bp"]
        return float(np.sqrt(np.mean(errors.to_numpy() ** 2)))

    def zero_yield(self, maturities_years: NDArray[np.float64] | list[float]) -> pd.Series:
        """Model zero yields (percent, continuously compounded) at maturities in years."""
        times = np.asarray(maturities_years, dtype=np.float64)
        values = nss_zero_yield(self._params.to_numpy()[None, :], times)[0]
        return pd.Series(values, index=pd.Index(times, name="maturity_years"), name="zero_yield")

    def summary(self) -> str:
        """Parameters, fit quality and the selection counts."""
        bonds = self.bonds
        reasons = self._selection.loc[~self._selection["included"], "reason"].value_counts()
        lines = [
            f"{self._model.upper()} fit to bond prices, settlement {self.settlement:%Y-%m-%d}",
            "=" * 60,
            f"Bonds fitted: {int(bonds['included'].sum())} of {len(bonds)}; "
            f"converged: {self._converged}",
            f"Yield errors (bp): rmse {self.rmse_bp:.2f}, max "
            f"{bonds.loc[bonds['included'], 'yield_error_bp'].abs().max():.2f}",
            "-" * 60,
            *(f"{name:<8}{value:>14.6f}" for name, value in self._params.items()),
            "-" * 60,
            "Excluded: " + ", ".join(f"{reason} {count}" for reason, count in reasons.items()),
        ]
        return "\n".join(lines)

    def __repr__(self) -> str:
        day = f"{self.settlement:%Y-%m-%d}"
        return f"<PriceFitResults {self._model} {day}: rmse {self.rmse_bp:.2f} bp>"

    def plot(self) -> Figure:
        """Zero curve with the bonds' yield errors."""
        import matplotlib.pyplot as plt

        bonds = self.bonds
        grid = np.linspace(0.05, max(30.0, float(bonds["maturity_years"].max())), 200)
        fig, (ax_curve, ax_error) = plt.subplots(1, 2, figsize=(11, 4))
        ax_curve.plot(grid, self.zero_yield(grid).to_numpy())
        ax_curve.set(xlabel="maturity (years)", ylabel="zero yield (%)", title="NSS zero curve")
        used = bonds["included"].to_numpy()
        ax_error.scatter(bonds["maturity_years"][used], bonds["yield_error_bp"][used], s=12)
        ax_error.scatter(
            bonds["maturity_years"][~used], bonds["yield_error_bp"][~used], s=12, marker="x"
        )
        ax_error.axhline(0.0, color="black", linewidth=0.5)
        ax_error.set(xlabel="maturity (years)", ylabel="model - observed yield (bp)")
        fig.tight_layout()
        return fig


class NSSPriceFit:
    """NS/NSS curve fitted to one day's coupon-bond prices (GSW 2007).

    Parameters
    ----------
    bonds : DataFrame
        A bond table (:func:`ustpull.curves.bonds.bond_table`: ``cusip``,
        ``security_type``, ``coupon`` (decimal), ``maturity``, ``clean_price`` or
        ``buy``/``sell``); an optional ``call_date`` column marks callable bonds.
    settlement : date-like
        Settlement date (time zero).
    model : {"nss", "ns"}
    exclude : tuple of str
        CUSIPs to leave out in addition to the GSW rules (:func:`gsw_selection`).

    Examples
    --------
    >>> res = NSSPriceFit(table, "2024-06-27").fit()  # doctest: +SKIP
    >>> res.zero_yield([2, 5, 10, 30])  # doctest: +SKIP
    """

    def __init__(
        self,
        bonds: pd.DataFrame,
        settlement: pd.Timestamp | str,
        *,
        model: Model = "nss",
        exclude: tuple[str, ...] = (),
    ) -> None:
        if model not in ("nss", "ns"):
            raise DataError(f"model must be 'nss' or 'ns', got {model!r}")
        callable_bonds = None
        if "call_date" in bonds.columns:
            callable_bonds = pd.to_datetime(bonds["call_date"]).notna().to_numpy()
        self._cashflows = cashflow_matrix(
            bonds.drop(columns="call_date", errors="ignore"), settlement
        )
        self._selection = gsw_selection(
            self._cashflows, callable_bonds=callable_bonds, exclude=exclude
        )
        self._model: Model = model
        used = self._selection["included"].to_numpy()
        n_params = 4 if model == "ns" else 6
        if used.sum() < n_params:
            raise FitError(
                f"only {int(used.sum())} securities pass the GSW selection on "
                f"{self._cashflows.settlement:%Y-%m-%d}; a {model.upper()} fit needs {n_params}"
            )
        cf = self._cashflows
        live = cf.amounts[used].any(axis=0)
        self._amounts = cf.amounts[used][:, live]
        self._times = cf.times[live]
        self._dirty = cf.dirty_price[used]
        self._weights = 1.0 / cf.macaulay_duration[used]

    @property
    def cashflows(self) -> CashflowMatrix:
        """All securities' cash flows and analytics."""
        return self._cashflows

    @property
    def selection(self) -> pd.DataFrame:
        """Per CUSIP: ``included`` and the exclusion ``reason``."""
        return self._selection.copy()

    def _evaluate(
        self, rows: NDArray[np.intp], free: NDArray[np.float64]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Weighted price residuals and Jacobian for each row of free parameters.

        ``dP_i/dp = sum_j A_ij d(t_j) (-t_j/100) dy(t_j)/dp``.
        """
        zero, zero_jacobian = _zero_model_and_jacobian(
            self._times, _free_to_theta(free, self._model), self._model
        )
        discount = np.exp(-zero * self._times / 100.0)
        prices = discount @ self._amounts.T
        d_discount = -(discount * self._times / 100.0)[..., None] * zero_jacobian
        jacobian = self._amounts @ d_discount
        residual = (prices - self._dirty) * self._weights
        return residual, jacobian * self._weights[:, None]

    def fit(
        self,
        *,
        start: pd.Series | NDArray[np.float64] | None = None,
        n_starts: int = 4,
        max_iter: int = 200,
    ) -> PriceFitResults:
        """Minimise the duration-weighted squared price errors.

        Parameters
        ----------
        start : Series or array of 6, optional
            Warm start (e.g. the previous day's parameters): one Levenberg-Marquardt run
            from there. Default: ``n_starts`` starts from a variable-projection grid fit of
            the NSS curve to the bonds' continuously compounded yields to maturity.
        n_starts : int
            Cold starts.
        max_iter : int
            Levenberg-Marquardt iterations.

        Returns
        -------
        PriceFitResults
        """
        if start is None:
            starts = self._cold_starts(n_starts)
        else:
            theta = np.asarray(start, dtype=np.float64).reshape(1, 6)
            if not np.all(np.isfinite(theta[0, :5])):
                raise DataError(f"warm start has non-finite parameters: {theta[0]}")
            starts = theta
        log_taus = slice(3, 4) if self._model == "ns" else slice(4, 6)
        free, ssr, converged = _levenberg_marquardt(
            self._evaluate,
            _theta_to_free(starts, self._model),
            log_taus,
            max_iter=max_iter,
            initial_damping=1e-5,  # starts are close: begin near Gauss-Newton
        )
        best = int(np.argmin(ssr))
        theta = _free_to_theta(free[best : best + 1], self._model)
        return PriceFitResults(
            pd.Series(theta[0], index=list(PARAM_NAMES), name=self._cashflows.settlement),
            self._cashflows,
            self._selection,
            converged=bool(converged[best]),
            model=self._model,
        )

    def _cold_starts(self, n_starts: int) -> NDArray[np.float64]:
        """Grid starts from the bonds' yields to maturity as if they were zero yields."""
        used = self._selection["included"].to_numpy()
        cf = self._cashflows
        ytm = 100.0 * to_continuous(cf.yield_to_maturity[used], "semiannual", scale=1.0)  # %
        order = np.argsort(cf.maturity_times[used])
        times = cf.maturity_times[used][order]
        observed = ytm[order][None, :]
        taus = _grid_starts(observed, np.ones_like(observed), times, self._model, n_starts=n_starts)
        decays = taus[:, 0]
        repeated = np.repeat(observed, n_starts, axis=0)
        betas, _, _ = _projected_fit(repeated, np.ones_like(repeated), times, np.log(decays))
        starts = np.empty((n_starts, 6))
        starts[:, : betas.shape[1]] = betas
        if self._model == "ns":
            starts[:, 3], starts[:, 4], starts[:, 5] = 0.0, decays[:, 0], np.nan
        else:
            starts[:, 4:6] = decays
        return starts
