"""The canonical vocabulary: ids from the preamble's list, metadata and lookups."""

from __future__ import annotations

import pytest

from ustpull.errors import DataError, SeriesNotFoundError
from ustpull.sources.vocabulary import (
    all_specs,
    get_spec,
    is_known,
    tenor_months,
    tenor_token,
    tenor_years,
    treasurydirect_id,
)

# The id families the team preamble lists (expanded by hand here, independently of the
# table in vocabulary.py) with their expected count.
PREAMBLE_FAMILIES = {
    "us.gsw.zero.": 30,
    "us.gsw.par.": 30,
    "us.gsw.fwd.": 30,
    "us.cmt.": 11,
    "us.tips.": 3,
    "us.breakeven.": 2,
    "us.tsy_par.": 14,
    "us.shiller.": 6,
    "oecd.10y.": 14,  # + IN, MX, KR, ZA, CL (issue 12)
    "de.govt.": 6,
    "fr.govt.": 6,
    "de.bbk.zero.": 3,
    "ea.aaa.zero.": 30,
    "jp.mof.par.": 15,
    "jp.jgb.": 2,
    "ch.snb.zero.": 4,
    "au.rba.zero.": 41,
    "us.fiscal.": 5,
}
PREAMBLE_SINGLE_IDS = [
    "us.gsw.beta0",
    "us.gsw.beta1",
    "us.gsw.beta2",
    "us.gsw.beta3",
    "us.gsw.tau1",
    "us.gsw.tau2",
    "us.gs10",
    "us.spread.10y2y",
    "us.fedfunds",
    "us.fedfunds.target",
    "us.moodys.aaa",
    "us.moodys.baa",
    "us.hy_oas",
    "us.sp500",
    "us.vix",
    "ea.eurostoxx50",
    "ea.vstoxx",
    "fx.dxy",
    "fx.usd_broad",
    "fx.usd_broad_old",
    "fx.usd_eme",
    "fx.jpy_per_usd",
    "fx.usd_per_eur",
    "in.govt.10y",
    "us.cpi",
    "us.cpi.core",
    "us.pce.core",
    "us.gdp",
    "us.gdp.real",
    "us.indpro",
    "us.unrate",
    "us.payrolls",
    "us.m2",
    "us.recession",
    "us.nfci",
]


def test_every_preamble_family_is_complete() -> None:
    ids = [spec.id for spec in all_specs()]
    for prefix, count in PREAMBLE_FAMILIES.items():
        assert sum(1 for i in ids if i.startswith(prefix)) == count, prefix
    assert set(PREAMBLE_SINGLE_IDS) <= set(ids)
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    ("series_id", "units", "frequency", "basis", "compounding", "measure"),
    [
        ("us.gsw.zero.10y", "percent", "daily", "zero", "continuous", "nominal"),
        ("us.gsw.par.2y", "percent", "daily", "par", "semiannual", "nominal"),
        ("us.cmt.3m", "percent", "daily", "par", "semiannual", "nominal"),
        ("us.tips.10y", "percent", "daily", "par", "semiannual", "real"),
        ("us.gsw.tau2", "years", "daily", "parameter", "continuous", "nominal"),
        ("ea.aaa.zero.30y", "percent", "daily", "zero", "continuous", "nominal"),
        ("us.fiscal.debt", "USD mn", "quarterly", "level", "none", "nominal"),
        ("us.gdp", "USD bn", "quarterly", "level", "none", "nominal"),
        ("us.payrolls", "thousands", "monthly", "level", "none", "nominal"),
        ("fx.jpy_per_usd", "JPY per USD", "daily", "level", "none", "nominal"),
        ("us.nfci", "index", "weekly", "level", "none", "nominal"),
    ],
)
def test_spec_metadata(
    series_id: str, units: str, frequency: str, basis: str, compounding: str, measure: str
) -> None:
    spec = get_spec(series_id)
    assert (spec.units, spec.frequency, spec.basis, spec.compounding, spec.measure) == (
        units,
        frequency,
        basis,
        compounding,
        measure,
    )


@pytest.mark.parametrize(
    ("series_id", "code"),
    [
        ("us.cmt.1m", "DGS1MO"),
        ("us.cmt.30y", "DGS30"),
        ("us.gsw.zero.7y", "SVENY07"),
        ("us.gsw.fwd.30y", "SVENF30"),
        ("us.tsy_par.6w", "1.5 Mo"),
        ("us.tsy_par.20y", "20 Yr"),
        ("us.tips.5y", "DFII5"),
        ("oecd.10y.ea", "IRLTLT01EZM156N"),
        ("ea.aaa.zero.10y", "YC.B.U2.EUR.4F.G_N_A.SV_C_YM.SR_10Y"),
        ("de.bbk.zero.2y", "BBSIS.D.I.ZST.ZI.EUR.S1311.B.A604.R02XX.R.A.A._Z._Z.A"),
    ],
)
def test_publisher_codes(series_id: str, code: str) -> None:
    assert get_spec(series_id).attributes["code"] == code


def test_rba_tenors_follow_the_token_rule() -> None:
    tokens = [s.id.rsplit(".", 1)[1] for s in all_specs() if s.id.startswith("au.rba.zero.")]
    assert tokens[:6] == ["0m", "3m", "6m", "9m", "1y", "15m"]
    assert tokens[-1] == "10y"


def test_unknown_id_suggests_close_matches() -> None:
    with pytest.raises(SeriesNotFoundError, match=r"unknown series id 'us\.gsw\.zero\.10'"):
        get_spec("us.gsw.zero.10")
    with pytest.raises(SeriesNotFoundError, match=r"did you mean 'us\.cmt\.10y'"):
        get_spec("us.cmt.10yr")
    assert not is_known("us.cmt.10yr")


def test_treasurydirect_dynamic_ids() -> None:
    spec = get_spec("us.td.912810TM0.sell")
    assert spec.source == "treasurydirect"
    assert spec.attributes == {"cusip": "912810TM0", "side": "sell"}
    assert is_known("us.td.912810TM0.buy")
    assert treasurydirect_id(" 912810tm0", "buy") == "us.td.912810TM0.buy"
    with pytest.raises(DataError, match="CUSIP '9128'"):
        treasurydirect_id("9128", "buy")
    with pytest.raises(SeriesNotFoundError):
        get_spec("us.td.912810TM0.mid")


@pytest.mark.parametrize(
    ("months", "token", "years"),
    [(0, "0m", 0.0), (1, "1m", 1 / 12), (1.5, "6w", 0.125), (18, "18m", 1.5), (120, "10y", 10.0)],
)
def test_tenor_tokens_round_trip(months: float, token: str, years: float) -> None:
    assert tenor_token(months) == token
    assert tenor_months(token) == months
    assert tenor_years(token) == pytest.approx(years)


@pytest.mark.parametrize("bad", ["10", "y", "10yr", "1.5m"])
def test_bad_tenor_token(bad: str) -> None:
    with pytest.raises(DataError, match="not a tenor token"):
        tenor_months(bad)


def test_fractional_months_have_no_token() -> None:
    with pytest.raises(DataError, match=r"2\.5 months"):
        tenor_token(2.5)
