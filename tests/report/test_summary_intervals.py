"""Summary sentences show their intervals and word significance only from them (issue 16 B2).

The sentences are checked in the golden ``findings.json`` (which the golden test holds equal to
the report's output) and the wording helpers on hand-made findings.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ustpull.report.findings import Findings, interval_words
from ustpull.report.section_foreign import _term_premium_sentence

GOLDEN = Path(__file__).parent / "golden" / "findings.json"


def _findings() -> Findings:
    findings = Findings(as_of="2025-10-03")
    findings.add("a", "a", -0.08, "percent", "", "2000-01 .. 2025-10", ci=(-0.17, 0.01))
    findings.add("b", "b", 5.1, "bp", "", "2000-01 .. 2025-10", decimals=1, ci=(4.8, 5.5))
    findings.add("c", "c", 1.0, "percent", "", "2000-01 .. 2025-10")
    findings.add("lo", "lo", -0.96, "percent", "", "2019", ci=(-2.91, 1.40))
    findings.add("hi", "hi", 0.64, "percent", "", "2025", ci=(-1.11, 2.77))
    findings.add("far", "far", 3.5, "percent", "", "2025", ci=(2.0, 5.0))
    return findings


def test_interval_words_say_significance_only_from_the_interval() -> None:
    findings = _findings()
    assert interval_words(findings, "{a}") == (
        "95% CI -0.17 to 0.01: not significantly different from zero"
    )
    assert interval_words(findings, "b") == "95% CI 4.8 to 5.5"  # its own decimals
    assert interval_words(findings, "a", zero_test=False) == "95% CI -0.17 to 0.01"
    assert interval_words(findings, "c") == "no interval"


def test_term_premium_change_is_judged_by_its_own_interval() -> None:
    findings = _findings()
    findings.add("up", "up", 1.6, "pp", "", "2019 .. 2025", decimals=2, ci=(0.3, 2.9))
    findings.add("flat", "flat", 1.6, "pp", "", "2019 .. 2025", decimals=2, ci=(-0.2, 2.9))
    findings.add("bare", "bare", 1.6, "pp", "", "2019 .. 2025", decimals=2)
    # overlapping level intervals, yet a change whose own interval excludes zero: a rise
    risen = _term_premium_sentence(findings, "{lo}", "{hi}", "{up}")
    assert "(95% CI -2.91 to 1.40)" in risen and "(95% CI -1.11 to 2.77)" in risen
    assert risen.endswith(
        "the change is {up} pp (95% CI 0.30 to 2.90): its interval excludes zero, so the "
        "premium has risen."
    )
    flat = _term_premium_sentence(findings, "{lo}", "{hi}", "{flat}")
    assert flat.endswith("not significantly different from zero, so the move is not established.")
    assert "without an interval the move cannot be judged" in _term_premium_sentence(
        findings, "{lo}", "{hi}", "{bare}"
    )


def test_report_summary_sentences_carry_their_intervals() -> None:
    summary = json.loads(GOLDEN.read_text(encoding="utf-8"))["summary"]
    pull = next(s for s in summary if s.startswith("Treasury pull:"))
    assert "U.S. stocks moved -0.08 percent (95% CI -0.17 to 0.01: not significantly" in pull
    assert "the dollar 0.03 percent (95% CI -0.03 to 0.09: not significantly" in pull
    assert "(co-movement on weekly changes, not an identified effect;" in pull
    # the UK enters the DE, JP, UK average on monthly averages (no daily series): said so
    abroad = next(s for s in summary if s.startswith("Yields abroad"))
    assert "DE, JP (month-end) and the UK (monthly averages on both sides" in abroad
    assert "the change from 1990-1999 is not significant" in abroad
    linkage = next(s for s in summary if s.startswith("Foreign bonds:"))
    assert "(0.61 [0.53, 0.69] vs 0.39 [0.19, 0.56] for monthly changes)" in linkage
    # both dividend-discount splits, each named by its identity
    selloff = next(s for s in summary if s.startswith("In the 2022 sell-off"))
    assert "real yields contributed -56.7" in selloff and "real rate's part is -82.4" in selloff
    stocks = next(s for s in summary if s.startswith("Stocks:"))
    assert "from -0.37 (95% CI -0.41 to -0.33; 2000-2019) to -0.07 (95% CI -0.18 to" in stocks
    assert "on monthly returns it is 0.33 (95% CI -0.03 to 0.61)" in stocks
    premium = next(s for s in summary if s.startswith("Term premium:"))
    assert "-0.96% in the year before the pandemic (95% CI -2.91 to 1.40)" in premium
    assert "0.64% at the latest month-end (95% CI -1.11 to 2.77)" in premium
    # the change has its own interval from the same replications (the constant cancels)
    assert "the change is 1.60 pp (95% CI 0.53 to 2.18): its interval excludes zero" in premium
    # US, DE, JP since 1988 (issue 16: the euro-area aggregate no longer sits beside Germany;
    # with it, 2004-09..2024-04: 76.4 [67.9, 85.0] and NET 0.2 [-2.3, 2.7])
    tci = next(s for s in summary if "(US, DE, JP) are connected" in s)
    assert "corrected TCI 46.4 % (weekly; 95% CI 12.4 to 80.4)" in tci
    assert "U.S. NET averages 4.0 pp (95% CI -1.1 to 9.0: not significantly" in tci
    short = next(s for s in summary if "short-lived" in s)
    # US, DE, JP (57.3 % with the euro area beside Germany); each band with its interval
    assert "(22.1 % [3.8, 40.5] vs 8.8 % [4.4, 13.2], the two bands of the plain TCI" in short
    assert "not of the corrected TCI" in short
    # "significant" only beside an interval, never from a p-value alone
    change = next(s for s in summary if s.startswith("Since 2022 weekly total connectedness"))
    # 0.99 [-5.10, 5.87] with the euro area beside Germany (before issue 16's point 1)
    assert "0.02 pp against 2010-2019 (95% CI -6.89 to 6.30: not significantly" in change
    for sentence in summary:
        if "significant" in sentence:
            assert re.search(r"95% (CI|interval)|\[[-+]?[0-9]", sentence), sentence
