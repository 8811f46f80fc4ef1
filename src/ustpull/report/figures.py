"""The report's figures for a notebook: the same chart specifications, as plotly figures.

:func:`report_figures` assembles the report document of a :class:`~ustpull.studies.Studies`
(nothing is written) and returns each chart, by the id of its CSV, as a
``plotly.graph_objects.Figure`` built by :func:`ustpull.charts.plotly_figure` -- the very
``{data, layout}`` the HTML page draws.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ustpull.charts import plotly_figure
from ustpull.report.sections import assemble_document
from ustpull.studies import Studies

if TYPE_CHECKING:
    from plotly.graph_objects import Figure

__all__ = ["report_figures"]


def report_figures(studies: Studies) -> dict[str, Figure]:
    """Every chart of the report of ``studies``, by chart id (``data/<id>.csv``), in the
    report's order."""
    import plotly.graph_objects as go

    document = assemble_document(studies)
    return {chart.chart_id: go.Figure(plotly_figure(chart)) for chart in document.charts()}
