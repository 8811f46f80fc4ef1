"""Coverage designs of ``bench_interval_coverage.py``, part A: the smile/frown episode bootstrap,
the Rigobon-Sack block bootstrap and the White (HC3, Bell-McCaffrey) event regressions.

The data-generating processes are those of the tests (``tests/crossasset/_coverage_designs.py``,
GARCH(1,1) volatility clustering in every design), here with more series and more designs,
each interval method beside the one it replaced ("before").

``coverage_rows(n_series)`` returns one dict per (method, design): ``method``, ``design``,
``series``, ``nominal``, ``coverage`` (percent), ``mc_se`` (binomial, pp) and ``cpu_s``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.crossasset._coverage_designs import (
    garch,
    mc_standard_error,
    rigobon_sack_coverage,
    smile_coverage,
    surprise_moves,
)

from ustpull.config import shared_data_dir
from ustpull.crossasset.announcements import surprise_series
from ustpull.crossasset.robust_slope import hc3_slope

TITLE = "Smile/frown episode bootstrap, Rigobon-Sack, event regressions (White)"
NOMINAL = 95.0


def _row(method: str, design: str, hits: np.ndarray, seconds: float) -> dict[str, Any]:
    coverage = 100.0 * float(np.mean(hits))
    return {
        "method": method,
        "design": design,
        "series": int(np.size(hits)),
        "nominal": NOMINAL,
        "coverage": coverage,
        "mc_se": mc_standard_error(coverage, int(np.size(hits))),
        "cpu_s": seconds,
    }


def _timed(run: Callable[[], Any]) -> tuple[Any, float]:
    start = time.process_time()
    out = run()
    return out, time.process_time() - start


SMILE_DESIGNS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("480 months, spells 6-30 (6-10 episodes per tail), episode effect sd 0.5", {}),
    ("same, no episode effect", {"tau": 0.0}),
    ("same, episode effect sd 1.0", {"tau": 1.0}),
    ("same, AR(1) 0.3 noise on top of GARCH", {"ar": 0.3}),
    ("480 months, spells 12-48 (about 4 episodes per tail)", {"spell": (12, 48)}),
)


def smile_rows(n_series: int) -> list[dict[str, Any]]:
    rows = []
    for number, (design, options) in enumerate(SMILE_DESIGNS):
        hits, seconds = _timed(lambda o=options, k=number: smile_coverage(n_series, seed=k, **o))
        rows.append(
            _row(
                "smile curvature: episode bootstrap, Satterthwaite t (adopted)",
                design,
                hits["curvature"],
                seconds,
            )
        )
        rows.append(
            _row(
                "smile curvature: episode bootstrap, t(G_min - 1) (before)",
                design,
                hits["curvature_tmin_before"],
                seconds,
            )
        )
        if number == 0:
            rows.append(
                _row(
                    "smile curvature: months independent, normal (before, retired)",
                    design,
                    hits["curvature_iid_months"],
                    seconds,
                )
            )
            for gap in ("low_minus_mid", "high_minus_mid"):
                rows.append(_row(f"smile {gap}: episode bootstrap", design, hits[gap], seconds))
            hac, seconds = _timed(lambda k=number: smile_coverage(n_series, method="hac", seed=k))
            rows.append(
                _row("smile curvature: HAC, t(G_min - 1)", design, hac["curvature"], seconds)
            )
    return rows


RS_DESIGNS: tuple[tuple[str, dict[str, Any], tuple[str, ...]], ...] = (
    (
        "4,000 days, 173 events, event U.S. shock sd x2 (variance ratio ~2.5)",
        {"days": 4000},
        ("iid_windows", "percentile", "basic"),
    ),
    ("3,000 days, 130 events, sd x2 (the test's design)", {"days": 3000}, ("basic",)),
    (
        "8,000 days, 347 events, sd x1.41 (variance ratio 1.5, as U.S.-Bund on FOMC days)",
        {"days": 8000, "event_scale": 1.41},
        ("iid_windows", "percentile", "basic"),
    ),
    ("4,000 days, sd x3 (strong identification)", {"days": 4000, "event_scale": 3.0}, ("basic",)),
)
RS_METHODS = {
    "iid_windows": "Rigobon-Sack: A and N windows one by one, percentile (before)",
    "percentile": "Rigobon-Sack: circular block bootstrap, percentile",
    "basic": "Rigobon-Sack: circular block bootstrap, basic (adopted)",
}


def rigobon_sack_rows(n_series: int) -> list[dict[str, Any]]:
    rows = []
    for number, (design, options, methods) in enumerate(RS_DESIGNS):
        for method in methods:
            hits, seconds = _timed(
                lambda o=options, m=method, k=number: rigobon_sack_coverage(
                    n_series, interval=m, seed=k, **o
                )
            )
            rows.append(_row(RS_METHODS[method], design, hits, seconds))
    return rows


def _slope_hits(s: np.ndarray, moves: np.ndarray, slope: float) -> dict[str, np.ndarray]:
    """Hits of HC1-normal (before), HC3-normal and HC3 with Bell-McCaffrey t (adopted)."""
    x = np.broadcast_to(s, moves.shape)
    fit = hc3_slope(moves, x)
    n = moves.shape[-1]
    xc = x - x.mean(axis=-1, keepdims=True)
    sxx = np.sum(xc**2, axis=-1, keepdims=True)
    resid = moves - moves.mean(axis=-1, keepdims=True) - fit.slope[:, None] * xc
    hc1 = np.sqrt(n / (n - 2) * np.sum((xc / sxx) ** 2 * resid**2, axis=-1))
    error = np.abs(fit.slope - slope)
    z = stats.norm.ppf(0.975)
    return {
        "White HC1, normal (before)": error <= z * hc1,
        "White HC3, normal": error <= z * fit.std_err,
        "White HC3, Bell-McCaffrey t (adopted)": (fit.ci_low <= slope) & (slope <= fit.ci_high),
    }


def event_rows(n_series: int) -> list[dict[str, Any]]:
    events = shared_data_dir() / "events"
    gss = surprise_series(pd.read_csv(events / "fomc_surprises_gss_gkl_1984_2019.csv"), "MP1").loc[
        "1990":
    ]
    jk = surprise_series(
        pd.read_csv(events / "fomc_shocks_jarocinski_karadi_1999_2019.csv"), "MP_pm"
    )
    rng = np.random.default_rng(11)
    designs: list[tuple[str, np.ndarray, float]] = [
        ("GSS MP1 surprises (262, fixed), error sd x (1 + abs(s)/sd)", gss.to_numpy(), 1.0),
        ("GSS MP1 surprises, homoskedastic scale (GARCH only)", gss.to_numpy(), 0.0),
        ("GSS MP1 surprises, error sd x (1 + 2 abs(s)/sd)", gss.to_numpy(), 2.0),
        ("Jarocinski-Karadi MP_pm (171, fixed), sd x (1 + abs(s)/sd)", jk.to_numpy(), 1.0),
        (
            "GSS MP1 resampled per series (262), sd x (1 + abs(s)/sd)",
            gss.to_numpy()[rng.integers(0, len(gss), size=(n_series, len(gss)))],
            1.0,
        ),
        (
            "t(3) surprises (200 per series), sd x (1 + abs(s)/sd)",
            5.0 * rng.standard_t(3, size=(n_series, 200)),
            1.0,
        ),
    ]
    rows = []
    for number, (design, surprise, gamma) in enumerate(designs):
        start = time.process_time()
        if surprise.ndim == 1:
            moves = surprise_moves(surprise, n_series, gamma=gamma, seed=number)
        else:  # a new design per series: scale by each series' own surprise sd
            scale = 1.0 + gamma * np.abs(surprise) / surprise.std(axis=1, keepdims=True)
            noise = 2.0 * garch(n_series, surprise.shape[1], np.random.default_rng(number))
            moves = 0.1 + 0.4 * surprise + noise * scale
        hits = _slope_hits(surprise, moves, 0.4)
        seconds = time.process_time() - start
        rows += [_row(method, design, hit, seconds) for method, hit in hits.items()]
    return rows


def coverage_rows(n_series: int) -> list[dict[str, Any]]:
    """Every row of part A."""
    return smile_rows(n_series) + rigobon_sack_rows(n_series) + event_rows(n_series)
