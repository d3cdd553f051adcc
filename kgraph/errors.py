"""The exceptions kgraph raises: one small hierarchy under :class:`KGraphError`."""

from __future__ import annotations

__all__ = [
    "KGraphError",
    "InputError",
    "ModelNotFoundError",
    "ExportError",
    "QueryError",
]


class KGraphError(Exception):
    """Base class of every error kgraph raises on purpose."""


class InputError(KGraphError):
    """An input file or document cannot be read or is malformed."""


class ModelNotFoundError(KGraphError):
    """The spaCy model cannot be loaded."""


class ExportError(KGraphError):
    """An output file cannot be written."""


class QueryError(KGraphError):
    """A SPARQL query is malformed or cannot run."""
