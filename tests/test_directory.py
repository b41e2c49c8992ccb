"""The partner-city directory: figures computed from the data, plurals, filters,
city and network pages and the demo data. The map: test_city_map.py; the
staff forms: test_directory_staff.py."""

from __future__ import annotations

import re

import pytest
from flask import render_template
from sqlalchemy import func, select

from extensions import db
from models import City, CityText, Network, NetworkMember, Relation
from services.demo_directory import seed_directory
from services.directory import Figures, figures, headline, teaser

SVG = re.compile(r"<svg.*?</svg>", re.S)
ENGLISH = {"Accept-Language": "en"}  # staff pages follow the browser's language


@pytest.fixture
def make_city(app):
    """Create a city; German name required, the rest optional."""

    def make(
        slug: str,
        name_de: str,
        *,
        name_en: str | None = None,
        country: str = "PL",
        relation: Relation = Relation.PARTNER,
        since: int | None = None,
        latitude: float | None = 53.43,
        longitude: float | None = 14.55,
        description: str = "",
    ) -> City:
        city = City(
            slug=slug,
            country=country,
            relation=relation,
            since=since,
            latitude=latitude,
            longitude=longitude,
        )
        city.set_text("de", name=name_de, description=description)
        if name_en:
            city.set_text("en", name=name_en)
        db.session.add(city)
        db.session.commit()
        return city

    return make


@pytest.fixture
def rostock(app):
    """The Rostock demo directory from data/ and the seed pages."""
    added = seed_directory(db.session, "rostock")
    db.session.commit()
    return added


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def listed_slugs(html: str, lang: str = "en") -> list[str]:
    """The cities the page lists as text (outside the map)."""
    return re.findall(rf'href="/{lang}/partners/([a-z0-9-]+)/"', SVG.sub("", html))


def test_figures_are_counted_from_the_data(make_city):
    make_city("szczecin", "Stettin", country="PL")
    assert figures(db.session) == Figures(partner_cities=1, partner_countries=1)
    make_city("gdansk", "Danzig", country="PL")
    assert figures(db.session) == Figures(partner_cities=2, partner_countries=1)
    make_city("turku", "Turku", country="FI")
    make_city("karlskrona", "Karlskrona", country="SE", relation=Relation.FRIENDSHIP)
    assert figures(db.session) == Figures(3, 2, 1, 1)


@pytest.mark.parametrize(
    ("numbers", "expected"),
    [
        (Figures(1, 1, 1, 1), ["1 partner city in 1 country", "1 befriended city in 1 country"]),
        (
            Figures(14, 13, 5, 5),
            ["14 partner cities in 13 countries", "5 befriended cities in 5 countries"],
        ),
        (Figures(2, 1, 0, 0), ["2 partner cities in 1 country"]),
        (Figures(0, 0, 1, 1), ["1 befriended city in 1 country"]),
        (Figures(), []),
    ],
)
def test_headline_uses_singular_and_plural_in_english(app, numbers, expected):
    with app.test_request_context("/en/"):
        assert list(headline(numbers, "en").values()) == expected


def test_directory_page_shows_the_computed_figures_and_the_german_page_renders(client, make_city):
    make_city("szczecin", "Stettin", name_en="Szczecin", country="PL", since=1957)
    english = page(client, "/en/partners/")
    assert "1 partner city in 1 country" in english
    assert "befriended" not in re.search(r'<ul class="figures">.*?</ul>', english, re.S).group(0)
    make_city("gdansk", "Danzig", name_en="Gdansk", country="PL")
    assert "2 partner cities in 1 country" in page(client, "/en/partners/")
    german = page(client, "/de/partners/")
    assert '<html lang="de">' in german
    assert "Stettin" in german and "Polen" in german


def test_an_empty_directory_renders_without_figures(client):
    html = page(client, "/en/partners/")
    assert "No cities are listed yet." in html and '<ul class="figures">' not in html


