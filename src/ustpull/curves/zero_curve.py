"""Zero-coupon curves: discount factors at nodes plus an interpolation method.

Units
-----
* Maturities ``t`` are **years** (floats) from the curve date.
* The pure functions of this module (``interpolate_log_discount``, ``par_yields_from_discount``,
  ...) work in **decimals**; :class:`ZeroCurve` and the panel converters
  :func:`par_to_zero` / :func:`zero_to_par` take and return **percent**, like the GSW and
  FRED series of the rest of the package.
* Compounding: ``continuous`` zero yield ``z`` with ``D(t) = exp(-z t)``; ``annual``
  ``D = (1 + y)^-t``; ``semiannual`` (bond-equivalent) ``D = (1 + y/2)^(-2t)``.

Par yields (semiannual bond-equivalent, the Treasury / GSW convention)
-----------------------------------------------------------------------
For ``T > 1/2`` the par yield is the coupon ``c`` at which a semiannual bond maturing at
``T`` (coupons at ``T, T - 1/2, ...`` after 0) has a **clean** price of 1::

    c = 2 (1 - D(T)) / (sum_k D(t_k) - a),   a = 1 - 2 t_min   (accrued fraction)

where ``t_min`` is the first coupon time; on half-year maturities ``a = 0`` and this is
GSW's ``c = 2 (1 - D(T)) / sum_k D(k/2)``. For ``T <= 1/2`` (a single payment) it is the
bond-equivalent yield of the zero, ``c = (1/D(T) - 1) / T``, the basis of Treasury's bill
quotes; both formulas agree at ``T = 1/2``.

Interpolation (``interpolation=``), all on the nodes plus ``(0, D = 1)``
------------------------------------------------------------------------
``log_linear_discount``
    ``ln D`` linear between nodes: piecewise-flat instantaneous forwards.
``linear_zero``
    continuously compounded zero yield linear between nodes (flat before the first).
``log_cubic``
    natural cubic spline on ``ln D``.
``monotone_convex``
    Hagan and West (2006): discrete forwards between nodes are kept exactly and the
    instantaneous forward is the piecewise-quadratic ``g`` function of their
    section 3 (without the positivity collar, so negative rates are allowed). The
    forward is continuous at the nodes except in their degenerate limit where a node
    forward equals a neighbouring discrete forward (``g`` is zero at one end of the
    interval), e.g. two equal discrete forwards in a row.

Beyond the last node every method extrapolates with a flat instantaneous forward equal to
the forward at the last node.

References
----------
Hagan, P. S. and West, G. (2006), "Interpolation methods for curve construction",
*Applied Mathematical Finance* 13(2), 89-129.
Gürkaynak, R., Sack, B. and Wright, J. (2007), "The U.S. Treasury yield curve: 1961 to
the present", *Journal of Monetary Economics* 54(8), 2291-2304 (par-yield formula).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from ustpull._typing import Compounding, FloatArray, Interpolation
from ustpull.errors import DataError

INTERPOLATIONS: tuple[Interpolation, ...] = (
    "log_linear_discount",
    "linear_zero",
    "monotone_convex",
    "log_cubic",
)
_HALF_YEAR = 0.5


# ------------------------------------------------------------------ interpolation engine
def interpolate_log_discount(
    node_times: npt.ArrayLike,
    node_log_discount: npt.ArrayLike,
    times: npt.ArrayLike,
    *,
    interpolation: Interpolation = "log_linear_discount",
) -> tuple[FloatArray, FloatArray]:
    """``ln D(t)`` and the instantaneous forward ``f(t) = -d ln D / dt`` (decimal).

    Batched: ``node_times`` [..., n] (strictly increasing, > 0), ``node_log_discount``
    [..., n] and ``times`` [..., m] broadcast over their leading axes, so one call evaluates
    many curves (dates) at once. A node ``(0, ln D = 0)`` is always prepended.

    Returns
    -------
    log_discount, forward : numpy.ndarray
        Both shaped [..., m].
    """
    nodes = np.asarray(node_times, float)
    values = np.asarray(node_log_discount, float)
    t = np.asarray(times, float)
    ndim = max(nodes.ndim, values.ndim, t.ndim)
    nodes, values, t = (a.reshape((1,) * (ndim - a.ndim) + a.shape) for a in (nodes, values, t))
    # arrays keep their own leading shapes and broadcast inside the engines, so shared
    # node times (e.g. a unit-vector batch) are processed once
    knots = np.concatenate([np.zeros((*nodes.shape[:-1], 1)), nodes], axis=-1)
    logs = np.concatenate([np.zeros((*values.shape[:-1], 1)), values], axis=-1)
    n = nodes.shape[-1]
    left = np.clip((nodes[..., None, :] < t[..., :, None]).sum(-1), 0, n - 1)
    engine = _ENGINES.get(interpolation)
    if engine is None:
        raise DataError(f"unknown interpolation {interpolation!r}; choose one of {INTERPOLATIONS}")
    return engine(knots, logs, t, left)


def _take(array: FloatArray, index: npt.NDArray[np.intp]) -> FloatArray:
    """``array[..., index]`` along the last axis, leading axes broadcast against each other.

    One flat :func:`numpy.take` (row offset + index), several times faster than
    ``take_along_axis`` when the two leading shapes differ (e.g. a unit-vector batch of
    node values against per-date cash-flow times).
    """
    width = array.shape[-1]
    rows = np.arange(int(np.prod(array.shape[:-1])), dtype=np.intp).reshape(array.shape[:-1])
    flat_index = rows[..., None] * width + index
    return np.take(np.ascontiguousarray(array).ravel(), flat_index)


def _flat_beyond(
    knots: FloatArray,
    logs: FloatArray,
    t: FloatArray,
    log_discount: FloatArray,
    forward: FloatArray,
    last_forward: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """Replace values beyond the last node by a flat forward ``last_forward``."""
    beyond = t > knots[..., -1:]
    tail = logs[..., -1:] - last_forward * (t - knots[..., -1:])
    return (
        np.where(beyond, tail, log_discount),
        np.where(beyond, last_forward, forward),
    )


def _log_linear(
    knots: FloatArray, logs: FloatArray, t: FloatArray, left: npt.NDArray[np.intp]
) -> tuple[FloatArray, FloatArray]:
    t_left, t_right = _take(knots, left), _take(knots, left + 1)
    l_left, l_right = _take(logs, left), _take(logs, left + 1)
    width = t_right - t_left
    step = l_right - l_left  # the only full-size difference; weights stay date-sized
    return l_left + step * ((t - t_left) / width), step * (-1.0 / width)


def _linear_zero(
    knots: FloatArray, logs: FloatArray, t: FloatArray, left: npt.NDArray[np.intp]
) -> tuple[FloatArray, FloatArray]:
    zero = -logs[..., 1:] / knots[..., 1:]
    zero = np.concatenate([zero[..., :1], zero], axis=-1)  # flat before the first node
    t_left, t_right = _take(knots, left), _take(knots, left + 1)
    z_left, z_right = _take(zero, left), _take(zero, left + 1)
    slope = (z_right - z_left) / (t_right - t_left)
    z_t = z_left + slope * (t - t_left)
    log_discount, forward = -z_t * t, z_t + t * slope
    end_slope = (zero[..., -1:] - zero[..., -2:-1]) / (knots[..., -1:] - knots[..., -2:-1])
    last_forward = zero[..., -1:] + knots[..., -1:] * end_slope
    return _flat_beyond(knots, logs, t, log_discount, forward, last_forward)


def _log_cubic(
    knots: FloatArray, logs: FloatArray, t: FloatArray, left: npt.NDArray[np.intp]
) -> tuple[FloatArray, FloatArray]:
    second = natural_spline_second_derivatives(knots, logs)
    t_left, t_right = _take(knots, left), _take(knots, left + 1)
    l_left, l_right = _take(logs, left), _take(logs, left + 1)
    m_left, m_right = _take(second, left), _take(second, left + 1)
    h = t_right - t_left
    a, b = t_right - t, t - t_left
    c_left = l_left / h - m_left * h / 6.0
    c_right = l_right / h - m_right * h / 6.0
    log_discount = (m_left * a**3 + m_right * b**3) / (6.0 * h) + c_left * a + c_right * b
    derivative = (-m_left * a**2 + m_right * b**2) / (2.0 * h) - c_left + c_right
    h_last = knots[..., -1:] - knots[..., -2:-1]
    end_derivative = (logs[..., -1:] - logs[..., -2:-1]) / h_last + second[
        ..., -2:-1
    ] * h_last / 6.0
    return _flat_beyond(knots, logs, t, log_discount, -derivative, -end_derivative)


def natural_spline_second_derivatives(knots: FloatArray, values: FloatArray) -> FloatArray:
    """Second derivatives ``M`` of the natural cubic spline through ``(knots, values)``.

    Solves ``h_{k-1} M_{k-1} + 2 (h_{k-1} + h_k) M_k + h_k M_{k+1} =
    6 [(v_{k+1} - v_k) / h_k - (v_k - v_{k-1}) / h_{k-1}]`` with ``M_0 = M_n = 0``.
    ``M`` is linear in the values: the operator is built once per set of knots and
    applied to values with any (broadcastable) leading shape.
    """
    h = np.diff(knots, axis=-1)
    size = knots.shape[-1]
    interior = size - 2
    if interior <= 0:
        return np.zeros(np.broadcast_shapes(knots.shape, values.shape))
    diagonal = np.arange(interior)
    system = np.zeros((*h.shape[:-1], interior, interior))
    system[..., diagonal, diagonal] = 2.0 * (h[..., :-1] + h[..., 1:])
    system[..., diagonal[1:], diagonal[:-1]] = h[..., 1:-1]
    system[..., diagonal[:-1], diagonal[1:]] = h[..., 1:-1]
    # right-hand side = second_difference @ values: 6/h_{k-1}, -6/h_{k-1} - 6/h_k, 6/h_k
    second_difference = np.zeros((*h.shape[:-1], interior, size))
    second_difference[..., diagonal, diagonal] = 6.0 / h[..., :-1]
    second_difference[..., diagonal, diagonal + 1] = -6.0 / h[..., :-1] - 6.0 / h[..., 1:]
    second_difference[..., diagonal, diagonal + 2] = 6.0 / h[..., 1:]
    operator = np.linalg.solve(system, second_difference)
    inner = np.einsum("...kj,...j->...k", operator, values)
    edge = np.zeros((*inner.shape[:-1], 1))
    return np.concatenate([edge, inner, edge], axis=-1)


def _monotone_convex(
    knots: FloatArray, logs: FloatArray, t: FloatArray, left: npt.NDArray[np.intp]
) -> tuple[FloatArray, FloatArray]:
    h = np.diff(knots, axis=-1)
    discrete = -np.diff(logs, axis=-1) / h  # f^d_i on (t_{i-1}, t_i]
    node_forward = monotone_convex_node_forwards(knots, discrete)
    t_left = _take(knots, left)
    width = _take(h, left)
    fd = _take(discrete, left)
    g0 = _take(node_forward, left) - fd
    g1 = _take(node_forward, left + 1) - fd
    x = np.clip((t - t_left) / width, 0.0, 1.0)
    g, integral = _monotone_convex_g(g0, g1, x)
    log_discount = _take(logs, left) - fd * (t - t_left) - width * integral
    return _flat_beyond(knots, logs, t, log_discount, fd + g, node_forward[..., -1:])


def monotone_convex_node_forwards(knots: FloatArray, discrete: FloatArray) -> FloatArray:
    """Instantaneous forwards at the knots (Hagan and West 2006, eqs. 25-26)."""
    n = discrete.shape[-1]
    if n == 1:
        return np.concatenate([discrete, discrete], axis=-1)
    span = knots[..., 2:] - knots[..., :-2]
    inner = (
        (knots[..., 1:-1] - knots[..., :-2]) * discrete[..., 1:]
        + (knots[..., 2:] - knots[..., 1:-1]) * discrete[..., :-1]
    ) / span
    first = discrete[..., :1] - 0.5 * (inner[..., :1] - discrete[..., :1])
    last = discrete[..., -1:] - 0.5 * (inner[..., -1:] - discrete[..., -1:])
    return np.concatenate([first, inner, last], axis=-1)


def _safe(denominator: FloatArray) -> FloatArray:
    return np.where(denominator == 0.0, 1.0, denominator)


def _monotone_convex_g(
    g0: FloatArray, g1: FloatArray, x: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Hagan-West ``g(x)`` and ``G(x) = int_0^x g`` on the four regions (their eqs. 27-30)."""
    # region (i): quadratic
    g = g0 * (1 - 4 * x + 3 * x**2) + g1 * (-2 * x + 3 * x**2)
    integral = g0 * (x - 2 * x**2 + x**3) + g1 * (-(x**2) + x**3)
    # region (ii): flat, then rising to g1
    region2 = ((g0 < 0) & (g1 > -2 * g0)) | ((g0 > 0) & (g1 < -2 * g0))
    eta = (g1 + 2 * g0) / _safe(g1 - g0)
    rest = _safe(1 - eta)
    past = np.maximum(x - eta, 0.0)
    g = np.where(region2, g0 + (g1 - g0) * (past / rest) ** 2, g)
    integral = np.where(region2, g0 * x + (g1 - g0) * past**3 / (3 * rest**2), integral)
    # region (iii): falling to g1, then flat
    region3 = ((g0 > 0) & (g1 < 0) & (g1 > -g0 / 2)) | ((g0 < 0) & (g1 > 0) & (g1 < -g0 / 2))
    eta = 3 * g1 / _safe(g1 - g0)
    safe_eta = _safe(eta)
    before = np.maximum(eta - x, 0.0)
    g = np.where(region3, g1 + (g0 - g1) * (before / safe_eta) ** 2, g)
    integral = np.where(
        region3, g1 * x + (g0 - g1) * (eta**3 - before**3) / (3 * safe_eta**2), integral
    )
    # region (iv): both of one sign, through the minimum / maximum A
    region4 = ((g0 >= 0) & (g1 >= 0)) | ((g0 <= 0) & (g1 <= 0))
    total = _safe(g0 + g1)
    eta = np.where(g0 + g1 == 0.0, 0.5, g1 / total)
    level = -g0 * g1 / total
    before = np.maximum(eta - x, 0.0)
    past = np.maximum(x - eta, 0.0)
    safe_eta, rest = _safe(eta), _safe(1 - eta)
    g4 = np.where(
        x <= eta,
        level + (g0 - level) * (before / safe_eta) ** 2,
        level + (g1 - level) * (past / rest) ** 2,
    )
    integral4 = (
        level * x
        + (g0 - level) * (eta**3 - before**3) / (3 * safe_eta**2)
        + (g1 - level) * past**3 / (3 * rest**2)
    )
    return np.where(region4, g4, g), np.where(region4, integral4, integral)


