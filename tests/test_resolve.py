"""Actor resolution: dictionaries, phrases and in-document context rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kgraph.errors import InputError
from kgraph.resolve import (
    ActorResolver,
    annotate,
    default_resolver,
    iter_mentions,
    parse_date,
    read_actor_file,
    resolve_file,
    resolve_phrase,
)


@pytest.fixture(scope="module")
def resolver() -> ActorResolver:
    return default_resolver()


@pytest.mark.parametrize(
    "text, date, country, sector",
    [
        ("Russia", None, "RUS", None),
        ("the Kremlin", None, "RUS", "GOV"),
        ("Washington", None, "USA", "GOV"),
        ("U.S.", None, "USA", None),
        ("Türkiye", None, "TUR", None),
        ("Burma", None, "MMR", None),
        ("Ivory Coast", None, "CIV", None),
        ("Czechia", None, "CZE", None),
        ("Downing Street", None, "GBR", "GOV"),
        ("TIRANA", None, "ALB", "GOV"),
        ("Libyans", None, "LBY", None),
        ("Aleppo", None, "SYR", None),
        ("the Syrian army", None, "SYR", "MIL"),
        ("Iraqi parliament", None, "IRQ", "LEG"),
        ("Iranian state media", None, "IRN", "GOV"),
        ("Russia's ambassador to Poland", None, "RUS", "GOV"),
        ("Egypt's riot police", None, "EGY", "COP"),
        ("Kurdish fighters in Syria", None, "SYR", "REB"),
        ("Haftar's forces", None, "LBY", "REB"),
        ("Taliban", "2010-05-01", "AFG", "REB"),
        ("Taliban", "2023-05-01", "AFG", "GOV"),
        ("Hezbollah", None, "LBN", "REB"),
        ("Lavrov", "2020-02-19", "RUS", "GOV"),
        ("Sergei Lavrov", "2020-02-19", "RUS", "GOV"),
        ("Angela Merkel", "2017-04-01", "DEU", "GOV"),
        ("Angela Merkel", "2023-01-01", "DEU", "ELI"),
        ("President Trump", "2019-04-01", "USA", "GOV"),
        ("President Trump", "2025-06-01", "USA", "GOV"),
        # NGEC codes MILITIA and SELF_DEFENCE_FORCE as unidentified armed forces.
        ("a Somalia-based militia", None, "SOM", "UAF"),
        ("a team of armed police", None, None, "COP"),
        ("a cat", None, None, None),
        # A title in the text outranks the listed term; "former" keeps ELI.
        ("Defence Minister Hulusi Akar", "2024-03-01", "TUR", "GOV"),
        ("former Defence Minister Hulusi Akar", "2024-03-01", "TUR", "ELI"),
        # Abbreviated titles split by the tokenizer.
        ("Maj. Gen. John Doe", None, None, "MIL"),
        ("Sen. Jane Doe", None, None, "LEG"),
        # A generic head takes its sector from the modifier.
        ("a Buddhist community leader", None, None, "REL"),
        ("a tribal leader", None, None, "CVL"),
        ("an indigenous leader", None, None, "CVL"),
        ("the Turkish leader", "2020-01-01", "TUR", "GOV"),
        # Institutions named after a town (GeoNames towns, read only there).
        ("Ithaca College", None, "USA", "EDU"),
        ("University of Leuven", None, "BEL", "EDU"),
        ("Ithaca", None, None, None),
        # A state or place misspelt by one letter, before a role noun.
        ("Pakistna army", None, "PAK", "MIL"),
        ("Mosow police", None, "RUS", "COP"),
        ("Smith police", None, None, "COP"),
        ("local self defence forces in Mali", None, "MLI", "UAF"),
        ("Japanese Self-Defense Forces", None, "JPN", "MIL"),
        ("the legislative body of Peru", None, "PER", "LEG"),
        # Agent nouns (CAMEO-style agents) with and without a state.
        ("Nigerian bandits", None, "NGA", "CRM"),
        ("a group of looters", None, None, "CRM"),
        ("Kenyan magistrates", None, "KEN", "JUD"),
        ("unidentified gunmen", None, None, "UAF"),
        ("Iraqi pilgrims", None, "IRQ", "REL"),
        ("a French think tank", None, "FRA", "EDU"),
        # A hand-written group outranks a generated place of the same name.
        ("Abkhazia", None, "GEO", "PRE"),
        # Office holders of the regional lists, by full name, surname and office.
        ("Claudia Sheinbaum", "2025-03-01", "MEX", "GOV"),
        ("López Obrador", "2020-03-01", "MEX", "GOV"),
        ("the Mexican president", "2020-06-01", "MEX", "GOV"),
        ("Yogi Adityanath", "2020-03-01", "IND", "GOV"),
        ("Governor Greg Abbott", "2022-03-01", "USA", "GOV"),
        ("Pezeshkian", "2025-03-01", "IRN", "GOV"),
        ("Kim Yo-jong", "2022-03-01", "PRK", "GOV"),
        ("Shinzo Abe", "2024-05-01", "JPN", "ELI"),
        # A surname after "St." names a place, not the person.
        ("St. Andrews", "2020-01-01", None, None),
        # Political parties.
        ("Fidesz", None, "HUN", "PTY"),
        ("Kuomintang", None, "TWN", "PTY"),
    ],
)
def test_resolve_phrase(resolver, text, date, country, sector):
    result = resolve_phrase(text, date=date, resolver=resolver)
    assert (result["country"], result["sector"]) == (country, sector)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("NATO", "ORG:NATO"),
        ("the European Union", "ORG:EU"),
        ("United Nations Security Council", "ORG:UN"),
        ("Islamic State", "ORG:ISIL"),
        ("African Union", "ORG:AU"),
    ],
)
def test_organisations(resolver, text, expected):
    actor = resolver.resolve(text)
    assert actor is not None and actor.id == expected and actor.country is None


def test_office_holder_follows_the_date(resolver):
    assert resolver.resolve("the US president", date="2019-04-01").id == "USA.PER.donald-trump"
    assert resolver.resolve("the US president", date="2015-04-01").id == "USA.PER.barack-obama"
    # Trump was no office holder in 2016: the name keeps its state, not a sector.
    assert resolver.resolve("Trump", date="2016-06-01").sector is None


def test_context_gives_the_state(resolver):
    assert resolve_phrase("Defense Minister", resolver=resolver)["country"] is None
    found = resolve_phrase("Defense Minister", context="German", date="2020-01-01", resolver=resolver)
    assert (found["country"], found["id"]) == ("DEU", "DEU.PER.annegret-kramp-karrenbauer")


def test_acronyms_keep_their_case(resolver):
    assert resolve_phrase("car-borne youths", resolver=resolver)["country"] is None
    assert resolve_phrase("CAR", resolver=resolver)["country"] == "CAF"


def _mentions(nlp, resolver, text, date="2020-02-19"):
    doc = annotate(nlp(text), resolver, date=date)
    return [(span.text, actor.id) for span, actor in iter_mentions(doc)]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Italy's Foreign Minister Jane Doemaker met officials in Rome. Doemaker said talks went well.",
            [("Italy's Foreign Minister Jane Doemaker", "ITA.PER.jane-doemaker"),
             ("Rome", "ITA"), ("Doemaker", "ITA.PER.jane-doemaker")],
        ),
        (
            "Marco Di Vellano, Italy's defence minister, arrived. Di Vellano then left.",
            [("Marco Di Vellano, Italy's defence minister", "ITA.PER.marco-di-vellano"),
             ("Di Vellano", "ITA.PER.marco-di-vellano")],
        ),
        (
            "Putin spoke to his Turkish counterpart over the phone and invited the Turkish leader to Moscow.",
            [("Putin", "RUS.PER.vladimir-putin"), ("Turkish counterpart", "TUR.PER.recep-tayyip-erdogan"),
             ("Turkish leader", "TUR.PER.recep-tayyip-erdogan"), ("Moscow", "RUS")],
        ),
        (
            "The Syrian army shelled the town, and Iraqi parliament condemned it.",
            [("Syrian army", "SYR.MIL"), ("Iraqi parliament", "IRQ.LEG")],
        ),
        (
            "Lavrov met Italian officials. He said Russia wants peace.",
            [("Lavrov", "RUS.PER.sergey-lavrov"), ("Italian officials", "ITA.GOV"),
             ("He", "RUS.PER.sergey-lavrov"), ("Russia", "RUS")],
        ),
        (
            "Fighting goes on in Libya. The UN said the country needs a ceasefire.",
            [("Libya", "LBY"), ("UN", "ORG:UN"), ("the country", "LBY")],
        ),
        # A listed person named in full: the later bare surname is them,
        # though "Pavel" alone is also a given name and no alias.
        (
            "Petr Pavel met Klaus Iohannis. Pavel and Iohannis agreed.",
            [("Petr Pavel", "CZE.PER.petr-pavel"), ("Klaus Iohannis", "ROU.PER.klaus-iohannis"),
             ("Pavel", "CZE.PER.petr-pavel"), ("Iohannis", "ROU.PER.klaus-iohannis")],
        ),
        # A dictionary word that is a surname does not stand alone.
        ("Shorten the list, the minister said.", []),
        # "he" and "she" take a person of their gender: listed people by the
        # list, others by a given name.
        (
            "Angela Merkel met Emmanuel Macron in Paris. Later he said the talks went well.",
            [("Angela Merkel", "DEU.PER.angela-merkel"), ("Emmanuel Macron", "FRA.PER.emmanuel-macron"),
             ("Paris", "FRA"), ("he", "FRA.PER.emmanuel-macron")],
        ),
        (
            "Italy's Foreign Minister Maria Doemaker met Sergey Lavrov. She said the talks went well.",
            [("Italy's Foreign Minister Maria Doemaker", "ITA.PER.maria-doemaker"),
             ("Sergey Lavrov", "RUS.PER.sergey-lavrov"), ("She", "ITA.PER.maria-doemaker")],
        ),
    ],
)
def test_annotate_context(nlp, resolver, text, expected):
    assert _mentions(nlp, resolver, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Uganda said it had paid the money.", [("Uganda", "UGA"), ("it", "UGA")]),
        (
            "Nigeria announced that it will withdraw its force from Sierra Leone.",
            [("Nigeria", "NGA"), ("it", "NGA"), ("its", "NGA"), ("Sierra Leone", "SLE")],
        ),
        (
            "Somali leaders said they would shun the negotiations with Kenya.",
            [("Somali leaders", "SOM.GOV"), ("they", "SOM.GOV"), ("Kenya", "KEN")],
        ),
        (
            "The Colombian rebels said they will free the hostages whom they had seized.",
            [("Colombian rebels", "COL.REB"), ("they", "COL.REB"), ("they", "COL.REB")],
        ),
        ("Iran rejected the deal. It said the terms were unfair.", [("Iran", "IRN"), ("It", "IRN")]),
        # Coordinated states: "they" is both, which one span cannot hold.
        ("Russia and Turkey said they would meet.", [("Russia", "RUS"), ("Turkey", "TUR")]),
        # An object pronoun is not the subject of its own clause.
        ("Egyptian police arrested protesters and beat them.", [("Egyptian police", "EGY.COP")]),
        # Expletive "it"; a subject naming no actor blocks the search.
        ("It is clear that Russia wants peace.", [("Russia", "RUS")]),
        ("Iran rejected the deal. The report said it was unfair.", [("Iran", "IRN")]),
        # "They" after a sentence naming two states may be both.
        (
            "Russian officials met Chinese diplomats. They agreed to cooperate.",
            [("Russian officials", "RUS.GOV"), ("Chinese diplomats", "CHN.GOV")],
        ),
    ],
)
def test_annotate_pronouns(nlp, resolver, text, expected):
    assert _mentions(nlp, resolver, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The Albanians of southern Serbia protested.", [("Albanians", "SRB.ETH.ALB"), ("Serbia", "SRB")]),
        ("Ethnic Hungarians rallied on Sunday in Romania.", [("Hungarians", "ROU.ETH.HUN"), ("Romania", "ROU")]),
        (
            "Ethnic Serb guerrillas operating in Kosovo were disarmed.",
            [("Serb guerrillas", "XKX.ETH.SRB.REB"), ("Kosovo", "XKX")],
        ),
        # "ethnic" marks a minority: another state of the sentence, or none.
        (
            "Ethnic Russians launched a hunger strike against Latvia's decision.",
            [("Russians", "LVA.ETH.RUS"), ("Latvia", "LVA")],
        ),
        ("Ethnic Serbs have vowed to resist.", [("Serbs", "ETH.SRB")]),
        (
            "Students throughout Indonesia staged demonstrations.",
            [("Students", "IDN.EDU"), ("Indonesia", "IDN")],
        ),
        # Citizens and forces abroad keep their own state.
        ("Turkish citizens in Germany voted.", [("Turkish citizens", "TUR.CVL"), ("Germany", "DEU")]),
        ("Russian troops in Syria attacked.", [("Russian troops", "RUS.MIL"), ("Syria", "SYR")]),
    ],
)
def test_annotate_located_groups(nlp, resolver, text, expected):
    assert _mentions(nlp, resolver, text) == expected


@pytest.mark.parametrize(
    "text, phrase, expected",
    [
        # Titles and state bodies with no state: the one state in focus.
        ("Opposition groups in Zimbabwe demand that President Jane Mbeki resign.", "President Jane Mbeki",
         "ZWE.PER.jane-mbeki"),
        ("Uganda paid the money. The government said the talks went well.", "The government", "UGA.GOV"),
        ("Fighting goes on in Libya. Authorities closed the border.", "Authorities", "LBY.GOV"),
        # Two states in focus, or the only state named after the title: none.
        ("Russia and Syria met. The government said the talks went well.", "The government", None),
        ("President Jane Mbeki threatened Russia.", "President Jane Mbeki", None),
        ("Pakistan threatened Congo, officials said.", "officials", None),
        # A name in apposition to a role owned through a preposition.
        ("Ahmed al-Dowsari, a spokesman for the PMF, blamed Israel.", "Ahmed al-Dowsari", "IRQ.PER.ahmed-al-dowsari"),
    ],
)
def test_annotate_state_in_focus(nlp, resolver, text, phrase, expected):
    found = dict(_mentions(nlp, resolver, text))
    assert found.get(phrase) == expected


def test_annotate_stores_the_actor_index(nlp, resolver):
    doc = annotate(nlp("Turkish forces entered Syria."), resolver, date="2019-10-10")
    index = doc.user_data["kgraph_actor_index"]
    assert {s.label_ for s in doc.spans["kgraph_actors"]} == {"TUR.MIL", "SYR"}
    assert index["TUR.MIL"].country == "TUR" and index["TUR.MIL"].sector == "MIL"


def test_user_file_overrides(tmp_path):
    extra = tmp_path / "mine.tsv"
    extra.write_text(
        "pattern\tid\tlabel\ttype\tcountry\tsector\tstart\tend\n"
        "Moscow\tRUS.ORG.city-hall\tMoscow city hall\torganization\tRUS\tGOV\t\t\n"
        "Jane Doe\tGBR.PER.jane-doe\tJane Doe\tperson\tGBR\tGOV\t2024-07-05\t\n",
        encoding="utf-8",
    )
    resolver = ActorResolver.from_files([extra])
    assert resolver.resolve("Moscow").id == "RUS.ORG.city-hall"
    assert resolver.resolve("Jane Doe", date="2025-01-01").id == "GBR.PER.jane-doe"
    assert resolver.resolve("Jane Doe", date="2020-01-01") is None


def test_actor_file_header_follows_any_number_of_comments(tmp_path):
    extra = tmp_path / "long.tsv"
    comments = "".join(f"# note {n}\n" for n in range(12))
    extra.write_text(
        comments + "pattern\tid\tlabel\ttype\tcountry\tsector\tstart\tend\n"
        "Jane Doe\tGBR.PER.jane-doe\tJane Doe\tperson\tGBR\tGOV\t\t\n",
        encoding="utf-8",
    )
    assert [e.pattern for e in read_actor_file(extra)] == ["Jane Doe"]


def test_bad_actor_file_names_the_line(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("Moscow\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.tsv:1: expected at least 3"):
        read_actor_file(bad)
    bad.write_text("Moscow\tRUS\tRussia\tcountry\tRUS\t\t2020-13-01\t\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"start '2020-13-01' is not a date"):
        read_actor_file(bad)


@pytest.mark.parametrize(
    "value, expected",
    [("2019-04-01", "2019-04-01"), ("10 May 2015", "2015-05-10"), ("October 1, 2021", "2021-10-01"), (None, None)],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


def test_parse_date_rejects_nonsense():
    with pytest.raises(InputError, match="cannot read date 'soon'"):
        parse_date("soon")


def test_resolve_file(tmp_path: Path):
    cases = tmp_path / "cases.jsonl"
    cases.write_text(
        json.dumps({"id": "a", "text": "the Kremlin", "date": "today"}) + "\n"
        + json.dumps({"text": "Defense Minister", "context": "French", "date": "2019-01-01"}) + "\n",
        encoding="utf-8",
    )
    results = list(resolve_file(cases))
    assert results[0]["case"] == "a" and results[0]["country"] == "RUS"
    assert results[1]["country"] == "FRA" and results[1]["type"] == "person"
    assert set(results[1]) >= {"text", "id", "label", "type", "country", "sector"}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("A coalition to patrol the Persian Gulf was formed.", []),
        ("Persian carpets and the Sahel.", [("Persian", "IRN")]),
        ("Ships in the South China Sea met Chinese boats.", [("Chinese", "CHN")]),
    ],
)
def test_transnational_regions_name_no_state(nlp, text, expected):
    doc = nlp(text)
    annotate(doc, default_resolver(), date=None)
    assert [(span.text, actor.state) for span, actor in iter_mentions(doc)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # an alias at the end of a longer unknown name is not that actor
        ("The court sentenced Imran Khan and his wife, Bushra Bibi, to prison.", [("Imran Khan", "PAK")]),
        ("Nicolas Maduro and first lady Cilia Flores were captured.", [("Nicolas Maduro", "VEN")]),
        # titles and sentence-initial words do not count as first names
        ("President Trump met Prime Minister Netanyahu.", [("Trump", "USA"), ("Netanyahu", "ISR")]),
        ("Young Algerians blocked roads.", [("Algerians", "DZA")]),
    ],
)
def test_aliases_inside_longer_names(nlp, text, expected):
    doc = nlp(text)
    annotate(doc, default_resolver(), date="2025-06-01")
    assert [(span.text, actor.state) for span, actor in iter_mentions(doc)] == expected


@pytest.mark.parametrize(
    "a, b",
    [("Democratic Party", "Republican Party"), ("Labour Party", "Conservative Party"), ("AfD", "CDU"),
     ("Abu Sayyaf", "New People's Army"), ("CCTV", "Xinhua")],
)
def test_distinct_organisations_keep_distinct_ids(a, b):
    resolver = default_resolver()
    first, second = resolver.resolve(a), resolver.resolve(b)
    assert first.country == second.country
    assert first.id != second.id


def test_organisation_of_another_state_is_another_organisation(nlp):
    doc = nlp("The Unity Party of America presidential nominee proposes talks.")
    annotate(doc, default_resolver(), date="2020-01-01")
    assert [(s.text, a.state) for s, a in iter_mentions(doc)] == [("America", "USA")]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Montenegro Municipality Association (AKK) officials met.", [("Montenegro", "MNE")]),
        ("The United Nations (UN) condemned Israel.", [("United Nations", "ORG:UN"), ("UN", "ORG:UN"), ("Israel", "ISR")]),
    ],
)
def test_bracketed_acronym_belongs_to_the_name_before_it(nlp, text, expected):
    doc = nlp(text)
    annotate(doc, default_resolver(), date="2020-01-01")
    assert [(s.text, a.state) for s, a in iter_mentions(doc)] == expected


@pytest.mark.parametrize(
    "surname, country",
    [("Lavrov", "RUS"), ("Di Maio", "ITA"), ("Putin", "RUS"), ("Erdogan", "TUR"), ("Haftar", "LBY")],
)
def test_seed_article_people_resolve_to_their_states(nlp, resolver, surname, country):
    text = (Path(__file__).resolve().parent.parent / "seeds" / "000_b6b70bb457706db7.txt").read_text(encoding="utf-8")
    doc = annotate(nlp(text), resolver, date="2020-02-19")
    found = {actor.country for span, actor in iter_mentions(doc) if surname in span.text}
    assert found == {country}


# -- the field's dictionaries (tools/convert_sources.py) -------------------------


@pytest.mark.parametrize(
    "text, date, country, sector",
    [
        # Agent nouns of NGEC's dictionary, with no state.
        ("striking port workers", None, None, "LAB"),
        ("a gang of car thieves", None, None, "CRM"),
        ("masked armed men", None, None, "UAF"),
        ("internally displaced persons", None, None, "REF"),
        ("a self-proclaimed state", None, None, "PRE"),
        # Vessels, fleets and units are military.
        ("a Russian frigate", None, "RUS", "MIL"),
        ("Chinese submarines", None, "CHN", "MIL"),
        ("an infantry battalion", None, None, "MIL"),
        # Composite codes report the primary sector: ~CVLOPP is CVL.
        ("opposition activists", None, None, "CVL"),
        ("Venezuelan dissidents", None, "VEN", "CVL"),
        ("pro-democracy opposition supporters", None, None, "CVL"),
        # NGEC's natural disasters and junk words keep their codes in a phrase.
        ("a typhoon", None, None, "JNK"),
        ("Monday", None, None, "NON"),
        # Overrides of roles.tsv: a spokesman speaks for a state, deputies sit in parliament.
        ("a government spokesman", None, None, "GOV"),
        ("a ministry spokeswoman", None, None, "GOV"),
        ("the Kremlin spokesman", None, "RUS", "GOV"),
        ("Italian deputies", None, "ITA", "LEG"),
        ("Brazilian deputies", None, "BRA", "LEG"),
        ("opposition deputies", None, None, "LEG"),
        # Dated roles of PETRARCH2's Phoenix.Countries.actors.txt.
        ("Dmitry Medvedev", "2006-05-01", "RUS", "GOV"),
        ("Dmitry Medvedev", "1995-05-01", "RUS", "ELI"),  # the file's default code
        ("Valentina Matviyenko", "2003-02-01", "RUS", "GOV"),
        ("Tatyana Golikova", "2010-01-01", "RUS", "GOV"),
        # Where the project's list records a later change, it wins over an
        # open range of the 2014 file.
        ("Angela Merkel", None, "DEU", "ELI"),
    ],
)
def test_field_dictionaries(resolver, text, date, country, sector):
    result = resolve_phrase(text, date=date, resolver=resolver)
    assert (result["country"], result["sector"]) == (country, sector)


@pytest.mark.parametrize(
    "text, secondary",
    [
        ("opposition activists", ["OPP"]),
        ("health officials", ["MED"]),
        ("a state news agency", ["JRN"]),
        ("farmers", []),
    ],
)
def test_secondary_sectors(resolver, text, secondary):
    assert resolve_phrase(text, resolver=resolver)["secondary"] == secondary


@pytest.mark.parametrize(
    "text, expected",
    [
        # Non-state groups of NGEC's sectors UAF, AGR and SOC placed in a state.
        ("Gunmen in northern Nigeria attacked a village.", [("Gunmen", "NGA.UAF"), ("Nigeria", "NGA")]),
        ("Farmers across Kenya blocked the roads.", [("Farmers", "KEN.AGR"), ("Kenya", "KEN")]),
        ("Environmentalists in Brazil criticised the plan.", [("Environmentalists", "BRA.SOC"), ("Brazil", "BRA")]),
        # A natural disaster next to a state is no part of it.
        ("The Turkish earthquake killed thousands.", [("Turkish", "TUR")]),
        ("A Philippine typhoon destroyed homes.", [("Philippine", "PHL")]),
        ("Chilean floods displaced families.", [("Chilean", "CHL")]),
        # A place noun next to a state locates: "the West Bank city of Hebron".
        ("Shells hit the Syrian city of Aleppo.", [("Syrian", "SYR"), ("Aleppo", "SYR")]),
        ("Troops left the Ukrainian town of Izium.", [("Ukrainian", "UKR")]),
        ("Police raided a Kenyan village.", [("Kenyan", "KEN")]),
    ],
)
def test_annotate_field_agents(nlp, resolver, text, expected):
    assert _mentions(nlp, resolver, text) == expected


def _converter():
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "tools" / "convert_sources.py"
    spec = importlib.util.spec_from_file_location("convert_sources", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_actor_data_is_current(tmp_path):
    """The package data are what tools/convert_sources.py makes of the vendored
    sources (tools/sources/); rerun it after changing either."""
    converter = _converter()
    assert converter.main(["--out", str(tmp_path)]) == 0
    data = Path(__file__).resolve().parent.parent / "kgraph" / "data"
    for name in converter.OUTPUTS:
        fresh = (tmp_path / name).read_bytes()
        assert fresh == (data / name).read_bytes(), f"kgraph/data/{name} is stale: run python tools/convert_sources.py"


def test_converter_codes_and_plurals():
    c = _converter()
    assert c._sectors("CVLOPP", cameo=False) == ["CVL", "OPP"]
    assert c._sectors("GOVMIL", cameo=False) == ["GOV", "MIL"]
    assert c._sectors("GOVMED", cameo=True) == ["GOV", "JRN"]  # CAMEO MED is media
    assert c._sectors("HLH", cameo=True) == ["MED"]
    assert c._sectors("OPP", cameo=True) == ["CVL", "OPP"]
    assert c._plural(["chamber", "of", "commerce"]) == ["chambers", "of", "commerce"]
    assert c._plural(["militia"]) == ["militias"]
    assert c._plural(["deputy"]) == ["deputies"]
    assert c._plural(["police", "man"]) == ["police", "men"]
    assert c._plural(["witness"]) == ["witnesses"]
    assert c._name("ABDEL_FATTAH_AL-SISI_") == "Abdel Fattah al-Sisi"
    assert c._name("URSULA_VON_DER_LEYEN") == "Ursula von der Leyen"


def test_converter_reads_agent_files(tmp_path):
    path = tmp_path / "agents.txt"
    path.write_text(
        "# comment\n!PERSON! = MAN, MEN\nDOCK_WORKER [~LAB]\nSNEAK_THIEF {SNEAK_THIEVES}[~CRM]\n"
        "FERRY!PERSON! [~BUS]\nDOCK_WORKER [~CVL]\nPROTEST_LEADER [~CVLOPP] # note\n",
        encoding="utf-8",
    )
    nouns = _converter().read_agents(path, cameo=False)
    assert nouns["dock worker"][0] == ["LAB"] and nouns["dock workers"][0] == ["LAB"]  # the first entry wins
    assert "sneak thieves" in nouns and "sneak thiefs" not in nouns
    assert nouns["ferryman"][0] == ["BUS"] and nouns["ferrymen"][0] == ["BUS"]
    assert nouns["protest leaders"][0] == ["CVL", "OPP"]


def test_converter_dated_periods(tmp_path):
    from datetime import date

    c = _converter()
    path = tmp_path / "actors.txt"
    path.write_text(
        "JANE_ROE_  # CountryInfo.txt\n+JANE_Q._ROE_\n\t[FRAGOV 050101-071231]\n\t[FRAGOVBUS >100601]\n"
        "JOHN_DOE_ # a name with no code of its own\nJOHNNY_DOE_\n\t[ITAELI]\n\t[ITAMIL 19990101-20011231]\n",
        encoding="utf-8",
    )
    jane, john = c.read_phoenix(path)
    assert jane["names"] == ["JANE_ROE_", "JANE_Q._ROE_"]
    assert c._segments([(code[3:], s, e) for code, s, e in jane["codes"]]) == [
        (None, date(2004, 12, 31), "-"),
        (date(2005, 1, 1), date(2007, 12, 31), "GOV"),
        (date(2008, 1, 1), date(2010, 5, 31), "ELI!"),
        (date(2010, 6, 1), None, "GOVBUS"),  # an open range counts up to today
    ]
    assert john["names"] == ["JOHN_DOE_", "JOHNNY_DOE_"]
    assert c._segments([(code[3:], s, e) for code, s, e in john["codes"]]) == [
        (None, date(1998, 12, 31), "ELI"),
        (date(1999, 1, 1), date(2001, 12, 31), "MIL"),
        (date(2002, 1, 1), None, "ELI"),
    ]


def test_explain_names_the_entries_and_the_rule(resolver):
    from kgraph.resolve import explain_phrase

    text = explain_phrase("opposition activists", resolver=resolver)
    assert text.splitlines()[0] == "'opposition activists': country -, sector CVL (secondary OPP) (id -)"
    assert "rule: the role noun alone" in text
    assert "NGEC: OPPOSITION_ACTIVIST [~CVLOPP]" in text and "[head]" in text
    text = explain_phrase("Dmitry Medvedev", date="2006-05-01", resolver=resolver)
    assert "rule: a listed person" in text
    assert "phoenix_people.tsv:" in text and "valid 2005-12-01 to 2007-02-28" in text
    text = explain_phrase("Italian deputies", resolver=resolver)
    assert "'deputies' -> role noun 'deputies' sector LEG (roles.tsv:" in text


def test_cli_resolve_explain():
    from typer.testing import CliRunner

    from kgraph.cli import app

    result = CliRunner().invoke(app, ["resolve", "--explain", "the Syrian army"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "'the Syrian army': country SYR, sector MIL (id SYR.MIL)"
    assert "rule: the role noun, of the state named" in result.stdout
    result = CliRunner().invoke(app, ["resolve", "--explain", "--file", "cases.jsonl"])
    assert result.exit_code != 0 and "--explain takes phrases, not --file" in result.stderr


@pytest.mark.parametrize(
    "text, sector, secondary",
    [
        # An international body carries the sector of what it does, IGO after it.
        ("the International Criminal Court", "JUD", ["IGO"]),
        ("the European Parliament", "LEG", ["IGO"]),
        ("UNHCR", "REF", ["IGO"]),
        # A role noun after the body names the part that does it.
        ("a UN tribunal", "JUD", ["IGO"]),
        ("African Union troops", "MIL", ["IGO"]),
        ("EU police officers", "COP", ["IGO"]),
        # Names that say nothing of a function stay IGO ("union" is no labour union).
        ("the African Union", "IGO", []),
        ("the European Commission", "IGO", []),
        ("UN officials", "IGO", []),
    ],
)
def test_international_bodies_carry_their_function(resolver, text, sector, secondary):
    result = resolve_phrase(text, resolver=resolver)
    assert (result["country"], result["sector"], result["secondary"]) == (None, sector, secondary)


@pytest.mark.parametrize(
    "text, sector",
    [
        # A pronoun alone is an actor the phrase does not identify (PLOVER UNK).
        ("She", "UNK"),
        ("they", "UNK"),
        ("someone", "UNK"),
        # An agent noun misspelt by one letter or one swap.
        ("soliders", "MIL"),
        ("rebbels", "REB"),
        ("angry jounalists", "JRN"),
        # Agent nouns written apart, joined or hyphenated alike.
        ("law makers", "LEG"),
        ("health care workers", "MED"),
        ("pro government militias", "PRM"),
        ("war-planes", "MIL"),
        # The other number of a noun the file lists in one: OCCUPIERS, SUPPORTERS, IDPS.
        ("an occupier", "UNK"),
        ("a supporter", "UNK"),
        ("an IDP", "REF"),
        # Words close to no agent noun stay unknown.
        ("a cat", None),
        ("the weather", None),
    ],
)
def test_pronouns_and_misspelt_agents(resolver, text, sector):
    result = resolve_phrase(text, resolver=resolver)
    assert (result["country"], result["sector"]) == (None, sector)


def test_dated_people_are_read_lazily_and_keep_their_precedence(tmp_path):
    """A dated person's entries are made on lookup, after leaders.tsv and
    before a user's file, which still wins for the same name."""
    user = tmp_path / "mine.tsv"
    user.write_text("Tatyana Golikova\tRUS.PER.t-golikova\tT. Golikova\tperson\tRUS\tMED\n", encoding="utf-8")
    resolver = ActorResolver.from_files([user])
    assert "Tatyana Golikova" in resolver.patterns and "Sergey Naryshkin" in resolver.patterns
    assert resolver.lookup("Tatyana Golikova", date="2010-01-01").id == "RUS.PER.t-golikova"
    found = resolver.entry("Sergey Naryshkin", date="2006-01-01")
    assert (found.file, found.actor.sector) == ("phoenix_people.tsv", "GOV")
    assert resolver.lookup("Sergey Naryshkin", date="2009-01-01").sector == "ELI"
