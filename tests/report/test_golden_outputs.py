"""findings.json and each analysis command's JSON equal their golden copies, to the last digit.

The golden files (tests/report/golden, recipe in tests/report/_golden.py) were written by the
code before the studies layer (issue 15); a refactor that changes any number fails here with
the path of the first value that differs. Ignored: findings.json's ``generated`` (the date the
report was made) and the output path in ``curves-nss.json`` -- see ``VOLATILE_FIELDS``; nothing
else. ``termpremium.json``, ``curves-nss.json`` and ``connectedness.json`` were added with the
issue-15 follow-up (written by trial 27c7713's code, before that work's refactors of curves,
termpremium and connectedness), so they show those refactors changed no number.

One deliberate change, made with the studies layer and recorded here: the report's
term-premium splits now come from the same per-country work units as ``ustpull foreign-bonds``
(:func:`ustpull.studies.term_premia.term_premium_decompositions`, aligned copies so that any
executor gives the same bits). Three findings moved in the last bits and now equal the CLI's
values exactly (:func:`test_report_and_cli_agree_on_the_linkage`):
``foreign.ea_tp_change_corr`` 0.6137629783078707 -> ...702 (5.6e-16),
``foreign.ea_expected_change_corr`` 0.38921554488961974 -> ...946 (2.8e-16),
``foreign.ea_linkage_pvalue`` 0.0002273219613391142 -> 0.00022732196133910235 (1.2e-17).

Two later deliberate changes, each checked to be the only difference when the files were
rewritten:

- issue 14's outlier rule (``curves/nss_outliers.py``, on by default) leaves out off-curve
  1980s JGB quotes, so Japan's fitted curve and ACM split move: in ``foreign-bonds.json`` the
  Japan row of the linkage table (``term_premium_change`` 0.45094 -> 0.45137, its intervals
  and tests); nothing else in any file;
- issue 16: every finding gains ``data_through``, ``ci``, ``ci_method`` and (without an
  interval) ``ci_note``; every other field of every finding is unchanged.

Issue 16, points 2-4 in the stocks study (branch issue-stocks16), checked to be the only
difference in the five files (foreign-bonds, dollar and events unchanged):

- ``findings.json``: no existing stocks value moved. Intervals added: ``stocks.corr_latest``
  ci [-0.2511, 0.0615] (HAC), ``stocks.sharpe_6040_3y`` [-0.5516, 1.7279] and
  ``stocks.sharpe_stocks_3y`` [-0.2503, 2.0508] (Lo 2002); every other existing stocks finding
  gets a specific ``ci_note`` (descriptive rolling means, the superseded p-value, identity parts
  and residuals); ``stocks.erp_latest``'s definition adds "(TIPS)". 23 findings added:
  ``stocks.corr_<era>`` (4), ``corr_2000_2019``, ``corr_diff_recent_vs_2000_2019`` (+0.3008
  [0.151, 0.475], stationary bootstrap), ``corr_monthly_2020_latest``, ``dcc_latest``,
  ``regime_corr_low/high``, ``regime_duration_low/high``, ``inflation_corr_diff_{2,2_5,3,3_5,4}``,
  ``growth_latest``, ``erp_growth_latest``, ``selloff_2022_smoothed_{earnings,real_rate,growth,
  risk_premium}``. The two summary sentences are rewritten (significance from the interval; the
  risk-premium part named as the identity's residual instead of "dominated").
- ``stocks.json``: the dividend-discount real yield is the one consistent series (TIPS from
  2003, before it the ex-ante proxy lagged one month and matched in level at the splice), so the
  ``yields`` digest (1854 -> 1853 months: the lag drops the first), ``calendar_years`` digest and
  the dot-com row of ``price_decompositions`` (real_rate 0.01796 -> 0.02943, risk_premium
  0.01431 -> 0.00283, real_yield_start/end and equity_risk_premium_start/end) change; the other
  four episodes (inside the TIPS era) are unchanged; ``stock_bond_regimes`` and
  ``smoothed_valuation`` are added.
  interval) ``ci_note``; every other field of every finding is unchanged;
- issue 16, points 1, 2, 5, 6 in the foreign-bond, dollar, connectedness and event sections
  (branch issue-global16), checked with a script against the previous files:
  ``foreign.corr_avg_since_1990`` (0.618) and ``foreign.corr_avg_recent`` (0.673) retired for
  ``comovement.headline_average.{since_1990, 1990_1999, 2000_2007, 2008_2019, 2020_latest,
  change}`` and ``comovement.<market>.<era>`` (month-end yields, DE+JP+UK headline, bootstrap
  ``ci``); ``dollar.smile_{recession,slowdown,expansion}`` and ``dollar.frown_{tight,neutral,
  loose}`` retired for the ShapeTest contrasts ``dollar.smile_*``, ``dollar.smile_risk_*``,
  ``dollar.frown_*`` (with ``ci``) and ``fiscal.*`` (``ci_note``); new ``events.day_*``,
  ``events.response_us10y_per_bp_{gss,jk}``, ``events.{identified,ols}_{de,jp}_per_us``;
  ``foreign.spillover_total`` 37.673 -> 50.692 (weekly instead of daily changes; label and
  definition say so); ``connectedness.*`` (but ``us_net_last``) and ``dollar.corr_yield``
  gain 95% ``ci``/``ci_method`` (values unchanged); every other finding of these sections gains
  a specific ``ci_note`` (values unchanged); the events findings' ``sources`` list the three
  FOMC series; the summary, settings and provenance follow. ``foreign-bonds.json`` gains
  ``comovement_us`` and ``dollar.json`` ``shape_tests``; nothing else in them changes;
  ``events.json`` and ``stocks.json`` are unchanged.
- issue 16 point 7 (real time): a weekly sample's last, still-open week is dated by its last
  observation, not the coming Friday (``crossasset/dollar.py`` ``_sample``). In
  ``dollar.json`` only ``relative_prices/table[0]/end`` and ``table[1]/end`` (the two EUR
  pairs; EUR/USD ends Tuesday 2020-03-10) move from 2020-03-13 to 2020-03-10; every number,
  and every other file, is unchanged.
- issue 19 (dashboard branch), additions only in ``findings.json``, checked by script
  against the previous file: 114 ``pull.*`` findings (the Treasury-pull dashboard: asset x
  component x window, each with ``ci``, ``ci_method``, ``data_through``); the summary's new
  first sentence (the pull headline), every earlier sentence unchanged and in order; top-level
  ``data_through_range`` and ``sections_data_through`` (the header's dates); in
  ``data_through`` the key ``Treasury pull``; in ``provenance`` 7 rows of the analysis
  ``Treasury pull`` (the other 206 rows hash to the previous digest). Nothing else changed.

Integration of issues 16 and 19 (session 3): the golden files were rewritten once more after
merging every branch, and checked by script: no finding's value moved except
``foreign.spillover_total`` (37.67 on daily changes -> 50.69 on weekly, synchronous changes; its
label now says "connectedness"); retired: ``foreign.corr_avg_*`` and ``dollar.smile_*``/
``dollar.frown_*`` (replaced by ``comovement.*`` and the shape tests); 92 findings added
(``pull.*``, ``comovement.*``, ``fiscal.*``, stock-bond regimes, intervals); every other change is
in ``ci``/``ci_method``/``ci_note``/``sources``, the summary sentences and the page's dates; in
``foreign-bonds.json`` the cross-market correlations run on weekly changes (window 50 weeks).

Issue 16 (last intervals) and 19.4 (era names), branch issue-referee16, checked by script
against the previous files (connectedness, curves-nss, dollar, events, foreign-bonds and
termpremium unchanged; the summary, settings, provenance and dates of findings.json unchanged):

- ``termpremium.us_10y_latest`` 0.636 gains ``ci`` [-1.355, 2.124],
  ``termpremium.us_10y_prepandemic`` -0.961 [-3.447, 0.455], ``termpremium.us_5y5y_latest``
  1.072 [-1.499, 3.218] and ``termpremium.us_10y_min`` -1.368 [-4.211, 0.064] (the premium on
  2020-07-31, the month of the minimum, said in its ``ci_note``, now kept beside an interval),
  each with ``ci_method`` (the ACM residual block bootstrap of the chart's band, 500
  replications, the same draws; values unchanged);
- the first stock-bond era is named after its data: ``stocks.corr_mean_1962_1999`` ->
  ``stocks.corr_mean_1972_1999`` (value 0.3228 unchanged: the rolling correlation starts
  1972-08-16) and ``stocks.corr_1962_1999`` 0.2822 [0.2348, 0.3281] -> ``stocks.corr_1972_1999``
  0.2831 [0.2353, 0.3295] (returns from 1972-01-03 instead of 1971-08-17: the era holds whole
  years); the labels of ``stocks.corr_mean_<era>`` drop "(data ...)" where it repeats the name;
  in ``stocks.json`` the first era of ``correlation_daily``, ``correlation_monthly`` and
  ``stock_bond_regimes/era_correlations`` is "1972-1999" (return correlations 0.2870 -> 0.2879,
  7058 -> 6965 daily and 340 -> 336 monthly pairs);
- ``stocks.regime_{corr,duration}_{low,high}``: the weekly sample's last week is dated by its
  last trading day (2025-06-30), not the coming Friday (2025-07-04): ``window``, ``as_of`` and
  ``data_through`` only.

Issue 19 polish (branch issue-polish19): ``findings.json``'s ``provenance`` names each file
relative to the data folder (``gsw/feds200628_all_columns_2022_2025.csv``, no longer
``<data-dir>/gsw/...``: the report holds no local path or placeholder); checked by script that
prefixing ``<data-dir>/`` to every origin gives the previous digest. Nothing else changed.

Issue 14, curve fits (branch issue-curves14), checked by script against the previous files
(events, termpremium and connectedness unchanged): (1) NSS is tried on NS days that miss the
tolerance with at least eight quotes (``curves/nss_quality.py``); Australia's term premium fits
NS/NSS to the RBA zero curve (3 months to 10 years, so NS by the long-bond rule), and 61 of its
5,276 days now take NSS (poor-fit 30 -> 1, max error 25.1 -> 20.0 bp), so Australia's row of
the ``foreign-bonds.json`` linkage table moves (``term_premium_change`` 0.45137 -> 0.45463, its
intervals and tests, the ``au`` rolling digests; Japan's term premium bootstraps its par curve
and does not move beyond the last digits); (2) the optimiser's
loading terms (one ``exp``) and its Gram systems (a batched Cholesky solve instead of
``numpy.linalg.inv``) move every fitted curve in the last digits (``curves-nss.json``: the CSV
digests and p50 4.846064877953138 -> ...3493), and with them the other countries' rolling
digests in ``foreign-bonds.json``, the rolling digest of ``stocks.json``, ``dollar.json`` at most
1e-6 relative and 16 ``pull.*`` findings at most 1.3e-5 relative (their values and intervals:
e.g. ``pull.dollar.term_premium.full`` 0.0021508961 -> 0.0021508692); nothing else.

Issue 16, the term-premium intervals (branch issue-acmci16): the ACM bootstrap now runs from
the Pope-corrected model and corrects every replication (Kilian 1998 bootstrap-after-
bootstrap; measured 95% coverage 93-95% instead of 82-84%, benchmarks/
bench_termpremium_coverage.py). Checked by script against the previous files: only the ``ci``
and ``ci_method`` of the four term-premium findings changed (values unchanged):
``us_10y_latest`` [-1.355, 2.124] -> [-1.107, 2.767], ``us_10y_prepandemic`` [-3.447, 0.455]
-> [-2.910, 1.404], ``us_5y5y_latest`` [-1.499, 3.218] -> [-1.245, 4.214], ``us_10y_min``
[-4.211, 0.064] -> [-3.598, 1.339]; in ``termpremium.json`` only the digests of the 20 band
columns (``term_premium_{1..10}y_{lower,upper}``); every other file is unchanged.

Integration of session 4's branches (trial), regenerated and checked by script against the
merged files: only the four term-premium intervals move in the last digits (at most 4.5e-11
relative; the Kilian bootstrap now runs on the code with issue 14's optimiser numerics) and
the digest of ``term_premium_6y_upper`` in ``termpremium.json``; two regenerations are identical.
Then weekly samples date a week still open at the last observation by that observation
(``charts.weekly``): in ``foreign-bonds.json`` the daily co-movement's rolling dates digest and
its table's last ``end`` (2026-08-21, a Friday after the data, -> 2026-08-20); nothing else.

Issue 14, shape test on the quotes' span (branch issue-span14), checked by script against the
previous file: ``curves-nss.json`` gains the CSV columns ``span_from_years``,
``span_to_years``, ``curve_from_years``, ``curve_to_years`` (CMT since 2015: 1 month to 30
years on every day) and the summary key ``days_extrapolation_masked`` (0); every existing
value is unchanged, and no other file changes (the curves the term premia fit span from 1
year or 3 months, where the test already started).

Issue 16 review: in ``dollar.json`` the point-mean orderings of the NBER smile and the
headline-balance frown are renamed ``smile_holds`` -> ``smile/means_ordered`` (True) and
``frown_holds`` -> ``frown/means_ordered`` (False): descriptive, not verdicts (the verdicts are
``shape_tests``); values unchanged, nothing else changed.

Issue 16 review: ``findings.json``'s summary sentence on the euro-area linkage names the
OLS-VAR split and adds the bias-corrected test of the difference ("+0.05, not significant
(bootstrap p 0.64)"); no value changed.

Issue 16, review items 1, 4, 5 (branch issue-content16), checked by script
(/work/notes/bin/gdiff.py) against the previous files; no existing value moved:

- ``foreign-bonds.json``: the retired cross-country averages are gone --
  ``comovement_monthly/average`` (0.618 full sample / 0.673 recent: eight OECD monthly averages
  with the euro-area aggregate beside Germany and France), ``comovement_monthly/rolling/
  average``, ``comovement_daily/average`` and ``comovement_daily/rolling/average`` (the headline
  is ``comovement_us``: DE, JP, UK month-end, unchanged); ``connectedness`` gains ``total_ci``
  [48.620, 53.011] and ``total_ci_method`` (residual bootstrap of the VAR, 999 draws);
  ``comovement_monthly`` and ``comovement_daily`` gain a ``basis`` label ("OECD monthly
  averages (fallback basis: ...)"; "weekly changes of daily yields");
- ``dollar.json``: ``smile`` and ``frown`` (the NBER/final-GDP and headline-balance state
  tables) are no longer built by default (``--ex-post-tables`` builds them under
  ``ex_post_tables``, labelled descriptive/ex post); nothing else;
- ``findings.json``: ``foreign.spillover_total`` gains ``ci`` [48.620, 53.011] with its
  ``ci_method`` (was a ``ci_note``) and its definition says "generalized FEVD, not an
  identified spillover"; eight findings added, ``events.var_ratio_{fomc,boe}_{us10y,de10y}_
  {1,2}d`` (FOMC 1990-2021 and BoE MPC days 1997-2024 against common non-event days, e.g.
  Bund one-day on FOMC days 0.98 [0.76, 1.22], on MPC days 1.38 [1.08, 1.71]) and one summary
  sentence; the events findings' ``sources`` and ``provenance`` add the BoE date list; the
  settings "growth-state rule" and "fiscal stance" say the ex-post tables are not built;
- ``events.json``, ``stocks.json``, ``termpremium.json``, ``curves-nss.json``,
  ``connectedness.json``: unchanged.

Issue 16, coverage of the interval methods (branch issue-cov16a), checked by script
(``gdiff.py``) against the previous files: only ``findings.json`` changes, and in it only the
intervals of the six event findings, their ``ci_method`` and the summary sentence that quotes
them. ``events.response_us10y_per_bp_{gss,jk}``: HC3 errors with Bell-McCaffrey t instead of
HC1 with normal critical values (HC1 covered 85-93% by simulation): gss [-0.058, 0.295] ->
[-0.086, 0.323], jk [0.047, 0.467] -> [-0.0003, 0.514]; their values move in the last bit
(8e-16 relative: closed-form slope instead of statsmodels). ``events.identified_{de,jp}_per_us``:
circular block bootstrap of the overlapping two-day windows, basic interval (was: windows
resampled one by one as if independent, percentile): de [-0.150, 0.370] -> [-0.014, 0.829]
(blocks of 221 windows), jp [-0.108, 0.342] -> [-0.125, 0.321] (blocks of 26); summary
sentence 12 quotes the new de/jp intervals. ``events.json``, ``dollar.json`` and the other
files are unchanged.
Then the smile/frown episode bootstrap's interval (it covered 97.5% in the main design and
98.9% with about four episodes per tail state: too wide): per-state bootstrap variances times
``G/(G-1)`` and Satterthwaite degrees of freedom instead of ``t(G_min - 1)`` times the
replicates' standard deviation. In ``findings.json`` the ``ci`` and ``ci_method`` (now naming
the degrees of freedom) of the nine ``dollar.smile_*``, ``dollar.smile_risk_*`` and
``dollar.frown_*`` contrasts and summary sentence 9 (growth curvature [-0.93, +0.41] ->
[-0.91, +0.39], risk-off [-1.26, +1.04] -> [-1.29, +1.06], fiscal [-0.56, +0.48] ->
[-0.53, +0.46]; every verdict still "no shape"); in ``dollar.json`` the same contrasts'
``ci_low``, ``ci_high``, ``std_err`` and ``dof``; nothing else in any file.

Issue 16 coverage by simulation (branch issue-cov16b), checked by script against the previous
files: no point estimate changes; only intervals, their ``ci_method`` and the words that
depend on them. (1) The nine TVP-connectedness time means (``connectedness.weekly_ctci``,
``us_net``, ``tci_short``, ``tci_persistent``, ``us_net_persistent``, ``uk_net_monthly``,
``ctci_term_premium``, ``ctci_expected_rate``) get the EWC interval with Student-t critical
values instead of Newey-West with 100 lags and 1.96 (which covered 68% in simulation), e.g.
weekly cTCI [74.4, 78.4] -> [67.9, 85.0]; ``connectedness.tci_change`` gets EWC standard errors
on Welch-Satterthwaite degrees of freedom: s.e. 0.94 -> 1.59, p 0.000 -> 0.124, interval
[1.50, 5.20] -> [-1.64, 8.34], and the summary sentence adds "(not significant at 5%)";
``foreign.spillover_total``'s ``ci_note`` named the EWC intervals (merged into main: the
residual-bootstrap ``ci`` of branch issue-content16 replaces that note).
(2) The four regime findings (``stocks.regime_corr_*``, ``regime_duration_*``) and
``stocks.json``'s regime table get QML sandwich intervals instead of the inverse Hessian, e.g.
low-correlation regime [-0.615, -0.486] -> [-0.627, -0.471]. (3) The two Sharpe ratios
(``stocks.sharpe_*_3y``) use the Student-t critical value on 35 df instead of 1.96 (intervals
3.6% wider). No other file changes.

Issue 14, the peers by max error (branch issue-peers14): par yields are fitted on
``sum r^2 (1 + 0.2 r^2 / c^2)`` instead of least squares (``curves/nss_optimiser.py``
``MAX_ERROR_WEIGHT``), NSS from 7 quotes with a long bond and the shape test's margin 10 % of
the highest quote where that exceeds 1 pp (``curves/nss_quality.py``). Checked by script
against the previous files: only ``curves-nss.json`` (CMT since 2015) changes: every fitted
column's digest, p50/p95/p99/max of the max error 4.846/12.235/18.452/19.867 ->
4.381/10.995/16.469/19.244 bp, ok 2,782 -> 2,784, ns-only 2 -> 0, excluded quotes 2 -> 0
(every quote now within 20 bp); the other seven files are unchanged (no study fits NSS to par
yields).

Merge of the five branches above into main (session 6): the regenerated files differ from
the previous main's only at the paths the branches changed, each with its branch's value
(checked path by path by script); the one path two branches changed,
``foreign.spillover_total``'s interval, takes issue-content16's residual bootstrap.

Issue 16, the euro-area linkage correlations get intervals: ``foreign.ea_tp_change_corr``
0.614 [0.530, 0.686] and ``foreign.ea_expected_change_corr`` 0.389 [0.192, 0.556] (95%
Newey-West HAC delta method on Fisher z, conditional on the ACM splits; was ``ci`` null with
a note); ``foreign-bonds.json``'s linkage table gains ``{term_premium,expected_rate,yield}_
change_{low,high}`` for every market. Checked by script: no other value changed.

Issue 16/19 review (session 6), checked by script: (1) ``stocks.json``'s
``inflation_regimes`` is the 3% row of the inflation-threshold table (CPI of the month before,
Newey-West HAC intervals; was same-month CPI with Bartlett effective sizes): low -0.165 ->
-0.155 [-0.205, -0.104], high +0.128 -> +0.114 [0.062, 0.166], ``test`` now the HAC
difference +0.269 [0.196, 0.342]; (2) ``pull.*`` eras named from their data where the data
start later (``pull.de_10y.*.1962-1999`` -> ``1988-1999``, ``pull.dollar.*.2000-2007`` ->
``2006-2007``, ``pull.ea_10y.*.2000-2007`` -> ``2004-2007``, values unchanged) and each
estimate's ``data_through``/``as_of``/``window`` end is the last quote of its inputs, not the
Friday label (``pull.ea_10y.*`` 2024-04-05 -> 2024-04-04, ``pull.in_10y.*`` 2020-03-13 ->
2020-03-12); (3) the top-level ``data_through`` is renamed ``inputs_through`` (the inputs'
end, not the results'), its ``Treasury pull`` no later than the term premia's (2026-08-21 ->
2025-10-03); ``data_through_range`` spans every chart too (2025-06-30 -> 2020-03-13, the
Indian pull chart); (4) the euro-area summary sentence quotes the bias-corrected
difference's block-bootstrap interval (+0.05 [-0.14, +0.41]) and words "not significant"
from it.

Review of issue 16 B2 (branch issue-polish19): five ``findings.json`` summary sentences gain
their findings' 95% intervals, with "not significantly different from zero" only where the
interval contains zero (Treasury pull: U.S. stocks and the dollar; the monthly stock-bond
correlation; the corrected TCI and the U.S. NET); the term-premium sentence states both levels
with their intervals and no longer presents the rise as established (the intervals overlap,
the change has none); the short-lived sentence says its bands are parts of the plain TCI
(57.3), not of the corrected TCI. gdiff: only ``/summary[0,1,3,6,7]`` changed; no finding and
no other file.

Issue 16, coverage of the TCI change (branch issue-tci16): ``connectedness.tci_change`` is now
the TCI of a constant VAR(1) (generalized FEVD, horizon 10) fitted to each period's weekly
changes, 2022-2024 less 2010-2019, with a moving-block bootstrap percentile interval
(``crossasset/connectedness/period_change.py``; 96.2% coverage by simulation where the EWC test
of the filtered TVP TCI's period means covered 81.5%): value 3.346 -> 0.987, interval
[-1.64, 8.34] -> [-5.10, 5.87], p 0.124 -> 0.756, with its definition and ci_method, and the
summary sentence quoting it. Checked with gdiff: nothing else in the eight files changes.

Issue 16, the announcement-day variance ratios' intervals (branch issue-cov16c): the eight
``events.var_ratio_{fomc,boe}_{us10y,de10y}_{1,2}d`` get a symmetric studentized bootstrap
interval of the log ratio instead of the percentile interval of the ratio (coverage by
simulation 93.6% / 94.4% for one- / two-day moves against 91.2% / 92.0%): new ``ci`` and
``ci_method``, values unchanged; e.g. BoE U.S. 10-year one-day 1.31 [1.02, 1.64] ->
[1.00, 1.71], which turns its summary verdict (``summary[13]``) from "more than on other
days" to "not significant". Checked by script: no other path of any golden file changed.

Issue 14, the peers on further draws (branch issue-maxerr14): NSS fits to par yields keep their
two decays at least a factor 2.5 apart (``curves/nss_optimiser.py`` ``PAR_DECAY_SEPARATION``;
1.1 before, zero-yield sources unchanged). Checked by script against the previous files: only
``curves-nss.json`` (CMT since 2015) changes: the digests of the fitted columns (betas,
decays, max error, RMSE), p50/p95/p99 of the max error 4.381/10.995/16.469 ->
4.380/10.994/16.312 bp; counts, max (19.244 bp) and exclusions unchanged; the other seven
files are unchanged.

Session 7 merge of issue-review6, issue-polish19, issue-tci16, issue-cov16c, issue-maxerr14:
every golden path differs from d623887's only where one of the branches changed it, with that
branch's value (checked path by path by script), except the summary, which takes polish19's
interval sentences; the TCI-change sentence and paragraph now quote the interval and word the
verdict from it ("0.99 pp against 2010-2019 (95% CI -5.10 to 5.87: not significantly different
from zero)"; was "not significant at 5%" from the p-value).

Issue 16 referee review (session 7): the Treasury-pull sentences say "moved ... (co-movement
on weekly changes, not an identified effect)" instead of "has moved"; the stocks sentence
quotes the 2000-2019 and since-2020 correlations with their intervals; the sell-off sentence
gives both dividend-discount splits (trailing E/P = r + ERP, and E10/P = r + ERP - g); the
euro-area linkage sentence brackets each correlation's HAC interval; the co-movement sentence
says the UK enters on monthly averages (no daily series) and that the change is against
1990-1999; ``connectedness.us_net_last`` gets a 95% percentile band of the coefficient draws
(was a 90% band in its definition); ``stocks.regime_test_pvalue`` (unreliable, five blocks) and
``foreign.ea_linkage_pvalue`` (i.i.d. Steiger) are no longer findings; the
``foreign.spillover_total`` ``ci_method`` (and foreign-bonds.json's ``total_ci_method``) states
the measured 68-81% coverage. No other value changed (gdiff).

CLI stocks data route (branch issue-stockscli), checked by script: ``ustpull stocks`` reads
its columns through the report's stocks recipe (:func:`ustpull.studies.load_study_frame`), so
``us.sp500`` is French's daily market total return chained into an index (to 2025-06-30, no
``D/12`` added in the 60/40), as in the report, instead of the S&P 500 close (to 2026-08-21;
the GSW zero then ran the sample to 2025-10-03). ``findings.json`` and every other file are
unchanged; in ``stocks.json`` every equity-dependent value moves (434 leaves) and now equals
the report's finding where both exist (``test_stocks_cli_agrees.py``): the 3% inflation row
low -0.1549 -> -0.1670 (6,328 -> 6,264 days), high +0.1142 -> +0.0992 (7,160 -> 7,157),
difference 0.2691 -> 0.2662 [0.194, 0.339] (= ``stocks.inflation_corr_diff_3``); 2020-latest
mean rolling correlation -0.0603 -> -0.0555; ``dcc_latest`` 0.0541 (2025-10-03) -> -0.0160
(2025-06-30); 60/40 Sharpe 0.44 -> 0.43 (769 -> 761 months).

Issue 16 referee review, continued: ``termpremium.us_10y_change`` is new, the latest 10-year
premium minus the pre-pandemic mean, +1.60 pp [0.53, 2.18] from the same bootstrap replications
(``TermPremiumBands.change_interval``); the term-premium summary sentence judges the move by that
interval ("its interval excludes zero, so the premium has risen"; was "not established" from
overlapping level intervals). ``stocks.json`` ``correlation_daily.markov`` is null: the Markov
model on the 252-day rolling correlation is off by default (its durations mirror the window).

Issue 16 point 1, referee gaps (branch issue-sync16), checked path by path by script against
main: only ``findings.json`` and ``foreign-bonds.json`` changed. (b) The global-yields
connectedness holds no euro-area aggregate beside Germany: weekly US, DE, JP (no daily gilts
offline), so the sample starts 1988-01-15 (was 2004-09-17, the ECB AAA curve's start) and ends
2024-04-12; monthly US, DE, JP, UK; ACM parts US, DE, JP (2000-05..2024-03). Every
``connectedness.*`` finding moves: ``weekly_ctci`` 76.41 [67.86, 84.96] -> 46.40 [12.40,
80.39] (64.47 on the old window without EA); ``us_net`` 0.22 [-2.26, 2.70] -> 3.97 [-1.05,
8.99]; ``us_net_last`` 2.50 -> 6.69; ``tci_short`` 42.24 -> 22.14, ``tci_persistent`` 15.06
-> 8.79, ``us_net_persistent`` 2.80 -> 2.68; ``tci_change`` 0.99 [-5.10, 5.87] (p 0.756) ->
0.02 [-6.89, 6.30] (p 0.936); ``uk_net_monthly`` 0.13 -> -1.17; ``ctci_term_premium`` 67.48
-> 41.44, ``ctci_expected_rate`` 48.36 -> 26.76; definitions name the set and the reason; the
summary says "(US, DE, JP) are connected" (was "tightly connected"); ``inputs_through``
connectedness 2024-04-04 -> 2024-04-12; ``provenance`` loses the connectedness study's rows
for ``ea.aaa.zero.10y`` and ``oecd.10y.ea`` (225 -> 223). (e) Weekly ``yield_changes`` is
``synchronous_changes`` on the common trading days: the one difference, a bug fix, is the
two-week change across Japan's Golden Week 2019 (no common day in the week ending 2019-05-10)
that the old builder counted as one week; changes are dated by the week's Friday (a week
still open at the last common day by that day). ``foreign.spillover_total`` 50.6920 [48.62,
53.01] -> 50.6915 [48.52, 52.98]; in ``foreign-bonds.json`` the static
connectedness table (nobs 1590 -> 1589) and the rolling series (1393 -> 1392 windows). (d)
``events.var_ratio_fomc_de10y_1d`` (0.98 [0.76, 1.26]) is null with the note "not applicable:
DE closes at 16:30 UTC, before the FOMC announcement at 19:00 UTC"; the central-bank summary
sentence drops that cell; every other variance ratio keeps its bits.

Issue 16 points 2 and 6 in the commands' payloads (branch issue-cli16): ``findings.json`` is
unchanged; only CLI payloads change, and every value they had keeps its number (checked path
by path by script). ``stocks.json``: each ``correlation_*`` block's ``regime_test`` (Fisher z,
the five-block bootstrap) and ``markov`` (the model of the rolling correlation, now off by
default, so null) move under ``retired`` with ``status`` and ``note``; ``eras[*]`` gain
``return_ci_low``/``return_ci_high`` (HAC, equal to ``stock_bond_regimes.era_correlations``)
and an ``eras_note``; ``sixty_forty.performance[*]`` and ``performance_by_era[*]`` gain Lo
(2002) ``sharpe_ci_low``/``sharpe_ci_high``; new ``sharpe_last_window`` (the last 36 months,
portfolio 0.59 [-0.59, 1.77], the report's ``stocks.sharpe_6040_3y``). ``foreign-bonds.json``:
``comovement_{daily,monthly}.table[*]`` lose ``z_change``/``pvalue_change`` and gain
``change`` and stationary-bootstrap intervals
(``ci_*``, ``recent_ci_*``, ``earlier_ci_*``, ``change_ci_*``, ``ci_method``; Germany weekly
0.665 [0.619, 0.699]). ``dollar.json``: ``comovement.full_sample_intervals`` (yield 0.170
[0.120, 0.225], the report's ``dollar.corr_yield``). ``events.json``: ``announcements`` (with
``named_days``) and ``central_banks`` first, then ``narrative_note``; the series are the
report's (``fx.dxy``, ``de.govt.10y``, ``jp.jgb.10y`` added: 16 more ``changes`` rows, two
``skipped``; the 30 old rows unchanged). ``connectedness.json``: ``--level`` now defaults to
0.95 (was 0.90): ``intervals.level`` and the 12 interval bounds of ``intervals.averaged``.

Merge of issue-sync16 and issue-cli16 (session 7): ``events.json`` regenerated on the merged
code: cli16's new ``announcements`` and ``central_banks`` blocks now carry sync16's rule (one-day
moves of markets that close before the announcement are not applicable: the Bund and JGB rows
leave the one-day surprise responses, and central-bank rows get a ``note``); every other golden
file equals one branch's value path by path (checked by script).

The short-lived connectedness sentence and paragraph bracket each band's 95% interval
(summary[7]: 22.1 % [3.8, 40.5] vs 8.8 % [4.4, 13.2]); no other path changed.

The estimand of ``foreign.spillover_total``'s interval (branch issue-realised16): its
``ci_method`` (and foreign-bonds.json's ``connectedness.total_ci_method``) now says the i.i.d.
residual bootstrap gives an interval for the TCI of the VAR at the sample's realised error
covariance (as ``connectedness.tci_change``), measured coverage 95.8% of that and 70.8% of the
unconditional population TCI (``tests/crossasset/test_coverage_tci_bootstrap.py``; was "only
68-81% ... read it as a lower bound"). Those two strings are the only change (git diff of the
regenerated files).
"""

