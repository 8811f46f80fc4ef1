"""The global-yields connectedness panels never hold the euro-area aggregate beside a member."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ustpull.crossasset.comovement import EURO_AREA_MEMBERS
from ustpull.crossasset.connectedness import global_yields
from ustpull.crossasset.connectedness.global_yields import (
    COMPONENT_MARKETS,
    DAILY_TEN_YEAR,
    MONTHLY_TEN_YEAR,
    check_no_aggregate_with_members,
    global_yields_connectedness,
)
from ustpull.errors import DataError


@pytest.mark.parametrize(
    "panel", [list(DAILY_TEN_YEAR), list(MONTHLY_TEN_YEAR), list(COMPONENT_MARKETS)]
)
def test_panels_hold_no_aggregate_beside_a_member(panel: list[str]) -> None:
    names = {name.upper() for name in panel}
    assert not ("EA" in names and names & EURO_AREA_MEMBERS)
    check_no_aggregate_with_members(panel)  # does not raise


def test_aggregate_beside_member_is_refused() -> None:
    with pytest.raises(DataError, match=r"aggregate EA beside its members \['DE'\]"):
        check_no_aggregate_with_members(["US", "DE", "JP", "EA"])
    with pytest.raises(DataError, match=r"\['DE', 'FR'\]"):
        check_no_aggregate_with_members(["ea", "fr", "de"])
    check_no_aggregate_with_members(["US", "JP", "EA"])  # the aggregate alone is allowed
    assert {"DE", "FR", "IT", "NL"} <= EURO_AREA_MEMBERS


def test_the_old_weekly_set_is_refused_before_any_fit(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pre-issue-16 weekly set (US, DE, JP, EA) cannot reach the model."""
    monkeypatch.setitem(global_yields.DAILY_TEN_YEAR, "EA", "ea.aaa.zero.10y")
    rng = np.random.default_rng(0)
    dates = pd.bdate_range("2020-01-01", periods=300)
    data = pd.DataFrame(
        np.cumsum(rng.normal(0.0, 0.05, (300, 4)), axis=0),
        index=dates,
        columns=list(global_yields.DAILY_TEN_YEAR.values()),
    )
    with pytest.raises(DataError, match="aggregate EA beside its members"):
        global_yields_connectedness(data)


def test_foreign_bonds_daily_panel_holds_no_aggregate_beside_a_member() -> None:
    """The static Diebold-Yilmaz panel of ``foreign.spillover_total`` takes the markets with a
    daily series: Germany and France, never the euro-area aggregate (no daily id)."""
    from ustpull.crossasset.foreign_bonds import MARKETS

    daily = [code for code, market in MARKETS.items() if market.daily_id is not None]
    assert {"de", "fr"} <= set(daily) and "ea" not in daily
    check_no_aggregate_with_members(daily)
