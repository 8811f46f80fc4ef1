"""The report's methodology section: the methodology page (package data
``ustpull/report/methodology.md``; ``docs/methodology.md`` links to it) rendered as HTML.

The page is the one reference for every finding (estimator, sample, frequency, inference,
known limits); the report shows it, placed last, instead of keeping a second text. A small
converter covers what the page uses -- headings, paragraphs, bullet lists, pipe tables,
fenced code, and inline ``code``, **bold**, *emphasis* and [links](url) (links are shown as
their text: the report makes no external request) -- so no markdown package is needed.
Everything is escaped first; only the converter's own tags reach the page.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from ustpull.report.document import Section
from ustpull.report.findings import Findings
from ustpull.studies import Studies

__all__ = ["METHODOLOGY_PAGE", "MarkupSection", "markdown_html", "methodology_section"]

#: The methodology page, shipped inside the package (package data, so a wheel install has it);
#: ``docs/methodology.md`` in the repository is a link to this file.
METHODOLOGY_PAGE = Path(__file__).resolve().parent / "methodology.md"

_INLINE = (
    (re.compile(r"\*\*([^*]+)\*\*"), r"<strong>\1</strong>"),
    (re.compile(r"(?<![*\w])\*([^*\s][^*]*)\*(?!\*)"), r"<em>\1</em>"),
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),
)
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_BULLET = re.compile(r"^\s*(?:[*+-]|\d+\.)\s+")


@dataclass
class MarkupSection(Section):
    """A section whose body is trusted HTML made by the report (``html``)."""

    html: str = ""


def _inline(text: str) -> str:
    """Escape ``text``, then apply the inline markup (code spans kept verbatim)."""
    pieces = re.split(r"(`[^`]+`)", html.escape(text, quote=False))
    out = []
    for piece in pieces:
        if piece.startswith("`") and piece.endswith("`") and len(piece) > 1:
            out.append(f"<code>{piece[1:-1]}</code>")
            continue
        for pattern, replacement in _INLINE:
            piece = pattern.sub(replacement, piece)
        out.append(piece)
    return "".join(out)


def _cells(line: str) -> list[str]:
    body = line.strip().removeprefix("|").removesuffix("|")
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", body)]


def _table(lines: list[str]) -> str:
    head = "".join(f"<th>{_inline(c)}</th>" for c in _cells(lines[0]))
    rows = "".join(
        "<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in _cells(line)) + "</tr>"
        for line in lines[2:]
    )
    return f'<table class="methodology"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def _blocks(text: str) -> list[list[str]]:
    """Lines grouped into blocks: blank lines split them; a fence keeps its lines whole."""
    blocks: list[list[str]] = []
    current: list[str] = []
    fenced = False
    for line in text.splitlines():
        if line.strip().startswith("```"):
            fenced = not fenced
            current.append(line)
            if not fenced:
                blocks.append(current)
                current = []
            continue
        if not fenced and not line.strip():
            if current:
                blocks.append(current)
            current = []
            continue
        current.append(line)
    if current:
        blocks.append(current)
    return blocks


def _block_html(block: list[str], shift: int) -> str:
    first = block[0].strip()
    if first.startswith("```"):
        return f"<pre>{html.escape(chr(10).join(block[1:-1]))}</pre>"
    heading = re.match(r"^(#{1,6})\s+(.*)$", first)
    if heading and len(block) == 1:
        level = min(6, len(heading.group(1)) + shift)
        return f"<h{level}>{_inline(heading.group(2))}</h{level}>"
    if len(block) > 1 and first.startswith("|") and _TABLE_RULE.match(block[1].strip()):
        return _table(block)
    if _BULLET.match(block[0]):
        items: list[str] = []
        for line in block:
            if _BULLET.match(line):
                items.append(_BULLET.sub("", line))
            else:  # a continuation line of the item above
                items[-1] += " " + line.strip()
        return "<ul>" + "".join(f"<li>{_inline(item)}</li>" for item in items) + "</ul>"
    return f"<p>{_inline(' '.join(line.strip() for line in block))}</p>"


def markdown_html(text: str, *, shift: int = 1, drop_title: bool = True) -> str:
    """HTML of the markdown ``text``: headings moved ``shift`` levels down (the report's
    section title is ``h2``), the page's own ``# title`` left out with ``drop_title``."""
    blocks = _blocks(text)
    if drop_title and blocks and re.match(r"^#\s", blocks[0][0]):
        blocks = blocks[1:] if len(blocks[0]) == 1 else [blocks[0][1:], *blocks[1:]]
    return "".join(_block_html(block, shift) for block in blocks)


def methodology_section(
    studies: Studies, findings: Findings, *, page: Path = METHODOLOGY_PAGE
) -> tuple[Section, list[str]]:
    """The methodology page as the report's last section (no summary sentences)."""
    section = MarkupSection("methodology-notes", "Methodology: how each finding is made")
    if not page.is_file():
        section.gaps.append(
            f"the methodology page is not installed with this copy of ustpull ({page} is "
            "missing; it ships as package data); the estimator, sample and inference of each "
            "finding are described in docs/methodology.md of the source"
        )
        return section, []
    section.html = markdown_html(page.read_text(encoding="utf-8"))
    return section, []
