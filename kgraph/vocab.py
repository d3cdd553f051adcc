"""The relation vocabulary (the 16 PLOVER event types) and the RDF namespace.

Everything about a relation lives here, once: its readable predicate label,
its CAMEO root code(s), its quad class and its intensity. The intensity is the
Goldstein-scale value (-10 … +10) of the type's CAMEO root, the usual way of
putting PLOVER/CAMEO events on one cooperation–conflict axis.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace

__all__ = [
    "RelationType",
    "PLOVER",
    "PLOVER_TYPES",
    "QUAD_CLASSES",
    "SYMMETRIC",
    "quad_class",
    "KG",
    "DEFAULT_BASE_IRI",
    "relation_property",
]

QUAD_CLASSES = {
    "VC": "verbal cooperation",
    "MC": "material cooperation",
    "VX": "verbal conflict",
    "MX": "material conflict",
}


@dataclass(frozen=True)
class RelationType:
    """One PLOVER event type.

    Attributes:
        name: The PLOVER type (``"COOPERATE"``).
        label: Readable predicate (``"cooperates-with"``).
        property: camelCase RDF property local name (``"cooperatesWith"``).
        cameo: CAMEO root code(s) it covers.
        quad_class: ``VC``, ``MC``, ``VX`` or ``MX``.
        intensity: Goldstein-scale value of the CAMEO root.
        symmetric: Whether (A, r, B) means the same as (B, r, A).
        definition: One-line meaning, after the PLOVER manual.
    """

    name: str
    label: str
    property: str
    cameo: str
    quad_class: str
    intensity: float
    symmetric: bool
    definition: str


PLOVER_TYPES: tuple[RelationType, ...] = (
    RelationType("AGREE", "agrees-with", "agreesWith", "03", "VC", 4.0, True,
                 "Agree, promise, offer, invite; express intent to cooperate."),
    RelationType("CONSULT", "meets-with", "meetsWith", "04", "VC", 1.0, True,
                 "Meet, visit, host, hold talks, negotiate, telephone."),
    RelationType("SUPPORT", "supports", "supports", "05", "VC", 3.5, False,
                 "Praise, endorse, back, recognise; sign or ratify an agreement."),
    RelationType("CONCEDE", "concedes-to", "concedesTo", "08", "VC", 5.0, False,
                 "Verbal concessions, pardons, announced withdrawals or ceasefires, apologies."),
    RelationType("COOPERATE", "cooperates-with", "cooperatesWith", "06", "MC", 6.0, True,
                 "Mutual material cooperation: trade, joint exercises, extradition, intelligence sharing."),
    RelationType("AID", "aids", "aids", "07", "MC", 7.0, False,
                 "Economic, military or humanitarian aid; rescue."),
    RelationType("RETREAT", "withdraws-from", "withdrawsFrom", "08", "MC", 5.0, False,
                 "Withdraw forces, release captives, disarm, observe a ceasefire, allow access."),
    RelationType("REQUEST", "appeals-to", "appealsTo", "02,10", "VX", -1.0, False,
                 "Ask, urge, call on, demand, order."),
    RelationType("ACCUSE", "criticizes", "criticizes", "09,11", "VX", -2.0, False,
                 "Criticise, condemn, accuse, allege, blame, sue, investigate."),
    RelationType("REJECT", "rejects", "rejects", "12", "VX", -4.0, False,
                 "Reject, refuse, veto, deny a request, cancel a meeting."),
    RelationType("THREATEN", "threatens", "threatens", "13", "VX", -6.0, False,
                 "Threaten, warn of consequences, issue an ultimatum."),
    RelationType("PROTEST", "protests-against", "protestsAgainst", "14", "MX", -6.5, False,
                 "Demonstrations, riots, strikes, boycotts."),
    RelationType("SANCTION", "sanctions", "sanctions", "16", "MX", -4.0, False,
                 "Cut relations, impose sanctions, expel diplomats, recall envoys."),
    RelationType("MOBILIZE", "mobilizes-against", "mobilizesAgainst", "15", "MX", -7.2, False,
                 "Deploy troops or weapons, raise alert, military posturing short of force."),
    RelationType("COERCE", "coerces", "coerces", "17", "MX", -7.0, False,
                 "Arrest, detain, seize, deport, restrict, censor, cyber attacks."),
    RelationType("ASSAULT", "attacks", "attacks", "18,19,20", "MX", -10.0, False,
                 "Attack, bomb, shell, invade, kill, shoot down, fight."),
)

PLOVER: dict[str, RelationType] = {t.name: t for t in PLOVER_TYPES}
SYMMETRIC = frozenset(t.name for t in PLOVER_TYPES if t.symmetric)


def quad_class(relation: str) -> str:
    """The quad class (``VC``, ``MC``, ``VX``, ``MX``) of a PLOVER type.

    >>> quad_class("ASSAULT")
    'MX'
    """
    return PLOVER[relation].quad_class


DEFAULT_BASE_IRI = "https://kgraph.example.org/"


class KG(DefinedNamespace):
    """The kgraph ontology: classes, relation properties and event properties."""

    _fail = True
    _NS = Namespace("https://kgraph.example.org/ontology#")

    # classes
    Actor: URIRef
    State: URIRef
    Person: URIRef
    Organization: URIRef
    Group: URIRef
    Event: URIRef
    Article: URIRef
    RelationType: URIRef
    QuadClass: URIRef
    StateEdge: URIRef
    # event and edge properties
    source: URIRef
    target: URIRef
    relation: URIRef
    quadClass: URIRef
    cameoRoot: URIRef
    intensity: URIRef
    confidence: URIRef
    evidence: URIRef
    sentence: URIRef
    sentenceMarked: URIRef
    sentenceStart: URIRef
    sentenceEnd: URIRef
    evidenceStart: URIRef
    evidenceEnd: URIRef
    trigger: URIRef
    triggerStart: URIRef
    triggerEnd: URIRef
    extractor: URIRef
    country: URIRef
    sector: URIRef
    actorType: URIRef
    isoCode: URIRef
    memberOf: URIRef
    supportCount: URIRef
    articleCount: URIRef
    firstDate: URIRef
    lastDate: URIRef
    # one property per PLOVER type
    agreesWith: URIRef
    meetsWith: URIRef
    supports: URIRef
    concedesTo: URIRef
    cooperatesWith: URIRef
    aids: URIRef
    withdrawsFrom: URIRef
    appealsTo: URIRef
    criticizes: URIRef
    rejects: URIRef
    threatens: URIRef
    protestsAgainst: URIRef
    sanctions: URIRef
    mobilizesAgainst: URIRef
    coerces: URIRef
    attacks: URIRef


def relation_property(relation: str) -> URIRef:
    """The RDF property of a PLOVER type (``kg:cooperatesWith`` …)."""
    return KG[PLOVER[relation].property]
