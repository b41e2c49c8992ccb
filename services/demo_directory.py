"""Demo directory from data/partner_cities.csv, data/networks.csv and the
seed pages, for `flask seed-demo`.

Only what the data says goes in. A note that marks a fact as unconfirmed
("current status not checked", "year from a single secondary source") means:
no year and no note. Names are the usual German and English ones; a German
exonym only where it is the standard name (Stettin, Göteborg, Antwerpen).
Osnabrück's pages name no networks, so it gets none.
"""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import City, Network, Relation
from services.directory import read_csv, set_members

UNCONFIRMED = ("not checked", "single secondary source", "unconfirmed")

# The CSV's (English, ASCII) name → (German, English).
NAMES = {
    "Szczecin": ("Stettin", "Szczecin"),
    "Dunkirk": ("Dünkirchen", "Dunkirk"),
    "Antwerp": ("Antwerpen", "Antwerp"),
    "Gothenburg": ("Göteborg", "Gothenburg"),
    "Varna": ("Warna", "Varna"),
    "Twer": ("Twer", "Tver"),
    "Canakkale": ("Çanakkale", "Çanakkale"),
    "Gmuend in Kaernten": ("Gmünd in Kärnten", "Gmünd in Kärnten"),
}

# The CSV's notes, in German and English; facts only, nothing added.
NOTES = {
    "written partnership treaty signed November 2007": (
        "Der schriftliche Partnerschaftsvertrag wurde im November 2007 unterzeichnet.",
        "The written partnership treaty was signed in November 2007.",
    ),
    "partnership with the Dunkirk urban community; founded the Memory Cities network in 2016": (
        "Die Partnerschaft besteht mit der Stadtgemeinschaft Dünkirchen. Dünkirchen hat 2016 das "
        "Netzwerk „Städte der Erinnerung“ gegründet.",
        "The partnership is with the Dunkirk urban community. Dunkirk founded the Memory Cities "
        "network in 2016.",
    ),
    "rijeka.hr dates the first agreement 1974; suspended 1991-2000": (
        "Die Stadt Rijeka datiert die erste Vereinbarung auf 1974. Von 1991 bis 2000 ruhte die "
        "Partnerschaft.",
        "The City of Rijeka dates the first agreement to 1974. The partnership was suspended from "
        "1991 to 2000.",
    ),
    "delegation visit 23-28 June 2025 (Urban Diplomacy Exchange)": (
        "Vom 23. bis 28. Juni 2025 besuchte eine Rostocker Delegation Raleigh (Urban Diplomacy "
        "Exchange).",
        "A delegation from Rostock visited Raleigh from 23 to 28 June 2025 (Urban Diplomacy "
        "Exchange).",
    ),
    "municipality; coordinates of its seat Nykoebing Falster": (
        "Guldborgsund ist eine Kommune; die Karte zeigt ihren Sitz Nykøbing Falster.",
        "Guldborgsund is a municipality; the map shows its seat, Nykøbing Falster.",
    ),
    "signed 14 Feb 2017": (
        "Die Vereinbarung wurde am 14. Februar 2017 unterzeichnet.",
        "The agreement was signed on 14 February 2017.",
    ),
    "friendship circle (Freundeskreis) founded 23 Jan 2019": (
        "Der Freundeskreis Rostock – Panajachel wurde am 23. Januar 2019 gegründet.",
        "The Rostock – Panajachel friendship circle (Freundeskreis) was founded on 23 January "
        "2019.",
    ),
    "first partnership (24 Oct 1961)": (
        "Osnabrücks erste Städtepartnerschaft (24. Oktober 1961).",
        "Osnabrück's first town twinning (24 October 1961).",
    ),
    "contacts since 1973; dormant since 2022": (
        "Kontakte bestehen seit 1973; seit 2022 ruht die Partnerschaft.",
        "Contacts date back to 1973; the partnership has been dormant since 2022.",
    ),
    "friendship since 1994": ("Freundschaft seit 1994.", "Friendship since 1994."),
    "the Carinthian town": ("Die Stadt in Kärnten.", "The town in Carinthia."),
}

