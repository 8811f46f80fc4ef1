"""Exceptions shared by every layer.

Each error names what is wrong (which series, which date, which value) so that a
user can act on the one-line message the CLI prints.
"""

from __future__ import annotations


class UstpullError(Exception):
    """Base class of every error ustpull raises on purpose."""


class DataError(UstpullError, ValueError):
    """Input data are malformed: wrong columns, non-numeric values, bad dates."""


class SeriesNotFoundError(UstpullError, KeyError):
    """A series id is not in the vocabulary or not in the store."""

    def __str__(self) -> str:  # KeyError quotes its argument; keep the message readable
        return str(self.args[0]) if self.args else "series not found"


class SourceUnavailableError(UstpullError):
    """A publisher could not be reached or served something that is not data."""


class PartialDataError(UstpullError):
    """Some inputs came through and others did not, so the result is incomplete (exit 3)."""


class StoreLockedError(UstpullError):
    """Another process holds the store's write lock for longer than we wait."""


class IngestError(UstpullError):
    """An ingest failed; the store is left exactly as it was."""


class FitError(UstpullError):
    """A model could not be estimated on the given input."""


class ShortSampleWarning(UserWarning):
    """The sample is short enough to bias an estimator (named in the message)."""


class ShortEndWarning(UserWarning):
    """A curve's short end is a proxy (e.g. the shortest quoted yield held flat to one month)."""
