"""Rigobon-Sack identification through heteroskedasticity: foreign-yield responses to U.S. yields.

Simultaneous model of a U.S. yield change ``u`` and a foreign one ``f`` (same window, e.g.
two-day changes so that markets closing before the U.S. announcement react):

.. math:: f_t = \\beta u_t + \\varepsilon_t, \\qquad u_t = \\alpha f_t + \\eta_t

OLS of ``f`` on ``u`` is biased when ``alpha != 0`` (foreign news moves U.S. yields too) or
common shocks hit both. On announcement days (A) the variance of the U.S. shock ``eta`` rises
while that of ``epsilon`` (and of any common shock) stays as on comparable non-announcement days
(N). Then (Rigobon and Sack 2004)

.. math:: \\hat\\beta_{RS} = \\frac{\\mathrm{cov}_A(u, f) - \\mathrm{cov}_N(u, f)}
                                {\\mathrm{var}_A(u) - \\mathrm{var}_N(u)}

identifies the response of foreign yields to U.S. yields; equivalently the IV estimate with
instrument ``w_t = u_t (1_A / T_A - 1_N / T_N)``. Inference: a bootstrap that resamples the A
days and the N days independently (``replications`` replicates, percentile interval), the standard
choice because the estimator's distribution is far from normal when the variance rise is small.
Identification needs ``var_A(u) > var_N(u)`` clearly: the results report the variance ratio and
its bootstrap interval, and a ratio interval that includes one means the estimate is not
identified. OLS on all days (Newey-West) and on announcement days (White) are reported beside.
With ``non_event="all"`` and two-day windows the N windows overlap; resampling them one by one
treats them as independent, which slightly understates the spread of ``var_N`` and ``cov_N``
(the A windows, a week or more apart, do not overlap).

References
----------
Rigobon, R. and Sack, B. (2004), "The impact of monetary policy on asset prices", JME 51.
Rigobon, R. (2003), "Identification through heteroskedasticity", REStat 85.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ustpull._results import Results
from ustpull._typing import NonEventDays
from ustpull.crossasset.stats import HACResult, align, hac_ols
from ustpull.errors import DataError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["NonEventDays", "RigobonSack", "RigobonSackResults", "rigobon_sack_beta"]


def rigobon_sack_beta(
    u_event: np.ndarray, f_event: np.ndarray, u_other: np.ndarray, f_other: np.ndarray
) -> np.ndarray:
    """``beta_RS`` (module docstring) along the last axis; leading axes are replicates."""

    def moments(u: np.ndarray, f: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        uc = u - u.mean(axis=-1, keepdims=True)
        fc = f - f.mean(axis=-1, keepdims=True)
        n = u.shape[-1] - 1
        return (uc * fc).sum(axis=-1) / n, (uc * uc).sum(axis=-1) / n

    cov_a, var_a = moments(u_event, f_event)
    cov_n, var_n = moments(u_other, f_other)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (cov_a - cov_n) / (var_a - var_n)


class RigobonSackResults(Results):
    """Identified and OLS responses with intervals (read-only)."""

    def __init__(self, table: pd.DataFrame, diagnostics: dict[str, float]) -> None:
        self._table = table
        self._diagnostics = diagnostics

    @property
    def table(self) -> pd.DataFrame:
        """Rows ``rigobon_sack``, ``ols_all_days``, ``ols_event_days``: ``beta``, ``ci_low``,
        ``ci_high`` (95%), ``method``."""
        return self._table.copy()

    @property
    def beta(self) -> float:
        """The identified response ``beta_RS``."""
        return float(self._table["beta"].to_numpy()[0])

    @property
    def identified(self) -> bool:
        """True when the 95% interval of ``var_A(u) / var_N(u)`` lies above one."""
        return self._diagnostics["variance_ratio_ci_low"] > 1.0

    @property
    def diagnostics(self) -> dict[str, float]:
        """Counts of A and N days, the variance ratio and its interval."""
        return dict(self._diagnostics)

    def summary(self) -> str:
        """Text table and identification diagnostics."""
        d = self._diagnostics
        return "\n".join(
            [
                "Rigobon-Sack response of the foreign yield to the U.S. yield:",
                self._table.to_string(float_format=lambda v: f"{v:.4f}"),
                f"announcement days {d['n_event']:.0f}, other days {d['n_other']:.0f}; "
                f"var_A(u)/var_N(u) = {d['variance_ratio']:.2f} "
                f"[{d['variance_ratio_ci_low']:.2f}, {d['variance_ratio_ci_high']:.2f}]"
                + ("" if self.identified else " - NOT identified"),
            ]
        )

    def plot(self) -> Figure:
        """The three betas with their 95% intervals."""
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(5, 3))
        beta = self._table["beta"].to_numpy(dtype=float)
        err = np.vstack(
            [beta - self._table["ci_low"].to_numpy(float), self._table["ci_high"] - beta]
        )
        ax.errorbar(range(len(beta)), beta, yerr=err, fmt="o")
        ax.set_xticks(range(len(beta)), list(self._table.index))
        ax.set_ylabel("foreign bp per U.S. bp")
        fig.tight_layout()
        return fig


class RigobonSack:
    """Identification through heteroskedasticity (specification; module docstring).

    Parameters
    ----------
    us, foreign
        Changes over the same windows (e.g. two-day changes in bp), indexed by the window's
        first day (the announcement day for A windows).
    events
        Announcement dates (A); the others are N.
    non_event
        ``"all"``: every non-announcement window not within a day of an event; ``"preceding"``:
        the window just before each event (Rigobon-Sack's choice, as many N as A windows).

    The bootstrap's ``replications`` and ``seed`` are arguments of :meth:`fit`.
    """

    def __init__(
        self,
        us: pd.Series,
        foreign: pd.Series,
        events: pd.DatetimeIndex,
        *,
        non_event: NonEventDays = "all",
    ) -> None:
        if non_event not in ("all", "preceding"):
            raise DataError(f"non_event must be 'all' or 'preceding', got {non_event!r}")
        data = align(us.rename("u"), foreign.rename("f"))
        positions = data.index.get_indexer(pd.DatetimeIndex(events))
        positions = positions[positions >= 0]
        if len(positions) < 20:
            raise DataError(f"Rigobon-Sack: {len(positions)} announcement windows, need 20")
        is_event = np.zeros(len(data), dtype=bool)
        is_event[positions] = True
        if non_event == "preceding":
            other = np.zeros(len(data), dtype=bool)
            other[positions[positions >= 2] - 2] = True
            other &= ~is_event
        else:
            near = np.zeros(len(data), dtype=bool)
            for lag in (-1, 0, 1):
                near[np.clip(positions + lag, 0, len(data) - 1)] = True
            other = ~near
        self._data = data
        self._event = is_event
        self._other = other
        self.non_event: NonEventDays = non_event

    def fit(self, *, replications: int = 999, seed: int = 0) -> RigobonSackResults:
        """``beta_RS`` with its bootstrap interval (``replications`` replicates of the A and N
        windows, seeded by ``seed``), beside the OLS betas."""
        u, f = self._data["u"].to_numpy(), self._data["f"].to_numpy()
        ua, fa = u[self._event], f[self._event]
        un, fn = u[self._other], f[self._other]
        beta = float(rigobon_sack_beta(ua, fa, un, fn))
        rng = np.random.default_rng(seed)
        ia = rng.integers(0, len(ua), size=(replications, len(ua)))
        i_n = rng.integers(0, len(un), size=(replications, len(un)))
        reps = rigobon_sack_beta(ua[ia], fa[ia], un[i_n], fn[i_n])
        ratio_reps = ua[ia].var(axis=1, ddof=1) / un[i_n].var(axis=1, ddof=1)
        low, high = np.nanquantile(reps, [0.025, 0.975])
        rows = {"rigobon_sack": (beta, float(low), float(high), "bootstrap A/N days, percentile")}
        ols = hac_ols(self._data["f"], self._data["u"])
        rows["ols_all_days"] = self._ols_row(ols, "Newey-West")
        event_index = self._data.index[self._event]
        ols_event = hac_ols(
            self._data["f"].loc[event_index], self._data["u"].loc[event_index], lags=0
        )
        rows["ols_event_days"] = self._ols_row(ols_event, "White")
        table = pd.DataFrame(rows, index=["beta", "ci_low", "ci_high", "method"]).T
        table[["beta", "ci_low", "ci_high"]] = table[["beta", "ci_low", "ci_high"]].astype(float)
        ratio_low, ratio_high = np.quantile(ratio_reps, [0.025, 0.975])
        diagnostics = {
            "n_event": float(len(ua)),
            "n_other": float(len(un)),
            "variance_ratio": float(ua.var(ddof=1) / un.var(ddof=1)),
            "variance_ratio_ci_low": float(ratio_low),
            "variance_ratio_ci_high": float(ratio_high),
        }
        return RigobonSackResults(table.rename_axis("estimator"), diagnostics)

    @staticmethod
    def _ols_row(fit: HACResult, method: str) -> tuple[float, float, float, str]:
        b, se = float(fit.params["u"]), float(fit.bse["u"])
        return (b, b - 1.96 * se, b + 1.96 * se, method)
