"""The README's Python quick start runs as written and prints the numbers it states."""

from __future__ import annotations

import contextlib
import io
import re
import warnings
from pathlib import Path

import numpy as np
import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def _quick_start() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Python quick start", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match is not None, "README: no python block under 'Python quick start'"
    return match.group(1)


def test_quick_start_is_at_most_ten_lines() -> None:
    lines = [line for line in _quick_start().splitlines() if line.strip()]
    assert len(lines) <= 10


def test_quick_start_runs_and_prints_the_stated_numbers(
    shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = _quick_start()
    assert '"../shared/data"' in code  # the README's default location, replaced by the fixture's
    code = code.replace('"../shared/data"', repr(str(shared_data)))
    monkeypatch.chdir(tmp_path)  # the store file lands here
    namespace: dict[str, object] = {}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # model caveats (e.g. the pre-1981 short end)
        exec(compile(code, str(README), "exec"), namespace)
    out = printed.getvalue()
    assert (tmp_path / "quickstart.duckdb").exists()
    # 10-year split on 2017-12-29 (percent): yield = expected short rate + term premium
    assert re.search(r"yield\s+2\.42\n", out)
    assert re.search(r"expected_rate\s+3\.04\n", out)
    assert re.search(r"term_premium\s+-0\.62\n", out)
    ten_year = namespace["premium"].components(10).loc["2017-12-29"]  # type: ignore[attr-defined]
    assert ten_year["yield"] == pytest.approx(
        ten_year["expected_rate"] + ten_year["term_premium"], abs=1e-10
    )
    # the refit recovers the Fed's published GSW parameters of the day (feds200628)
    fitted = namespace["fit"].params.to_numpy()  # type: ignore[attr-defined]
    published = namespace["published"].to_numpy()  # type: ignore[attr-defined]
    np.testing.assert_allclose(fitted, published, atol=5e-3)
    assert "[[ 4.834 -3.2   -1.665 -5.52   2.292 12.447]]" in out
    assert "[[ 4.833 -3.199 -1.664 -5.516  2.292 12.445]]" in out


def test_every_screenshot_in_docs_is_linked_from_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    shots = sorted(p.name for p in (README.parent / "docs").glob("*.png"))
    assert {"dashboard.png", "dashboard_rolling.png", "report.png"} <= set(shots)
    missing = [name for name in shots if f"(docs/{name})" not in text]
    assert not missing, f"README does not link {missing}"
