"""Chart specification of the rolling global yield co-movement (the report's ``yield_comovement``).

One :class:`ustpull.charts.Chart`, drawn by the report and by
:meth:`ustpull.crossasset.comovement.CoMovementResults.figure` / ``chart()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ustpull.charts import Chart, Interval, window_label

if TYPE_CHECKING:
    from ustpull.crossasset.comovement import CoMovementResults

__all__ = ["comovement_chart"]


def _uk(market: str) -> str:
    return "UK" if market == "GB" else market


def _fallbacks(comovement: CoMovementResults) -> str:
    fallback = [m for m, basis in comovement.bases.items() if basis.startswith("monthly")]
    return ", ".join(_uk(m) for m in fallback) or "none"


def comovement_chart(comovement: CoMovementResults) -> Chart:
    """Rolling month-end co-movement: the headline average with its HAC band, each market."""
    rolling = comovement.rolling
    names = "+".join(_uk(m) for m in comovement.headline)
    markets = [c for c in rolling.columns if not str(c).startswith("headline")]
    data = rolling[markets].rename(columns={"GB": "UK"})
    band = Interval(f"average {names}", "95% band (HAC), low", "95% band (HAC), high",
                    "95% band (HAC)")  # fmt: skip
    data[band.of] = rolling["headline_average"]
    data[band.low] = rolling["headline_ci_low"]
    data[band.high] = rolling["headline_ci_high"]
    return Chart(
        "yield_comovement",
        f"Rolling {window_label(comovement.window, 'month')} correlation of month-end "
        "10-year yield changes with the U.S.",
        data,
        "correlation",
        zero_line=True,
        intervals=(band,),
        note="Month-end of daily yields; OECD monthly averages on both sides where a market "
        f"has no daily series ({_fallbacks(comovement)}).",
    )
