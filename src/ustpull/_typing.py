"""Shared types: arrays, frequencies, maturities and the models' option ``Literal`` strings.

Every keyword-only string option of a model is one ``Literal`` here; the model's signature
and the CLI option use the same object, so the CLI's choices (``typing.get_args`` of the
``Literal``, which typer derives from the annotation) cannot drift from what the model
accepts (tested in ``tests/cli/test_choices.py``).

This module sits below every layer (it imports nothing from ``ustpull``) and does not
import NumPy until ``FloatArray`` is asked for, so the CLI can use the ``Literal``s and
still start fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, TypeAlias

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    #: A NumPy array of float64 (yields in percent, times in years, ... as documented).
    FloatArray: TypeAlias = npt.NDArray[np.float64]
else:

    def __getattr__(name: str) -> Any:
        if name == "FloatArray":  # built on first use: NumPy stays out of ``ustpull --help``
            import numpy as np
            import numpy.typing as npt

            globals()["FloatArray"] = npt.NDArray[np.float64]
            return globals()["FloatArray"]
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# ---------------------------------------------------------------- frequencies
#: How often a stored series is observed (catalog and series metadata).
Frequency = Literal["daily", "weekly", "monthly", "quarterly", "annual", "irregular"]
#: Sampling of changes for a co-movement analysis (the dollar).
SamplingFrequency = Literal["daily", "weekly", "monthly"]
#: Daily or month-end observations (stock-bond correlation, term-premium output dates).
DailyMonthly = Literal["daily", "monthly"]
#: Daily or weekly changes (yield connectedness).
DailyWeekly = Literal["daily", "weekly"]
#: Synchronous changes across time zones: Wednesday-to-Wednesday or two-day.
SynchronousFrequency = Literal["weekly", "two_day"]

# ---------------------------------------------------------------- maturities
#: Time to maturity in years (0.25 = three months).
MaturityYears: TypeAlias = float
#: Time to maturity in months.
MaturityMonths: TypeAlias = float
#: A tenor token of the series vocabulary: months below a year (``"3m"``), else years (``"10y"``).
Tenor: TypeAlias = str

# ---------------------------------------------------------------- general
#: What to do when an input is missing: stop with an error naming it, or leave it out.
OnMissing = Literal["raise", "skip"]
#: Dates kept when series are put side by side: the common ones or every one.
JoinHow = Literal["inner", "outer"]

# ---------------------------------------------------------------- curves
#: Nelson-Siegel-Svensson (six parameters) or Nelson-Siegel (four).
CurveModel = Literal["nss", "ns"]
#: What a curve's quotes are: zero-coupon yields or par yields.
Basis = Literal["zero", "par"]
#: Interpolation of a zero curve between knots.
Interpolation = Literal["log_linear_discount", "linear_zero", "monotone_convex", "log_cubic"]
#: Compounding of a yield.
Compounding = Literal["continuous", "annual", "semiannual"]
#: Interest over a (final or fractional) coupon period: simple or compound.
PeriodYield = Literal["simple", "compound"]
#: What the bootstrap does with two securities of the same maturity.
DuplicateRule = Literal["prefer_recent_issue", "raise"]
#: Quotes off a fitted curve: excluded by the outlier rule, or kept (every quote fitted).
Outliers = Literal["exclude", "keep"]
#: A yield source that NSS curves are fitted to (``ustpull.curves.nss_sources.NSS_SOURCES``).
YieldSourceName = Literal["gsw", "cmt", "treasury-par", "ecb-aaa", "bund", "jgb"]

# ---------------------------------------------------------------- term premia
#: VAR small-sample bias correction.
BiasCorrection = Literal["none", "pope", "kilian"]
#: Data-generating process of the term-premium bootstrap (``termpremium/bands.py``).
BootstrapDGP = Literal["bias_corrected", "estimated"]
#: How a short-rate quote is converted to a continuously compounded rate.
QuoteType = Literal[
    "discount", "bond_equivalent", "simple_360", "simple_365", "semiannual", "holding_return"
]
#: Compounding of a short rate taken from a par curve.
ShortRateConversion = Literal["semiannual", "simple"]
#: How a country's short rate is anchored.
Anchor = Literal["direct", "curve_slope"]
#: How a country's zero curve is built from its published data.
CurveRecipe = Literal[
    "gsw_parameters", "nss_zero", "nss_par", "par_bootstrap", "zero_interpolation"
]
#: Short end of a country curve: from the curve or flat from the shortest quote.
ShortEnd = Literal["curve", "flat"]

# ---------------------------------------------------------------- cross-asset
#: Stock-bond correlation: the zero or par curve.
CorrelationCurve = Literal["zero", "par"]
#: Stock-bond correlation: the bond return measure.
ReturnMeasure = Literal["exact", "duration", "yield_change"]
#: Inflation proxy of the dividend-discount split.
InflationProxy = Literal["trailing_12m", "trailing_36m"]
#: The dollar index.
DollarIndexChoice = Literal["dxy", "broad", "spliced"]
#: How non-recession months split into slowdown and expansion.
GrowthRule = Literal["gdp_trend", "indpro_trend", "unemployment_change"]
#: Fiscal stance measure.
FiscalMeasure = Literal["impulse", "balance_gap"]
#: Inference on the dollar smile's shape.
ShapeInference = Literal["episode", "hac"]
#: Resampling scheme of a block bootstrap.
BlockBootstrap = Literal["stationary", "moving"]
#: Block-bootstrap scheme of an interval, or HAC.
IntervalMethod = Literal["stationary", "moving", "hac"]
#: Non-event days of the identification-through-heteroskedasticity estimator.
NonEventDays = Literal["all", "preceding"]
#: Bootstrap interval from replicates: basic (Hall) or percentile.
BootstrapInterval = Literal["basic", "percentile"]
#: Change of a level series: difference or log difference.
ChangeTransform = Literal["difference", "log"]
#: Units of an announcement-day change.
ChangeUnits = Literal["bp", "log_pct"]
#: Units of an event-window change.
ChangeKind = Literal["bp", "percent"]
#: Information criterion of the structural-break search.
BreakCriterion = Literal["lwz", "bic"]
#: Connectedness model: (rolling) VAR or TVP-VAR.
ModelKind = Literal["var", "tvp-var"]
#: Draws of connectedness intervals.
BootstrapKind = Literal["parametric", "residual"]
#: Prior of the TVP-VAR.
PriorKind = Literal["bayes", "minnesota", "flat"]
#: Covariance of a maximum-likelihood fit: QML sandwich or inverse Hessian.
CovarianceType = Literal["robust", "hessian"]
