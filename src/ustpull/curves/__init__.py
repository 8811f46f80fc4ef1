"""ustpull.curves layer: bonds, conventions, the exact bootstrap, zero curves and NSS fits.

The names below are imported on first use (PEP 562), so importing one submodule
does not load the whole layer.

"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ustpull._lazy import lazy_names

if TYPE_CHECKING:
    from ustpull.curves.bonds import bond_table, bond_table_from_fedinvest, cashflow_matrix
    from ustpull.curves.bootstrap import (
        BatchBootstrapResults,
        Bootstrap,
        BootstrapResults,
        bootstrap_batch,
    )
    from ustpull.curves.calendar import add_business_days, is_business_day, settlement_date
    from ustpull.curves.conventions import MARKETS, MarketConvention, market_convention
    from ustpull.curves.gsw import gsw_parameter_history
    from ustpull.curves.nss import CurveFitResults, NelsonSiegelSvensson
    from ustpull.curves.nss_fit import fit_nss_panel, fit_nss_yields
    from ustpull.curves.nss_prices import NSSPriceFit, PriceFitResults
    from ustpull.curves.nss_sources import fit_nss_source, yield_source
    from ustpull.curves.zero_curve import (
        ZeroCurve,
        interpolate_log_discount,
        par_to_zero,
        zero_to_par,
    )

#: Public name -> defining module.
_PUBLIC: dict[str, str] = {
    "NelsonSiegelSvensson": "ustpull.curves.nss",
    "CurveFitResults": "ustpull.curves.nss",
    "fit_nss_yields": "ustpull.curves.nss_fit",
    "fit_nss_panel": "ustpull.curves.nss_fit",
    "NSSPriceFit": "ustpull.curves.nss_prices",
    "PriceFitResults": "ustpull.curves.nss_prices",
    "fit_nss_source": "ustpull.curves.nss_sources",
    "yield_source": "ustpull.curves.nss_sources",
    "Bootstrap": "ustpull.curves.bootstrap",
    "BootstrapResults": "ustpull.curves.bootstrap",
    "BatchBootstrapResults": "ustpull.curves.bootstrap",
    "bootstrap_batch": "ustpull.curves.bootstrap",
    "ZeroCurve": "ustpull.curves.zero_curve",
    "par_to_zero": "ustpull.curves.zero_curve",
    "zero_to_par": "ustpull.curves.zero_curve",
    "interpolate_log_discount": "ustpull.curves.zero_curve",
    "bond_table": "ustpull.curves.bonds",
    "bond_table_from_fedinvest": "ustpull.curves.bonds",
    "cashflow_matrix": "ustpull.curves.bonds",
    "settlement_date": "ustpull.curves.calendar",
    "is_business_day": "ustpull.curves.calendar",
    "add_business_days": "ustpull.curves.calendar",
    "MARKETS": "ustpull.curves.conventions",
    "MarketConvention": "ustpull.curves.conventions",
    "market_convention": "ustpull.curves.conventions",
    "gsw_parameter_history": "ustpull.curves.gsw",
}

__all__ = [
    "MARKETS",
    "BatchBootstrapResults",
    "Bootstrap",
    "BootstrapResults",
    "CurveFitResults",
    "MarketConvention",
    "NSSPriceFit",
    "NelsonSiegelSvensson",
    "PriceFitResults",
    "ZeroCurve",
    "add_business_days",
    "bond_table",
    "bond_table_from_fedinvest",
    "bootstrap_batch",
    "cashflow_matrix",
    "fit_nss_panel",
    "fit_nss_source",
    "fit_nss_yields",
    "gsw_parameter_history",
    "interpolate_log_discount",
    "is_business_day",
    "market_convention",
    "par_to_zero",
    "settlement_date",
    "yield_source",
    "zero_to_par",
]

__getattr__, __dir__ = lazy_names(__name__, _PUBLIC, globals())
