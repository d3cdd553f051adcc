"""Actor resolution: find the actors a parsed document mentions.

Dictionaries are tab-separated files (``kgraph/data/actors/*.tsv`` and any
file the user adds with ``--actors``), one alias per line::

    pattern<TAB>id<TAB>label<TAB>type<TAB>country<TAB>sector<TAB>start<TAB>end[<TAB>office]

``pattern`` is the text as it appears in news (``Moscow``, ``Lavrov``,
``the Kremlin``); ``id`` the actor it names: ISO 3166-1 alpha-3 for states
(``RUS``), ``ORG:NATO`` for international organisations, a slug such as
``RUS.PER.sergey-lavrov`` for persons and groups; ``type`` one of
``country``, ``person``, ``organization``, ``group``; ``country`` the
alpha-3 code of the state the actor belongs to or acts for (empty for
international organisations); ``sector`` a PLOVER/NGEC-style code (``GOV``,
``MIL``, ``REB``, ``COP``, ``LEG``, ``JUD``, ``SPY``, ``PTY``, ``OPP``, ``BUS``,
``JRN`` media, ``MED`` medical, ``CVL``, ``IGO``, ``ELI`` former officials …);
``start``/``end`` (ISO dates, optional, inclusive) the period in which the
line holds, for office holders; ``office`` (optional) the office held then,
as ``COUNTRY:office`` (``TUR:president``), so that "the Turkish president"
finds its holder on the article's date.

Rows of type ``role`` are role nouns, not actors: ``army``, ``foreign
minister``, ``state media``; a state or organisation next to one names a part
of it ("the Syrian army" → ``SYR.MIL``). Their id is ``ROLE:p`` for a person
(the ``office`` column then lists the offices it can name, ``;``-separated,
``@leader`` for the head of state or government) or ``ROLE:g`` for a body.
A role's ``sector`` may list secondary sectors after the primary one
(``CVL;OPP``, NGEC's composite ``~CVLOPP``). The agent nouns of NGEC and
CAMEO (``agents.tsv``) and the dated office holders of PETRARCH2's Phoenix
files (``kgraph/data/phoenix_people.tsv``) are generated from the raw files
in ``tools/sources/`` by ``tools/convert_sources.py``.

Lines starting with ``#`` and a header line starting with ``pattern`` are
skipped. A later file overrides an earlier one for the same pattern and
period, so a user file wins over the package dictionaries, e.g.::

    pattern	id	label	type	country	sector	start	end
    Wagner	RUS.GRP.wagner	Wagner Group	group	RUS	MIL
    Jane Doe	GBR.PER.jane-doe	Jane Doe	person	GBR	GOV	2024-07-05

Example:
    >>> resolver = default_resolver()
    >>> resolver.resolve("the Kremlin").country
    'RUS'
    >>> resolve_phrase("Syrian army", resolver=resolver)["sector"]
    'MIL'

The package follows the steps of resolution:

- :mod:`.dictionary` reads the dictionary files (format above) and the
  package data;
- :mod:`.resolver` looks aliases, role nouns and office holders up;
- :mod:`.phrase` resolves a free phrase (``kgraph resolve``);
- :mod:`.matcher` finds dictionary mentions in a parsed document;
- the context rules :mod:`.titles` (role nouns next to a state, titled
  names, appositions), :mod:`.names` (known people, later surnames),
  :mod:`.located` (peoples placed in a state), :mod:`.nominals` (state
  bodies with no state named) and :mod:`.pronouns` (pronouns and "the
  country") refine them;
- :mod:`.passes` runs them in order (:data:`~.passes.PASSES`) in
  :func:`annotate`.
"""

from __future__ import annotations

from .api import explain_phrase, explain_phrases, parse_date, resolve_file, resolve_phrase, resolve_phrases
from .dictionary import MENTIONS_KEY, ActorEntry, read_actor_file
from .matcher import Mention
from .passes import annotate, iter_mentions
from .pronouns import REFERRING_WORDS
from .resolver import ActorResolver, default_resolver

__all__ = [
    "ActorEntry",
    "ActorResolver",
    "Mention",
    "MENTIONS_KEY",
    "REFERRING_WORDS",
    "annotate",
    "default_resolver",
    "explain_phrase",
    "explain_phrases",
    "iter_mentions",
    "parse_date",
    "read_actor_file",
    "resolve_file",
    "resolve_phrase",
    "resolve_phrases",
]