from __future__ import annotations

import json
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from tests.report import _golden
from ustpull.cli.main import main
from ustpull.report.build import build_report
from ustpull.report.document import NO_INTERVAL


def test_findings_json_is_unchanged(findings: dict[str, object]) -> None:
    assert set(_golden.VOLATILE_FIELDS["findings.json"]) <= set(findings)
    new = _golden.golden_form("findings.json", dict(findings))
    assert _golden.first_difference(_golden.read("findings.json"), new) is None


@pytest.fixture(scope="module")
def command_outputs(
    report_store: Path, shared_data: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, object]]:
    """Each analysis command, on the store the report filled (its --data-dir ingest then
    finds every file unchanged)."""
    out = tmp_path_factory.mktemp("golden")
    outputs: dict[str, dict[str, object]] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("USTPULL_STORE", str(report_store))
        for command in ("stocks", "foreign-bonds", "dollar"):
            path = out / f"{command}.json"
            assert main([command, "--data-dir", str(shared_data), "--output", str(path)]) == 0
            outputs[command] = json.loads(path.read_text(encoding="utf-8"))
    return outputs


@pytest.mark.parametrize("command", ["stocks", "foreign-bonds", "dollar"])
def test_command_json_is_unchanged(
    command: str, command_outputs: dict[str, dict[str, object]]
) -> None:
    new = _golden.golden_form(f"{command}.json", command_outputs[command])
    assert _golden.first_difference(_golden.read(f"{command}.json"), new) is None


