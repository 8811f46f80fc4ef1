"""The results contract between the ``bench_*.py`` scripts and ``run_all.py``.

Besides its ``results/<area>.md``, a script with peer comparisons writes
``results/<area>.json``: ``{"area": ..., "rows": [row, ...]}``, one row per comparison with
the fields :data:`ROW_FIELDS` (seconds; errors in the unit the area's markdown names; ``ratio``
= peer time / our time). ``run_all.py`` puts every row in the summary table of
``benchmarks/README.md``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"
ROW_FIELDS = ("task", "ours_s", "peer", "peer_s", "ratio", "our_error", "peer_error", "notes")


def comparison(
    task: str,
    ours_s: float,
    peer: str,
    peer_s: float,
    *,
    our_error: float | None = None,
    peer_error: float | None = None,
    notes: str = "",
) -> dict[str, Any]:
    """One row: our time and error beside the peer's (``ratio`` = peer time / our time)."""
    return {
        "task": task,
        "ours_s": ours_s,
        "peer": peer,
        "peer_s": peer_s,
        "ratio": peer_s / ours_s,
        "our_error": our_error,
        "peer_error": peer_error,
        "notes": notes,
    }


def write_rows(area: str, rows: Sequence[dict[str, Any]], **extra: Any) -> Path:
    """Write ``results/<area>.json`` (rows in :data:`ROW_FIELDS` order, plus ``extra`` keys)."""
    ordered = [{field: row.get(field) for field in ROW_FIELDS} for row in rows]
    path = RESULTS / f"{area}.json"
    payload = {"area": area, "rows": ordered, **extra}
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return path
