"""The global-connectedness study: TVP-VAR connectedness of 10-year yields and their parts."""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import Executor

import pandas as pd

from ustpull.crossasset.connectedness.global_yields import (
    GlobalYieldsConnectedness,
    global_yields_connectedness,
)
from ustpull.studies.settings import StudySettings

__all__ = ["run_connectedness"]


def run_connectedness(
    data: pd.DataFrame,
    settings: StudySettings = StudySettings(),
    *,
    decompositions: Mapping[str, pd.DataFrame] | None = None,
    executor: Executor | None = None,
) -> GlobalYieldsConnectedness:
    """Weekly and monthly connectedness of global 10-year yields (and, given the
    term-premium splits, of their parts). ``executor`` is accepted for a uniform signature:
    the TVP-VAR filter is one sequential pass."""
    return global_yields_connectedness(
        data, decompositions=decompositions or {}, seed=settings.seed
    )