def test_events_json_is_unchanged(
    report_store: Path,
    shared_data: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("USTPULL_STORE", str(report_store))
    assert main(["events", "--data-dir", str(shared_data), "--json"]) == 0
    new = _golden.golden_form("events.json", json.loads(capsys.readouterr().out))
    assert _golden.first_difference(_golden.read("events.json"), new) is None


@pytest.fixture(scope="module")
def model_outputs(
    report_store: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, object]]:
    return _golden.model_outputs(report_store, tmp_path_factory.mktemp("models"))


@pytest.mark.parametrize("name", _golden.MODEL_COMMANDS)
def test_model_output_is_unchanged(name: str, model_outputs: dict[str, dict[str, object]]) -> None:
    """``termpremium`` (CSV with bands), ``curves nss --json`` (and its CSV) and
    ``connectedness --json`` (VAR with intervals) on the shared data."""
    new = _golden.golden_form(f"{name}.json", model_outputs[name])
    assert _golden.first_difference(_golden.read(f"{name}.json"), new) is None


def test_report_and_cli_agree_on_the_linkage(
    findings: dict[str, object], command_outputs: dict[str, dict[str, object]]
) -> None:
    # one route: the report's euro-area linkage is the CLI's, to the last bit
    items = findings["findings"]
    assert isinstance(items, dict)
    linkage = command_outputs["foreign-bonds"]["linkage"]
    assert isinstance(linkage, dict)
    euro = next(row for row in linkage["table"] if row["market"] == "ea")
    assert items["foreign.ea_tp_change_corr"]["value"] == euro["term_premium_change"]
    assert items["foreign.ea_expected_change_corr"]["value"] == euro["expected_rate_change"]
    assert items["foreign.ea_tp_change_corr"]["ci"] == [
        euro["term_premium_change_low"],
        euro["term_premium_change_high"],
    ]


