"""Report output is atomic and clean: a complete new report, or the old one intact."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pandas as pd
import pytest

from ustpull.errors import DataError
from ustpull.report import document as document_module
from ustpull.report.document import ReportDocument
from ustpull.report.output import check_out_dir, scrub_paths, shareable_origins, write_report


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
    # the placeholder is text in the page, not a tag
    assert "&lt;data-dir&gt;/x.csv" in html and "<data-dir>" not in html
    assert str(private) not in html
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


def test_provenance_names_urls_and_files_relative_to_the_data_dir(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "gsw").mkdir(parents=True)
    linked = tmp_path / "linked"
    linked.symlink_to(data)
    provenance = pd.DataFrame(
        {
            "series": ["a", "b", "c", "d", "e"],
            "origin": [
                str(data / "gsw" / "feds200628.csv"),
                "https://fred.stlouisfed.org/graph/fredgraph.csv?id=DGS10",
                "/elsewhere/old/acm.xlsx",  # ingested earlier from another folder
                f"file://{linked}/gsw/feds200628.csv",
                "",
            ],
        }
    )
    for given in (data, linked, str(data) + "/"):
        shared = shareable_origins(provenance, given)
        assert shared["origin"].tolist() == [
            "gsw/feds200628.csv",
            "https://fred.stlouisfed.org/graph/fredgraph.csv?id=DGS10",
            "acm.xlsx",
            "gsw/feds200628.csv",
            "",
        ]
    assert shareable_origins(provenance, None)["origin"].iloc[0] == "feds200628.csv"
    assert provenance["origin"].iloc[0] == str(data / "gsw" / "feds200628.csv")  # a copy
    document = _document()
    document.provenance = provenance
    out = tmp_path / "report"
    write_report(document, out, png=False, data_dir=data)
    written = pd.read_csv(out / "data" / "provenance.csv", keep_default_na=False)
    assert written["origin"].iloc[0] == "gsw/feds200628.csv"
    payload = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert [row["origin"] for row in payload["provenance"]][:3] == written["origin"].tolist()[:3]


def _local_roots() -> list[str]:
    return ["/work/", str(Path.home()) + "/", str(Path(tempfile.gettempdir())) + "/"]


def test_no_written_csv_or_json_holds_a_local_path(report_dir: Path, shared_data: Path) -> None:
    written = sorted(report_dir.glob("**/*.csv")) + sorted(report_dir.glob("**/*.json"))
    assert len(written) > 40 and report_dir / "data" / "provenance.csv" in written
    for path in written:
        text = path.read_text(encoding="utf-8")
        found = [root for root in _local_roots() if root in text]
        assert found == [], (path.name, found)
    provenance = pd.read_csv(report_dir / "data" / "provenance.csv", keep_default_na=False)
    assert len(provenance) > 100
    # each origin is a file of the data folder, named relative to it (offline report)
    for origin in provenance["origin"].unique():
        assert not origin.startswith(("/", "<", "~")) and (shared_data / origin).is_file(), origin
