"""Locations the package reads from: the shared data folder and the store path."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

SHARED_DATA_ENV = "USTPULL_SHARED_DATA"
STORE_ENV = "USTPULL_STORE"


def default_store_path() -> Path:
    """The DuckDB store: ``$USTPULL_STORE`` if set, else the user data dir."""
    env = os.environ.get(STORE_ENV)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("ustpull", appauthor=False)) / "ustpull.duckdb"


def shared_data_dir() -> Path:
    """The shared public-data folder: ``$USTPULL_SHARED_DATA``, default ``../shared/data``."""
    return Path(os.environ.get(SHARED_DATA_ENV, "../shared/data")).expanduser().resolve()
