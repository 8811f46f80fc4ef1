"""Which series each study reads, and the recipes that may fill each column."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ustpull.studies.settings import StudySettings

if TYPE_CHECKING:
    from ustpull.studies.recipes import Recipe

# the studies' series lists are imported when asked for, not with this module: the data route
# (ustpull.studies.data, e.g. `ustpull curves nss`) needs none of the models behind them

__all__ = ["STUDIES", "required_series", "study_recipes"]

STUDIES: tuple[str, ...] = (
    "term premia",
    "Treasury pull",
    "stocks",
    "foreign bonds",
    "connectedness",
    "dollar",
    "event studies",
)
"""The studies of :func:`ustpull.studies.run_studies`, in the order they run."""


def required_series(settings: StudySettings = StudySettings()) -> dict[str, list[str]]:
    """Columns (canonical ids) each study reads, by study (see :func:`study_recipes` for the
    series that may fill each)."""
    from ustpull.crossasset.connectedness.global_yields import global_yields_series_ids
    from ustpull.studies.dollar import dollar_series_ids
    from ustpull.studies.events import ANNOUNCEMENT_SERIES
    from ustpull.studies.foreign_bonds import comovement_series_ids, foreign_bond_series_ids
    from ustpull.studies.pull import PULL_STUDY_SERIES
    from ustpull.studies.stocks import STOCK_SERIES
    from ustpull.studies.term_premia import PUBLISHED_KIM_WRIGHT, linkage_series_ids

    return {
        # Kim-Wright (published, for the overlay) is optional: FRED serves it online
        "term premia": [*linkage_series_ids(settings.linkage_countries), PUBLISHED_KIM_WRIGHT],
        # the U.S. split comes from the term-premia study's daily ACM estimate
        "Treasury pull": list(PULL_STUDY_SERIES),
        "stocks": list(STOCK_SERIES),
        "foreign bonds": list(
            dict.fromkeys(
                [*foreign_bond_series_ids(emerging_monthly=True), *comovement_series_ids()]
            )
        ),
        # the dollar uses the U.S. term premium (term premia), not the curve itself
        "dollar": dollar_series_ids(with_term_premium=False),
        "event studies": [*settings.event_series, *ANNOUNCEMENT_SERIES],
        "connectedness": global_yields_series_ids(),
    }


def study_recipes(settings: StudySettings = StudySettings()) -> list[Recipe]:
    """One recipe per study: each column with its candidate series in order.

    The term premia need the U.S. curve; each other country's curve is optional (a country
    without one is stated as not estimated).
    """
    from ustpull.crossasset.foreign_bonds import REQUIRED_SERIES as FOREIGN_REQUIRED
    from ustpull.studies.dollar import DOLLAR_OPTIONAL
    from ustpull.studies.events import ANNOUNCEMENT_SERIES
    from ustpull.studies.foreign_bonds import CURVE_SPREAD_IDS
    from ustpull.studies.recipes import recipes
    from ustpull.termpremium.countries import country_curve

    columns = required_series(settings)
    us_curve = set(country_curve("US").series_ids)
    foreign_curves = {c for c in columns["term premia"] if c not in us_curve}  # and Kim-Wright
    # every market but the U.S. joins the foreign-bond statistics when its series is there
    base = {*FOREIGN_REQUIRED, *CURVE_SPREAD_IDS}
    other_markets = {c for c in columns["foreign bonds"] if c not in base}
    # the dashboard shows the assets that are there; the S&P 500 is the one it needs
    pull_optional = {c for c in columns["Treasury pull"] if c != "us.sp500"}
    return recipes(
        columns,
        optional={
            "term premia": foreign_curves,
            "foreign bonds": other_markets,
            "dollar": set(DOLLAR_OPTIONAL),
            "event studies": set(ANNOUNCEMENT_SERIES),
            "Treasury pull": pull_optional,
        },
    )