def test_every_golden_finding_has_an_interval_or_a_specific_note() -> None:
    """Every finding of the golden findings.json (all sections): a 95% ``ci`` with its
    ``ci_method``, or ``ci`` null with a ``ci_note`` saying why no interval applies (never the
    generic placeholder)."""
    items = _golden.read("findings.json")["findings"]
    assert len(items) > 200
    bare = [
        k
        for k, f in items.items()
        if f["ci"] is None and f.get("ci_note") in (None, "", NO_INTERVAL)
    ]
    assert bare == []
    for key, item in items.items():
        if item["ci"] is not None:
            low, high = item["ci"]
            assert low <= high and len(item["ci_method"]) > 10, key


def test_a_changed_number_is_caught() -> None:
    golden = _golden.read("dollar.json")
    changed = json.loads(json.dumps(golden))
    changed["comovement"]["full_sample_correlation"]["yield"] += 1e-15
    found = _golden.first_difference(golden, changed)
    assert found is not None and found.startswith("/comovement/full_sample_correlation/yield")


def test_report_on_an_executor_is_the_golden_report(
    report_store: Path,
    tmp_path: Path,
    process_executor: ProcessPoolExecutor,
) -> None:
    # --workers 2: the executor reaches the term premia (countries, bootstrap) and the
    # rolling connectedness blocks; the numbers are the same bits as serial
    build_report(
        tmp_path / "out", store=report_store, ingest=False, png=False, executor=process_executor
    )
    new = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    found = _golden.first_difference(
        _golden.read("findings.json"), _golden.golden_form("findings.json", new)
    )
    # without --data-dir the provenance names the store's files by their names alone
    assert found is None or found.startswith("/provenance"), found
    golden = _golden.read("findings.json")
    for part in ("findings", "summary", "settings", "as_of", "inputs_through", "gaps"):
        assert _golden.first_difference(golden[part], _golden.canonical(new[part])) is None, part
