"""DCC-GARCH(1,1): time-varying correlation of daily returns (Engle 2002).

Two-step quasi-maximum likelihood:

1. each return ``r_{it}`` (decimal) gets a constant mean and a GARCH(1,1) variance

   .. math:: \\varepsilon_{it} = r_{it} - \\mu_i, \\qquad
             h_{it} = \\omega_i + \\alpha_i \\varepsilon_{i,t-1}^2 + \\beta_i h_{i,t-1}

   (``mu_i`` the sample mean, ``h_{i1}`` the sample variance), fitted by Gaussian QML;
2. the standardised residuals ``z_t = eps_t / sqrt(h_t)`` drive

   .. math:: Q_t = (1 - a - b) \\bar Q + a z_{t-1} z_{t-1}' + b Q_{t-1}, \\qquad
             R_t = \\mathrm{diag}(Q_t)^{-1/2} Q_t \\mathrm{diag}(Q_t)^{-1/2}

   with ``Q_bar`` the sample second moment of ``z`` (correlation targeting) and ``Q_1 = Q_bar``;
   ``(a, b)`` maximise ``-1/2 sum_t (log|R_t| + z_t' R_t^{-1} z_t)``.

Both recursions are linear filters, run for all dates at once by ``scipy.signal.lfilter`` (no
Python loop over days). Optimiser: SLSQP with ``alpha + beta < 1`` and ``a + b < 1``, started
from a small grid. Standard errors: QML sandwich ``H^{-1} (S'S) H^{-1}`` from numerical scores
and Hessian (Bollerslev-Wooldridge 1992); the DCC step takes the GARCH step as known (the
two-step correction of Engle and Sheppard 2001 is not applied, so its errors are a little
small). Intervals: estimate +- 1.96 se.

References
----------
Engle, R. F. (2002), "Dynamic conditional correlation", JBES 20, 339-350.
Engle, R. F. and Sheppard, K. (2001), NBER WP 8554.
Bollerslev, T. and Wooldridge, J. M. (1992), Econometric Reviews 11, 143-172.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import optimize, signal
from scipy import stats as scipy_stats

from ustpull._results import Results
from ustpull.crossasset.stats import align
from ustpull.errors import DataError, FitError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ustpull.charts import Chart

__all__ = [
    "DCCGarch",
    "DCCGarchResults",
    "dcc_correlations",
    "dcc_loglikelihoods",
    "garch_loglikelihoods",
    "garch_variance",
]

_LOG_2PI = math.log(2.0 * math.pi)
_STATIONARITY = 0.9999


def garch_variance(eps: np.ndarray, omega: float, alpha: float, beta: float) -> np.ndarray:
    """Conditional variances ``h_t`` of the module docstring, all dates at once.

    ``h_1`` is the sample variance (backcast); ``h_t - beta h_{t-1} = omega + alpha eps_{t-1}^2``
    is a first-order linear filter.
    """
    drive = np.empty_like(eps)
    drive[0] = np.mean(eps**2)
    drive[1:] = omega + alpha * eps[:-1] ** 2
    return signal.lfilter([1.0], [1.0, -beta], drive)


def garch_loglikelihoods(params: np.ndarray, eps: np.ndarray) -> np.ndarray:
    """Gaussian log-likelihood of each date for ``params = (omega, alpha, beta)``."""
    h = garch_variance(eps, float(params[0]), float(params[1]), float(params[2]))
    h = np.maximum(h, 1e-300)
    return -0.5 * (_LOG_2PI + np.log(h) + eps**2 / h)


def dcc_correlations(z: np.ndarray, a: float, b: float) -> np.ndarray:
    """``R_t`` for every date, shape ``(T, k, k)``, from standardised residuals ``z`` (T, k)."""
    t_obs, k = z.shape
    q_bar = z.T @ z / t_obs
    outer = np.einsum("ti,tj->tij", z, z).reshape(t_obs, k * k)
    drive = np.empty_like(outer)
    drive[0] = q_bar.ravel()
    drive[1:] = (1.0 - a - b) * q_bar.ravel() + a * outer[:-1]
    q = signal.lfilter([1.0], [1.0, -b], drive, axis=0).reshape(t_obs, k, k)
    scale = 1.0 / np.sqrt(np.einsum("tii->ti", q))
    return q * scale[:, :, None] * scale[:, None, :]


def dcc_loglikelihoods(params: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Correlation part of the log-likelihood of each date for ``params = (a, b)``.

    Parameters outside the stationary region (``a, b >= 0``, ``a + b < 1``), where ``Q_t``
    may lose positive definiteness, give ``-inf`` on every date.
    """
    a, b = float(params[0]), float(params[1])
    if a < 0.0 or b < 0.0 or a + b >= 1.0:
        return np.full(len(z), -np.inf)
    r = dcc_correlations(z, a, b)
    sign, logdet = np.linalg.slogdet(r)
    if np.any(sign <= 0) or not np.all(np.isfinite(logdet)):
        return np.full(len(z), -np.inf)
    quad = np.einsum("ti,ti->t", z, np.linalg.solve(r, z[:, :, None])[:, :, 0])
    return -0.5 * (logdet + quad - np.einsum("ti,ti->t", z, z))