_ENGINES = {
    "log_linear_discount": _log_linear,
    "linear_zero": _linear_zero,
    "log_cubic": _log_cubic,
    "monotone_convex": _monotone_convex,
}


# ------------------------------------------------------------------ pure conversions
def zero_yield_from_discount(
    discount: npt.ArrayLike, times: npt.ArrayLike, *, compounding: Compounding = "continuous"
) -> FloatArray:
    """Zero yield (decimal) of discount factors ``D`` at ``times`` (years)."""
    d, t = np.asarray(discount, float), np.asarray(times, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        if compounding == "continuous":
            return -np.log(d) / t
        if compounding == "annual":
            return d ** (-1.0 / t) - 1.0
        if compounding == "semiannual":
            return 2.0 * (d ** (-0.5 / t) - 1.0)
    raise DataError(f"unknown compounding {compounding!r}")


def par_coupon_grid(maturities: npt.ArrayLike) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """Coupon times of semiannual bonds maturing at ``maturities``, as a masked grid.

    Returns
    -------
    times : numpy.ndarray
        [m, k] with ``times[j, i] = T_j - i/2``; entries at or below 0 are replaced by
        ``T_j`` so that they can be discounted harmlessly.
    paid : numpy.ndarray of bool
        [m, k] True where ``T_j - i/2 > 0`` (a coupon is paid).
    """
    maturity = np.asarray(maturities, float).ravel()
    count = np.ceil(2.0 * maturity - 1e-9).astype(np.int64)
    steps = np.arange(max(int(count.max(initial=1)), 1))
    paid = steps[None, :] < count[:, None]
    times = np.where(paid, maturity[:, None] - _HALF_YEAR * steps[None, :], maturity[:, None])
    return times, paid


def par_yields_from_discount(
    maturities: npt.ArrayLike, discount: npt.ArrayLike, paid: npt.NDArray[np.bool_]
) -> FloatArray:
    """Par yields (decimal, semiannual bond-equivalent) from discount factors.

    Parameters
    ----------
    maturities : array_like
        [m] maturities in years.
    discount : array_like
        [..., m, k] discount factors at the :func:`par_coupon_grid` times (column 0 is the
        maturity).
    paid : numpy.ndarray of bool
        [m, k] mask of :func:`par_coupon_grid`.
    """
    maturity = np.asarray(maturities, float).ravel()
    factors = np.asarray(discount, float)
    final = factors[..., 0]
    annuity = np.where(paid, factors, 0.0).sum(-1)
    first_time = maturity - _HALF_YEAR * (paid.sum(-1) - 1)
    accrued_fraction = 1.0 - 2.0 * first_time
    with np.errstate(divide="ignore", invalid="ignore"):
        coupon_bond = 2.0 * (1.0 - final) / (annuity - accrued_fraction)
        single_payment = (1.0 / final - 1.0) / maturity
    return np.where(maturity <= _HALF_YEAR, single_payment, coupon_bond)


# ------------------------------------------------------------------ the curve object
class ZeroCurve:
    """A zero-coupon curve from discount factors at nodes and an interpolation method.

    Parameters
    ----------
    times : array_like
        Node maturities in years, strictly increasing and positive.
    discount_factors : array_like
        ``D(t)`` at the nodes, positive.
    interpolation : {"log_linear_discount", "linear_zero", "monotone_convex", "log_cubic"}
        How ``D`` is read between nodes (see the module docstring).

    Notes
    -----
    Every rate method returns **percent** and accepts a scalar or an array of maturities
    (years). ``D(t) = exp(-z(t) t)`` with ``z`` continuously compounded.
    """

    def __init__(
        self,
        times: npt.ArrayLike,
        discount_factors: npt.ArrayLike,
        *,
        interpolation: Interpolation = "log_linear_discount",
    ) -> None:
        nodes = np.asarray(times, float).ravel()
        factors = np.asarray(discount_factors, float).ravel()
        if nodes.size != factors.size or nodes.size == 0:
            raise DataError(
                f"need as many discount factors as node times, got {factors.size} and {nodes.size}"
            )
        bad = ~np.isfinite(nodes) | ~np.isfinite(factors) | (factors <= 0) | (nodes <= 0)
        if bad.any():
            i = int(np.argmax(bad))
            raise DataError(
                f"node {i}: time {nodes[i]} and discount factor {factors[i]} must be finite "
                "and positive"
            )
        steps = np.diff(nodes)
        if (steps <= 0).any():
            i = int(np.argmax(steps <= 0))
            raise DataError(
                f"node times must be strictly increasing: {nodes[i]} then {nodes[i + 1]}"
            )
        if interpolation not in INTERPOLATIONS:
            raise DataError(
                f"unknown interpolation {interpolation!r}; choose one of {INTERPOLATIONS}"
            )
        self._times = nodes
        self._factors = factors
        self._times.flags.writeable = False
        self._factors.flags.writeable = False
        self._interpolation: Interpolation = interpolation

    @classmethod
    def from_zero_yields(
        cls,
        times: npt.ArrayLike,
        zero_yields: npt.ArrayLike,
        *,
        interpolation: Interpolation = "log_linear_discount",
    ) -> ZeroCurve:
        """Curve from continuously compounded zero yields in **percent** at node times."""
        t = np.asarray(times, float)
        return cls(
            t, np.exp(-np.asarray(zero_yields, float) / 100.0 * t), interpolation=interpolation
        )

    @classmethod
    def from_par_yields(
        cls,
        maturities: npt.ArrayLike,
        par_yields: npt.ArrayLike,
        *,
        interpolation: Interpolation = "log_linear_discount",
    ) -> ZeroCurve:
        """Curve bootstrapped exactly from par yields in **percent** (see :func:`par_to_zero`)."""
        quotes = pd.DataFrame(
            [np.asarray(par_yields, float)], columns=np.asarray(maturities, float)
        )
        grid, factors = _par_panel_to_discount(quotes)
        return cls(grid, factors[0], interpolation=interpolation)

    @property
    def times(self) -> FloatArray:
        """Node maturities in years (read-only)."""
        return self._times

    @property
    def discount_factors(self) -> FloatArray:
        """Discount factors at the nodes (read-only)."""
        return self._factors

    @property
    def interpolation(self) -> Interpolation:
        """The interpolation method."""
        return self._interpolation

    def _evaluate(self, t: npt.ArrayLike) -> tuple[FloatArray, FloatArray, tuple[int, ...]]:
        maturities = np.asarray(t, float)
        if np.any(~np.isfinite(maturities)) or np.any(maturities < 0):
            raise DataError("maturities must be finite and non-negative (years)")
        log_discount, forward = interpolate_log_discount(
            self._times,
            np.log(self._factors),
            maturities.ravel()[None, :],
            interpolation=self._interpolation,
        )
        return log_discount[0], forward[0], maturities.shape

    def discount(self, t: npt.ArrayLike) -> FloatArray:
        """Discount factors ``D(t)``."""
        log_discount, _, shape = self._evaluate(t)
        return np.exp(log_discount).reshape(shape)

    def zero_yield(
        self, t: npt.ArrayLike, *, compounding: Compounding = "continuous"
    ) -> FloatArray:
        """Zero yields in percent; at ``t = 0`` the limit, the instantaneous short rate."""
        log_discount, forward, shape = self._evaluate(t)
        maturities = np.asarray(t, float).ravel()
        rates = zero_yield_from_discount(np.exp(log_discount), maturities, compounding=compounding)
        short = zero_yield_from_discount(np.exp(-forward), 1.0, compounding=compounding)
        return (100.0 * np.where(maturities > 0, rates, short)).reshape(shape)

    def forward_instantaneous(self, t: npt.ArrayLike) -> FloatArray:
        """Instantaneous forward rates ``-d ln D / dt`` in percent (continuous)."""
        _, forward, shape = self._evaluate(t)
        return (100.0 * forward).reshape(shape)

    def forward_rate(
        self, start: npt.ArrayLike, tenor: float, *, compounding: Compounding = "continuous"
    ) -> FloatArray:
        """``tenor``-year forward rate starting at ``start`` years, in percent.

        ``F = ln(D(start) / D(start + tenor)) / tenor`` for continuous compounding; the
        annual and semiannual versions convert ``D(start + tenor) / D(start)`` likewise.
        """
        if not tenor > 0:
            raise DataError(f"forward tenor must be positive, got {tenor}")
        begin = np.asarray(start, float)
        ratio = self.discount(begin + tenor) / self.discount(begin)
        return 100.0 * zero_yield_from_discount(ratio, tenor, compounding=compounding)

    def par_yield(self, t: npt.ArrayLike) -> FloatArray:
        """Par yields in percent, semiannual bond-equivalent (module docstring)."""
        maturities = np.asarray(t, float)
        flat = maturities.ravel()
        if np.any(~(flat > 0)):
            raise DataError("par-yield maturities must be positive (years)")
        times, paid = par_coupon_grid(flat)
        factors = self.discount(times)
        return (100.0 * par_yields_from_discount(flat, factors, paid)).reshape(maturities.shape)

    def to_frame(self, maturities: npt.ArrayLike) -> pd.DataFrame:
        """Discount factor, zero (continuous and semiannual), par and forward rates (percent)."""
        t = np.asarray(maturities, float).ravel()
        return pd.DataFrame(
            {
                "maturity_years": t,
                "discount_factor": self.discount(t),
                "zero_yield_cc": self.zero_yield(t),
                "zero_yield_sa": self.zero_yield(t, compounding="semiannual"),
                "par_yield": self.par_yield(t),
                "forward_instantaneous": self.forward_instantaneous(t),
            }
        )

    def __repr__(self) -> str:
        return (
            f"ZeroCurve({self._times.size} nodes, {self._times[0]:.4g}-{self._times[-1]:.4g} "
            f"years, interpolation={self._interpolation!r})"
        )


# ------------------------------------------------------------------ panels (many dates)
def _semiannual_grid(quoted: FloatArray) -> FloatArray:
    short = quoted[quoted < _HALF_YEAR]
    count = int(np.floor(quoted.max() / _HALF_YEAR + 1e-9))
    return np.concatenate([short, _HALF_YEAR * np.arange(1, count + 1)])


def _linear_weights(source: FloatArray, target: FloatArray) -> FloatArray:
    """[target, source] weights of linear interpolation (flat beyond the ends)."""
    return np.stack([np.interp(target, source, row) for row in np.eye(source.size)], axis=1)


def _par_panel_to_discount(par_yields: pd.DataFrame) -> tuple[FloatArray, FloatArray]:
    """Grid and [dates, grid] discount factors bootstrapped from par quotes (percent)."""
    quoted = _maturity_columns(par_yields, "par_yields")
    grid = _semiannual_grid(quoted)
    values = par_yields.to_numpy(float) / 100.0
    par_grid = np.full((len(values), grid.size), np.nan)
    present = ~np.isnan(values)
    for rows, pattern in _missing_data_layouts(present):
        available = quoted[pattern]
        reach = grid <= available.max() + 1e-9
        weights = _linear_weights(available, grid[reach])
        par_grid[np.ix_(rows, reach)] = values[np.ix_(rows, pattern)] @ weights.T
    factors = np.full(par_grid.shape, np.nan)
    short = grid < _HALF_YEAR
    factors[:, short] = 1.0 / (1.0 + par_grid[:, short] * grid[short])
    annuity = np.zeros(len(values))
    for column in np.flatnonzero(~short):  # recursion over the half-year grid, all dates at once
        coupon = par_grid[:, column] / 2.0
        factors[:, column] = (1.0 - coupon * annuity) / (1.0 + coupon)
        annuity = annuity + factors[:, column]
    return grid, factors


def _missing_data_layouts(
    present: npt.NDArray[np.bool_],
) -> list[tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]]:
    """(rows, columns present) for each distinct pattern of missing values with data.

    Panels have a handful of layouts (tenors introduced or suspended over time), so the
    conversions loop over layouts, never over dates.
    """
    patterns, rows_of = np.unique(present, axis=0, return_inverse=True)
    return [
        (rows_of.ravel() == index, pattern)
        for index, pattern in enumerate(patterns)
        if pattern.any()
    ]


