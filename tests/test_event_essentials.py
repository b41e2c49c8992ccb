"""The essentials of an event for visitors: address (a link to
OpenStreetMap, nothing loaded from there), price ("free" when empty), a
public contact, and the partner city or network it belongs to."""

from __future__ import annotations

import re

from sqlalchemy import select

from extensions import db
from models import City, Event, Network, Relation
from tests.conftest import submit
from tests.test_admin_events import NOW, event_form, organiser  # noqa: F401 (fixture)


def _raleigh_and_network() -> tuple[City, Network]:
    city = City(slug="raleigh", country="US", relation=Relation.PARTNER)
    city.set_text("de", name="Raleigh")
    network = Network(slug="union-of-the-baltic-cities")
    network.set_text("de", name="Union der Ostseestädte")
    network.set_text("en", name="Union of the Baltic Cities")
    db.session.add_all([city, network])
    db.session.commit()
    return city, network


def test_the_event_page_shows_address_price_contact_and_partner_city(organiser, client):
    city, network = _raleigh_and_network()
    form = event_form(
        venue_address="Neuer Markt 1, 18055 Rostock",
        price_de="5 € inkl. Mittagessen",
        price_en="€5 incl. lunch",
        contact_name="Fachbereich Internationales",
        contact_email="international@example.org",
        city_id=str(city.id),
        network_id=str(network.id),
    )
    assert submit(organiser, "/admin/events/new", form).status_code == 303
    event = db.session.scalar(select(Event).where(Event.slug == "forumtheater-2026"))
    assert (event.venue_address, event.contact_email) == (
        "Neuer Markt 1, 18055 Rostock",
        "international@example.org",
    )
    assert (event.city_id, event.network_id) == (city.id, network.id)

    german = client.get("/de/events/forumtheater-2026/").get_data(as_text=True)
    assert "Neuer Markt 1, 18055 Rostock" in german
    link = re.search(r'href="(https://www\.openstreetmap\.org/[^"]+)"', german).group(1)
    assert (
        link == "https://www.openstreetmap.org/search?query=Neuer%20Markt%201%2C%2018055%20Rostock"
    )
    assert "5 € inkl. Mittagessen" in german
    assert 'href="mailto:international@example.org"' in german
    assert 'href="/de/partners/raleigh/"' in german and ">Raleigh</a>" in german
    assert ">Union der Ostseestädte</a>" in german
    # Nothing is loaded from OpenStreetMap: it is a link, not an image or frame.
    assert not re.search(r"<(img|iframe|script)[^>]+openstreetmap", german)

    english = client.get("/en/events/forumtheater-2026/").get_data(as_text=True)
    assert "€5 incl. lunch" in english and ">Union of the Baltic Cities</a>" in english
    listing = client.get("/en/events/").get_data(as_text=True)
    assert "€5 incl. lunch" in listing


def test_an_event_without_a_price_is_free_in_both_languages(organiser, client):
    assert submit(organiser, "/admin/events/new", event_form()).status_code == 303
    german = client.get("/de/events/forumtheater-2026/").get_data(as_text=True)
    assert "<dt>Preis</dt><dd>Kostenlos</dd>" in german
    english = client.get("/en/events/forumtheater-2026/").get_data(as_text=True)
    assert "<dt>Price</dt><dd>Free</dd>" in english
    assert "openstreetmap" not in english  # no address, no link


def test_a_bad_contact_address_or_unknown_city_is_refused_and_the_form_keeps_its_input(
    organiser,
):
    response = submit(
        organiser,
        "/admin/events/new",
        event_form(contact_email="not an address", city_id="999999", price_de="10 €"),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Bitte geben Sie eine gültige E-Mail-Adresse ein" in html
    assert "Keine gültige Auswahl" in html or "Not a valid choice" in html
    assert 'value="10 €"' in html
    assert db.session.scalar(select(Event.id)) is None


def test_the_next_edition_keeps_the_essentials(organiser):
    city, _ = _raleigh_and_network()
    form = event_form(venue_address="Neuer Markt 1, 18055 Rostock", city_id=str(city.id))
    submit(organiser, "/admin/events/new", form)
    event = db.session.scalar(select(Event).where(Event.slug == "forumtheater-2026"))
    page = organiser.get(f"/admin/events/{event.id}/duplicate").get_data(as_text=True)
    assert 'value="Neuer Markt 1, 18055 Rostock"' in page
    assert re.search(rf'<option selected value="{city.id}">Raleigh</option>', page)
