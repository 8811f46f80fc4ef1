"""The canonical series vocabulary: every series id the analyses use, with its metadata.

The vocabulary is data: compact rows (one per series family) expanded over tenors into
:class:`~ustpull.sources.base.SeriesSpec` objects. Ids follow ``{area}.{family}.{tenor}``
where the tenor token is whole years ``{n}y`` or otherwise months ``{m}m`` (Treasury's
1.5-month bill is ``6w``). TreasuryDirect security prices use dynamic ids
``us.td.{CUSIP}.buy`` / ``us.td.{CUSIP}.sell`` matched by a pattern.

Units: yields, spreads and rates are in **percent** (4.25 means 4.25 %), never decimals.
Compounding says how a yield is quoted: ``continuous`` (GSW and ECB zero yields),
``semiannual`` (bond-equivalent: CMT, Treasury par curve, GSW par yields), ``annual``,
``simple`` (money-market rates) or ``none`` for non-rates.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cache
from types import MappingProxyType
from typing import Literal

from ustpull.conventions import tenor_months, tenor_token, tenor_years
from ustpull.errors import DataError, SeriesNotFoundError
from ustpull.sources.base import Frequency, SeriesSpec

__all__ = [
    "TREASURYDIRECT_ID_PATTERN",
    "VALID_RANGES",
    "VALID_RANGE_OVERRIDES",
    "ValidRange",
    "all_specs",
    "get_spec",
    "is_known",
    "tenor_months",
    "tenor_token",
    "tenor_years",
    "treasurydirect_id",
    "valid_range",
    "with_attributes",
]

TREASURYDIRECT_ID_PATTERN = re.compile(r"^us\.td\.(?P<cusip>[0-9A-Z]{9})\.(?P<side>buy|sell)$")


def treasurydirect_id(cusip: str, side: str) -> str:
    """Series id of a TreasuryDirect price: ``us.td.{CUSIP}.{buy|sell}``."""
    series_id = f"us.td.{cusip.strip().upper()}.{side}"
    if TREASURYDIRECT_ID_PATTERN.match(series_id) is None:
        raise DataError(f"not a TreasuryDirect price id: CUSIP {cusip!r}, side {side!r}")
    return series_id


@dataclass(frozen=True)
class _Family:
    """One row of the vocabulary table: a series family expanded over ``tenors``.

    ``id`` may contain ``{tenor}`` (canonical token) and ``title`` ``{label}`` (the
    human-readable maturity). The publisher's code of each tenor is ``codes[i]`` or
    ``code`` formatted with ``n`` = the tenor's number of years (or months).
    """

    id: str
    title: str
    units: str
    frequency: Frequency
    country: str
    basis: str
    compounding: str
    source: str
    measure: str = "nominal"
    tenors: tuple[str, ...] = ("",)
    code: str = ""
    codes: tuple[str, ...] = ()

    def expand(self) -> Iterator[SeriesSpec]:
        for position, tenor in enumerate(self.tenors):
            label = _tenor_label(tenor) if tenor else ""
            attributes: dict[str, str] = {}
            if self.codes:
                attributes["code"] = self.codes[position]
            elif self.code:
                attributes["code"] = self.code.format(n=_years_or_months(tenor))
            if tenor:
                attributes["tenor"] = tenor
            yield SeriesSpec(
                id=self.id.format(tenor=tenor),
                title=self.title.format(label=label),
                units=self.units,
                frequency=self.frequency,
                country=self.country,
                basis=self.basis,
                compounding=self.compounding,
                measure="real" if self.measure == "real" else "nominal",
                source=self.source,
                attributes=MappingProxyType(attributes),
            )


def _years_or_months(tenor: str) -> int:
    return int(tenor[:-1]) if tenor else 0


def _tenor_label(tenor: str) -> str:
    if tenor == "6w":
        return "1.5-month"
    unit = {"y": "year", "m": "month", "w": "week"}[tenor[-1]]
    return f"{tenor[:-1]}-{unit}"


def _years(values: Iterable[int]) -> tuple[str, ...]:
    return tuple(f"{n}y" for n in values)


_YEARS_1_30 = _years(range(1, 31))
_CMT_TENORS = ("1m", "3m", "6m", "1y", "2y", "3y", "5y", "7y", "10y", "20y", "30y")
_TSY_PAR_TENORS = ("1m", "6w", "2m", "3m", "4m", "6m", *_CMT_TENORS[3:])
# Column headers of Treasury's par yield curve CSV, aligned with _TSY_PAR_TENORS.
_TSY_PAR_COLUMNS = (
    *("1 Mo", "1.5 Mo", "2 Mo", "3 Mo", "4 Mo", "6 Mo"),
    *(f"{t[:-1]} Yr" for t in _CMT_TENORS[3:]),
)
_EURO_GOVT_TENORS = ("1y", "2y", "5y", "10y", "20y", "30y")
_BBSSY_TENORS = ("2y", "5y", "10y", "30y")
_BBSSY_CODES = tuple(
    f"BBSSY.D.REN.EUR.{group}.000000WT{n:02d}{n:02d}.A"
    for group, n in (("A610", 2), ("A620", 5), ("A630", 10), ("A640", 30))
)
_BOE_NOMINAL_TENORS = ("6m", *_years(range(1, 41)))
_BOE_REAL_TENORS = _years(range(3, 41))
_MOF_TENORS = _years([*range(1, 11), 15, 20, 25, 30, 40])
_RBA_TENORS = tuple(tenor_token(months) for months in range(0, 121, 3))
_GSW_TIPS_YEARS = _years(range(2, 21))
_GSW_PARAMETERS = ("beta0", "beta1", "beta2", "beta3", "tau1", "tau2")

# One family per row, formatter off, so that the table reads as data.
# fmt: off
_FAMILIES: tuple[_Family, ...] = (
    # U.S. Gürkaynak-Sack-Wright nominal curve (FEDS 2006-28)
    _Family("us.gsw.zero.{tenor}", "GSW {label} zero-coupon Treasury yield",
            "percent", "daily", "US", "zero", "continuous", "gsw", tenors=_YEARS_1_30,
            code="SVENY{n:02d}"),
    _Family("us.gsw.par.{tenor}", "GSW {label} par Treasury yield",
            "percent", "daily", "US", "par", "semiannual", "gsw", tenors=_YEARS_1_30,
            code="SVENPY{n:02d}"),
    _Family("us.gsw.fwd.{tenor}", "GSW instantaneous forward rate {label}s ahead",
            "percent", "daily", "US", "forward", "continuous", "gsw", tenors=_YEARS_1_30,
            code="SVENF{n:02d}"),
    # U.S. GSW TIPS curve (FEDS 2008-05): real yields and zero-coupon breakevens
    _Family("us.gsw.tips.zero.{tenor}", "GSW {label} zero-coupon TIPS real yield",
            "percent", "daily", "US", "zero", "continuous", "gsw", measure="real",
            tenors=_GSW_TIPS_YEARS, code="TIPSY{n:02d}"),
    _Family("us.gsw.tips.par.{tenor}", "GSW {label} par TIPS real yield",
            "percent", "daily", "US", "par", "semiannual", "gsw", measure="real",
            tenors=_GSW_TIPS_YEARS, code="TIPSPY{n:02d}"),
    _Family("us.gsw.tips.fwd.{tenor}", "GSW instantaneous real forward rate {label}s ahead",
            "percent", "daily", "US", "forward", "continuous", "gsw", measure="real",
            tenors=_GSW_TIPS_YEARS, code="TIPSF{n:02d}"),
    _Family("us.gsw.breakeven.{tenor}", "GSW {label} zero-coupon breakeven inflation",
            "percent", "daily", "US", "spread", "continuous", "gsw", tenors=_GSW_TIPS_YEARS,
            code="BKEVEN{n:02d}"),
    # Treasury constant maturity (H.15 / FRED)
    _Family("us.cmt.{tenor}", "Treasury {label} constant-maturity yield",
            "percent", "daily", "US", "par", "semiannual", "fred", tenors=_CMT_TENORS,
            codes=tuple(f"DGS{t[:-1]}{'MO' if t[-1] == 'm' else ''}" for t in _CMT_TENORS)),
    _Family("us.gs10", "10-year Treasury constant-maturity yield, monthly average",
            "percent", "monthly", "US", "par", "semiannual", "fred", code="GS10"),
    _Family("us.tips.{tenor}", "TIPS {label} constant-maturity real yield",
            "percent", "daily", "US", "par", "semiannual", "fred", measure="real",
            tenors=("5y", "7y", "10y"), code="DFII{n}"),
    _Family("us.breakeven.{tenor}", "{label} breakeven inflation (CMT minus TIPS)",
            "percent", "daily", "US", "spread", "semiannual", "fred", tenors=("5y", "10y"),
            code="T{n}YIE"),
    _Family("us.spread.10y2y", "10-year minus 2-year Treasury CMT spread",
            "percent", "daily", "US", "spread", "semiannual", "fred", code="T10Y2Y"),
    # U.S. Treasury daily par yield curve (home.treasury.gov)
    _Family("us.tsy_par.{tenor}", "Treasury {label} par yield curve rate",
            "percent", "daily", "US", "par", "semiannual", "treasury_par", tenors=_TSY_PAR_TENORS,
            codes=_TSY_PAR_COLUMNS),
    # Policy and credit rates
    _Family("us.fedfunds", "Effective federal funds rate, monthly average",
            "percent", "monthly", "US", "level", "simple", "fred", code="FEDFUNDS"),
    _Family("us.fedfunds.target",
            "Federal funds target (DFEDTAR; upper bound DFEDTARU from 2008-12-16)",
            "percent", "daily", "US", "level", "simple", "fred", code="DFEDTARU"),
    _Family("us.moodys.aaa", "Moody's seasoned Aaa corporate bond yield",
            "percent", "monthly", "US", "level", "semiannual", "fred", code="AAA"),
    _Family("us.moodys.baa", "Moody's seasoned Baa corporate bond yield",
            "percent", "monthly", "US", "level", "semiannual", "fred", code="BAA"),
    _Family("us.hy_oas", "ICE BofA US High Yield option-adjusted spread",
            "percent", "daily", "US", "spread", "none", "fred", code="BAMLH0A0HYM2"),
    # Equity
    _Family("us.sp500", "S&P 500 index close (price return)",
            "index points", "daily", "US", "level", "none", "fred", code="SP500"),
    _Family("us.shiller.price", "Shiller S&P composite price, monthly average of closes",
            "index points", "monthly", "US", "level", "none", "shiller", code="P"),
    _Family("us.shiller.dividend", "Shiller S&P composite dividends, trailing 12 months",
            "index points", "monthly", "US", "level", "none", "shiller", code="D"),
    _Family("us.shiller.earnings", "Shiller S&P composite earnings, trailing 12 months",
            "index points", "monthly", "US", "level", "none", "shiller", code="E"),
    _Family("us.shiller.cpi", "Shiller consumer price index",
            "index", "monthly", "US", "level", "none", "shiller", code="CPI"),
    _Family("us.shiller.gs10", "Shiller long interest rate (10-year Treasury)",
            "percent", "monthly", "US", "par", "semiannual", "shiller", code="GS10"),
    _Family("us.shiller.cape", "Shiller cyclically adjusted price-earnings ratio (CAPE)",
            "ratio", "monthly", "US", "ratio", "none", "shiller", code="CAPE"),
    _Family("us.vix", "CBOE VIX close",
            "percent", "daily", "US", "level", "none", "fred", code="VIXCLS"),
    _Family("ea.eurostoxx50", "Euro Stoxx 50 price index",
            "index points", "daily", "EA", "level", "none", "ecb",
            code="FM.B.U2.EUR.BL.EI.SX5E.HST"),
    _Family("ea.vstoxx", "VSTOXX volatility index",
            "percent", "daily", "EA", "level", "none", "ecb", code="FM.B.U2.EUR.BL.VL.V2X.HST"),
    # Dollar
    _Family("fx.dxy", "ICE U.S. Dollar Index (DXY) close",
            "index", "daily", "US", "level", "none", "ice", code="DX-Y.NYB"),
    _Family("fx.usd_broad", "Nominal broad U.S. dollar index (Jan 2006 = 100)",
            "index", "daily", "US", "level", "none", "fred", code="DTWEXBGS"),
    _Family("fx.usd_broad_old",
            "Trade-weighted broad U.S. dollar index (Jan 1997 = 100, discontinued)",
            "index", "daily", "US", "level", "none", "fred", code="DTWEXB"),
    _Family("fx.usd_eme", "Nominal emerging-market-economies U.S. dollar index",
            "index", "daily", "US", "level", "none", "fred", code="DTWEXEMEGS"),
    _Family("fx.jpy_per_usd", "Japanese yen per U.S. dollar, noon New York",
            "JPY per USD", "daily", "JP", "level", "none", "fred", code="DEXJPUS"),
    # online: the ECB's euro reference rate (from 1999); the shared file extends it back to
    # 1974 with the ECB's synthetic euro (BISM.D.QKBA.US.02)
    _Family("fx.usd_per_eur", "U.S. dollars per euro, ECB reference rate",
            "USD per EUR", "daily", "EA", "level", "none", "ecb", code="EXR.D.USD.EUR.SP00.A"),
    *(
        _Family(f"oecd.10y.{c}", f"OECD long-term (10-year) government bond yield, {c.upper()}",
                "percent", "monthly", "EA" if c == "ea" else c.upper(), "level", "annual", "fred",
                code=f"IRLTLT01{'EZ' if c == 'ea' else c.upper()}M156N")
        for c in ("us", "de", "jp", "gb", "fr", "ca", "au", "ch", "ea", "mx", "kr", "za", "cl")
    ),
    # India's OECD long-term yield has FRED's other naming; Brazil has no OECD 10y on FRED.
    _Family("oecd.10y.in", "OECD long-term (10-year) government bond yield, IN",
            "percent", "monthly", "IN", "level", "annual", "fred", code="INDIRLTLT01STM"),
    # OECD short rates: call money / interbank overnight (IRSTCI01) and 3-month (IR3TIB01)
    *(
        _Family(f"oecd.{name}.{c}", f"OECD {title}, {c.upper()}, monthly average",
                "percent", "monthly", c.upper(), "level", "simple", "fred",
                code=f"{prefix}{c.upper()}M156N")
        for c in ("jp", "ch", "gb")
        for name, prefix, title in (("call", "IRSTCI01", "call money / interbank overnight rate"),
                                    ("3m", "IR3TIB01", "3-month interbank rate"))
    ),
    # International government yields
    # Online: Bundesbank daily yields on listed Federal securities by residual maturity
    # (BBSSY ...WT{nn}{nn}); the shared file holds Investing.com closes under the same ids.
    _Family("de.govt.{tenor}", "German Federal securities {label} yield",
            "percent", "daily", "DE", "level", "annual", "bundesbank", tenors=_BBSSY_TENORS,
            codes=_BBSSY_CODES),
    _Family("de.govt.{tenor}", "German Bund {label} yield (Investing.com close)",
            "percent", "daily", "DE", "level", "annual", "investing", tenors=("1y", "20y")),
    _Family("fr.govt.{tenor}", "French OAT {label} yield (Investing.com close)",
            "percent", "daily", "FR", "level", "annual", "investing", tenors=_EURO_GOVT_TENORS),
    _Family("de.bbk.zero.{tenor}",
            "Bundesbank Svensson {label} zero-coupon yield on Federal securities",
            "percent", "daily", "DE", "zero", "annual", "bundesbank", tenors=("1y", "2y", "10y"),
            code="BBSIS.D.I.ZST.ZI.EUR.S1311.B.A604.R{n:02d}XX.R.A.A._Z._Z.A"),
    _Family("ea.aaa.zero.{tenor}", "ECB euro-area AAA {label} spot (zero-coupon) yield",
            "percent", "daily", "EA", "zero", "continuous", "ecb", tenors=_YEARS_1_30,
            code="YC.B.U2.EUR.4F.G_N_A.SV_C_YM.SR_{n}Y"),
    _Family("jp.mof.par.{tenor}", "Japan MoF {label} JGB par yield",
            "percent", "daily", "JP", "par", "semiannual", "mof", tenors=_MOF_TENORS, code="{n}Y"),
    _Family("jp.jgb.{tenor}", "Japan {label} JGB yield (MoF)",
            "percent", "daily", "JP", "par", "semiannual", "mof", tenors=("2y", "10y"),
            code="JGB{n}Y"),
    _Family("ch.snb.zero.{tenor}", "SNB Swiss Confederation {label} spot yield",
            "percent", "daily", "CH", "zero", "annual", "snb", tenors=("2y", "5y", "10y", "20y")),
    _Family("au.rba.zero.{tenor}", "RBA {label} zero-coupon yield (F17)",
            "percent", "daily", "AU", "zero", "annual", "rba", tenors=_RBA_TENORS,
            codes=tuple(f"FZCY{round(tenor_months(t) * 100 / 12)}D" for t in _RBA_TENORS)),
    # Bank of England yield curves (GLC archive, spot curve sheet; continuously compounded)
    _Family("gb.boe.zero.{tenor}", "Bank of England UK nominal {label} spot (zero-coupon) yield",
            "percent", "daily", "GB", "zero", "continuous", "boe", tenors=_BOE_NOMINAL_TENORS),
    _Family("gb.boe.real.zero.{tenor}", "Bank of England UK real {label} spot (zero-coupon) yield",
            "percent", "daily", "GB", "zero", "continuous", "boe", measure="real",
            tenors=_BOE_REAL_TENORS),
    # NY Fed ACM term structure model (Adrian, Crump and Moench 2013), continuously compounded
    _Family("us.acm.tp.{tenor}", "ACM {label} zero-coupon term premium",
            "percent", "daily", "US", "spread", "continuous", "nyfed_acm",
            tenors=_years(range(1, 11)), code="ACMTP{n:02d}"),
    _Family("us.acm.yield.{tenor}", "ACM {label} fitted zero-coupon yield",
            "percent", "daily", "US", "zero", "continuous", "nyfed_acm",
            tenors=_years(range(1, 11)), code="ACMY{n:02d}"),
    _Family("us.acm.rny.{tenor}", "ACM {label} risk-neutral zero-coupon yield",
            "percent", "daily", "US", "zero", "continuous", "nyfed_acm",
            tenors=_years(range(1, 11)), code="ACMRNY{n:02d}"),
    _Family("in.govt.10y", "India 10-year government bond yield (Investing.com close)",
            "percent", "daily", "IN", "level", "semiannual", "investing"),
    # U.S. macro
    _Family("us.cpi", "CPI-U all items, SA (1982-84 = 100)",
            "index", "monthly", "US", "level", "none", "fred", code="CPIAUCSL"),
    _Family("us.cpi.core", "CPI-U less food and energy, SA (1982-84 = 100)",
            "index", "monthly", "US", "level", "none", "fred", code="CPILFESL"),
    _Family("us.pce.core", "PCE price index less food and energy, SA (2017 = 100)",
            "index", "monthly", "US", "level", "none", "fred", code="PCEPILFE"),
    _Family("us.gdp", "Gross domestic product, SAAR",
            "USD bn", "quarterly", "US", "level", "none", "fred", code="GDP"),
    _Family("us.gdp.real", "Real gross domestic product, SAAR (chained 2017 dollars)",
            "USD bn", "quarterly", "US", "level", "none", "fred", measure="real", code="GDPC1"),
    _Family("us.indpro", "Industrial production index (2017 = 100)",
            "index", "monthly", "US", "level", "none", "fred", code="INDPRO"),
    _Family("us.unrate", "Civilian unemployment rate",
            "percent", "monthly", "US", "level", "none", "fred", code="UNRATE"),
    _Family("us.payrolls", "Total nonfarm payrolls",
            "thousands", "monthly", "US", "level", "none", "fred", code="PAYEMS"),
    _Family("us.m2", "M2 money stock, SA",
            "USD bn", "monthly", "US", "level", "none", "fred", code="M2SL"),
    _Family("us.recession", "NBER recession indicator (1 = recession)",
            "indicator", "monthly", "US", "level", "none", "fred", code="USREC"),
    _Family("us.nfci", "Chicago Fed National Financial Conditions Index",
            "index", "weekly", "US", "level", "none", "fred", code="NFCI"),
    _Family("us.fiscal.receipts", "Federal government current receipts, SAAR",
            "USD bn", "quarterly", "US", "level", "none", "fred",
            code="FGRECPT"),
    _Family("us.fiscal.expenditure", "Federal government current expenditures, SAAR",
            "USD bn", "quarterly", "US", "level", "none", "fred",
            code="FGEXPND"),
    _Family("us.fiscal.interest", "Federal government interest payments, SAAR",
            "USD bn", "quarterly", "US", "level", "none", "fred",
            code="A091RC1Q027SBEA"),
    _Family("us.fiscal.gdp", "Gross domestic product, SAAR (fiscal table)",
            "USD bn", "quarterly", "US", "level", "none", "fred",
            code="A191RC1Q027SBEA"),
    _Family("us.fiscal.debt", "Federal debt: total public debt",
            "USD mn", "quarterly", "US", "level", "none", "fred",
            code="GFDEBTN"),
    # Treasury bills (bank-discount basis: (100 - price) / 100 * 360 / days, in percent)
    _Family("us.tbill.3m", "3-month Treasury bill, secondary market, discount basis",
            "percent", "daily", "US", "discount", "discount", "fred", code="DTB3"),
    _Family("us.tbill.monthly.{tenor}",
            "{label} Treasury bill, secondary market, discount basis, monthly average",
            "percent", "monthly", "US", "discount", "discount", "fred",
            tenors=("4w", "3m", "6m"), codes=("TB4WK", "TB3MS", "TB6MS")),
    # Published term premia (Kim-Wright, FEDS 2005-33, on FRED)
    _Family("us.kw.tp.{tenor}", "Kim-Wright {label} zero-coupon term premium",
            "percent", "daily", "US", "spread", "continuous", "fred", tenors=_years(range(1, 11)),
            code="THREEFYTP{n}"),
    # Short rates outside the U.S. (money-market rates: simple interest, act/360 or act/365)
    _Family("ea.estr", "Euro short-term rate (EUR STR), volume-weighted trimmed mean",
            "percent", "daily", "EA", "level", "simple", "ecb", code="EST.B.EU000A2X2A25.WT"),
    _Family("gb.sonia", "Sterling overnight index average (SONIA)",
            "percent", "daily", "GB", "level", "simple", "fred", code="IUDSOIA"),
    _Family("ea.eonia.monthly", "EONIA, monthly average (synthetic before 1999)",
            "percent", "monthly", "EA", "level", "simple", "ecb",
            code="FM.M.U2.EUR.4F.MM.EONIA.HSTA"),
    _Family("ea.euribor.monthly.3m", "3-month EURIBOR, monthly average (synthetic before 1999)",
            "percent", "monthly", "EA", "level", "simple", "ecb",
            code="FM.M.U2.EUR.RT.MM.EURIBOR3MD_.HSTA"),
    # Australian Government bond yields (RBA table F2)
    _Family("au.rba.govt.{tenor}", "Australian Government {label} bond yield (RBA F2)",
            "percent", "daily", "AU", "level", "semiannual", "rba",
            tenors=("2y", "3y", "5y", "10y"), code="FCMYGBAG{n}D"),
    _Family("au.rba.govt.monthly.{tenor}",
            "Australian Government {label} bond yield, end of month (RBA F2 history)",
            "percent", "monthly", "AU", "level", "semiannual", "rba",
            tenors=("2y", "3y", "5y", "10y"), code="FCMYGBAG{n}"),
    _Family("au.rba.govt.indexed", "Australian Government indexed bond yield (RBA F2)",
            "percent", "daily", "AU", "level", "semiannual", "rba", measure="real",
            code="FCMYGBAGID"),
    # Monetary-policy announcement dates (1.0 on each decision day)
    _Family("us.fomc.scheduled", "FOMC scheduled meeting (decision day) indicator",
            "indicator", "irregular", "US", "event", "none", "local"),
    _Family("gb.mpc.decision", "Bank of England MPC decision day indicator",
            "indicator", "irregular", "GB", "event", "none", "local"),
    _Family("ca.boc.decision", "Bank of Canada rate announcement day indicator",
            "indicator", "irregular", "CA", "event", "none", "local"),
)
# fmt: on

_GSW_PARAMETER_FAMILIES = tuple(
    _Family(
        f"us.gsw{curve}.{name}",
        f"GSW{label} Nelson-Siegel-Svensson parameter {name} (NaN on Nelson-Siegel-only days)"
        if name in ("beta3", "tau2")
        else f"GSW{label} Nelson-Siegel-Svensson parameter {name}",
        "years" if name.startswith("tau") else "percent",
        "daily",
        "US",
        "parameter",
        "continuous",
        "gsw",
        measure="real" if curve else "nominal",
        code=name.upper(),
    )
    for curve, label in (("", ""), (".tips", " TIPS"))
    for name in _GSW_PARAMETERS
)

# Fama-French three factors (Kenneth French data library), simple returns over the period.
# ``mkt`` is the market's total return, Mkt-RF + RF, derived by the parsers.
_FF_FACTORS = (
    ("mkt_rf", "Mkt-RF", "market excess return (Mkt-RF)"),
    ("smb", "SMB", "size factor return (SMB)"),
    ("hml", "HML", "value factor return (HML)"),
    ("rf", "RF", "risk-free return (1-month T-bill, RF)"),
    ("mkt", "", "U.S. equity market total return (Mkt-RF + RF)"),
)
_FF_FREQUENCIES: tuple[Frequency, ...] = ("daily", "monthly", "annual")
_FF_FAMILIES = tuple(
    _Family(f"us.ff.{name}.{frequency}", f"Fama-French {title}, {frequency}",
            "percent", frequency, "US", "return", "none", "french", code=code)
    for frequency in _FF_FREQUENCIES
    for name, code, title in _FF_FACTORS
)  # fmt: skip

# Monetary-policy surprises per FOMC announcement (irregular dates). GSS: Gurkaynak, Sack and
# Swanson (2005) 30-minute-window changes as updated by Gurkaynak, Karasoy-Can and Lee (2022);
# JK: Jarocinski and Karadi (2020) shocks. Column -> units; the id is the column, lower case.
_GSS_UNITS = {
    "kuttner": "basis points", "intermeetdummy": "indicator",
    **{f"MP{n}": "percentage points" for n in range(1, 7)},
    **{f"FF{n}": "percentage points" for n in range(1, 7)},
    **{f"ED{n}": "percentage points" for n in range(1, 9)},
    **{c: "percentage points" for c in ("OIS01YR", "OIS02YR", "ONRUN3M", "ONRUN6M", "ONRUN2",
                                        "ONRUN5", "ONRUN10", "ONRUN30", "TIPS5", "TIPS10",
                                        "SWP2YSPD", "SWP5YSPD", "SWP10YSPD")},
    **{c: "percent" for c in ("SP500", "NASDAQ", "WILSHIRE", "SP500FUT", "EURO", "YEN", "DXY")},
}  # fmt: skip
_JK_UNITS = {
    "pc1ff1_hf": "percentage points", "sp500_hf": "percent",
    **{f"{shock}_{stat}": "percentage points"
       for stat in ("pm", "median", "q25", "q75", "q10", "q90") for shock in ("MP", "CBI")},
}  # fmt: skip
_SURPRISE_FAMILIES = (
    *(
        _Family(f"us.fomc.gss.{column.lower()}",
                f"FOMC announcement surprise {column} (GSS/GKL, 30-minute window)",
                units, "irregular", "US", "event", "none", "local", code=column)
        for column, units in _GSS_UNITS.items()
    ),
    *(
        _Family(f"us.fomc.jk.{column.lower()}", f"Jarocinski-Karadi FOMC shock {column}",
                units, "irregular", "US", "event", "none", "local", code=column)
        for column, units in _JK_UNITS.items()
    ),
)  # fmt: skip


@cache
def _table() -> Mapping[str, SeriesSpec]:
    specs: dict[str, SeriesSpec] = {}
    for family in (*_FAMILIES, *_GSW_PARAMETER_FAMILIES, *_FF_FAMILIES, *_SURPRISE_FAMILIES):
        for spec in family.expand():
            if spec.id in specs:
                raise AssertionError(f"vocabulary defines {spec.id!r} twice")
            specs[spec.id] = spec
    return MappingProxyType(specs)


def all_specs() -> tuple[SeriesSpec, ...]:
    """Every static series of the vocabulary, in table order (dynamic ids excluded)."""
    return tuple(_table().values())


def is_known(series_id: str) -> bool:
    """Whether ``series_id`` is a vocabulary id or matches a dynamic-id pattern."""
    return series_id in _table() or TREASURYDIRECT_ID_PATTERN.match(series_id) is not None


def get_spec(series_id: str) -> SeriesSpec:
    """Metadata of a canonical series id.

    Parameters
    ----------
    series_id
        A vocabulary id (``us.gsw.zero.10y``) or a dynamic TreasuryDirect price id
        (``us.td.912810TM0.buy``).

    Raises
    ------
    SeriesNotFoundError
        The id is unknown; the message suggests the closest known ids.
    """
    table = _table()
    spec = table.get(series_id)
    if spec is not None:
        return spec
    match = TREASURYDIRECT_ID_PATTERN.match(series_id)
    if match is not None:
        side = match["side"]
        return SeriesSpec(
            id=series_id,
            title=f"TreasuryDirect {side} price of CUSIP {match['cusip']}, clean per 100 par",
            units="USD per 100 par",
            frequency="daily",
            country="US",
            basis="price",
            compounding="none",
            source="treasurydirect",
            attributes=MappingProxyType({"cusip": match["cusip"], "side": side}),
        )
    suggestions = difflib.get_close_matches(series_id, list(table), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
    raise SeriesNotFoundError(f"unknown series id {series_id!r}{hint}")


def with_attributes(spec: SeriesSpec, **attributes: str) -> SeriesSpec:
    """A copy of ``spec`` with ``attributes`` merged into its attributes."""
    return replace(spec, attributes=MappingProxyType({**spec.attributes, **attributes}))


# --------------------------------------------------------------------------- valid ranges


@dataclass(frozen=True)
class ValidRange:
    """Values and dates a series can plausibly take; the store rejects rows outside.

    Attributes
    ----------
    low, high
        Bounds of the value, in the series' units (``low`` excluded when
        ``low_inclusive`` is false: FX rates and index levels are > 0).
    low_inclusive
        Whether ``low`` itself is valid.
    first_date
        The family's first possible observation date (ISO); earlier dates are rejected.
    scale
        ``percent`` marks series quoted in percent: a column that looks like basis points
        (or, against the stored history, decimals) is refused with that diagnosis and
        never rescaled.
    """

    low: float
    high: float
    low_inclusive: bool = True
    first_date: str = "1700-01-01"
    scale: Literal["percent", "none"] = "none"

    def describe(self) -> str:
        """``[-5, 30]`` or ``(0, 1e+07]``."""
        return f"{'[' if self.low_inclusive else '('}{self.low:g}, {self.high:g}]"


_POSITIVE = ValidRange(0.0, 1e7, low_inclusive=False)

VALID_RANGES: Mapping[str, ValidRange] = MappingProxyType(
    {
        "percent": ValidRange(-5.0, 30.0, first_date="1790-01-01", scale="percent"),
        "index": _POSITIVE,
        "index points": _POSITIVE,
        "USD per 100 par": ValidRange(0.0, 1000.0, low_inclusive=False, first_date="1900-01-01"),
        "USD bn": ValidRange(-1e7, 1e7),
        "USD mn": ValidRange(-1e10, 1e10),
        "thousands": ValidRange(0.0, 1e9),
        "indicator": ValidRange(0.0, 1.0),
        "ratio": ValidRange(-1e4, 1e4),
        "years": ValidRange(0.0, 100.0, low_inclusive=False, first_date="1961-06-14"),
    }
)
"""Default valid range of each ``units`` value; units ``"<A> per <B>"`` (FX) are > 0."""

DEFAULT_VALID_RANGE = ValidRange(-1e12, 1e12)
"""Range of units not in :data:`VALID_RANGES`: finite and not absurd (1e308 is refused)."""

# fmt: off
VALID_RANGE_OVERRIDES: tuple[tuple[str, ValidRange], ...] = (
    # id prefix, range (the longest matching prefix wins)
    ("us.gsw.", ValidRange(-5.0, 30.0, first_date="1961-06-14", scale="percent")),
    ("us.gsw.tips.", ValidRange(-5.0, 30.0, first_date="1999-01-04", scale="percent")),
    ("us.gsw.breakeven.", ValidRange(-5.0, 30.0, first_date="1999-01-04", scale="percent")),
    # NSS parameters are not yields: on flat days beta2 and beta3 offset each other in the
    # hundreds of thousands (GSW's own files reach +-340,684 in 2011); taus are in years
    ("us.gsw.beta", ValidRange(-1e7, 1e7, first_date="1961-06-14")),
    ("us.gsw.tips.beta", ValidRange(-1e7, 1e7, first_date="1999-01-04")),
    ("us.gsw.tau", ValidRange(0.0, 1000.0, low_inclusive=False, first_date="1961-06-14")),
    ("us.gsw.tips.tau", ValidRange(0.0, 1000.0, low_inclusive=False, first_date="1999-01-04")),
    ("ea.aaa.zero.", ValidRange(-5.0, 30.0, first_date="2004-09-06", scale="percent")),
    # the ECB's synthetic euro (a basket of legacy currencies) goes back to 1974
    ("fx.usd_per_eur", ValidRange(0.0, 1e7, low_inclusive=False, first_date="1971-01-01")),
    # a standardised index around zero (negative = looser than average)
    ("us.nfci", ValidRange(-50.0, 50.0, first_date="1971-01-01")),
    # volatility indices are quoted in percent points but reach 80+
    ("us.vix", ValidRange(0.0, 200.0, first_date="1986-01-01")),
    ("ea.vstoxx", ValidRange(0.0, 200.0, first_date="1986-01-01")),
    ("us.hy_oas", ValidRange(0.0, 50.0, first_date="1986-01-01", scale="percent")),
    # returns in percent, not yields: a simple return is above -100% (1987-10-19: -17.4%
    # daily; 1933 annual: +57%), and a whole column of them is no sign of basis points
    ("us.ff.", ValidRange(-100.0, 1000.0, low_inclusive=False, first_date="1926-07-01")),
    # announcement-window changes: rates in pp, stock prices and FX in percent
    ("us.fomc.gss.", ValidRange(-100.0, 100.0, first_date="1984-01-01")),
    ("us.fomc.jk.", ValidRange(-100.0, 100.0, first_date="1990-01-01")),
)
"""Family ranges that differ from their units' default, by series-id prefix."""
# fmt: on

#: Days a date may lie after today, by frequency (publication and time-zone slack).
RELEASE_LEAD_DAYS: Mapping[str, int] = MappingProxyType(
    {"daily": 3, "weekly": 7, "monthly": 31, "quarterly": 92, "annual": 366, "irregular": 31}
)


def valid_range(spec: SeriesSpec) -> ValidRange:
    """The valid range of a series: its family's override, else its units' default.

    New families get a range without code: through their units (``percent``, ``index``,
    ``X per Y``), or an entry in :data:`VALID_RANGE_OVERRIDES`.
    """
    matches = [(len(p), r) for p, r in VALID_RANGE_OVERRIDES if spec.id.startswith(p)]
    if matches:
        return max(matches, key=lambda match: match[0])[1]
    if spec.units in VALID_RANGES:
        return VALID_RANGES[spec.units]
    if " per " in spec.units:
        return _POSITIVE
    return DEFAULT_VALID_RANGE
