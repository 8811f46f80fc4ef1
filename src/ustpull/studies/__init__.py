"""Studies: one home for each analysis, shared by the CLI and the report.

The layer between the models (:mod:`ustpull.crossasset`, :mod:`ustpull.termpremium`) and
their users (:mod:`ustpull.report`, :mod:`ustpull.cli`): which series each study reads
(:func:`required_series`), one data route (:func:`load_frame`, :func:`load_study_frame`,
:func:`load_study_data`), one function per study taking a data frame, :class:`StudySettings`
and an optional executor (:func:`run_term_premia`, :func:`run_stocks`, :func:`run_foreign_bonds`,
:func:`run_connectedness`, :func:`run_dollar`, :func:`run_events`, :func:`run_pull`), and
:func:`run_studies`, which runs them all and returns an immutable :class:`Studies`.
"""

from typing import TYPE_CHECKING

from ustpull._lazy import lazy_names

if TYPE_CHECKING:
    from ustpull.studies.connectedness import run_connectedness as run_connectedness
    from ustpull.studies.data import AsOf as AsOf
    from ustpull.studies.data import StudyData as StudyData
    from ustpull.studies.data import load_frame as load_frame
    from ustpull.studies.data import load_study_data as load_study_data
    from ustpull.studies.data import load_study_frame as load_study_frame
    from ustpull.studies.decomposition import components as components
    from ustpull.studies.dollar import run_dollar as run_dollar
    from ustpull.studies.events import run_events as run_events
    from ustpull.studies.events import series_units as series_units
    from ustpull.studies.foreign_bonds import run_foreign_bonds as run_foreign_bonds
    from ustpull.studies.pull import TreasuryPullStudy as TreasuryPullStudy
    from ustpull.studies.pull import run_pull as run_pull
    from ustpull.studies.run import Studies as Studies
    from ustpull.studies.run import run_studies as run_studies
    from ustpull.studies.series import STUDIES as STUDIES
    from ustpull.studies.series import required_series as required_series
    from ustpull.studies.series import study_recipes as study_recipes
    from ustpull.studies.settings import StudySettings as StudySettings
    from ustpull.studies.stocks import run_stocks as run_stocks
    from ustpull.studies.term_premia import TermPremia as TermPremia
    from ustpull.studies.term_premia import run_term_premia as run_term_premia

_PUBLIC = {
    "run_connectedness": "ustpull.studies.connectedness",
    "AsOf": "ustpull.studies.data",
    "StudyData": "ustpull.studies.data",
    "load_frame": "ustpull.studies.data",
    "load_study_data": "ustpull.studies.data",
    "load_study_frame": "ustpull.studies.data",
    "components": "ustpull.studies.decomposition",
    "run_dollar": "ustpull.studies.dollar",
    "run_events": "ustpull.studies.events",
    "series_units": "ustpull.studies.events",
    "run_foreign_bonds": "ustpull.studies.foreign_bonds",
    "TreasuryPullStudy": "ustpull.studies.pull",
    "run_pull": "ustpull.studies.pull",
    "Studies": "ustpull.studies.run",
    "run_studies": "ustpull.studies.run",
    "STUDIES": "ustpull.studies.series",
    "required_series": "ustpull.studies.series",
    "study_recipes": "ustpull.studies.series",
    "StudySettings": "ustpull.studies.settings",
    "run_stocks": "ustpull.studies.stocks",
    "TermPremia": "ustpull.studies.term_premia",
    "run_term_premia": "ustpull.studies.term_premia",
}

__all__ = [
    "STUDIES",
    "AsOf",
    "Studies",
    "StudyData",
    "StudySettings",
    "TermPremia",
    "TreasuryPullStudy",
    "components",
    "load_frame",
    "load_study_data",
    "load_study_frame",
    "required_series",
    "run_connectedness",
    "run_dollar",
    "run_events",
    "run_foreign_bonds",
    "run_pull",
    "run_stocks",
    "run_studies",
    "run_term_premia",
    "series_units",
    "study_recipes",
]

__getattr__, __dir__ = lazy_names(__name__, _PUBLIC, globals())
