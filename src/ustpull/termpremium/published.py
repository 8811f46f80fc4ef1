"""Published term premia to compare with: NY Fed ACM check values and Kim-Wright.

* :data:`NYFED_ACM_CHECKS`: month-end values of the Federal Reserve Bank of New York's ACM
  term premia: file ``ACMTermPremium.xls`` (newyorkfed.org, "Treasury Term Premia"), sheet
  ``ACM Monthly``, columns ``ACMTP02`` and ``ACMTP10``, percent, continuously compounded;
  vintage 2025-07, as transcribed in the ustpull issues 1 and 17. The file itself is not in
  the shared data (``publisher-samples/nyfed_acm`` holds only its layout), so these 18
  values are what the offline fidelity figures are measured on; there are no 1-, 3- to 9-year
  values among them.
* The full published series, ``us.acm.tp.{1..10}y`` (:data:`NYFED_TP_IDS`; the ``ACM Daily``
  sheet, fetched online by :mod:`ustpull.sources.nyfed_acm`), when the store holds them:
  :func:`nyfed_series_gaps` measures every month-end and maturity 1..10 years (the fidelity
  targets of issue 17 are stated on month-ends 1961-2025 at 1, 2, 5 and 10 years).
* Kim and Wright (2005) 10-year term premium, FRED ``THREEFYTP10`` (id ``us.kw.tp.10y``):
  a different (three-factor, survey-augmented) model, so the comparison is descriptive.

:func:`nyfed_gaps` and :func:`fidelity_table` give our gaps to the check values (bp) and
their root mean square by decade and maturity; :func:`compare_series` the gap statistics
between two series of term premia on common month-ends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ustpull.errors import DataError, SeriesNotFoundError

if TYPE_CHECKING:
    from pathlib import Path

    from ustpull.store import Store

#: Store ids of the NY Fed's published ACM term premia, 1..10 years (``ACMTP01..ACMTP10``).
NYFED_TP_IDS: tuple[str, ...] = tuple(f"us.acm.tp.{n}y" for n in range(1, 11))

#: (month, maturity in years, published ACM term premium in percent): ``ACMTermPremium.xls``,
#: sheet ``ACM Monthly``, column ``ACMTP{years:02d}``, NY Fed vintage 2025-07 (issues 1, 17).
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


def nyfed_series_gaps(term_premium: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """Our term premium minus the NY Fed's full published series, every month-end and maturity.

    Parameters
    ----------
    term_premium : DataFrame
        Our month-end term premia, percent; DatetimeIndex, integer columns = maturities in
        months.
    published : DataFrame
        The NY Fed series by date (any frequency; the last observation of each month is its
        month-end), columns among :data:`NYFED_TP_IDS` (percent). The store holds the
        ``ACM Daily`` sheet, whose month-end values can differ from the ``ACM Monthly`` sheet
        by up to about 3 bp at 10 years (``publisher-samples/nyfed_acm/README.md``).

    Returns
    -------
    DataFrame
        As :func:`nyfed_gaps` (``month``, ``years``, ``published``, ``ours``, ``gap_bp``), one
        row per month and maturity in both, for :func:`fidelity_table`.
    """
    ours = term_premium.copy()
    ours.index = pd.DatetimeIndex(ours.index).to_period("M")
    parts = []
    for years in range(1, 11):
        column = f"us.acm.tp.{years}y"
        if column not in published.columns or 12 * years not in ours.columns:
            continue
        theirs = _month_end(published[column])
        both = pd.concat({"published": theirs, "ours": ours[12 * years]}, axis=1).dropna()
        parts.append(
            pd.DataFrame(
                {
                    "month": pd.PeriodIndex(both.index).strftime("%Y-%m"),
                    "years": years,
                    "published": both["published"].to_numpy(),
                    "ours": both["ours"].to_numpy(),
                    "gap_bp": 100.0 * (both["ours"] - both["published"]).to_numpy(),
                }
            )
        )
    if not parts or all(part.empty for part in parts):
        raise DataError("our term premium and the NY Fed series share no month-end and maturity")
    return pd.concat(parts, ignore_index=True)


def stored_nyfed_series(store: Store | Path | str | None = None) -> pd.DataFrame | None:
    """The NY Fed's published term premia (:data:`NYFED_TP_IDS`) from the store, else ``None``.

    ``store``: a :class:`~ustpull.store.Store` or database path (default the user's store).
    They are there after ``ustpull ingest`` from the online ``nyfed_acm`` source; the shared
    data hold no ACM file, so offline this is ``None`` (also when there is no store yet).
    """
    from ustpull.store import Store, load

    target = store if isinstance(store, Store) else Store(store, read_only=True)
    if not target.path.exists():  # no store yet: nothing was ingested
        return None
    try:
        frame = load(list(NYFED_TP_IDS), store=target)
    except SeriesNotFoundError:
        return None
    return None if frame.dropna(how="all").empty else frame


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


def comparison_text(
    term_premium: pd.DataFrame,
    kim_wright: pd.Series | None = None,
    nyfed: pd.DataFrame | None = None,
) -> str:
    """Text of the published comparisons: the NY Fed fidelity table and Kim-Wright gaps.

    ``term_premium``: our month-end term premia (percent, columns in months);
    ``kim_wright``: THREEFYTP10 (percent, any frequency), compared at 10 years;
    ``nyfed``: the NY Fed's full series (:func:`stored_nyfed_series`); when given, the table
    covers every common month-end at 1..10 years, else the 18 check values.
    """
    if nyfed is not None:
        gaps = nyfed_series_gaps(term_premium, nyfed)
        heading = (
            f"NY Fed ACM (stored series, month-ends {gaps['month'].min()}..{gaps['month'].max()}"
            "): root mean square gap, ours minus published, bp (n = months)"
        )
    else:
        gaps = nyfed_gaps(term_premium)
        heading = (
            "NY Fed ACM (vintage 2025-07): root mean square gap, ours minus published, bp "
            "(n = check months)"
        )
    lines = [heading, fidelity_table(gaps).to_string(na_rep="-")]
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
    "NYFED_TP_IDS",
    "compare_series",
    "comparison_text",
    "fidelity_table",
    "nyfed_gaps",
    "nyfed_series_gaps",
    "stored_nyfed_series",
]
