"""Market conventions table."""

from __future__ import annotations

import pytest

from ustpull.curves.conventions import MARKETS, market_convention
from ustpull.errors import DataError


@pytest.mark.parametrize(
    ("market", "frequency", "day_count", "settlement_days"),
    [
        ("us_treasury", 2, "act_act_icma", 1),  # 31 CFR 356 App. B; T+1
        ("bund", 1, "act_act_icma", 2),  # Finanzagentur: annual coupons, T+2
        ("jgb", 2, "act_365_fixed", 1),  # MoF Japan: semiannual, T+1 since 2018
        ("gilt", 2, "act_act_icma", 1),  # UK DMO: semiannual, T+1
    ],
)
def test_market_rows(market: str, frequency: int, day_count: str, settlement_days: int) -> None:
    convention = market_convention(market)
    assert convention.coupon_frequency == frequency
    assert convention.day_count == day_count
    assert convention.settlement_days == settlement_days
    assert MARKETS[market] is convention


def test_unknown_market_names_the_key() -> None:
    with pytest.raises(DataError, match="unknown market 'btp'"):
        market_convention("btp")
