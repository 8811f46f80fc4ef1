"""Published term premia to compare with: NY Fed ACM check values and Kim-Wright.

* :data:`NYFED_ACM_CHECKS`: month-end values of the Federal Reserve Bank of New York's ACM
  term premia (``ACMTP02``, ``ACMTP10``, percent, continuously compounded; vintage 2025-07,
  as listed in the ustpull issues 1 and 17). The full NY Fed file is not in the shared data;
  these are the values every fidelity figure of the package is measured on.
* Kim and Wright (2005) 10-year term premium, FRED ``THREEFYTP10`` (id ``us.kw.tp.10y``):
  a different (three-factor, survey-augmented) model, so the comparison is descriptive.

:func:`nyfed_gaps` and :func:`fidelity_table` give our gaps to the check values (bp) and
their root mean square by decade and maturity; :func:`compare_series` the gap statistics
between two series of term premia on common month-ends.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ustpull.errors import DataError

#: (month, maturity in years, published ACM term premium in percent); NY Fed vintage 2025-07.
_NYFED_ROWS: tuple[tuple[str, int, float], ...] = (
    ("1965-12", 10, 0.2197),
    ("1974-09", 10, 1.5793),
    ("1981-09", 10, 4.5705),
    ("1990-06", 10, 2.1238),
    ("2000-01", 10, 1.3437),
    ("2007-06", 10, 0.6465),
    ("2012-07", 10, 0.0904),
    ("2016-07", 10, -0.5917),
    ("2019-08", 10, -1.2521),
    ("2020-03", 10, -1.1555),
    ("2023-10", 10, 0.4187),
    ("2025-06", 10, 0.6408),
    ("1975-03", 2, 0.8020),
    ("1990-06", 2, 0.7228),
    ("2000-01", 2, 0.6335),
    ("2007-06", 2, 0.0729),
    ("2012-07", 2, -0.1354),
    ("2019-08", 2, -0.8443),
)

NYFED_ACM_CHECKS = pd.DataFrame(_NYFED_ROWS, columns=["month", "years", "published"])


def nyfed_gaps(term_premium: pd.DataFrame) -> pd.DataFrame:
    """Our term premium minus the NY Fed's at each check value.

    Parameters
    ----------
    term_premium : DataFrame
        Month-end term premia, percent; DatetimeIndex, integer columns = maturities in months.

    Returns
    -------
    DataFrame
        ``month``, ``years``, ``published``, ``ours`` (percent) and ``gap_bp``, for the checks
        whose month and maturity are in ``term_premium``.
    """
    months = pd.DatetimeIndex(term_premium.index).to_period("M")
    rows = []
    for month, years, published in _NYFED_ROWS:
        hit = np.flatnonzero(months == pd.Period(month, "M"))
        if hit.size == 0 or 12 * years not in term_premium.columns:
            continue
        ours = float(term_premium[12 * years].iloc[hit[-1]])
        rows.append((month, years, published, ours, 100.0 * (ours - published)))
    if not rows:
        raise DataError("the term premium covers none of the NY Fed check months")
    return pd.DataFrame(rows, columns=["month", "years", "published", "ours", "gap_bp"])


def fidelity_table(gaps: pd.DataFrame) -> pd.DataFrame:
    """Root-mean-square gap (bp) by decade (rows) and maturity (columns), with an ``all`` row.

    Cells show ``rms (count)`` as numbers in two frames joined by a MultiIndex column level:
    ``rms_bp`` and ``n``.
    """
    decade = gaps["month"].str[:3] + "0s"
    squared = gaps.assign(decade=decade, squared=gaps["gap_bp"] ** 2)
    by_decade = squared.pivot_table(
        index="decade", columns="years", values="squared", aggfunc=["mean", "count"]
    )
    total = squared.pivot_table(columns="years", values="squared", aggfunc=["mean", "count"])
    total.index = pd.Index(["all"])
    table = pd.concat([by_decade, total])
    rms = np.sqrt(table["mean"]).round(1)
    counts = table["count"].fillna(0).astype(int)
    result = pd.concat({"rms_bp": rms, "n": counts}, axis=1)
    result.columns.names = ["stat", "years"]
    return result


def compare_series(ours: pd.Series, theirs: pd.Series, *, name: str) -> pd.Series:
    """Gap statistics between two term-premium series on their common month-ends.

    Both are reduced to their last observation in each month; returns ``months``, ``first``,
    ``last``, ``mean_gap_bp`` (ours minus theirs), ``rms_gap_bp``, ``max_abs_gap_bp``,
    ``correlation`` and ``change_correlation`` (of monthly changes), named ``name``.
    """
    frame = pd.concat(
        {"ours": _month_end(ours), "theirs": _month_end(theirs)}, axis=1, sort=True
    ).dropna()
    if len(frame) < 3:
        raise DataError(f"fewer than 3 common months with {name}")
    gap = 100.0 * (frame["ours"] - frame["theirs"])
    changes = frame.diff().dropna()
    return pd.Series(
        {
            "months": float(len(frame)),
            "first": str(frame.index[0]),
            "last": str(frame.index[-1]),
            "mean_gap_bp": float(gap.mean()),
            "rms_gap_bp": float(np.sqrt((gap**2).mean())),
            "max_abs_gap_bp": float(gap.abs().max()),
            "correlation": float(frame["ours"].corr(frame["theirs"])),
            "change_correlation": float(changes["ours"].corr(changes["theirs"])),
        },
        name=name,
    )


def _month_end(series: pd.Series) -> pd.Series:
    clean = series.dropna()
    months = pd.DatetimeIndex(clean.index).to_period("M")
    last = clean[~months.duplicated(keep="last")]
    return pd.Series(last.to_numpy(dtype=np.float64), index=months[~months.duplicated(keep="last")])


def comparison_text(term_premium: pd.DataFrame, kim_wright: pd.Series | None = None) -> str:
    """Text of the published comparisons: the NY Fed fidelity table and Kim-Wright gaps.

    ``term_premium``: our month-end term premia (percent, columns in months);
    ``kim_wright``: THREEFYTP10 (percent, any frequency), compared at 10 years.
    """
    gaps = nyfed_gaps(term_premium)
    table = fidelity_table(gaps)
    lines = [
        "NY Fed ACM (vintage 2025-07): root mean square gap, ours minus published, bp "
        "(n = check months)",
        table.to_string(na_rep="-"),
    ]
    if kim_wright is not None and kim_wright.notna().any():
        stats = compare_series(term_premium[120], kim_wright, name="Kim-Wright THREEFYTP10")
        lines += [
            "",
            f"Kim-Wright THREEFYTP10 vs our 10-year term premium, month-ends "
            f"{stats['first']}..{stats['last']} ({int(stats['months'])} months):",
            f"  mean gap {stats['mean_gap_bp']:+.1f} bp, rms {stats['rms_gap_bp']:.1f} bp, "
            f"max |gap| {stats['max_abs_gap_bp']:.1f} bp, correlation "
            f"{stats['correlation']:.3f} (monthly changes {stats['change_correlation']:.3f})",
        ]
    return "\n".join(lines)


__all__ = [
    "NYFED_ACM_CHECKS",
    "compare_series",
    "comparison_text",
    "fidelity_table",
    "nyfed_gaps",
]
