"""Reactions to an act named in an earlier sentence."""

from __future__ import annotations

import pytest


def _triples(events, extractor=None):
    return {(e.source.state, e.relation, e.target.state) for e in events if extractor in (None, e.extractor)}


@pytest.mark.parametrize(
    "text, expected",
    [
        # the reaction targets the one who made the move
        ("Hungary blocked the EU aid package for Kyiv on Monday. Ukraine condemned the move.",
         {("UKR", "ACCUSE", "HUN")}),
        ("Chile offered to mediate between Peru and Bolivia. La Paz welcomed the proposal.",
         {("BOL", "SUPPORT", "CHL")}),
        # the target of the earlier act may be the one reacting
        ("Canada expelled an Indian diplomat. New Delhi rejected the accusation as absurd.",
         {("IND", "REJECT", "CAN")}),
        # negated reactions, and objects that are no act, give nothing
        ("Norway recognised a Palestinian state. Israel did not condemn the decision.", set()),
        ("Germany sent tanks to Poland. France praised the weather.", set()),
        # an act noun that names its own actor is not anaphoric
        ("Sweden joined NATO. Turkey criticised the Greek decision.", set()),
    ],
)
def test_reactions_target_the_earlier_act(extract, text, expected):
    assert _triples(extract(text), "anaphora") == expected


def test_the_reaction_keeps_its_own_sentence_as_provenance(extract):
    text = "Hungary blocked the EU aid package for Kyiv on Monday. Ukraine condemned the move."
    [event] = [e for e in extract(text, date="2024-03-01") if e.extractor == "anaphora"]
    assert text[event.start : event.end] == "Ukraine condemned the move."
    assert event.target_text == "Hungary" and event.date == "2024-03-01"