SINCE = {
    Relation.PARTNER: ("Partnerstadt seit {year}.", "Partner city since {year}."),
    Relation.FRIENDSHIP: ("Befreundete Stadt seit {year}.", "Befriended city since {year}."),
}


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def is_unconfirmed(note: str) -> bool:
    return any(marker in note.lower() for marker in UNCONFIRMED)


def demo_city(row: dict[str, str]) -> City:
    """A city from one CSV row; an unconfirmed note drops the year and the note."""
    note = row["note"].strip()
    relation = Relation(row["relation"])
    since = None if is_unconfirmed(note) else int(row["since"]) if row["since"] else None
    name_de, name_en = NAMES.get(row["city"], (row["city"], row["city"]))
    note_de, note_en = (
        NOTES.get(note, ("", note)) if note and not is_unconfirmed(note) else ("", "")
    )
    city = City(
        slug=slugify(row["city"]),
        country=row["country"],
        relation=relation,
        since=since,
        latitude=float(row["lat"]),
        longitude=float(row["lon"]),
        source=row["source"] or None,
    )
    for lang, name, note_text, template in (
        ("de", name_de, note_de, SINCE[relation][0]),
        ("en", name_en, note_en, SINCE[relation][1]),
    ):
        sentences = [template.format(year=since)] if since else []
        sentences += [note_text] if note_text else []
        city.set_text(lang, name=name, description=" ".join(sentences))
    return city


def demo_cities(city_key: str) -> list[City]:
    return [
        demo_city(row)
        for row in read_csv("partner_cities.csv")
        if row["home_city"].casefold() == city_key
    ]


# --- networks (seed pages 002 German and 004 English) ---------------------------

CRISIS_MEMBERS = [  # in the order of seed 002
    "Wien",
    "Tallinn",
    "Tel Aviv-Yafo",
    "Moskau",
    "Prag",
    "Ljubljana",
    "Zagreb",
    "Warschau",
    "Woiwodschaft Masowien",
    "Nis",
    "Budapest",
    "Krakow",
    "Düsseldorf",
    "Berlin",
    "Paris",
    "Riga",
    "Vilnius",
    "Helsinki",
    "Hamburg",
    "Bordeaux",
    "Rostock",
    "Odessa",
]

CRISIS_DE = """Die Hanse- und Universitätsstadt beteiligt sich seit 2016 an der jährlich an wechselnden Orten stattfindenden Internationale Krisenkonferenz „Sicherheit in den Städten im 21. Jahrhundert“ und wird dabei durch das Brandschutz- und Rettungsamt vertreten. Dem Städtenetzwerk Krisenmanagement gehören derzeit 22 Städte an.

Inhaltlich setzt die jährlich stattfindende Konferenz auf Themen, die Sicherheitsaspekte betreffen und zugleich organisationsübergreifende Relevanz haben. Das Vortragsprogramm entsteht durch aktive Beteiligung der Städte des Netzwerkes. Bisherige Konferenz-Schwerpunkte waren u.a. die Sicherheit bei Großveranstaltungen, das Blackout Szenario, die Möglichkeiten der Warnung der Bevölkerung und die maritime Sicherheit.

2021 durfte unsere Stadt die Gastgeberin der jährlichen Konferenz sein. In Anwesenheit der sieben Städte hat ein Erfahrungsaustausch zum Thema „Der Umgang mit der Corona-Pandemie“ stattgefunden."""  # noqa: E501

CRISIS_EN = """The City of Rostock has been a member of the International City Network for Crisis Management since 2016. Its participation is represented by Rostock Fire Department. The city network currently includes 22 cities.

One of the highlights of the activities in the network is the International Crisis Conference “Security in Cities in the 21st Century”, which takes place annually at different locations. The annual conferences focus on topics which concern security aspects and at the same time have cross-organizational relevance. During the event the cities present their experiences and concerns on a concrete topic. The priority topics of the conferences have included security at major events, “blackout scenario”, possibility of warning the population in crisis situations and maritime security.

In 2021 Rostock hosted the annual conference. Representatives from the City of Rostock and seven other member cities exchanged their tactics and problem-solution methods on the subject of Covid-19 pandemic."""  # noqa: E501

