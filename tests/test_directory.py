"""The partner-city directory: figures computed from the data, plurals, filters,
the map, city and network pages, the staff forms and the demo data."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask import render_template
from sqlalchemy import func, select

from extensions import db
from models import AuditEntry, City, CityText, Network, NetworkMember, Relation
from services.city_map import map_svg
from services.demo_directory import seed_directory
from services.directory import Figures, city_profile, figures, headline, home_city, teaser
from tests.conftest import csrf_token, submit

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


def test_the_map_is_an_accessible_figure_with_a_labelled_point_per_city(client, make_city):
    make_city("szczecin", "Stettin", name_en="Szczecin", latitude=53.43, longitude=14.55)
    make_city(
        "karlskrona",
        "Karlskrona",
        country="SE",
        relation=Relation.FRIENDSHIP,
        latitude=56.16,
        longitude=15.59,
    )
    html = page(client, "/en/partners/")
    svg = SVG.search(html).group(0)
    assert 'role="group"' in svg  # a labelled figure whose links stay reachable
    assert (
        'aria-labelledby="directory-map-title"' in svg and '<title id="directory-map-title">' in svg
    )
    assert (
        'aria-describedby="directory-map-desc"' in svg and '<desc id="directory-map-desc">' in svg
    )
    assert "http" not in svg.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )  # no external resources
    points = re.findall(r'<([ga]) class="map-point map-(\w+)"[^>]*>(.*?)</\1>', svg, re.S)
    points = [(kind, body) for _, kind, body in points]
    labels = {re.search(r">([^<]+)</text>", body).group(1): kind for kind, body in points}
    assert labels == {"Rostock": "home", "Szczecin": "partner", "Karlskrona": "friendship"}
    for kind, body in points:
        if kind != "home":
            assert re.search(r'<circle cx="[\d.]+" cy="[\d.]+"', body)
    partner = next(body for kind, body in points if kind == "partner")
    friendship = next(body for kind, body in points if kind == "friendship")
    assert (
        'fill="#ffffff"' in friendship and 'fill="#ffffff"' not in partner
    )  # ring vs filled, not only colour
    assert listed_slugs(html) == ["szczecin", "karlskrona"]  # and as text below the map


def test_every_seeded_city_is_labelled_once_on_the_map_and_listed(client, rostock):
    html = page(client, "/en/partners/")
    svg = SVG.search(html).group(0)
    labels = re.findall(
        r'<a class="map-point map-(?:partner|friendship)" href="[^"]+">'
        r"<title>[^<]*</title>(?:<line[^>]*/>)?<circle[^>]*/><text[^>]*>([^<]+)</text>",
        svg,
    )
    names = set(db.session.scalars(select(CityText.name).where(CityText.lang == "en")))
    assert sorted(labels) == sorted(names)
    assert len(labels) == 19 and len(listed_slugs(html)) == 19
    assert "Around Rostock" in svg  # far cities get an overview below the detail map


def test_a_city_without_coordinates_is_listed_but_not_drawn(client, make_city):
    make_city("nowhere", "Irgendwo", latitude=None, longitude=None)
    html = page(client, "/en/partners/")
    assert listed_slugs(html) == ["nowhere"]
    assert "Irgendwo" not in SVG.search(html).group(0)


def test_the_home_city_is_a_setting_with_its_point_from_the_data(app, make_city):
    rostock, osnabrueck = city_profile("rostock"), city_profile("osnabrueck")
    assert (rostock.name, rostock.timezone, rostock.latitude, rostock.longitude) == (
        "Rostock",
        "Europe/Berlin",
        54.09,
        12.14,
    )
    assert rostock.logo_text == "Hanse- und Universitätsstadt Rostock"
    assert (osnabrueck.name, osnabrueck.timezone, osnabrueck.latitude) == (
        "Osnabrück",
        "Europe/Berlin",
        52.27,
    )
    with pytest.raises(KeyError):
        city_profile("berlin")
    app.config.update(CITY_KEY="osnabrueck", CITY_NAME="Osnabrück")
    city = make_city("haarlem", "Haarlem", country="NL", latitude=52.38, longitude=4.64)
    with app.test_request_context("/de/"):
        svg = str(map_svg(home_city(), [city], "de"))
    assert re.search(r'<g class="map-point map-home">.*?Osnabrück</text>', svg, re.S)


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


def city_form(**overrides) -> dict:
    return {
        "slug": "szczecin",
        "name_de": "Stettin",
        "name_en": "Szczecin",
        "description_de": "Partnerstadt seit 1957.",
        "country": "PL",
        "relation": "partner",
        "since": "1957",
        "website": "https://www.szczecin.eu/",
        "latitude": "53,43",
        "longitude": "14.55",
        "source": "rathaus.rostock.de",
    } | overrides


def stored_city(slug: str = "szczecin") -> City | None:
    db.session.rollback()
    return db.session.scalar(select(City).where(City.slug == slug))


def test_an_editor_creates_and_edits_a_city_and_both_are_audited(staff_client, client):
    editor = staff_client("editor")
    assert 'href="/admin/cities/"' in editor.get("/admin/").get_data(as_text=True)
    assert submit(editor, "/admin/cities/new", city_form()).status_code == 303
    city = stored_city()
    assert (city.country, city.relation, city.since, city.latitude, city.longitude) == (
        "PL",
        Relation.PARTNER,
        1957,
        53.43,
        14.55,
    )
    assert (city.text("name", "de"), city.text("name", "en"), city.website) == (
        "Stettin",
        "Szczecin",
        "https://www.szczecin.eu/",
    )
    edit = f"/admin/cities/{city.id}/edit"
    assert 'value="Stettin"' in editor.get(edit).get_data(as_text=True)
    assert submit(editor, edit, city_form(since="", relation="friendship")).status_code == 303
    city = stored_city()
    assert (city.since, city.relation) == (None, Relation.FRIENDSHIP)
    actions = list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["city.create", "city.update"]
    assert "1 befriended city in 1 country" in page(client, "/en/partners/")


@pytest.mark.parametrize(
    "website",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html,<b>x</b>",
        "ftp://example.org/",
        "//evil.example/",
        "https://",
        "www.szczecin.eu",
    ],
)
def test_a_website_must_be_an_http_address(staff_client, website):
    editor = staff_client("editor")
    response = submit(editor, "/admin/cities/new", city_form(website=website), headers=ENGLISH)
    assert response.status_code == 422
    assert "Please enter a web address that starts with https:// or http://." in response.get_data(
        as_text=True
    )
    assert stored_city() is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("country", "XX", "Please choose a country from the list."),
        ("country", "EU", "Please choose a country from the list."),
        ("since", "1899", "Please enter a year from 1900 to"),
        ("since", str(date.today().year + 1), "Please enter a year from 1900 to"),
        ("latitude", "91", "Please enter a number from -90 to 90."),
        ("longitude", "-180.5", "Please enter a number from -180 to 180."),
        ("latitude", "north", "Please enter a number in decimal degrees"),
        ("slug", "Stettin!", "Use lowercase letters, digits and single hyphens only"),
        ("name_de", "", "Please fill in this field."),
        ("relation", "enemy", "Not a valid choice"),
    ],
)
def test_an_invalid_city_is_refused_with_a_message(staff_client, field, value, message):
    response = submit(
        staff_client("editor"), "/admin/cities/new", city_form(**{field: value}), headers=ENGLISH
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert stored_city() is None


def test_a_city_slug_is_used_only_once(staff_client, make_city):
    make_city("szczecin", "Stettin")
    response = submit(staff_client("editor"), "/admin/cities/new", city_form(), headers=ENGLISH)
    assert response.status_code == 422
    assert "This web address is already used." in response.get_data(as_text=True)


def test_an_editor_keeps_a_network_with_members_linked_by_name(staff_client, make_city, client):
    make_city("riga", "Riga", country="LV")
    editor = staff_client("admin")
    form = {
        "slug": "krisen",
        "name_de": "Städtenetzwerk Krisenmanagement",
        "founded": "2003",
        "members": "Riga\n\nVilnius\nriga\n",
        "website": "https://example.org/",
    }
    assert submit(editor, "/admin/networks/new", form).status_code == 303
    db.session.rollback()
    network = db.session.scalar(select(Network).where(Network.slug == "krisen"))
    assert [(m.name, m.city is not None) for m in network.members] == [
        ("Riga", True),
        ("Vilnius", False),
    ]
    assert (
        submit(
            editor, f"/admin/networks/{network.id}/edit", form | {"members": "Vilnius"}
        ).status_code
        == 303
    )
    db.session.rollback()
    assert [m.name for m in db.session.get(Network, network.id).members] == ["Vilnius"]
    assert list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id))) == [
        "network.create",
        "network.update",
    ]
    vilnius = city_form(slug="vilnius", name_de="Vilnius", name_en="", country="LT")
    assert submit(editor, "/admin/cities/new", vilnius).status_code == 303  # links the member
    assert 'href="/de/partners/vilnius/"' in page(client, "/de/networks/krisen/")
    refused = submit(
        editor, "/admin/networks/new", form | {"slug": "neu", "website": "javascript:alert(1)"}
    )
    assert refused.status_code == 422


def test_organisers_may_not_open_the_directory_pages(staff_client, make_city, app):
    city = make_city("szczecin", "Stettin")
    network = Network(slug="netz")
    network.set_text("de", name="Netz")
    db.session.add(network)
    db.session.commit()
    organiser = staff_client("organiser")
    urls = [
        "/admin/cities/",
        "/admin/cities/new",
        f"/admin/cities/{city.id}/edit",
        "/admin/networks/",
        "/admin/networks/new",
        f"/admin/networks/{network.id}/edit",
    ]
    for url in urls:
        assert organiser.get(url).status_code == 403, url
    token = csrf_token(organiser, "/admin/login")
    for url in urls[1:3] + urls[4:]:
        assert organiser.post(url, data={"csrf_token": token} | city_form()).status_code == 403, url
    editor = staff_client("editor")
    for url in urls:
        assert editor.get(url).status_code == 200, url
    anonymous = app.test_client()
    assert anonymous.get("/admin/cities/").location.startswith("/admin/login")
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0


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
