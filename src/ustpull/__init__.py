"""ustpull: how U.S. Treasuries pull U.S. stocks, the dollar and foreign government bonds.

Layers, with imports flowing one way only (``lint-imports`` checks it)::

    sources -> store -> curves -> termpremium -> crossasset -> studies -> report -> cli

``ustpull.errors``, ``ustpull.config``, ``ustpull.parallel``, ``ustpull.conventions`` (tenors,
compounding), ``ustpull.charts`` (the one chart specification and its renderers),
``ustpull._typing`` (shared types and option ``Literal``s) and ``ustpull._results`` (the
results base class) sit below every layer.

Two entry points are defined here as the single natural call of their job: :func:`ingest`
fills the store (the catalogued files of a folder with ``data_dir``, else every online
source: :func:`~ustpull.store.ingest_local` / :func:`~ustpull.store.ingest_online`), and
:func:`bootstrap` is one day's exact curve (:class:`~ustpull.curves.bootstrap.Bootstrap`
fitted). :func:`load_frame` is the studies' data route (store, optional ingest, as-of).

The main entry points are importable from here; each is imported on first use (PEP 562),
so ``import ustpull`` stays as fast as before and loads no layer.

Examples
--------
>>> from ustpull import Store, load, country_term_premium  # doctest: +SKIP
"""

from __future__ import annotations

from ustpull._version import __version__ as __version__

# Not ``typing.TYPE_CHECKING``: importing typing would triple ``import ustpull``'s time;
# type checkers treat any constant of this name the same way.
TYPE_CHECKING = False
if TYPE_CHECKING:  # ``X as X``: each entry point re-exported for type checkers
    from pathlib import Path
    from typing import Any

    import pandas as pd

    from ustpull.crossasset.connectedness import ConnectednessModel as ConnectednessModel
    from ustpull.crossasset.ddm import DividendDiscount as DividendDiscount
    from ustpull.curves.bootstrap import Bootstrap as Bootstrap
    from ustpull.curves.bootstrap import BootstrapResults
    from ustpull.curves.bootstrap import bootstrap_batch as bootstrap_batch
    from ustpull.curves.nss import NelsonSiegelSvensson as NelsonSiegelSvensson
    from ustpull.curves.zero_curve import ZeroCurve as ZeroCurve
    from ustpull.report.build import build_report as build_report
    from ustpull.store import Store as Store
    from ustpull.store import ingest_local as ingest_local
    from ustpull.store import ingest_online as ingest_online
    from ustpull.store import load as load
    from ustpull.store.ingest import IngestSummary
    from ustpull.studies import Studies as Studies
    from ustpull.studies import StudySettings as StudySettings
    from ustpull.studies import load_frame as load_frame
    from ustpull.studies import load_study_data as load_study_data
    from ustpull.studies import run_connectedness as run_connectedness
    from ustpull.studies import run_dollar as run_dollar
    from ustpull.studies import run_events as run_events
    from ustpull.studies import run_foreign_bonds as run_foreign_bonds
    from ustpull.studies import run_pull as run_pull
    from ustpull.studies import run_stocks as run_stocks
    from ustpull.studies import run_studies as run_studies
    from ustpull.studies import run_term_premia as run_term_premia
    from ustpull.termpremium import ACM as ACM
    from ustpull.termpremium import country_curve as country_curve
    from ustpull.termpremium import country_term_premium as country_term_premium

#: Public name -> module that defines it (imported when the name is first used).
_ENTRY_POINTS: dict[str, str] = {
    # store: data in and out
    "Store": "ustpull.store",
    "ingest_local": "ustpull.store",
    "ingest_online": "ustpull.store",
    "load": "ustpull.store",
    # curves
    "NelsonSiegelSvensson": "ustpull.curves.nss",
    "Bootstrap": "ustpull.curves.bootstrap",
    "bootstrap_batch": "ustpull.curves.bootstrap",
    "ZeroCurve": "ustpull.curves.zero_curve",
    # term premia
    "ACM": "ustpull.termpremium",
    "country_curve": "ustpull.termpremium",
    "country_term_premium": "ustpull.termpremium",
    # cross-asset models
    "ConnectednessModel": "ustpull.crossasset.connectedness",
    "DividendDiscount": "ustpull.crossasset.ddm",
    # studies: which data and settings each analysis uses
    "StudySettings": "ustpull.studies",
    "Studies": "ustpull.studies",
    "load_frame": "ustpull.studies",
    "load_study_data": "ustpull.studies",
    "run_studies": "ustpull.studies",
    "run_term_premia": "ustpull.studies",
    "run_stocks": "ustpull.studies",
    "run_foreign_bonds": "ustpull.studies",
    "run_connectedness": "ustpull.studies",
    "run_dollar": "ustpull.studies",
    "run_events": "ustpull.studies",
    "run_pull": "ustpull.studies",
    # report
    "build_report": "ustpull.report.build",
}

#: The entry points above, the two calls defined here, and the version (one list of names).
__all__ = sorted([*_ENTRY_POINTS, "__version__", "bootstrap", "ingest"])


def ingest(data_dir: str | Path | None = None, **options: Any) -> IngestSummary:
    """Fill the store: the catalogued files of ``data_dir``, or every online source.

    With ``data_dir`` this is :func:`ustpull.store.ingest_local` (``options``: ``store``,
    ``catalog``, ``entries``, ``skip_unchanged``, ``progress``); without it
    :func:`ustpull.store.ingest_online` (``store``, ``sources``, ``series``, ...).
    """
    from ustpull.store import ingest_local, ingest_online

    if data_dir is None:
        return ingest_online(**options)
    return ingest_local(data_dir, **options)


def bootstrap(
    bonds: pd.DataFrame, settlement: pd.Timestamp | str, **options: Any
) -> BootstrapResults:
    """One day's exact zero curve: ``Bootstrap(bonds, settlement, **options).fit()``
    (:class:`ustpull.curves.bootstrap.Bootstrap`; ``bootstrap_batch`` for many days)."""
    from ustpull.curves.bootstrap import Bootstrap

    return Bootstrap(bonds, settlement, **options).fit()


def __getattr__(name: str) -> Any:
    module = _ENTRY_POINTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(__import__(module, fromlist=[name]), name)  # importlib costs import time
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_ENTRY_POINTS})