def _maturity_columns(frame: pd.DataFrame, name: str) -> FloatArray:
    try:
        maturities = np.asarray(frame.columns, float)
    except (TypeError, ValueError):
        raise DataError(
            f"{name} columns must be maturities in years, got {list(frame.columns)}"
        ) from None
    if maturities.size == 0 or np.any(~(maturities > 0)) or np.any(np.diff(maturities) <= 0):
        raise DataError(
            f"{name} columns must be positive, increasing maturities in years, got {maturities}"
        )
    return maturities


def _output_maturities(maturities: npt.ArrayLike | None, default: FloatArray) -> FloatArray:
    if maturities is None:
        return default
    out = np.asarray(maturities, float).ravel()
    if out.size == 0 or np.any(~(out > 0)):
        raise DataError(f"output maturities must be positive years, got {out}")
    return out


def par_to_zero(
    par_yields: pd.DataFrame,
    *,
    maturities: npt.ArrayLike | None = None,
    interpolation: Interpolation = "log_linear_discount",
) -> pd.DataFrame:
    """Panel of par curves -> panel of continuously compounded zero curves (percent).

    Par yields are interpolated linearly in maturity onto the grid made of the quoted
    maturities under six months plus every half-year up to the longest quote; quotes
    under six months are zero-coupon bond-equivalent yields (``D = 1 / (1 + c t)``) and
    each half-year par bond is then repriced exactly, for all dates at once::

        D(k/2) = (1 - c_k / 2 * sum_{j<k} D(j/2)) / (1 + c_k / 2)

    Parameters
    ----------
    par_yields : pandas.DataFrame
        Index = dates, columns = maturities in years (floats), values = par yields in
        percent (semiannual bond-equivalent), e.g. Treasury's par curve.
    maturities : array_like, optional
        Output maturities (years); default the bootstrap grid.
    interpolation : str
        How zero yields between grid nodes are read.

    Returns
    -------
    pandas.DataFrame
        Same index, columns = output maturities, values = zero yields in percent
        (continuous). A date with no quotes stays missing; maturities beyond a date's
        longest quote are missing (no extrapolation).
    """
    grid, factors = _par_panel_to_discount(par_yields)
    out = _output_maturities(maturities, grid)
    zero = _panel_zero_yields(grid, factors, out, interpolation)
    frame = pd.DataFrame(
        100.0 * zero, index=par_yields.index, columns=pd.Index(out, name="maturity")
    )
    return frame


