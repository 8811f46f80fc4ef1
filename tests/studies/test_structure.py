"""The studies layer's structure: short functions, and imports that only run down the layers
(every import, local ones included, read from the source)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import ustpull

PACKAGE = Path(ustpull.__file__).parent
MAX_LINES = 80


def _tree(relative: str) -> ast.Module:
    return ast.parse((PACKAGE / relative).read_text(encoding="utf-8"))


def _imports(relative: str) -> set[str]:
    """Every module ``relative`` imports, at any depth (local imports included)."""
    found: set[str] = set()
    for node in ast.walk(_tree(relative)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("folder", ["report", "studies"])
def test_no_function_is_longer_than_80_lines(folder: str) -> None:
    long = []
    for path in sorted((PACKAGE / folder).glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_LINES:
                    long.append(f"{path.name}:{node.name} ({lines} lines)")
    assert long == []


def test_report_build_neither_ingests_nor_imports_sections_circularly() -> None:
    build = _imports("report/build.py")
    assert not any(m == "ustpull.store" or m.startswith("ustpull.store.") for m in build)
    assert not any(m.startswith("ustpull.sources") for m in build)
    assert "ustpull.report.build" not in _imports("report/sections.py")
    for section in PACKAGE.glob("report/section*.py"):
        assert "ustpull.report.build" not in _imports(f"report/{section.name}")
    assert "ustpull.report.sections" not in _imports("report/section_connectedness.py")


def test_event_studies_do_not_import_sources() -> None:
    assert not any(m.startswith("ustpull.sources") for m in _imports("crossasset/events.py"))


def test_models_do_not_import_the_studies_or_the_report() -> None:
    for folder in ("crossasset", "termpremium", "curves"):
        for path in (PACKAGE / folder).rglob("*.py"):
            upward = {
                m for m in _imports(str(path.relative_to(PACKAGE)))
                if m.startswith(("ustpull.studies", "ustpull.report", "ustpull.cli"))
            }  # fmt: skip
            assert upward == set(), path
