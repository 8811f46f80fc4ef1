"""Text and notebook display of a cross-asset results object, both made from its ``summary()``.

Every results class of the cross-asset models prints its ``summary()`` and shows it in a
notebook as preformatted text; :class:`SummaryDisplay` holds that once.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

__all__ = ["SummaryDisplay"]


class SummaryDisplay(ABC):
    """Base of a results object: ``str()`` and the HTML repr show :meth:`summary`."""

    @abstractmethod
    def summary(self) -> str:
        """The results as text."""

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        return f"<pre>{self.summary()}</pre>"
