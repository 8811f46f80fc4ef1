"""Findings and the small helpers every section uses (numbers, dates, shading, sampling)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ustpull.charts import in_words, portfolio_label, window_label, years_label
from ustpull.report.document import NO_INTERVAL, Finding

__all__ = [
    "Findings",
    "date",
    "in_words",
    "interval_words",
    "number",
    "portfolio_label",
    "span",
    "window_end",
    "window_label",
    "years_label",
]


@dataclass
class Findings:
    """Collects findings; ``add`` returns the placeholder the prose uses."""

    as_of: str
    items: list[Finding] = field(default_factory=list)

    def add(
        self,
        key: str,
        label: str,
        value: float | None,
        unit: str,
        definition: str,
        window: str,
        *,
        as_of: str | None = None,
        decimals: int = 2,
        ci: tuple[float, float] | None = None,
        ci_method: str = "",
        ci_note: str = NO_INTERVAL,
    ) -> str:
        number = None if value is None or not math.isfinite(float(value)) else float(value)
        if as_of is None:
            as_of = window_end(window) or self.as_of
        self.items.append(
            Finding(
                key,
                label,
                number,
                unit,
                definition,
                window,
                as_of,
                decimals,
                "" if number is not None else "not computable from the data",
                ci=ci,
                ci_method=ci_method,
                ci_note=ci_note,
            )
        )
        return "{" + key + "}"

    def value(self, key: str) -> float:
        for item in self.items:
            if item.key == key:
                return float("nan") if item.value is None else item.value
        raise KeyError(key)


def interval_words(findings: Findings, key: str, *, zero_test: bool = True) -> str:
    """``95% CI low to high`` of the finding ``key`` (or its ``{key}`` placeholder) in its own
    decimals, followed by ``: not significantly different from zero`` when the interval
    contains zero (and ``zero_test``); ``no interval`` without one. Summaries word
    significance from this, never from a point estimate."""
    name = key.strip("{}")
    item = next(i for i in findings.items if i.key == name)
    if item.ci is None:
        return "no interval"
    low, high = item.ci
    text = f"95% CI {low:,.{item.decimals}f} to {high:,.{item.decimals}f}"
    if zero_test and low <= 0.0 <= high:
        text += ": not significantly different from zero"
    return text


def interval_brackets(findings: Findings, key: str) -> str:
    """``[low, high]`` of the finding ``key`` (or its placeholder) in its own decimals, for a
    number quoted inside parentheses; ``[no interval]`` without one."""
    name = key.strip("{}")
    item = next(i for i in findings.items if i.key == name)
    if item.ci is None:
        return "[no interval]"
    low, high = item.ci
    return f"[{low:,.{item.decimals}f}, {high:,.{item.decimals}f}]"


def window_end(window: str) -> str | None:
    """The last date written in a finding's window (its data as-of date), if any."""
    dates = re.findall(r"\d{4}-\d{2}(?:-\d{2})?", window)
    return f"{pd.Timestamp(dates[-1]):%Y-%m-%d}" if dates else None


def number(value: object) -> float:
    """A scalar from a pandas cell (float() with the types mypy can see)."""
    return float(np.asarray(value, dtype=float))


def date(value: object) -> str:
    return f"{pd.Timestamp(value):%Y-%m-%d}"  # type: ignore[arg-type]


def span(index: pd.Index) -> str:
    dates = pd.DatetimeIndex(index)
    return f"{dates.min():%Y-%m-%d} .. {dates.max():%Y-%m-%d}"
