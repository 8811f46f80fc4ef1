"""Report output is atomic and clean: a complete new report, or the old one intact."""

from __future__ import annotations

from pathlib import Path

import pytest

from ustpull.errors import DataError
from ustpull.report import document as document_module
from ustpull.report.document import ReportDocument
from ustpull.report.output import check_out_dir, scrub_paths, write_report


def _document(note: str = "") -> ReportDocument:
    return ReportDocument(
        title="t", as_of="2024-01-02", summary=[f"read from {note}"], sections=[], findings=[]
    )


def _old_report(out: Path) -> None:
    (out / "data").mkdir(parents=True)
    (out / "index.html").write_text("old report")
    (out / "findings.json").write_text("{}")
    (out / "data" / "stale.csv").write_text("x\n1\n")


def test_rewrite_removes_stale_files_and_local_paths(tmp_path: Path) -> None:
    out = tmp_path / "report"
    _old_report(out)
    private = tmp_path / "private" / "data"
    paths = write_report(
        _document(str(private / "x.csv")), out, png=False, private_roots=[(private, "<data-dir>")]
    )
    assert paths["html"] == out.resolve() / "index.html"
    assert not (out / "data" / "stale.csv").exists()
    html = (out / "index.html").read_text()
    assert "<data-dir>/x.csv" in html and str(private) not in html
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]  # no staging folder left


def test_failure_leaves_the_old_report_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "report"
    _old_report(out)

    def disk_full(_: ReportDocument) -> str:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(document_module, "render_html", disk_full)
    with pytest.raises(OSError, match="No space left"):
        write_report(_document(), out, png=False)
    assert (out / "index.html").read_text() == "old report"
    assert (out / "data" / "stale.csv").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]


def test_out_that_is_not_a_report_is_refused(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.tex").write_text("precious")
    with pytest.raises(DataError, match="not a ustpull report"):
        check_out_dir(tmp_path / "mine")
    (tmp_path / "file").write_text("x")
    with pytest.raises(DataError, match="is a file"):
        check_out_dir(tmp_path / "file")


def test_scrub_replaces_the_longest_root_first() -> None:
    text = "/home/u/data/x.csv and /home/u/y"
    assert scrub_paths(text, [("/home/u", "~"), ("/home/u/data", "<data-dir>")]) == (
        "<data-dir>/x.csv and ~/y"
    )
