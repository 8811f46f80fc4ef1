"""The base of every results object: text, a notebook table, a frame and a dict from one place.

A model's ``fit()`` returns a read-only results object (as in ``arch`` and ``linearmodels``).
Each results class writes its own :meth:`Results.summary` and at least one of
:meth:`Results.to_frame` (the main table) and :meth:`Results.to_dict` (JSON-ready); the base
derives the rest:

* ``str(results)`` is the summary;
* ``_repr_html_`` (Jupyter) shows the summary as preformatted text and, when the class has a
  table, that table as HTML;
* ``to_dict()`` defaults to the table's rows keyed by index label (NaN as ``None``);
* ``to_frame()`` defaults to the dict's scalar entries as a one-column ``value`` table;
* a class with neither shows its public table properties (``pd.DataFrame``/``pd.Series``)
  as HTML tables in a notebook;
* ``figure()`` is the plotly figure of the class's :meth:`Results.chart` -- the report's
  chart specification (:class:`ustpull.charts.Chart`), so a notebook draws what the report
  draws; ``plot()`` (matplotlib) renders the same specification.

This module sits below every layer (it imports nothing from the layers, and pandas only when
a default is used).
"""

from __future__ import annotations

import html
import math
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    from plotly.graph_objects import Figure as PlotlyFigure

    from ustpull.charts import Chart

__all__ = ["Results"]

#: Rows of the table shown in a notebook before pandas elides the middle.
HTML_MAX_ROWS = 30
#: Table properties shown by the HTML repr of a class without ``to_frame``/``to_dict``.
HTML_MAX_TABLES = 4


class Results(ABC):
    """Base of a results object: ``str()``, the HTML repr, ``to_frame()`` and ``to_dict()``."""

    @abstractmethod
    def summary(self) -> str:
        """The results as text."""

    def __str__(self) -> str:
        return self.summary()

    def to_frame(self) -> pd.DataFrame:
        """The main table; by default the scalar entries of :meth:`to_dict` as ``value``."""
        if _inherits(type(self), "to_dict"):
            raise NotImplementedError(f"{type(self).__name__} defines neither to_frame nor to_dict")
        import pandas as pd

        scalars = {
            key: value
            for key, value in self.to_dict().items()
            if value is None or isinstance(value, bool | int | float | str)
        }
        frame = pd.DataFrame({"value": pd.Series(scalars, dtype=object)})
        frame.index.name = "name"
        return frame

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready results; by default the rows of :meth:`to_frame` by index label."""
        if _inherits(type(self), "to_frame"):
            raise NotImplementedError(f"{type(self).__name__} defines neither to_frame nor to_dict")
        frame = self.to_frame()
        return {
            str(label): {str(column): _json_scalar(value) for column, value in row.items()}
            for label, row in frame.to_dict(orient="index").items()
        }

    def chart(self) -> Chart:
        """The report's chart of these results (a :class:`ustpull.charts.Chart`).

        Raises
        ------
        NotImplementedError
            The class has no chart in the report (``plot()`` may still draw one).
        """
        raise NotImplementedError(f"{type(self).__name__} has no report chart; see plot()")

    def figure(self) -> PlotlyFigure:
        """The interactive plotly figure of :meth:`chart`, as the report shows it."""
        import plotly.graph_objects as go

        from ustpull.charts import plotly_figure

        return go.Figure(plotly_figure(self.chart()))

    def _tables(self) -> list[tuple[str, pd.DataFrame | pd.Series]]:
        """(caption, table) pairs of the HTML repr."""
        if not (_inherits(type(self), "to_frame") and _inherits(type(self), "to_dict")):
            return [("", self.to_frame())]
        return _table_properties(self)[:HTML_MAX_TABLES]

    def _repr_html_(self) -> str:
        import pandas as pd

        parts = [f"<pre>{html.escape(self.summary())}</pre>"]
        for caption, table in self._tables():
            if caption:
                parts.append(f"<h4>{html.escape(caption)}</h4>")
            frame = table.to_frame() if isinstance(table, pd.Series) else table
            parts.append(frame.to_html(max_rows=HTML_MAX_ROWS, float_format=_html_number))
        return "".join(parts)


def _table_properties(results: Results) -> list[tuple[str, pd.DataFrame | pd.Series]]:
    """Public properties of ``results`` that hold a pandas table, in definition order."""
    import pandas as pd

    found = []
    names = dict.fromkeys(
        name
        for cls in reversed(type(results).__mro__)
        for name in vars(cls)
        if not name.startswith("_")
    )
    for name in names:
        if not isinstance(getattr(type(results), name, None), property):
            continue
        try:
            value = getattr(results, name)
        except Exception:  # a property that cannot be computed is left out of the repr
            continue
        if isinstance(value, pd.DataFrame | pd.Series) and len(value):
            found.append((name, value))
    return found


def _inherits(cls: type, method: str) -> bool:
    """True when ``cls`` takes ``method`` from :class:`Results` (does not write its own)."""
    return getattr(cls, method) is getattr(Results, method)


def _json_scalar(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    item = getattr(value, "item", None)  # NumPy scalars
    return item() if callable(item) else value


def _html_number(value: float) -> str:
    return f"{value:.4g}"