def _panel_zero_yields(
    grid: FloatArray, factors: FloatArray, out: FloatArray, interpolation: Interpolation
) -> FloatArray:
    """Zero yields (decimal) at ``out`` for every row, grouped by available grid reach."""
    result = np.full((len(factors), out.size), np.nan)
    reach = np.isfinite(factors).sum(1)
    for count in np.unique(reach[reach > 0]):
        rows = reach == count
        inside = out <= grid[count - 1] + 1e-9
        log_discount, _ = interpolate_log_discount(
            grid[:count],
            np.log(factors[rows, :count]),
            out[inside][None, :],
            interpolation=interpolation,
        )
        result[np.ix_(rows, inside)] = -log_discount / out[inside]
    return result


def zero_to_par(
    zero_yields: pd.DataFrame,
    *,
    maturities: npt.ArrayLike | None = None,
    interpolation: Interpolation = "log_linear_discount",
) -> pd.DataFrame:
    """Panel of zero curves (percent, continuous) -> par yields (percent, semiannual).

    Parameters
    ----------
    zero_yields : pandas.DataFrame
        Index = dates, columns = node maturities in years, values = continuously
        compounded zero yields in percent (e.g. GSW ``SVENY``).
    maturities : array_like, optional
        Output par maturities (years); default the input columns.
    interpolation : str
        How discount factors between the nodes are read.

    Returns
    -------
    pandas.DataFrame
        Par yields in percent from the zero yields present on each date; maturities
        beyond a date's longest zero yield are missing (no extrapolation).
    """
    nodes = _maturity_columns(zero_yields, "zero_yields")
    out = _output_maturities(maturities, nodes)
    log_nodes = -zero_yields.to_numpy(float) / 100.0 * nodes
    times, paid = par_coupon_grid(out)
    par = np.full((len(log_nodes), out.size), np.nan)
    for rows, pattern in _missing_data_layouts(np.isfinite(log_nodes)):
        reach = out <= nodes[pattern].max() + 1e-9
        log_discount, _ = interpolate_log_discount(
            nodes[pattern],
            log_nodes[np.ix_(rows, pattern)],
            times[reach].ravel()[None, :],
            interpolation=interpolation,
        )
        factors = np.exp(log_discount).reshape(-1, int(reach.sum()), times.shape[1])
        par[np.ix_(rows, reach)] = par_yields_from_discount(out[reach], factors, paid[reach])
    return pd.DataFrame(
        100.0 * par, index=zero_yields.index, columns=pd.Index(out, name="maturity")
    )
