"""Exact bootstrap of a zero curve from one date's bills, notes and bonds.

One curve node sits at each distinct maturity and the node discount factors are solved so
that every security reprices exactly (to 1e-10 per 100 face by default)::

    dirty_i = sum_j amounts[i, j] * D(t_j; x),   x_k = ln D(T_k),  i, k = 1..n

``D(t; x)`` is the chosen interpolation (:mod:`ustpull.curves.zero_curve`) through the
nodes ``(T_k, x_k)`` and ``(0, 0)``. The system is solved by Newton's method on all nodes
at once, batched over dates (in blocks of 32 dates, which keeps the work arrays in cache):

* ``log_linear_discount``, ``linear_zero`` and ``log_cubic`` are linear in ``x``
  (``ln D(t_j) = A_jk x_k`` with a fixed matrix ``A``), so the Jacobian is exact,
  ``J = amounts * D(t) @ A``. For the two local methods ``J`` is lower triangular, and the
  Newton solution is the bond-by-bond bootstrap (same unique root), computed in one pass.
* ``monotone_convex`` is non-linear and non-local in ``x``; it starts from the log-linear
  solution and uses a forward-difference Jacobian of ``ln D(t_j)`` (one batched evaluation).

Securities sharing a maturity date cannot all be repriced by a curve with one node per
maturity. The default rule (``duplicate_maturities="prefer_recent_issue"``) keeps one per
date: the shortest original term (bill before note before bond, i.e. the most recent
issue and usually the more liquid) and, among equals, the first in input order; the
others are listed in :attr:`BootstrapResults.dropped` and priced off the fitted curve.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd

from ustpull._results import Results
from ustpull._typing import DuplicateRule, FloatArray
from ustpull.conventions import to_continuous
from ustpull.curves.bonds import CashflowMatrix, bond_table, cashflow_matrix
from ustpull.curves.conventions import Market
from ustpull.curves.zero_curve import (
    INTERPOLATIONS,
    Interpolation,
    ZeroCurve,
    interpolate_log_discount,
)
from ustpull.errors import DataError, FitError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

_TYPE_RANK = {"bill": 0, "note": 1, "bond": 2}
_FD_STEP = 1e-7
_LINEAR_METHODS = ("log_linear_discount", "linear_zero", "log_cubic")
_DATES_PER_BLOCK = 32


def select_one_per_maturity(
    bonds: pd.DataFrame, *, rule: DuplicateRule = "prefer_recent_issue"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split a bond table into one security per maturity date and the rest.

    Parameters
    ----------
    bonds : pandas.DataFrame
        A bond table (:func:`ustpull.curves.bonds.bond_table`).
    rule : {"prefer_recent_issue", "raise"}
        ``prefer_recent_issue`` keeps the shortest original term (bill < note < bond),
        then the first in input order; ``raise`` rejects shared maturities.

    Returns
    -------
    kept, dropped : pandas.DataFrame
        ``kept`` sorted by maturity; ``dropped`` with a ``reason`` column.
    """
    table = bond_table(bonds)
    kept, dropped = _one_per_maturity(
        table["maturity"].to_numpy(), table["security_type"].to_numpy(), rule
    )
    cusips = table["cusip"].to_numpy()
    _raise_on_shared(dropped, kept, table["maturity"].to_numpy(), cusips, rule)
    reasons = _drop_reasons(kept, dropped, table["maturity"].to_numpy(), cusips)
    return (
        table.iloc[kept].reset_index(drop=True),
        table.iloc[dropped].reset_index(drop=True).assign(reason=reasons),
    )


