"""Atomic, clean report output: a complete report in ``--out`` or the previous one intact.

:func:`write_report` renders into a temporary folder beside ``--out`` and swaps it into
place only when every file is written, so a full disk or Ctrl-C never leaves
``findings.json`` without ``index.html``, and files of an earlier run that the new report
does not write (CSV and PNG of a chart since removed) disappear with the old folder.
Local absolute paths (the data folder, the store, the home folder) are replaced by
placeholders in ``index.html`` and ``findings.json``: the report is meant to be shared.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ustpull.errors import DataError
from ustpull.report.document import ReportDocument
from ustpull.report.pngs import PngWriter
from ustpull.studies.cache import ResultCache

__all__ = ["check_out_dir", "scrub_paths", "write_report"]

#: Files whose presence marks a folder as an earlier ustpull report (safe to replace).
REPORT_MARKERS = ("index.html", "findings.json")
_SHARED_FILES = ("index.html", "findings.json")


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


def write_report(
    document: ReportDocument,
    out_dir: Path | str,
    *,
    png: bool = True,
    private_roots: Iterable[tuple[Path | str, str]] = (),
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
        ``(path, placeholder)`` pairs scrubbed from the shared files, besides the user's
        home folder and the working directory.
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
    try:
        # the PNGs are drawn by a helper process while this one writes the CSVs and HTML
        charts = document.charts() if png else []
        with PngWriter(charts, staging / "figures", cache=png_cache) as pngs:
            written = document.write(staging, png=False)
            if png:
                written["figures"] = pngs.finish()
        for name in _SHARED_FILES:
            path = staging / name
            path.write_text(scrub_paths(path.read_text(encoding="utf-8"), roots), encoding="utf-8")
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
