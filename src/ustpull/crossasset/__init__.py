"""ustpull.crossasset layer: the models of how Treasuries pull stocks, the dollar and foreign bonds.

The names below are imported on first use (PEP 562), so importing one submodule
does not load the whole layer.
The study runners (which series, which settings) belong in ``ustpull.studies``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ustpull._lazy import lazy_names

if TYPE_CHECKING:
    from ustpull.crossasset.announcements import (
        EventDayScores,
        EventDayScoresResults,
        SurpriseResponse,
        SurpriseResponseResults,
    )
    from ustpull.crossasset.breaks import BaiPerron, BaiPerronResults
    from ustpull.crossasset.connectedness import (
        Connectedness,
        ConnectednessModel,
        ConnectednessModelResults,
        ConnectednessResults,
    )
    from ustpull.crossasset.dcc import DCCGarch, DCCGarchResults
    from ustpull.crossasset.ddm import DividendDiscount, DividendDiscountResults
    from ustpull.crossasset.dollar import (
        DollarSmile,
        DollarSmileResults,
        DollarYieldComovement,
        DollarYieldResults,
        FiscalFrown,
        FiscalFrownResults,
        RelativePriceResults,
        RelativePrices,
        dollar_index,
    )
    from ustpull.crossasset.events import (
        Episode,
        EventStudy,
        EventStudyResults,
        get_episode,
        load_episodes,
    )
    from ustpull.crossasset.identification import RigobonSack, RigobonSackResults
    from ustpull.crossasset.inflation_threshold import InflationThreshold, InflationThresholdResults
    from ustpull.crossasset.intervals import (
        CorrelationDifferenceInterval,
        CorrelationInterval,
        CorrelationIntervalResults,
    )
    from ustpull.crossasset.portfolio import PortfolioResults, SixtyForty
    from ustpull.crossasset.regimes import RegimeSwitchingCorrelation, RegimeSwitchingResults
    from ustpull.crossasset.smile import ShapeTest, ShapeTestResults
    from ustpull.crossasset.stocks_correlation import (
        StockBondCorrelation,
        StockBondCorrelationResults,
        TermPremiumEquityResponse,
        TermPremiumEquityResults,
    )
    from ustpull.crossasset.synchronous import synchronous_changes

#: Public name -> defining module.
_PUBLIC: dict[str, str] = {
    "ConnectednessModel": "ustpull.crossasset.connectedness",
    "ConnectednessModelResults": "ustpull.crossasset.connectedness",
    "Connectedness": "ustpull.crossasset.connectedness",
    "ConnectednessResults": "ustpull.crossasset.connectedness",
    "DividendDiscount": "ustpull.crossasset.ddm",
    "DividendDiscountResults": "ustpull.crossasset.ddm",
    "SixtyForty": "ustpull.crossasset.portfolio",
    "PortfolioResults": "ustpull.crossasset.portfolio",
    "StockBondCorrelation": "ustpull.crossasset.stocks_correlation",
    "StockBondCorrelationResults": "ustpull.crossasset.stocks_correlation",
    "TermPremiumEquityResponse": "ustpull.crossasset.stocks_correlation",
    "TermPremiumEquityResults": "ustpull.crossasset.stocks_correlation",
    "RegimeSwitchingCorrelation": "ustpull.crossasset.regimes",
    "RegimeSwitchingResults": "ustpull.crossasset.regimes",
    "DCCGarch": "ustpull.crossasset.dcc",
    "DCCGarchResults": "ustpull.crossasset.dcc",
    "BaiPerron": "ustpull.crossasset.breaks",
    "BaiPerronResults": "ustpull.crossasset.breaks",
    "InflationThreshold": "ustpull.crossasset.inflation_threshold",
    "InflationThresholdResults": "ustpull.crossasset.inflation_threshold",
    "CorrelationInterval": "ustpull.crossasset.intervals",
    "CorrelationIntervalResults": "ustpull.crossasset.intervals",
    "CorrelationDifferenceInterval": "ustpull.crossasset.intervals",
    "RigobonSack": "ustpull.crossasset.identification",
    "RigobonSackResults": "ustpull.crossasset.identification",
    "DollarYieldComovement": "ustpull.crossasset.dollar",
    "DollarYieldResults": "ustpull.crossasset.dollar",
    "RelativePrices": "ustpull.crossasset.dollar",
    "RelativePriceResults": "ustpull.crossasset.dollar",
    "DollarSmile": "ustpull.crossasset.dollar",
    "DollarSmileResults": "ustpull.crossasset.dollar",
    "FiscalFrown": "ustpull.crossasset.dollar",
    "FiscalFrownResults": "ustpull.crossasset.dollar",
    "dollar_index": "ustpull.crossasset.dollar",
    "ShapeTest": "ustpull.crossasset.smile",
    "ShapeTestResults": "ustpull.crossasset.smile",
    "EventStudy": "ustpull.crossasset.events",
    "EventStudyResults": "ustpull.crossasset.events",
    "Episode": "ustpull.crossasset.events",
    "get_episode": "ustpull.crossasset.events",
    "load_episodes": "ustpull.crossasset.events",
    "EventDayScores": "ustpull.crossasset.announcements",
    "EventDayScoresResults": "ustpull.crossasset.announcements",
    "SurpriseResponse": "ustpull.crossasset.announcements",
    "SurpriseResponseResults": "ustpull.crossasset.announcements",
    "synchronous_changes": "ustpull.crossasset.synchronous",
}

__all__ = [
    "BaiPerron",
    "BaiPerronResults",
    "Connectedness",
    "ConnectednessModel",
    "ConnectednessModelResults",
    "ConnectednessResults",
    "CorrelationDifferenceInterval",
    "CorrelationInterval",
    "CorrelationIntervalResults",
    "DCCGarch",
    "DCCGarchResults",
    "DividendDiscount",
    "DividendDiscountResults",
    "DollarSmile",
    "DollarSmileResults",
    "DollarYieldComovement",
    "DollarYieldResults",
    "Episode",
    "EventDayScores",
    "EventDayScoresResults",
    "EventStudy",
    "EventStudyResults",
    "FiscalFrown",
    "FiscalFrownResults",
    "InflationThreshold",
    "InflationThresholdResults",
    "PortfolioResults",
    "RegimeSwitchingCorrelation",
    "RegimeSwitchingResults",
    "RelativePriceResults",
    "RelativePrices",
    "RigobonSack",
    "RigobonSackResults",
    "ShapeTest",
    "ShapeTestResults",
    "SixtyForty",
    "StockBondCorrelation",
    "StockBondCorrelationResults",
    "SurpriseResponse",
    "SurpriseResponseResults",
    "TermPremiumEquityResponse",
    "TermPremiumEquityResults",
    "dollar_index",
    "get_episode",
    "load_episodes",
    "synchronous_changes",
]

__getattr__, __dir__ = lazy_names(__name__, _PUBLIC, globals())