def _one_per_maturity(
    maturity: npt.NDArray[np.datetime64], kinds: npt.NDArray[np.str_], rule: DuplicateRule
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Positions kept (sorted by maturity) and dropped under the duplicate rule."""
    rank = np.select([kinds == name for name in _TYPE_RANK], list(_TYPE_RANK.values()))
    order = np.lexsort((np.arange(maturity.size), rank, maturity))
    ordered = maturity[order]
    repeated = np.r_[False, ordered[1:] == ordered[:-1]]
    return order[~repeated], order[repeated]


def _raise_on_shared(
    dropped: npt.NDArray[np.intp],
    kept: npt.NDArray[np.intp],
    maturity: npt.NDArray[np.datetime64],
    cusips: npt.NDArray[np.object_],
    rule: DuplicateRule,
) -> None:
    if dropped.size and rule == "raise":
        at = dropped[0]
        raise DataError(
            f"securities share maturity {pd.Timestamp(maturity[at]).date()} (e.g. "
            f"{cusips[at]}); an exact bootstrap needs one security per maturity"
        )


def _drop_reasons(
    kept: npt.NDArray[np.intp],
    dropped: npt.NDArray[np.intp],
    maturity: npt.NDArray[np.datetime64],
    cusips: npt.NDArray[np.object_],
) -> list[str]:
    keeper = dict(zip(maturity[kept], cusips[kept], strict=True))
    return [f"same maturity as {keeper[maturity[at]]}" for at in dropped]


def yield_start(maturity_times: npt.ArrayLike, yields: npt.ArrayLike) -> FloatArray:
    """Starting ``ln D`` at the nodes from each security's own yield (decimal, semiannual).

    ``ln D(T) = -2 T ln(1 + y / 2)``: the zero rate at a maturity is close to the yield of
    the security maturing there.
    """
    log_discount_rate = to_continuous(np.asarray(yields, float), "semiannual", scale=1.0)
    return -np.asarray(maturity_times, float) * log_discount_rate


def solve_node_discount(
    node_times: npt.ArrayLike,
    flow_times: npt.ArrayLike,
    amounts: npt.ArrayLike,
    dirty_prices: npt.ArrayLike,
    *,
    interpolation: Interpolation = "log_linear_discount",
    start: npt.ArrayLike | None = None,
    tolerance: float = 1e-10,
    max_iterations: int = 50,
) -> tuple[FloatArray, FloatArray, int]:
    """Node log discount factors that reprice every security exactly, batched over dates.

    Parameters
    ----------
    node_times : array_like
        [B, n] maturities in years, strictly increasing per row.
    flow_times : array_like
        [B, m] cash-flow times in years (padding columns carry zero amounts).
    amounts : array_like
        [B, n, m] cash flows per 100 face; security ``i`` matures at ``node_times[:, i]``.
    dirty_prices : array_like
        [B, n] dirty prices per 100 face.
    interpolation : str
        One of :data:`~ustpull.curves.zero_curve.INTERPOLATIONS`.
    start : array_like, optional
        [B, n] initial ``ln D`` at the nodes; default: every payment of a security moved
        to its maturity. :func:`yield_start` (each security's own yield as the zero rate)
        saves about two Newton steps.
    tolerance : float
        Largest accepted pricing error per 100 face.
    max_iterations : int
        Newton steps before giving up.

    Returns
    -------
    log_discount : numpy.ndarray
        [B, n] ``ln D`` at the nodes.
    pricing_error : numpy.ndarray
        [B, n] model minus market dirty price per 100 at the solution.
    iterations : int
        Newton steps taken.

    Raises
    ------
    FitError
        When the prices cannot be matched (e.g. arbitrage between securities).
    """
    nodes = np.asarray(node_times, float)
    times = np.asarray(flow_times, float)
    flows = np.asarray(amounts, float)
    target = np.asarray(dirty_prices, float)
    if interpolation not in INTERPOLATIONS:
        raise DataError(f"unknown interpolation {interpolation!r}; choose one of {INTERPOLATIONS}")
    _check_shapes(nodes, times, flows, target)
    initial = np.log(target / flows.sum(-1)) if start is None else np.asarray(start, float)
    # blocks of dates keep the [dates, n, m] work arrays in cache: ~2x faster than one block
    solutions, errors, iterations = [], [], 0
    for first in range(0, nodes.shape[0], _DATES_PER_BLOCK):
        block = slice(first, first + _DATES_PER_BLOCK)
        solution, error, steps = _solve_block(
            nodes[block],
            times[block],
            flows[block],
            target[block],
            initial[block],
            interpolation,
            tolerance,
            max_iterations,
        )
        solutions.append(solution)
        errors.append(error)
        iterations = max(iterations, steps)
    return np.concatenate(solutions), np.concatenate(errors), iterations


def _solve_block(
    nodes: FloatArray,
    times: FloatArray,
    flows: FloatArray,
    target: FloatArray,
    initial: FloatArray,
    interpolation: Interpolation,
    tolerance: float,
    max_iterations: int,
) -> tuple[FloatArray, FloatArray, int]:
    if interpolation in _LINEAR_METHODS:
        return _newton(
            nodes, times, flows, target, initial, interpolation, tolerance, max_iterations
        )
    linear, _, first = _newton(
        nodes, times, flows, target, initial, "log_linear_discount", tolerance, max_iterations
    )
    solution, error, second = _newton(
        nodes, times, flows, target, linear, interpolation, tolerance, max_iterations
    )
    return solution, error, first + second


def _check_shapes(
    nodes: FloatArray, times: FloatArray, flows: FloatArray, target: FloatArray
) -> None:
    if nodes.ndim != 2 or times.ndim != 2 or flows.ndim != 3 or target.shape != nodes.shape:
        raise DataError(
            "need node_times [B, n], flow_times [B, m], amounts [B, n, m] and dirty_prices "
            f"[B, n]; got {nodes.shape}, {times.shape}, {flows.shape}, {target.shape}"
        )
    if flows.shape != (*nodes.shape, times.shape[1]):
        raise DataError(f"amounts shape {flows.shape} does not match {nodes.shape} x {times.shape}")
    for name, values in (("node_times", nodes), ("flow_times", times), ("amounts", flows)):
        if not np.all(np.isfinite(values)):
            raise DataError(
                f"{name} has non-finite values at {np.argwhere(~np.isfinite(values))[0]}"
            )
    bad = ~(target > 0)
    if bad.any():
        date, security = (int(i) for i in np.argwhere(bad)[0])
        raise DataError(
            f"dirty price at (date {date}, security {security}) must be positive, "
            f"got {target[date, security]}"
        )
    if np.any(np.diff(nodes, axis=1) <= 0) or np.any(nodes <= 0):
        raise DataError("node times must be positive and strictly increasing on every date")


def _newton(
    nodes: FloatArray,
    times: FloatArray,
    flows: FloatArray,
    target: FloatArray,
    start: FloatArray,
    interpolation: Interpolation,
    tolerance: float,
    max_iterations: int,
) -> tuple[FloatArray, FloatArray, int]:
    n = nodes.shape[-1]
    unit = np.eye(n)
    linear_map = None
    if interpolation in _LINEAR_METHODS:
        # ln D(t_j) = sum_k A[k, j] x_k: evaluate the interpolation on unit node vectors
        linear_map, _ = interpolate_log_discount(
            nodes[:, None, :], unit, times[:, None, :], interpolation=interpolation
        )
    x = start.copy()
    for iteration in range(1, max_iterations + 1):
        if linear_map is not None:
            log_discount = (x[:, None, :] @ linear_map)[:, 0]
            sensitivity = linear_map
        else:
            bumped = x[:, None, :] + _FD_STEP * np.concatenate([np.zeros((1, n)), unit])
            values, _ = interpolate_log_discount(
                nodes[:, None, :], bumped, times[:, None, :], interpolation=interpolation
            )
            log_discount = values[:, 0]
            sensitivity = (values[:, 1:] - values[:, :1]) / _FD_STEP
        discount = np.exp(log_discount)
        weighted = flows * discount[:, None, :]
        residual = weighted.sum(-1) - target
        if not np.all(np.isfinite(residual)):
            break
        if np.max(np.abs(residual)) < tolerance:
            return x, residual, iteration - 1
        jacobian = weighted @ np.swapaxes(sensitivity, -1, -2)
        try:
            x = x - np.linalg.solve(jacobian, residual[..., None])[..., 0]
        except np.linalg.LinAlgError:
            break
    raise FitError(
        f"{interpolation} bootstrap did not reprice every security within {tolerance:g} per "
        f"100 after {max_iterations} Newton steps (largest error {np.nanmax(np.abs(residual)):.3g})"
    )


class BootstrapResults(Results):
    """Read-only results of :meth:`Bootstrap.fit`."""

    def __init__(
        self,
        curve: ZeroCurve,
        cashflows: CashflowMatrix,
        dropped: pd.DataFrame,
        iterations: int,
    ) -> None:
        self._curve = curve
        self._cashflows = cashflows
        self._dropped = dropped
        self._iterations = iterations
        self._model_dirty = cashflows.present_value(curve.discount(cashflows.times))

    @property
    def curve(self) -> ZeroCurve:
        """The fitted :class:`~ustpull.curves.zero_curve.ZeroCurve` (nodes at maturities)."""
        return self._curve

    @property
    def cashflows(self) -> CashflowMatrix:
        """Cash flows of the securities used as nodes."""
        return self._cashflows

    @property
    def settlement(self) -> pd.Timestamp:
        """Settlement date; curve times are years from it (ACT/365.25)."""
        return self._cashflows.settlement

    @property
    def interpolation(self) -> Interpolation:
        """Interpolation used between nodes."""
        return self._curve.interpolation

    @property
    def iterations(self) -> int:
        """Newton steps taken."""
        return self._iterations

    @property
    def securities(self) -> pd.DataFrame:
        """Per node security: prices, model price, pricing error (per 100) and zero yield (%)."""
        frame = self._cashflows.to_frame()
        frame["maturity_years"] = self._cashflows.maturity_times
        frame["model_dirty_price"] = self._model_dirty
        frame["pricing_error"] = self._model_dirty - self._cashflows.dirty_price
        frame["zero_yield_cc"] = self._curve.zero_yield(self._cashflows.maturity_times)
        return frame

    @property
    def pricing_errors(self) -> pd.Series:
        """Model minus market dirty price per 100 face, by CUSIP."""
        return pd.Series(
            self._model_dirty - self._cashflows.dirty_price,
            index=self._cashflows.cusips,
            name="pricing_error",
        )

    @property
    def max_abs_error(self) -> float:
        """Largest absolute pricing error per 100 face over the node securities."""
        return float(np.max(np.abs(self._model_dirty - self._cashflows.dirty_price)))

    @property
    def dropped(self) -> pd.DataFrame:
        """Securities left out (shared maturity), with the reason."""
        return self._dropped.copy()

    def to_frame(self) -> pd.DataFrame:
        """The curve on a monthly grid, as :meth:`curve_frame`."""
        return self.curve_frame()

    def curve_frame(self, step_months: int = 1) -> pd.DataFrame:
        """Discount, zero, par and forward curve (percent) on a monthly grid to the last node."""
        last = self._curve.times[-1]
        grid = np.arange(1, int(np.floor(last * 12 / step_months + 1e-9)) + 1) * step_months / 12
        return self._curve.to_frame(grid)

    def summary(self) -> str:
        """A text summary: settlement, method, node count, fit quality and a few yields."""
        sample = [t for t in (0.25, 1.0, 2.0, 5.0, 10.0, 30.0) if t <= self._curve.times[-1]]
        zero = self._curve.zero_yield(sample)
        par = self._curve.par_yield(sample)
        lines = [
            "Exact zero-curve bootstrap",
            "=" * 60,
            f"Settlement:            {self.settlement.date()}",
            f"Interpolation:         {self.interpolation}",
            f"Securities (nodes):    {len(self._cashflows.cusips)}   dropped: {len(self._dropped)}",
            f"Longest maturity:      {self._curve.times[-1]:.3f} years",
            f"Max |pricing error|:   {self.max_abs_error:.2e} per 100 face",
            f"Newton iterations:     {self._iterations}",
            "-" * 60,
            f"{'maturity (y)':>12} {'zero cc (%)':>12} {'par sa (%)':>12}",
        ]
        lines += [
            f"{t:>12.2f} {z:>12.4f} {p:>12.4f}" for t, z, p in zip(sample, zero, par, strict=True)
        ]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"<BootstrapResults {self.settlement.date()} {self.interpolation}, "
            f"{len(self._cashflows.cusips)} nodes, max error {self.max_abs_error:.1e}>"
        )

    def plot(self) -> Figure:
        """Zero, par and instantaneous forward curves (percent) against maturity."""
        import matplotlib.pyplot as plt

        frame = self.curve_frame()
        figure, axis = plt.subplots(figsize=(8, 4.5))
        axis.plot(frame["maturity_years"], frame["zero_yield_cc"], label="zero (cont.)")
        axis.plot(frame["maturity_years"], frame["par_yield"], label="par (semiannual)")
        axis.plot(frame["maturity_years"], frame["forward_instantaneous"], label="inst. forward")
        nodes = self.securities
        axis.scatter(
            nodes["maturity_years"], nodes["zero_yield_cc"], s=10, color="black", label="nodes"
        )
        axis.set_xlabel("maturity (years)")
        axis.set_ylabel("percent")
        axis.set_title(f"Treasury curve {self.settlement.date()} ({self.interpolation})")
        axis.legend()
        figure.tight_layout()
        return figure


class Bootstrap:
    """Specification of an exact bootstrap from one date's securities.

    Parameters
    ----------
    securities : pandas.DataFrame
        Bond table: ``cusip``, ``security_type`` (bill/note/bond), ``coupon`` (**decimal**),
        ``maturity``, and ``clean_price`` per 100 (or FedInvest ``buy``/``sell``, mid used);
        see :func:`ustpull.curves.bonds.bond_table`. Bills' prices are their discount-basis
        prices (no accrued interest).
    settlement : date-like
        Settlement date (for FedInvest end-of-day prices: the next business day,
        :func:`ustpull.curves.calendar.settlement_date`).
    interpolation : {"log_linear_discount", "linear_zero", "monotone_convex", "log_cubic"}
        Curve between nodes.
    market : {"us_treasury", "bund", "jgb", "gilt"}
        Conventions row for schedules and accrued interest.
    duplicate_maturities : {"prefer_recent_issue", "raise"}
        What to do with securities sharing a maturity (module docstring).
    """

    def __init__(
        self,
        securities: pd.DataFrame,
        settlement: pd.Timestamp | str,
        *,
        interpolation: Interpolation = "log_linear_discount",
        market: Market = "us_treasury",
        duplicate_maturities: DuplicateRule = "prefer_recent_issue",
    ) -> None:
        if interpolation not in INTERPOLATIONS:
            raise DataError(
                f"unknown interpolation {interpolation!r}; choose one of {INTERPOLATIONS}"
            )
        every = cashflow_matrix(securities, settlement, market=market)
        maturity = every.maturity.to_numpy()
        cusips = every.cusips.to_numpy()
        kept, dropped = _one_per_maturity(maturity, every.security_type, duplicate_maturities)
        _raise_on_shared(dropped, kept, maturity, cusips, duplicate_maturities)
        if kept.size < 2:
            raise DataError(
                "an exact bootstrap needs at least 2 securities with distinct maturities, "
                f"got {kept.size}"
            )
        self._cashflows = every.subset(kept)
        self._dropped = pd.DataFrame(
            {
                "cusip": cusips[dropped],
                "security_type": every.security_type[dropped],
                "coupon": every.coupon[dropped],
                "maturity": maturity[dropped],
                "clean_price": every.clean_price[dropped],
                "reason": _drop_reasons(kept, dropped, maturity, cusips),
            }
        )
        self._interpolation: Interpolation = interpolation

    @property
    def cashflows(self) -> CashflowMatrix:
        """Cash flows of the node securities, sorted by maturity."""
        return self._cashflows

    def fit(self, *, tolerance: float = 1e-10, max_iterations: int = 50) -> BootstrapResults:
        """Solve the node discount factors so every node security reprices exactly."""
        matrix = self._cashflows
        log_discount, _, iterations = solve_node_discount(
            matrix.maturity_times[None, :],
            matrix.times[None, :],
            matrix.amounts[None],
            matrix.dirty_price[None, :],
            interpolation=self._interpolation,
            start=yield_start(matrix.maturity_times, matrix.yield_to_maturity)[None, :],
            tolerance=tolerance,
            max_iterations=max_iterations,
        )
        curve = ZeroCurve(
            matrix.maturity_times, np.exp(log_discount[0]), interpolation=self._interpolation
        )
        return BootstrapResults(curve, matrix, self._dropped, iterations)


class BatchBootstrapResults(Results):
    """Read-only results of :func:`bootstrap_batch`: one curve per date."""

    def __init__(
        self,
        node_times: FloatArray,
        node_log_discount: FloatArray,
        errors: FloatArray,
        settlements: pd.DatetimeIndex,
        interpolation: Interpolation,
        iterations: int,
    ) -> None:
        self._node_times = node_times
        self._node_log_discount = node_log_discount
        self._errors = errors
        self._settlements = settlements
        self._interpolation: Interpolation = interpolation
        self._iterations = iterations

    @property
    def curves(self) -> list[ZeroCurve]:
        """One :class:`ZeroCurve` per date, in input order."""
        return [
            ZeroCurve(times, np.exp(logs), interpolation=self._interpolation)
            for times, logs in zip(self._node_times, self._node_log_discount, strict=True)
        ]

    @property
    def pricing_errors(self) -> pd.DataFrame:
        """[date, security position] model minus market dirty price per 100."""
        return pd.DataFrame(self._errors, index=self._settlements)

    @property
    def max_abs_error(self) -> float:
        """Largest absolute pricing error per 100 over all dates and securities."""
        return float(np.max(np.abs(self._errors)))

    @property
    def iterations(self) -> int:
        """Newton steps taken (shared by all dates)."""
        return self._iterations

    def zero_yields(self, maturities: npt.ArrayLike) -> pd.DataFrame:
        """Continuously compounded zero yields (percent), dates x maturities."""
        t = np.asarray(maturities, float).ravel()
        if np.any(~(t > 0)):
            raise DataError(f"maturities must be positive years, got {t}")
        log_discount, _ = interpolate_log_discount(
            self._node_times, self._node_log_discount, t[None, :], interpolation=self._interpolation
        )
        return pd.DataFrame(
            -100.0 * log_discount / t,
            index=self._settlements,
            columns=pd.Index(t, name="maturity"),
        )

    def summary(self) -> str:
        """Dates, securities per curve, worst pricing error."""
        return (
            f"Batched exact bootstrap: {len(self._settlements)} dates, {self._errors.shape[1]} "
            f"securities each, max |pricing error| {self.max_abs_error:.2e} per 100, "
            f"{self._iterations} Newton steps"
        )

    def plot(self, maturities: Sequence[float] = (2.0, 5.0, 10.0)) -> Figure:
        """Zero yields (percent, continuous) at ``maturities`` across the dates."""
        import matplotlib.pyplot as plt

        inside = [m for m in maturities if m <= float(self._node_times[:, -1].min())]
        frame = self.zero_yields(inside)
        figure, axis = plt.subplots(figsize=(8, 4.5))
        for maturity in frame.columns:
            axis.plot(frame.index, frame[maturity], label=f"{maturity:g}-year zero")
        axis.set_ylabel("percent (continuous)")
        axis.set_title(f"Exact bootstrap, {len(frame)} dates ({self._interpolation})")
        axis.legend()
        figure.autofmt_xdate()
        figure.tight_layout()
        return figure


def bootstrap_batch(
    cashflows: Sequence[CashflowMatrix],
    *,
    interpolation: Interpolation = "log_linear_discount",
    tolerance: float = 1e-10,
    max_iterations: int = 50,
) -> BatchBootstrapResults:
    """Exact bootstraps of many dates at once (same number of securities per date).

    Parameters
    ----------
    cashflows : sequence of CashflowMatrix
        One per date, each with distinct maturities (see :func:`select_one_per_maturity`)
        and the same number of securities.
    interpolation, tolerance, max_iterations
        As in :func:`solve_node_discount`.
    """
    if not cashflows:
        raise DataError("bootstrap_batch needs at least one date")
    counts = {len(matrix.cusips) for matrix in cashflows}
    if len(counts) != 1:
        raise DataError(f"every date needs the same number of securities, got {sorted(counts)}")
    width = max(matrix.times.size for matrix in cashflows)
    size, n = len(cashflows), counts.pop()
    nodes = np.empty((size, n))
    times = np.empty((size, width))
    flows = np.zeros((size, n, width))
    dirty = np.empty((size, n))
    start = np.empty((size, n))
    for row, matrix in enumerate(cashflows):  # checks and packing only; the solve is batched
        order = np.argsort(matrix.maturity_times, kind="stable")
        nodes[row] = matrix.maturity_times[order]
        if np.any(np.diff(nodes[row]) <= 0):
            raise DataError(
                f"{matrix.settlement.date()}: securities share a maturity; keep one per maturity"
            )
        times[row, : matrix.times.size] = matrix.times
        times[row, matrix.times.size :] = matrix.times[-1]
        flows[row, :, : matrix.times.size] = matrix.amounts[order]
        dirty[row] = matrix.dirty_price[order]
        start[row] = yield_start(nodes[row], matrix.yield_to_maturity[order])
    log_discount, errors, iterations = solve_node_discount(
        nodes,
        times,
        flows,
        dirty,
        interpolation=interpolation,
        start=start,
        tolerance=tolerance,
        max_iterations=max_iterations,
    )
    settlements = pd.DatetimeIndex([matrix.settlement for matrix in cashflows], name="settlement")
    return BatchBootstrapResults(
        nodes, log_discount, errors, settlements, interpolation, iterations
    )
