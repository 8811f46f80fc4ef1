"""Lazy public names of a package (PEP 562): each imported from its module on first use.

A layer's ``__init__`` lists ``name -> defining module`` and takes its module ``__getattr__``
and ``__dir__`` from :func:`lazy_names`, so importing one submodule does not load the whole
layer. This module sits below every layer (it imports none).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from importlib import import_module
from typing import Any

__all__ = ["lazy_names"]


def lazy_names(
    package: str, public: Mapping[str, str], namespace: MutableMapping[str, Any]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package`` for its ``public`` names.

    Parameters
    ----------
    package
        The package's ``__name__`` (named in the error for an unknown attribute).
    public
        Public name -> module that defines it.
    namespace
        The package's ``globals()``: a name, once imported, is stored there, so later
        lookups skip ``__getattr__``.
    """

    def attribute(name: str) -> Any:
        module = public.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(module), name)
        namespace[name] = value
        return value

    def names() -> list[str]:
        return sorted({*namespace, *public})

    return attribute, names
