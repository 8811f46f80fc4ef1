"""Atomic, clean report output: a complete report in ``--out`` or the previous one intact.

:func:`write_report` renders into a temporary folder beside ``--out`` and swaps it into
place only when every file is written, so a full disk or Ctrl-C never leaves
``findings.json`` without ``index.html``, and files of an earlier run that the new report
does not write (CSV and PNG of a chart since removed) disappear with the old folder.
The report is meant to be shared, so it holds no local path: the provenance names each
series' publisher URL or its file relative to the data folder (:func:`shareable_origins`),
and any other local absolute path (the data folder, the store, the output, the working and
home folders) is replaced by a placeholder in every file written as text (``index.html``,
``findings.json``, ``data/*.csv``).
"""

from __future__ import annotations

import html
import os
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import pandas as pd

from ustpull.errors import DataError
from ustpull.report.document import ReportDocument
from ustpull.report.pngs import PngWriter
from ustpull.studies.cache import ResultCache

__all__ = ["check_out_dir", "scrub_paths", "shareable_origins", "write_report"]

#: Files whose presence marks a folder as an earlier ustpull report (safe to replace).
REPORT_MARKERS = ("index.html", "findings.json")
#: Files written as text, scrubbed of local paths (relative to the report folder).
_TEXT_FILES = ("index.html", "findings.json", "data/*.csv")


def check_out_dir(out_dir: Path | str) -> Path:
    """Validate ``--out`` before any work: absent, empty, or an earlier report.

    Raises
    ------
    DataError
        ``--out`` is a file, or a non-empty folder that is not a ustpull report (it would
        be replaced wholesale), or its parent cannot hold a new folder.
    """
    out = Path(out_dir).expanduser()
    if out.exists() and not out.is_dir():
        raise DataError(f"--out {out}: is a file; expected a folder for the report")
    if out.is_dir() and any(out.iterdir()) and not any((out / m).exists() for m in REPORT_MARKERS):
        raise DataError(
            f"--out {out}: a non-empty folder that is not a ustpull report (no index.html or "
            "findings.json); refused, since the report replaces the folder: choose another"
        )
    parent = out.resolve().parent
    if parent.exists() and not parent.is_dir():
        raise DataError(f"--out {out}: parent {parent} is not a folder")
    return out


def scrub_paths(text: str, roots: Iterable[tuple[Path | str, str]]) -> str:
    """``text`` with each local root path replaced by its placeholder (longest first)."""
    pairs = sorted(
        ((str(root), label) for root, label in roots if str(root) not in ("", "/", ".")),
        key=lambda pair: len(pair[0]),
        reverse=True,
    )
    for root, label in pairs:
        text = text.replace(root, label)
    return text


def _shareable(origin: str, roots: Iterable[Path]) -> str:
    """A URL as is; a local file relative to the first root holding it, else its name."""
    text = origin.removeprefix("file://")
    if not text or "://" in text or not Path(text).is_absolute():
        return origin
    path = Path(text)
    for candidate in (path, path.resolve()):
        for root in roots:
            if candidate.is_relative_to(root):
                return candidate.relative_to(root).as_posix()
    return path.name


def shareable_origins(provenance: pd.DataFrame, data_dir: Path | str | None) -> pd.DataFrame:
    """``provenance`` with every ``origin`` shareable: a publisher URL as is, a local file
    relative to ``data_dir`` (``gsw/feds200628.csv``), any other local file by its name."""
    if "origin" not in provenance.columns:
        return provenance
    roots: list[Path] = []
    if data_dir is not None:
        given = Path(data_dir).expanduser()
        roots = list(dict.fromkeys((given.absolute(), given.resolve())))
    table = provenance.copy()
    table["origin"] = [_shareable(str(origin), roots) for origin in table["origin"]]
    return table


def write_report(
    document: ReportDocument,
    out_dir: Path | str,
    *,
    png: bool = True,
    private_roots: Iterable[tuple[Path | str, str]] = (),
    data_dir: Path | str | None = None,
    png_cache: ResultCache | None = None,
) -> dict[str, Path]:
    """Write ``document`` into ``out_dir`` atomically; return the final paths by kind.

    Parameters
    ----------
    document
        The assembled report.
    out_dir
        Destination folder (checked by :func:`check_out_dir`).
    png
        Also write PNG figures.
    private_roots
        ``(path, placeholder)`` pairs scrubbed from every text file, besides the user's
        home folder and the working directory.
    data_dir
        The data folder the series were ingested from: the provenance names its files
        relative to it (:func:`shareable_origins`).
    png_cache
        Reuse the PNG of every unchanged chart (:class:`~ustpull.report.pngs.PngWriter`).
    """
    out = check_out_dir(out_dir).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent))
    previous = out.with_name(f".{out.name}.previous-{os.getpid()}")
    roots = [
        *private_roots,
        (out, "<out>"),
        (staging, "<out>"),
        (Path.cwd(), "."),
        (Path.home(), "~"),
    ]
    if document.provenance is not None:
        document = replace(document, provenance=shareable_origins(document.provenance, data_dir))
    try:
        # the PNGs are drawn by a helper process while this one writes the CSVs and HTML
        charts = document.charts() if png else []
        with PngWriter(charts, staging / "figures", cache=png_cache) as pngs:
            written = document.write(staging, png=False)
            if png:
                written["figures"] = pngs.finish()
        for pattern in _TEXT_FILES:
            for path in sorted(staging.glob(pattern)):
                # placeholders such as <data-dir> are text in the page, not tags
                shown = roots if path.suffix != ".html" else _escaped(roots)
                text = path.read_text(encoding="utf-8")
                path.write_text(scrub_paths(text, shown), encoding="utf-8")
        if out.exists():
            out.rename(previous)
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if previous.exists() and not out.exists():
            previous.rename(out)  # the earlier report stays as it was
        raise
    shutil.rmtree(previous, ignore_errors=True)
    return {kind: out / path.relative_to(staging) for kind, path in written.items()}


def _escaped(roots: Iterable[tuple[Path | str, str]]) -> list[tuple[Path | str, str]]:
    return [(root, html.escape(label)) for root, label in roots]
