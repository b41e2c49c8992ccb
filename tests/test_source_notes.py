"""Where the directory's facts come from ("seed 002/004; rathaus.rostock.de/…")
is a note for the editors: the staff lists show it, the public pages do not."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from extensions import db
from models import City, Network
from services.demo_directory import seed_directory


@pytest.fixture
def rostock(app) -> None:
    seed_directory(db.session, "rostock")
    db.session.commit()


@pytest.mark.parametrize("lang", ["de", "en"])
def test_source_notes_stay_off_the_public_city_and_network_pages(client, rostock, lang):
    records = [*db.session.scalars(select(City)), *db.session.scalars(select(Network))]
    assert all(record.source for record in records)
    for record in records:
        kind = "partners" if isinstance(record, City) else "networks"
        html = client.get(f"/{lang}/{kind}/{record.slug}/").get_data(as_text=True)
        assert record.source not in html, record.slug
        assert "seed 00" not in html, record.slug


def test_the_staff_lists_show_the_source_notes(staff_client, rostock):
    editor = staff_client("editor")
    cities = editor.get("/admin/cities/").get_data(as_text=True)
    for city in db.session.scalars(select(City)):
        assert city.source in cities, city.slug
    networks = editor.get("/admin/networks/").get_data(as_text=True)
    for network in db.session.scalars(select(Network)):
        assert network.source in networks, network.slug
    assert "seed 002/004; rathaus.rostock.de/en/" in networks