def _numerical_scores(
    contributions: Callable[[np.ndarray], np.ndarray], params: np.ndarray
) -> np.ndarray:
    steps = 1e-5 * np.maximum(np.abs(params), 1e-3)
    columns = []
    for i, step in enumerate(steps):
        up, down = params.copy(), params.copy()
        up[i] += step
        down[i] -= step
        columns.append((contributions(up) - contributions(down)) / (2.0 * step))
    return np.column_stack(columns)


def _sandwich(contributions: Callable[[np.ndarray], np.ndarray], params: np.ndarray) -> np.ndarray:
    """QML sandwich covariance from numerical scores and a numerical Hessian of the sum."""
    scores = _numerical_scores(contributions, params)
    steps = 1e-4 * np.maximum(np.abs(params), 1e-3)
    k = len(params)
    hessian = np.empty((k, k))
    for i in range(k):
        up, down = params.copy(), params.copy()
        up[i] += steps[i]
        down[i] -= steps[i]
        grad_up = _numerical_scores(contributions, up).sum(axis=0)
        grad_down = _numerical_scores(contributions, down).sum(axis=0)
        hessian[i] = (grad_up - grad_down) / (2.0 * steps[i])
    hessian = 0.5 * (hessian + hessian.T)
    try:
        inverse = np.linalg.inv(hessian)
    except np.linalg.LinAlgError:
        return np.full((k, k), np.nan)
    return inverse @ (scores.T @ scores) @ inverse


def _maximise(
    contributions: Callable[[np.ndarray], np.ndarray],
    starts: list[np.ndarray],
    bounds: list[tuple[float, float]],
    persistence: slice,
    name: str,
) -> np.ndarray:
    def objective(p: np.ndarray) -> float:
        value = -float(np.sum(contributions(p)))
        return value if np.isfinite(value) else 1e12

    constraint = {"type": "ineq", "fun": lambda p: _STATIONARITY - float(np.sum(p[persistence]))}
    best: optimize.OptimizeResult | None = None
    for start in starts:
        result = optimize.minimize(
            objective,
            start,
            method="SLSQP",
            bounds=bounds,
            constraints=[constraint],
            options={"maxiter": 300, "ftol": 1e-10},
        )
        if best is None or result.fun < best.fun:
            best = result
    if best is None or not np.all(np.isfinite(best.x)):
        raise FitError(f"DCC-GARCH: the optimiser found no finite optimum for {name}")
    return np.asarray(best.x, dtype=float)


class DCCGarchResults(Results):
    """Fitted DCC-GARCH(1,1): parameters with intervals, volatilities and correlations."""

    def __init__(
        self,
        params: pd.DataFrame,
        volatility: pd.DataFrame,
        correlations: np.ndarray,
        columns: list[str],
        loglikelihood: float,
    ) -> None:
        self._params = params
        self._volatility = volatility
        self._correlations = correlations
        self._columns = columns
        self._loglikelihood = loglikelihood

    @property
    def params(self) -> pd.DataFrame:
        """One row per parameter (``<series>.mu/omega/alpha/beta``, ``dcc.a``, ``dcc.b``):
        estimate, std_err, ci_low, ci_high (95%)."""
        return self._params.copy()

    @property
    def conditional_volatility(self) -> pd.DataFrame:
        """``sqrt(h_t)`` per series (units of the returns, per period)."""
        return self._volatility.copy()

    @property
    def conditional_correlation(self) -> pd.DataFrame:
        """``R_t`` off-diagonal elements, one column per pair ``"a~b"``."""
        index = self._volatility.index
        data = {
            f"{self._columns[i]}~{self._columns[j]}": self._correlations[:, i, j]
            for i in range(len(self._columns))
            for j in range(i + 1, len(self._columns))
        }
        return pd.DataFrame(data, index=index)

    @property
    def loglikelihood(self) -> float:
        """Total Gaussian log-likelihood (GARCH parts plus the correlation part)."""
        return self._loglikelihood

    @property
    def data_through(self) -> pd.Timestamp:
        """Last date of the sample."""
        return pd.Timestamp(self._volatility.index[-1])

    def summary(self) -> str:
        """Parameter table and the latest correlations."""
        latest = self.conditional_correlation.iloc[-1]
        return "\n".join(
            [
                f"DCC-GARCH(1,1), {len(self._volatility)} obs "
                f"{self._volatility.index[0]:%Y-%m-%d}..{self.data_through:%Y-%m-%d}, "
                f"log-likelihood {self._loglikelihood:.1f}",
                self._params.to_string(float_format=lambda v: f"{v:.6g}"),
                "latest conditional correlation: "
                + ", ".join(f"{k} {v:+.3f}" for k, v in latest.items()),
            ]
        )

    def chart(self) -> Chart:
        """The DCC line of the report's ``stock_bond_dcc`` chart (first pair, sampled weekly),
        :func:`~ustpull.crossasset.stocks_charts.dcc_chart`; the report adds the rolling
        correlation and the estimated breaks, which these results do not hold."""
        from ustpull.crossasset.stocks_charts import dcc_chart

        return dcc_chart(self)

    def plot(self) -> Figure:
        """Conditional correlations."""
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(10, 4))
        self.conditional_correlation.plot(ax=ax, linewidth=0.7)
        ax.axhline(0.0, color="black", linewidth=0.5)
        ax.set_ylabel("DCC correlation")
        fig.tight_layout()
        return fig