# (slug, founded, German name and text, English name and text, members); the
# founding years and the IAPMC facts follow data/networks.csv where the seed
# pages disagree with it (the pages date the first Peace Messenger Cities 1985
# or 1986; the data: International Year of Peace 1986, association 1988).
NETWORKS = {
    "Union of the Baltic Cities (UBC)": (
        "union-of-the-baltic-cities",
        1991,
        (
            "Union der Ostseestädte (UBC)",
            "Rostock hat dieses Netzwerk von Städten im Ostseeraum im Jahr 1991 in Gdansk (Polen) "
            "mitbegründet. Heute gehören der UBC ca. 100 Mitgliedsstädte an.",
        ),
        (
            "Union of the Baltic Cities (UBC)",
            "Rostock co-founded this network of cities in the Baltic Sea Region in 1991 in Gdansk "
            "(Poland). Today UBC has about 100 member cities. The cities work together in "
            "different "
            "thematic commissions and working groups.",
        ),
        [],
    ),
    "International Association of Peace Messenger Cities (IAPMC)": (
        "peace-messenger-cities",
        1988,
        (
            "Internationale Vereinigung Städte als Friedensbotschafter (IAPMC)",
            "Im Internationalen Jahr des Friedens 1986 der Vereinten Nationen wurden die ersten "
            "Städte "
            "zu »Peace Messenger Cities«, zu Friedensbotschaftern, ernannt. Die Vereinigung wurde "
            "1988 "
            "in Verdun gegründet; Rostock ist seit 2017 Mitglied.",
        ),
        (
            "International Association of Peace Messenger Cities (IAPMC)",
            "The United Nations' International Year of Peace 1986 named the first Peace Messenger "
            "Cities. The association was founded in Verdun in 1988 to recognize and encourage the "
            "role "
            "and responsibility cities have in creating a culture of peace; Rostock joined in "
            "2017.",
        ),
        [],
    ),
    "Memory Cities (Staedte der Erinnerung)": (
        "memory-cities",
        2016,
        (
            "Städte der Erinnerung",
            "Das Netzwerk „Städte der Erinnerung“ wurde von Rostocks Partnerstadt Dünkirchen im "
            "Jahr "
            "2016 gegründet. Mitglieder im Netzwerk sind Städte, die während des 1. oder 2. "
            "Weltkrieges "
            "weitgehend zerstört wurden.",
        ),
        (
            "Memory Cities",
            "The network “Memory Cities” is an unofficial association founded on the initiative of "
            "Rostock’s twin city Dunkirk in 2016. The network gathers cities which were largely "
            "destroyed during the First or the Second World War.",
        ),
        [],
    ),
    "International City Network for Crisis Management": (
        "crisis-management-network",
        None,  # the data has only its first conference (2003)
        ("Internationales Städtenetzwerk für das Krisenmanagement", CRISIS_DE),
        ("International City Network for Crisis Management", CRISIS_EN),
        CRISIS_MEMBERS,
    ),
}
NETWORKS_OF = {"rostock": NETWORKS}


def seed_directory(session: Session, city_key: str) -> list[str]:
    """Add the home city's demo cities and networks that are missing (by
    slug); returns the slugs added. Flushes, the caller commits."""
    existing = set(session.scalars(select(City.slug)))
    cities = [city for city in demo_cities(city_key) if city.slug not in existing]
    session.add_all(cities)
    session.flush()
    sources = {row["network"]: row["source"] for row in read_csv("networks.csv")}
    taken = set(session.scalars(select(Network.slug)))
    networks = []
    for key, (slug, founded, german, english, members) in NETWORKS_OF.get(city_key, {}).items():
        if slug in taken:
            continue
        network = Network(slug=slug, founded=founded, source=sources.get(key))
        for lang, (name, description) in (("de", german), ("en", english)):
            network.set_text(lang, name=name, description=description)
        set_members(session, network, members)
        session.add(network)
        networks.append(network)
    session.flush()
    return [city.slug for city in cities] + [network.slug for network in networks]
