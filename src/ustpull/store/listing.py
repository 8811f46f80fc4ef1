"""Selecting rows of the store's series listing (``ustpull series list`` filters)."""

from __future__ import annotations

import pandas as pd

from ustpull.errors import DataError

__all__ = ["select_series"]


def select_series(
    listing: pd.DataFrame,
    *,
    country: str | None = None,
    source: str | None = None,
    text: str | None = None,
) -> pd.DataFrame:
    """Rows of ``listing`` (:meth:`Store.list_series`) matching every filter given.

    Parameters
    ----------
    listing
        The store's listing, indexed by series id, with ``country``, ``source``, ``title``.
    country, source
        Exact values, case-insensitive (``US``, ``fred``).
    text
        A case-insensitive substring of the id or the title (``10y``, ``breakeven``).

    Raises
    ------
    DataError
        ``country`` or ``source`` is not a value any stored series has (naming those there).
    """
    keep = pd.Series(True, index=listing.index)
    for column, wanted in (("country", country), ("source", source)):
        if wanted is None:
            continue
        values = listing[column].astype(str).str.lower()
        if wanted.lower() not in set(values):
            known = ", ".join(sorted(set(listing[column].astype(str))))
            raise DataError(f"--{column} {wanted!r}: no stored series has it; stored: {known}")
        keep &= values == wanted.lower()
    if text:
        needle = text.lower()
        ids = listing.index.to_series().astype(str).str.lower()
        titles = listing["title"].astype(str).str.lower()
        keep &= ids.str.contains(needle, regex=False) | titles.str.contains(needle, regex=False)
    return listing.loc[keep]