class DCCGarch:
    """DCC-GARCH(1,1) of two or more return series (specification; module docstring).

    Parameters
    ----------
    returns
        Returns (decimal or percent, the same for all columns), one column per series, on
        common dates (rows with a missing value are dropped, never filled).
    """

    def __init__(self, returns: pd.DataFrame) -> None:
        if returns.shape[1] < 2:
            raise DataError(f"DCC-GARCH needs at least two series, got {list(returns.columns)}")
        data = align(returns)
        if len(data) < 250:
            raise DataError(f"DCC-GARCH: {len(data)} common observations, need at least 250")
        std = data.std()
        flat = std.index[std.to_numpy() <= 0.0]
        if len(flat):
            raise DataError(f"DCC-GARCH: series {list(flat)} are constant")
        self._data = data

    def _fit_garch(self, eps: np.ndarray, name: str) -> tuple[np.ndarray, np.ndarray]:
        scale = float(np.std(eps))
        scaled = eps / scale
        starts = [np.array([1.0 - a - b, a, b]) for a, b in ((0.05, 0.9), (0.1, 0.85), (0.1, 0.6))]
        bounds = [(1e-6, 10.0), (0.0, 1.0), (0.0, 1.0)]
        params = _maximise(
            lambda p: garch_loglikelihoods(p, scaled), starts, bounds, slice(1, 3), name
        )
        cov = _sandwich(lambda p: garch_loglikelihoods(p, scaled), params)
        unscale = np.array([scale**2, 1.0, 1.0])
        return params * unscale, cov * np.outer(unscale, unscale)

    def fit(self) -> DCCGarchResults:
        """Two-step QML estimates, their sandwich standard errors and the correlation paths."""
        values = self._data.to_numpy(dtype=float)
        columns = [str(c) for c in self._data.columns]
        eps = values - values.mean(axis=0)
        rows: dict[str, tuple[float, float]] = {}
        z = np.empty_like(eps)
        volatility = np.empty_like(eps)
        loglik = 0.0
        for i, name in enumerate(columns):
            params, cov = self._fit_garch(eps[:, i], name)
            se_mu = float(np.std(eps[:, i]) / math.sqrt(len(eps)))
            rows[f"{name}.mu"] = (float(values[:, i].mean()), se_mu)
            for j, label in enumerate(("omega", "alpha", "beta")):
                rows[f"{name}.{label}"] = (float(params[j]), float(math.sqrt(max(cov[j, j], 0))))
            volatility[:, i] = np.sqrt(garch_variance(eps[:, i], *params))
            z[:, i] = eps[:, i] / volatility[:, i]
            loglik += float(np.sum(garch_loglikelihoods(params, eps[:, i])))
        starts = [np.array(s) for s in ((0.02, 0.95), (0.05, 0.9), (0.01, 0.7))]
        dcc = _maximise(
            lambda p: dcc_loglikelihoods(p, z), starts, [(0.0, 1.0), (0.0, 1.0)], slice(0, 2), "DCC"
        )
        cov = _sandwich(lambda p: dcc_loglikelihoods(p, z), dcc)
        for j, label in enumerate(("a", "b")):
            rows[f"dcc.{label}"] = (float(dcc[j]), float(math.sqrt(max(cov[j, j], 0.0))))
        loglik += float(np.sum(dcc_loglikelihoods(dcc, z)))
        table = pd.DataFrame(rows, index=["estimate", "std_err"]).T.rename_axis("parameter")
        crit = float(scipy_stats.norm.ppf(0.975))
        table["ci_low"] = table["estimate"] - crit * table["std_err"]
        table["ci_high"] = table["estimate"] + crit * table["std_err"]
        return DCCGarchResults(
            table,
            pd.DataFrame(volatility, index=self._data.index, columns=self._data.columns),
            dcc_correlations(z, dcc[0], dcc[1]),
            columns,
            loglik,
        )
