"""Studies: one home for each analysis, shared by the CLI and the report.

The layer between the models (:mod:`ustpull.crossasset`, :mod:`ustpull.termpremium`) and
their users (:mod:`ustpull.report`, :mod:`ustpull.cli`): which series each study reads
(:func:`required_series`), one data route (:func:`load_frame`, :func:`load_study_data`),
one function per study taking a data frame, :class:`StudySettings` and an optional executor
(:func:`run_term_premia`, :func:`run_stocks`, :func:`run_foreign_bonds`,
:func:`run_connectedness`, :func:`run_dollar`, :func:`run_events`, :func:`run_pull`), and
:func:`run_studies`, which runs them all and returns an immutable :class:`Studies`.
"""

from ustpull.studies.connectedness import run_connectedness
from ustpull.studies.data import AsOf, StudyData, load_frame, load_study_data
from ustpull.studies.decomposition import components
from ustpull.studies.dollar import run_dollar
from ustpull.studies.events import run_events, series_units
from ustpull.studies.foreign_bonds import run_foreign_bonds
from ustpull.studies.pull import TreasuryPullStudy, run_pull
from ustpull.studies.run import Studies, run_studies
from ustpull.studies.series import STUDIES, required_series, study_recipes
from ustpull.studies.settings import StudySettings
from ustpull.studies.stocks import run_stocks
from ustpull.studies.term_premia import TermPremia, run_term_premia

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
