"""Golden outputs: findings.json and each analysis command's JSON, in a compact exact form.

A golden file keeps every number to the last digit: small values as they are; a list longer
than :data:`LONG` (a rolling series) and each field of :data:`RAW_FIELDS` (observations of
the shared data, which never enter the repository) as the sha256 of their canonical JSON with
the list's length. JSON floats are written with ``repr``, which round-trips exactly, so equal
digests mean equal numbers.

Recipe of the golden files (run from the repository root on the code they pin)::

    python -m tests.report._golden /path/to/report-out /path/to/cli-outputs

where ``report-out`` is ``ustpull report --data-dir $USTPULL_SHARED_DATA --out report-out``
and ``cli-outputs`` holds ``stocks.json``, ``foreign-bonds.json``, ``dollar.json`` (each
``ustpull COMMAND --data-dir $USTPULL_SHARED_DATA --output FILE``) and ``events.json``
(``ustpull events --data-dir $USTPULL_SHARED_DATA --json``).

Three more outputs pin the curve, term-premium and connectedness models (written by
:func:`model_outputs` into ``cli-outputs``, the same calls as the test's)::

    python -m tests.report._golden --models /path/to/store.duckdb /path/to/cli-outputs

``termpremium.json`` is the CSV of ``ustpull termpremium`` with 90 % bands
(:data:`TERMPREMIUM_ARGS`) as :func:`csv_payload`; ``curves-nss.json`` is the ``--json``
summary of ``ustpull curves nss`` (:data:`NSS_ARGS`) with its CSV under ``"csv"``;
``connectedness.json`` is ``ustpull connectedness --json`` (:data:`CONNECTEDNESS_ARGS`) on
the weekly 10-year yield changes of :func:`connectedness_input`, made from the store.
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
from pathlib import Path
from typing import Any

import pandas as pd

GOLDEN = Path(__file__).parent / "golden"
LONG = 60
"""Lists longer than this are kept as a digest (rolling series run to thousands of rows)."""
RAW_FIELDS = frozenset(
    {"start_level", "end_level", "yield_start", "yield_end", "price", "earnings", "dividends"}
)
"""Fields that hold observations of the shared data (levels at a date): kept as a digest."""
VOLATILE_FIELDS = {
    "findings.json": frozenset({"generated"}),
    "curves-nss.json": frozenset({"output"}),
}
"""Top-level fields that change from run to run (the date the report was made): ignored."""
COMMANDS = ("stocks", "foreign-bonds", "dollar", "events")
MODEL_COMMANDS = ("termpremium", "curves-nss", "connectedness")
"""Outputs of :func:`model_outputs` (one golden file each)."""
TERMPREMIUM_ARGS = ("termpremium", "--country", "US", "--bands", "--replications", "50")
NSS_ARGS = ("curves", "nss", "--source", "cmt", "--start", "2015-01-01", "--json")
CONNECTEDNESS_IDS = ("us.gsw.zero.10y", "de.govt.10y", "jp.mof.par.10y", "ea.aaa.zero.10y")
CONNECTEDNESS_ARGS = ("--lags", "2", "--horizon", "10", "--draws", "20", "--json")


def csv_payload(path: Path) -> dict[str, Any]:
    """A CSV written by a command: its index and each column as a list (NaN as null)."""
    frame = pd.read_csv(path, index_col=0)
    columns = {
        str(name): [None if isinstance(v, float) and math.isnan(v) else v for v in values]
        for name, values in frame.to_dict(orient="list").items()
    }
    return {"index": [str(i) for i in frame.index], "columns": columns}


def connectedness_input(store: Path, path: Path) -> Path:
    """Wednesday-to-Wednesday changes (pp) of four 10-year yields since 2005, as a CSV."""
    from ustpull.studies import load_frame

    levels = load_frame(list(CONNECTEDNESS_IDS), store=store).loc["2005-01-01":]
    weekly = levels.ffill().resample("W-WED").last().diff().dropna()
    weekly.to_csv(path, float_format="%.10g", date_format="%Y-%m-%d")
    return path


def model_outputs(store: Path, out: Path) -> dict[str, dict[str, Any]]:
    """The three model outputs, each from the CLI on ``store`` (already filled; named by
    ``USTPULL_STORE``, which every command reads)."""
    import contextlib
    import io
    import os

    from ustpull.cli.main import main

    def run(args: list[str]) -> str:
        text = io.StringIO()
        with contextlib.redirect_stdout(text):
            assert main(args) == 0, args
        return text.getvalue()

    outputs: dict[str, dict[str, Any]] = {}
    before = os.environ.get("USTPULL_STORE")
    os.environ["USTPULL_STORE"] = str(store)
    try:
        run([*TERMPREMIUM_ARGS, "--output", str(out / "tp.csv")])
        outputs["termpremium"] = csv_payload(out / "tp.csv")
        text = run([*NSS_ARGS, "--output", str(out / "nss.csv")])
        outputs["curves-nss"] = {**json.loads(text), "csv": csv_payload(out / "nss.csv")}
        source = connectedness_input(store, out / "weekly.csv")
        outputs["connectedness"] = json.loads(
            run(["connectedness", str(source), *CONNECTEDNESS_ARGS])
        )
    finally:
        if before is None:
            del os.environ["USTPULL_STORE"]
        else:
            os.environ["USTPULL_STORE"] = before
    return outputs


def _digest(value: Any) -> dict[str, Any]:
    text = json.dumps(value, sort_keys=True, allow_nan=False)
    size = len(value) if isinstance(value, list) else None
    return {"sha256": hashlib.sha256(text.encode()).hexdigest(), "length": size}


def canonical(value: Any) -> Any:
    """``value`` with long lists and raw fields replaced by their digests."""
    if isinstance(value, dict):
        return {
            key: _digest(item) if key in RAW_FIELDS else canonical(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        if len(value) > LONG:
            return _digest(value)
        return [canonical(item) for item in value]
    return value


def golden_form(name: str, payload: dict[str, Any]) -> dict[str, Any]:
    """What is stored for output ``name``: volatile fields dropped, the rest canonical."""
    kept = {k: v for k, v in payload.items() if k not in VOLATILE_FIELDS.get(name, ())}
    return canonical(kept)


def first_difference(expected: Any, actual: Any, path: str = "") -> str | None:
    """The path of the first value that differs, with both values; ``None`` when equal."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in dict.fromkeys([*expected, *actual]):
            if key not in expected or key not in actual:
                return f"{path}/{key}: only in {'golden' if key in expected else 'new output'}"
            found = first_difference(expected[key], actual[key], f"{path}/{key}")
            if found:
                return found
        return None
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return f"{path}: {len(expected)} items in golden, {len(actual)} now"
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            found = first_difference(e, a, f"{path}[{i}]")
            if found:
                return found
        return None
    if expected != actual or type(expected) is not type(actual):
        return f"{path}: golden {expected!r}, now {actual!r}"
    return None


def read(name: str) -> dict[str, Any]:
    return json.loads((GOLDEN / name).read_text(encoding="utf-8"))


def write(name: str, payload: dict[str, Any]) -> None:
    text = json.dumps(golden_form(name, payload), indent=1, allow_nan=False)
    (GOLDEN / name).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover - the recipe above
    if sys.argv[1] == "--models":
        store, cli_out = Path(sys.argv[2]), Path(sys.argv[3])
        for name, payload in model_outputs(store, cli_out).items():
            write(f"{name}.json", payload)
        sys.exit(0)
    report_out, cli_out = Path(sys.argv[1]), Path(sys.argv[2])
    write("findings.json", json.loads((report_out / "findings.json").read_text()))
    for command in COMMANDS:
        write(f"{command}.json", json.loads((cli_out / f"{command}.json").read_text()))
