"""The general connectedness model: static, rolling or TVP-VAR; time or frequency domain.

:class:`ConnectednessModel` fits the coefficients :math:`A_{1,t}..A_{p,t}` and covariance
:math:`\\Sigma_t` of one of

* ``model="var"`` without ``window``: one VAR(p) with intercept by OLS on the whole sample
  (Diebold and Yilmaz 2012);
* ``model="var"`` with ``window=W``: the same on every window of ``W`` rows, dated by the window's
  last row;
* ``model="tvp-var"``: the TVP-VAR of Antonakakis, Chatziantoniou and Gabauer (2020), every
  date, with the prior estimated on the first ``window`` rows (:mod:`.tvp_var`);

then the generalized FEVD at horizon ``H`` (:mod:`.fevd`), per date and, with ``bands``, per
frequency band (Barunik and Krehlik 2018), and the measures of :mod:`.measures`. The averaged
table is the mean over dates of the tables (as ConnectednessApproach reports it).

Intervals (``fit(draws=D)``) come from ``D`` draws of the coefficients with :math:`\\Sigma_t`
held fixed: for the VAR a parametric bootstrap from the OLS estimator's distribution
:math:`\\operatorname{vec} B \\sim N(\\operatorname{vec} \\hat B, \\hat\\Sigma \\otimes (X'X)^{-1})`
(the slopes block), for the TVP-VAR the filtered distribution :math:`N(\\hat\\beta_t, S_t)`;
``bootstrap="residual"`` refits the static VAR on residual-bootstrap samples instead
(:mod:`.bootstrap`). Averaged measures of dynamic models get EWC intervals of the time mean
(:mod:`.inference`).

References
----------
Antonakakis, N., I. Chatziantoniou and D. Gabauer (2020), Journal of Risk and Financial
Management 13(4), 84. Barunik, J. and T. Krehlik (2018), Journal of Financial Econometrics 16(2),
271-296. Chatziantoniou, I. and D. Gabauer (2021), Quarterly Review of Economics and Finance 79,
1-14. Diebold, F. X. and K. Yilmaz (2012), International Journal of Forecasting 28(1), 57-66.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ustpull._typing import BootstrapKind, FloatArray, ModelKind, PriorKind
from ustpull.crossasset.connectedness.bands import FrequencyBands, parse_bands, period_unit
from ustpull.crossasset.connectedness.bootstrap import residual_bootstrap_var
from ustpull.crossasset.connectedness.fevd import (
    band_indicators,
    frequency_fevd,
    generalized_fevd,
    var_ma_coefficients,
)
from ustpull.crossasset.connectedness.results import ConnectednessModelResults, Draws
from ustpull.crossasset.connectedness.tvp_var import (
    TvpPrior,
    bayes_prior,
    flat_prior,
    minnesota_prior,
    tvp_var_filter,
)
from ustpull.crossasset.connectedness.var_ols import _SingularWindowError, rolling_var_ols
from ustpull.errors import DataError, FitError

# Dates per block of the batched FEVD (bounds memory: the frequency FEVD holds H+1 spectra).
DATE_CHUNK = 1000


def connectedness_shares(
    lag_matrices: FloatArray, sigma: FloatArray, horizon: int, bands: FrequencyBands | None
) -> FloatArray:
    """``(T, 1 + B, N, N)`` row shares: index 0 the whole table, then one per band.

    Without bands the whole table is the time-domain generalized FEVD at ``horizon``; with bands
    it is their sum (the time-domain table with ``horizon + 1`` terms, by Parseval).
    """
    parts = []
    indicators = None if bands is None else band_indicators(horizon + 1, bands.edges)
    for start in range(0, len(sigma), DATE_CHUNK):
        lags, cov = lag_matrices[start : start + DATE_CHUNK], sigma[start : start + DATE_CHUNK]
        if indicators is None:
            parts.append(generalized_fevd(var_ma_coefficients(lags, horizon), cov)[:, None])
        else:
            by_band = frequency_fevd(lags, cov, horizon, indicators)
            parts.append(np.concatenate([by_band.sum(axis=1, keepdims=True), by_band], axis=1))
    return np.concatenate(parts)


class ConnectednessModel:
    """Connectedness of ``N`` series from a VAR, a rolling VAR or a TVP-VAR (specification).

    Parameters
    ----------
    data
        One column per series (changes or returns: stationary), rows in time order, no missing
        values. A ``DatetimeIndex`` lets the bands be labelled in days, weeks or months.
    model
        ``var`` (static, or rolling with ``window``) or ``tvp-var``.
    lags
        VAR order ``p``.
    horizon
        Forecast horizon ``H`` of the FEVD (sums over ``h = 0..H-1``; the frequency
        decomposition evaluates :math:`\\Psi_0..\\Psi_H` at ``H + 1`` frequencies).
    window
        ``var``: rows per rolling window (``None``: one static fit). ``tvp-var``: rows whose
        first ``window - p`` set the ``bayes`` prior and whose covariance sets
        :math:`\\Sigma_0` for the other priors (default 200).
    kappa1, kappa2
        TVP-VAR forgetting factors of the coefficients and the covariance, in ``(0, 1]``.
    prior
        TVP-VAR prior: ``bayes``, ``minnesota`` or ``flat``.
    gamma
        Minnesota prior variance of the first lag.
    bands
        Band boundaries in periods, e.g. ``(1, 5, inf)`` or ``"1,5,inf"``; ``None`` for the
        time domain only.

    Examples
    --------
    >>> res = ConnectednessModel(changes, model="tvp-var", horizon=10).fit()  # doctest: +SKIP
    >>> res.tci, res.net  # doctest: +SKIP
    """

    def __init__(
        self,
        data: pd.DataFrame,
        *,
        model: ModelKind = "var",
        lags: int = 1,
        horizon: int = 10,
        window: int | None = None,
        kappa1: float = 0.99,
        kappa2: float = 0.99,
        prior: PriorKind = "bayes",
        gamma: float = 0.1,
        bands: Sequence[float] | str | None = None,
    ) -> None:
        if model not in ("var", "tvp-var"):
            raise ValueError(f"model must be 'var' or 'tvp-var', got {model!r}")
        if prior not in ("bayes", "minnesota", "flat"):
            raise ValueError(f"prior must be 'bayes', 'minnesota' or 'flat', got {prior!r}")
        if lags < 1 or horizon < 1:
            raise ValueError(f"lags and horizon must be at least 1, got {lags} and {horizon}")
        for name, kappa in (("kappa1", kappa1), ("kappa2", kappa2)):
            if not 0.0 < kappa <= 1.0:
                raise ValueError(f"{name} must be in (0, 1], got {kappa}")
        self._values = _checked_values(data)
        self._data = data
        self.model: ModelKind = model
        self.lags = lags
        self.horizon = horizon
        self.window = 200 if window is None and model == "tvp-var" else window
        self.kappa1 = kappa1
        self.kappa2 = kappa2
        self.prior: PriorKind = prior
        self.gamma = gamma
        self.bands = None if bands is None else parse_bands(bands, period_unit(data.index))
        if self.window is not None and not lags < self.window <= len(data):
            raise DataError(
                f"window of {self.window} rows must exceed lags={lags} and fit in the "
                f"{len(data)} rows of data"
            )

    @property
    def data(self) -> pd.DataFrame:
        """The series the model is fitted to."""
        return self._data.copy()

    def _tvp_prior(self) -> TvpPrior:
        assert self.window is not None
        if self.prior == "bayes":
            return bayes_prior(self._values, lags=self.lags, rows=self.window - self.lags)
        if self.prior == "minnesota":
            return minnesota_prior(self._values, lags=self.lags, rows=self.window, gamma=self.gamma)
        return flat_prior(self._values, lags=self.lags, rows=self.window)

    def _var_path(
        self, draws: int, seed: int
    ) -> tuple[FloatArray, FloatArray, pd.Index, FloatArray]:
        window = len(self._values) if self.window is None else self.window
        try:
            var = rolling_var_ols(
                self._values, lags=self.lags, window=window, with_cross_inverse=draws > 0
            )
        except _SingularWindowError as exc:
            first = self._data.index[int(exc.windows[0]) + window - 1]
            raise FitError(
                f"singular VAR({self.lags}) in {exc.windows.size} window(s), the first ending "
                f"{first}: a series is constant or repeats another"
            ) from None
        except ValueError as exc:
            raise DataError(str(exc)) from None
        dates = self._data.index[window - 1 :]
        coefficient_draws = np.empty((len(dates), 0, self.lags, *var.sigma.shape[1:]))
        if draws:
            assert var.cross_inverse is not None
            coefficient_draws = _ols_draws(
                var.lag_matrices, var.sigma, var.cross_inverse, draws, seed
            )
        return var.lag_matrices, var.sigma, dates, coefficient_draws

    def fit(
        self,
        *,
        draws: int = 0,
        confidence: float = 0.90,
        seed: int = 0,
        bootstrap: BootstrapKind = "parametric",
        level: float | None = None,
    ) -> ConnectednessModelResults:
        """Estimate the model and every connectedness measure.

        Parameters
        ----------
        draws
            Coefficient draws for intervals (0: none; 500 is a good number for a report).
        confidence
            Coverage of the percentile intervals.
        seed
            Seed of the draws.
        bootstrap
            ``parametric``: coefficient draws (every model). ``residual``: the residual
            bootstrap of the static VAR, refitting coefficients and covariance
            (:mod:`.bootstrap`).
        level
            Deprecated name of ``confidence`` (the CLI's ``--level``).
        """
        if level is not None:
            warnings.warn(
                "fit(level=...) is deprecated; use confidence=", DeprecationWarning, stacklevel=2
            )
            confidence = level
        if not 0.0 < confidence < 1.0:
            raise ValueError(f"confidence must be in (0, 1), got {confidence}")
        level = confidence
        if bootstrap == "residual":
            if self.model != "var" or self.window is not None:
                raise ValueError("the residual bootstrap is for the static VAR (no window)")
            return self._fit_residual_bootstrap(draws, level, seed)
        if self.model == "tvp-var":
            path = tvp_var_filter(
                self._values,
                lags=self.lags,
                prior=self._tvp_prior(),
                kappa1=self.kappa1,
                kappa2=self.kappa2,
                draws=draws,
                seed=seed,
            )
            lag_matrices, sigma, dates = path.lag_matrices, path.sigma, self._data.index
            coefficient_draws = path.draws
        else:
            lag_matrices, sigma, dates, coefficient_draws = self._var_path(draws, seed)
        shares = connectedness_shares(lag_matrices, sigma, self.horizon, self.bands)
        return ConnectednessModelResults(
            names=[str(name) for name in self._data.columns],
            dates=pd.Index(dates),
            shares=shares,
            band_labels=["total"] + ([] if self.bands is None else self.bands.labels),
            draws=_draw_measures(coefficient_draws, sigma, self.horizon, self.bands, level),
            specification=self._specification(),
        )

    def _fit_residual_bootstrap(
        self, draws: int, level: float, seed: int
    ) -> ConnectednessModelResults:
        lag_matrices, sigma, dates, _ = self._var_path(0, seed)
        replicate_lags, replicate_sigma = residual_bootstrap_var(
            self._values, lags=self.lags, replications=draws, seed=seed
        )
        replicates = connectedness_shares(replicate_lags, replicate_sigma, self.horizon, self.bands)
        total, net = _total_and_net(replicates)
        return ConnectednessModelResults(
            names=[str(name) for name in self._data.columns],
            dates=pd.Index(dates),
            shares=connectedness_shares(lag_matrices, sigma, self.horizon, self.bands),
            band_labels=["total"] + ([] if self.bands is None else self.bands.labels),
            draws=Draws(total=total[:, None], net=net[:, None], level=level) if draws else None,
            specification={**self._specification(), "bootstrap": "residual"},
        )

    def _specification(self) -> dict[str, object]:
        spec: dict[str, object] = {"model": self.model, "lags": self.lags, "horizon": self.horizon}
        spec["window"] = self.window
        if self.model == "tvp-var":
            spec.update(kappa1=self.kappa1, kappa2=self.kappa2, prior=self.prior)
        if self.bands is not None:
            spec["bands"] = ",".join(f"{period:g}" for period in self.bands.periods)
            spec["band_unit"] = self.bands.unit
        return spec


def _checked_values(data: pd.DataFrame) -> FloatArray:
    if data.shape[1] < 2:
        raise DataError(f"connectedness needs at least two series, got {list(data.columns)}")
    values = data.to_numpy(dtype=np.float64)
    bad = ~np.isfinite(values)
    if bad.any():
        row, column = np.argwhere(bad)[0]
        raise DataError(
            f"{data.columns[column]} has a missing or non-finite value at row {row + 1} "
            f"({data.index[row]}); drop or align the rows first"
        )
    constant = [
        str(name) for name, col in zip(data.columns, values.T, strict=True) if np.ptp(col) == 0
    ]
    if constant:
        raise DataError(f"constant series cannot be in a VAR: {', '.join(constant)}")
    return values


def _ols_draws(
    lag_matrices: FloatArray, sigma: FloatArray, cross_inverse: FloatArray, draws: int, seed: int
) -> FloatArray:
    """``(W, D, p, N, N)`` draws of each window's slopes from :math:`N(\\hat B, \\Sigma \\otimes
    (X'X)^{-1})` (matrix normal: rows covary by ``sigma``, columns by ``cross_inverse``)."""
    n_windows, lags, n_vars, _ = lag_matrices.shape
    rng = np.random.default_rng(seed)
    row_root = np.linalg.cholesky(sigma)  # (W, N, N)
    column_root = np.linalg.cholesky(cross_inverse)  # (W, Np, Np)
    noise = rng.standard_normal((n_windows, draws, n_vars, lags * n_vars))
    shocks = row_root[:, None] @ noise @ np.swapaxes(column_root, -1, -2)[:, None]
    slopes = lag_matrices.transpose(0, 2, 1, 3).reshape(n_windows, 1, n_vars, lags * n_vars)
    drawn = (slopes + shocks).reshape(n_windows, draws, n_vars, lags, n_vars)
    return np.ascontiguousarray(drawn.transpose(0, 1, 3, 2, 4))


def _draw_measures(
    coefficient_draws: FloatArray,
    sigma: FloatArray,
    horizon: int,
    bands: FrequencyBands | None,
    level: float,
) -> Draws | None:
    """TCI and NET of every draw (loop over draws; every draw is batched over dates)."""
    n_draws = coefficient_draws.shape[1]
    if n_draws == 0:
        return None
    totals, nets = [], []
    for draw in range(n_draws):
        total, net = _total_and_net(
            connectedness_shares(coefficient_draws[:, draw], sigma, horizon, bands)
        )
        totals.append(total)
        nets.append(net)
    return Draws(total=np.stack(totals), net=np.stack(nets), level=level)


def _total_and_net(shares: FloatArray) -> tuple[FloatArray, FloatArray]:
    """TCI ``(...)`` and NET ``(..., N)`` of row shares ``(..., N, N)``, in percent."""
    table = 100.0 * shares
    own = np.diagonal(table, axis1=-2, axis2=-1)
    to_others = table.sum(axis=-2) - own
    from_others = table.sum(axis=-1) - own
    return to_others.sum(axis=-1) / table.shape[-1], to_others - from_others
