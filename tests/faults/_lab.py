"""The fault lab: a store with committed data, the files to break, and the CLI to run.

Every fault case starts from the same committed baseline (U.S. 10- and 2-year CMT yields,
the last 250 complete rows of ``fred/ust_cmt_daily.csv`` but 20, written as FRED serves
``fredgraph.csv``), breaks something, runs the ``ustpull`` CLI, and then checks the store:
the baseline must be exactly as committed and no implausible value may have got in.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ustpull.cli.main import main
from ustpull.store import Store

SERIES = ("us.cmt.10y", "us.cmt.2y")
CATALOG = """
[[entry]]
name = "cmt"
file = "cmt.csv"
format = "fred_csv"
"""


def cmt_rows(shared_data: Path) -> pd.DataFrame:
    """Rows of the shared CMT file with both DGS10 and DGS2, as the publisher's text."""
    table = pd.read_csv(
        shared_data / "fred" / "ust_cmt_daily.csv", dtype=str, keep_default_na=False
    )
    table = table[(table["DGS10"] != "") & (table["DGS2"] != "")]
    return table.loc[:, ["DATE", "DGS10", "DGS2"]].tail(270).reset_index(drop=True)


def fred_text(rows: pd.DataFrame) -> str:
    """``fredgraph.csv`` layout (header ``observation_date``), one line per row."""
    lines = ["observation_date,DGS10,DGS2"]
    lines += [f"{d},{a},{b}" for d, a, b in rows.itertuples(index=False)]
    return "\n".join(lines) + "\n"


@dataclass
class Run:
    """What one CLI call did."""

    code: int
    out: str
    err: str


@dataclass
class Lab:
    """A data folder, a catalog and a store holding the committed baseline."""

    root: Path
    rows: pd.DataFrame
    capsys: pytest.CaptureFixture[str]
    shared: Path
    store: Path = Path()

    def __post_init__(self) -> None:
        if self.store == Path():
            self.store = self.root / "store.duckdb"

    @property
    def folder(self) -> Path:
        return self.root / "data"

    @property
    def baseline(self) -> pd.DataFrame:
        return self.rows.iloc[:250]

    @property
    def fresh(self) -> pd.DataFrame:
        """Real rows after the baseline, for appended dates."""
        return self.rows.iloc[250:]

    def write(self, text: str | bytes, name: str = "cmt.csv") -> Path:
        path = self.folder / name
        path.write_bytes(text.encode() if isinstance(text, str) else text)
        return path

    def cli(self, *args: str) -> Run:
        self.capsys.readouterr()
        code = main([*args, "--store", str(self.store)])
        captured = self.capsys.readouterr()
        return Run(code, captured.out, captured.err)

    def ingest(self, *extra: str, catalog: str = "catalog.toml") -> Run:
        return self.cli(
            "ingest", "--data-dir", str(self.folder), "--catalog", str(self.folder / catalog),
            *extra,
        )  # fmt: skip

    def frame(self) -> pd.DataFrame:
        return Store(self.store, read_only=True).frame(list(SERIES))

    def rejections(self) -> pd.DataFrame:
        return Store(self.store, read_only=True).rejections()

    def log_length(self) -> int:
        return len(Store(self.store, read_only=True).ingest_log())

    def expected_baseline(self) -> pd.DataFrame:
        frame = pd.DataFrame(
            {
                "us.cmt.10y": self.baseline["DGS10"].astype(float).to_numpy(),
                "us.cmt.2y": self.baseline["DGS2"].astype(float).to_numpy(),
            },
            index=pd.DatetimeIndex(pd.to_datetime(self.baseline["DATE"]), name="date"),
        )
        return frame

    def assert_baseline_intact(self, *, extra_dates: int = 0) -> None:
        """The committed values are exactly there; only ``extra_dates`` plausible dates more."""
        frame = self.frame()
        expected = self.expected_baseline()
        pd.testing.assert_frame_equal(frame.loc[expected.index], expected, check_freq=False)
        assert len(frame) == len(expected) + extra_dates
        values = frame.to_numpy()
        present = values[~np.isnan(values)]
        assert ((present >= -5.0) & (present <= 30.0)).all()  # no implausible value got in


def make_lab(root: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]) -> Lab:
    lab = Lab(root, cmt_rows(shared_data), capsys, shared_data)
    lab.folder.mkdir(parents=True)
    lab.write(CATALOG, "catalog.toml")
    lab.write(fred_text(lab.baseline))
    first = lab.ingest()
    assert first.code == 0, first.err
    lab.assert_baseline_intact()
    return lab


def csv_frame(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


# A child that ingests, announces when it is inside the store transaction and then waits
# there, so the parent can kill it at exactly that moment.
_CHILD = """
import sys, time
from ustpull.store import _store
write = _store._write_observations
def slow(*args):
    written = write(*args)
    print("IN-TRANSACTION", flush=True)
    time.sleep(60)
    return written
_store._write_observations = slow
from ustpull.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def start_child(lab: Lab) -> subprocess.Popen[str]:
    """A ``ustpull ingest`` process that stops inside its transaction (see ``_CHILD``)."""
    args = [
        sys.executable, "-c", _CHILD, "ingest", "--data-dir", str(lab.folder),
        "--catalog", str(lab.folder / "catalog.toml"), "--store", str(lab.store),
    ]  # fmt: skip
    child = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ)
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    assert line.strip() == "IN-TRANSACTION", child.stderr.read() if child.stderr else line
    return child