def test_teaser_shows_the_figures_and_links_to_the_directory(app, rostock):
    with app.test_request_context("/en/"):
        html = render_template("partners/_teaser.html", **teaser(db.session, "en"))
    assert "14 partner cities in 13 countries" in html
    assert "5 befriended cities in 5 countries" in html
    assert 'href="/en/partners/?relation=friendship"' in html


def test_filters_by_relation_and_country(client, rostock):
    assert len(listed_slugs(page(client, "/en/partners/"))) == 19
    befriended = listed_slugs(page(client, "/en/partners/?relation=friendship"))
    assert sorted(befriended) == ["batumi", "bizerte", "kaliningrad", "karlskrona", "panajachel"]
    assert sorted(listed_slugs(page(client, "/en/partners/?relation=partner&country=DK"))) == [
        "aarhus",
        "guldborgsund",
    ]
    assert listed_slugs(page(client, "/en/partners/?country=pl")) == ["szczecin"]
    assert listed_slugs(page(client, "/en/partners/?country=SE&relation=friendship")) == [
        "karlskrona"
    ]


@pytest.mark.parametrize(
    "query",
    [
        "relation=enemy",
        "relation=",
        "country=XXX",
        "country=1",
        "country=ZZ",
        "country=%00%FF",
        "country=%3Cscript%3E",
        "relation=partner%00",
        "country=D",
        "relation[]=x&country[]=y",
    ],
)
def test_invalid_filters_are_ignored_never_an_error(client, rostock, query):
    html = page(client, f"/en/partners/?{query}")
    assert len(listed_slugs(html)) == 19
    assert "<script>" not in html


def test_a_city_page_in_both_languages(client, rostock):
    english = page(client, "/en/partners/szczecin/")
    assert "<h1>Szczecin</h1>" in english
    assert "Poland" in english and "1957" in english
    assert "Partner city since 1957." in english
    assert "The written partnership treaty was signed in November 2007." in english
    assert "rathaus.rostock.de/en/international_relations/twin_cities (Szczecin)" not in english
    german = page(client, "/de/partners/szczecin/")
    assert (
        "<h1>Stettin</h1>" in german and "Polen" in german and "Partnerstadt seit 1957." in german
    )
    riga = page(client, "/en/partners/riga/")
    assert 'href="/en/networks/crisis-management-network/"' in riga


def test_the_network_pages_list_networks_and_members(client, rostock):
    overview = page(client, "/en/networks/")
    for slug in (
        "union-of-the-baltic-cities",
        "peace-messenger-cities",
        "memory-cities",
        "crisis-management-network",
    ):
        assert f'href="/en/networks/{slug}/"' in overview
    crisis = page(client, "/en/networks/crisis-management-network/")
    assert "Rostock Fire Department" in crisis
    members = re.search(r'<ul class="member-list">(.*?)</ul>', crisis, re.S).group(1)
    assert members.count("<li>") == 22
    assert 'href="/en/partners/riga/"' in members
    assert "Vilnius" in members and 'href="/en/partners/vilnius/"' not in members
    german = page(client, "/de/networks/crisis-management-network/")
    assert "Brandschutz- und Rettungsamt" in german


@pytest.mark.parametrize(
    "url",
    [
        "/de/partners/atlantis/",
        "/de/networks/atlantis/",
        "/en/partners/Bad%20Slug/",
        "/en/networks/" + "a" * 100 + "/",
    ],
)
def test_unknown_cities_and_networks_are_not_found(client, url):
    assert client.get(url).status_code == 404


