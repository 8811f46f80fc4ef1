"""ustpull: how U.S. Treasuries pull U.S. stocks, the dollar and foreign government bonds.

Layers, with imports flowing one way only::

    sources -> store -> curves -> termpremium -> crossasset -> report -> cli

``ustpull.errors`` and ``ustpull.config`` sit below every layer.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
