"""Connectedness of markets: Diebold-Yilmaz, TVP-VAR and frequency connectedness.

One concern per module:

* :mod:`.var_ols` -- OLS VAR(p) on one or many windows at once;
* :mod:`.tvp_var` -- TVP-VAR by Kalman filter with forgetting factors and its priors;
* :mod:`.fevd` -- MA coefficients and the generalized FEVD in time and frequency;
* :mod:`.measures` -- TO, FROM, NET, NPDC, TCI, corrected TCI, group decomposition;
* :mod:`.diebold_yilmaz` -- the yield-change Diebold-Yilmaz model used by the foreign-bonds study;
* :mod:`.model` -- the general model (static, rolling or TVP-VAR; time or frequency) and results;
* :mod:`.inference` -- intervals and the test of a change in total connectedness.
"""

from ustpull.crossasset.connectedness.diebold_yilmaz import (
    WINDOW_CHUNK,
    ChangeFrequency,
    Connectedness,
    ConnectednessResults,
    RollingConnectednessResults,
    yield_changes,
)
from ustpull.crossasset.connectedness.fevd import (
    frequency_fevd,
    generalized_fevd,
    var_ma_coefficients,
)
from ustpull.crossasset.connectedness.inference import ChangeTest, tci_change_test
from ustpull.crossasset.connectedness.measures import (
    GroupMeasures,
    SpilloverMeasures,
    group_measures,
    spillover_measures,
)
from ustpull.crossasset.connectedness.model import ConnectednessModel
from ustpull.crossasset.connectedness.period_change import PeriodChange, period_tci_change
from ustpull.crossasset.connectedness.results import ConnectednessModelResults, GroupConnectedness
from ustpull.crossasset.connectedness.tvp_var import (
    TvpPrior,
    bayes_prior,
    flat_prior,
    minnesota_prior,
    tvp_var_filter,
)
from ustpull.crossasset.connectedness.var_ols import VarWindows, rolling_var_ols

__all__ = [
    "WINDOW_CHUNK",
    "ChangeFrequency",
    "ChangeTest",
    "Connectedness",
    "ConnectednessModel",
    "ConnectednessModelResults",
    "ConnectednessResults",
    "GroupConnectedness",
    "GroupMeasures",
    "PeriodChange",
    "RollingConnectednessResults",
    "SpilloverMeasures",
    "TvpPrior",
    "VarWindows",
    "bayes_prior",
    "flat_prior",
    "frequency_fevd",
    "generalized_fevd",
    "group_measures",
    "minnesota_prior",
    "period_tci_change",
    "rolling_var_ols",
    "spillover_measures",
    "tci_change_test",
    "tvp_var_filter",
    "var_ma_coefficients",
    "yield_changes",
]