def test_markup_in_names_is_escaped(client, staff_client, make_city):
    city = make_city("boese", "<script>alert(1)</script>", description="<script>alert(2)</script>")
    network = Network(slug="netz")
    network.set_text("de", name="<script>alert(3)</script>")
    network.members.append(NetworkMember(name="<script>alert(4)</script>", position=0))
    db.session.add(network)
    db.session.commit()
    editor = staff_client("editor")
    for browser, url in [
        (client, "/de/partners/"),
        (client, "/de/partners/boese/"),
        (client, "/de/networks/"),
        (client, "/de/networks/netz/"),
        (editor, "/admin/cities/"),
        (editor, f"/admin/cities/{city.id}/edit"),
        (editor, "/admin/networks/"),
        (editor, f"/admin/networks/{network.id}/edit"),
    ]:
        html = browser.get(url).get_data(as_text=True)
        assert "<script>alert" not in html, url
        assert "&lt;script&gt;alert" in html, url


def test_seed_directory_for_rostock_gives_the_citys_figures(app, rostock):
    assert figures(db.session) == Figures(14, 13, 5, 5)
    with app.test_request_context("/en/"):
        assert list(headline(figures(db.session), "en").values()) == [
            "14 partner cities in 13 countries",
            "5 befriended cities in 5 countries",
        ]
        german = list(headline(figures(db.session), "de").values())
        assert german == ["14 Partnerstädte in 13 Ländern", "5 befreundete Städte in 5 Ländern"]
        assert list(headline(Figures(1, 1), "de").values()) == ["1 Partnerstadt in 1 Land"]
    szczecin = db.session.scalar(select(City).where(City.slug == "szczecin"))
    assert szczecin.source == "rathaus.rostock.de/en/international_relations/twin_cities (Szczecin)"
    names = {
        c.slug: (c.text("name", "de"), c.text("name", "en"))
        for c in db.session.scalars(select(City))
    }
    assert names["gothenburg"] == ("Göteborg", "Gothenburg")
    assert names["antwerp"] == ("Antwerpen", "Antwerp")
    assert names["dunkirk"] == ("Dünkirchen", "Dunkirk")
    assert names["aarhus"] == ("Aarhus", "Aarhus")


def test_unconfirmed_facts_are_left_out(app, rostock):
    kaliningrad = db.session.scalar(select(City).where(City.slug == "kaliningrad"))
    assert kaliningrad.since is None  # "current status not checked"
    assert "status" not in kaliningrad.text("description", "en") and "1999" not in kaliningrad.text(
        "description", "de"
    )
    seed_directory(db.session, "osnabrueck")
    vila_real = db.session.scalar(select(City).where(City.slug == "vila-real"))
    assert vila_real.since is None  # "year from a single secondary source"
    assert "1989" not in vila_real.text("description", "de") + vila_real.text("description", "en")
    assert "secondary" not in vila_real.text("description", "en")


def test_seed_directory_for_osnabrueck_loads_its_cities_and_no_networks(app):
    added = seed_directory(db.session, "osnabrueck")
    db.session.commit()
    assert len(added) == 11
    assert figures(db.session) == Figures(7, 7, 4, 4)
    assert db.session.scalar(select(func.count()).select_from(Network)) == 0
    haarlem = db.session.scalar(select(City).where(City.slug == "haarlem"))
    assert (haarlem.since, haarlem.country) == (1961, "NL")
    assert (
        db.session.scalar(select(City).where(City.slug == "canakkale")).text("name", "de")
        == "Çanakkale"
    )


def test_seed_directory_twice_adds_nothing(app, rostock):
    def counts() -> list[int]:
        return [
            db.session.scalar(select(func.count()).select_from(m))
            for m in (City, CityText, Network, NetworkMember)
        ]

    assert counts() == [19, 38, 4, 22]
    assert seed_directory(db.session, "rostock") == []
    db.session.commit()
    assert counts() == [19, 38, 4, 22]
    crisis = db.session.scalar(select(Network).where(Network.slug == "crisis-management-network"))
    assert [m.name for m in crisis.members if m.city is not None] == ["Riga"]
    ubc = db.session.scalar(select(Network).where(Network.slug == "union-of-the-baltic-cities"))
    assert "ca. 100 Mitgliedsstädte" in ubc.text("description", "de") and ubc.founded == 1991
