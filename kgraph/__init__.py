"""kgraph: turn news articles into a geopolitical knowledge graph.

>>> from kgraph import extract_text  # doctest: +SKIP
>>> [e.key for e in extract_text("Turkey attacked Syria on Monday.")]  # doctest: +SKIP
[('TUR', 'ASSAULT', 'SYR')]
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .errors import ExportError, InputError, KGraphError, ModelNotFoundError, QueryError
from .model import Actor, Article, Event

try:
    __version__ = version("kgraph")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0+unknown"

__all__ = [
    "Actor",
    "Article",
    "Event",
    "ExportError",
    "InputError",
    "KGraphError",
    "ModelNotFoundError",
    "QueryError",
    "__version__",
    "build",
    "extract_text",
]


def __getattr__(name: str):
    # Heavy imports (spaCy) only when the API is used, not at import time.
    if name == "build":
        from .build import build

        return build
    if name == "extract_text":
        from .pipeline import extract_text

        return extract_text
    raise AttributeError(name)
