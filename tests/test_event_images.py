"""An event's optional image: the same pipeline as the announcements' images
(checked, re-encoded, stored under a random name), a description required,
shown on the page and the list, and private while the event is a draft."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import pytest
from sqlalchemy import select

from extensions import db
from models import Event
from tests.conftest import submit
from tests.test_admin_events import event_form, organiser  # noqa: F401 (fixture)
from tests.test_news import image_bytes


@pytest.fixture
def app(app, tmp_path):
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "uploads")
    return app


def uploads(app) -> list[Path]:
    folder = Path(app.config["UPLOAD_FOLDER"])
    return sorted(folder.iterdir()) if folder.exists() else []


def saved_event() -> Event:
    return db.session.scalar(select(Event).where(Event.slug == "forumtheater-2026"))


def with_image(**overrides) -> dict:
    return (
        event_form(
            image=(BytesIO(image_bytes()), "Rathaus.PNG"),
            image_alt_de="Der Festsaal des Rathauses",
            image_alt_en="The town hall's festive hall",
        )
        | overrides
    )


def test_the_image_shows_on_the_page_and_the_list_with_its_description(app, organiser, client):
    response = submit(
        organiser, "/admin/events/new", with_image(), content_type="multipart/form-data"
    )
    assert response.status_code == 303
    event = saved_event()
    assert re.fullmatch(r"[A-Za-z0-9_-]+\.png", event.image_filename)
    assert [path.name for path in uploads(app)] == [event.image_filename]

    page = client.get("/de/events/forumtheater-2026/").get_data(as_text=True)
    src = f"/media/{event.image_filename}"
    assert f'src="{src}" alt="Der Festsaal des Rathauses"' in page
    english = client.get("/en/events/forumtheater-2026/").get_data(as_text=True)
    assert 'alt="The town hall&#39;s festive hall"' in english
    listing = client.get("/de/events/").get_data(as_text=True)
    assert f'<img class="card-image" src="{src}" alt=""' in listing  # the title says what it is
    with client.get(src) as image:
        assert image.status_code == 200 and image.mimetype == "image/png"


def test_an_image_without_a_description_is_refused_and_nothing_is_stored(app, organiser):
    response = submit(
        organiser,
        "/admin/events/new",
        with_image(image_alt_de="", image_alt_en=""),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Bitte beschreiben Sie das Bild" in response.get_data(as_text=True)
    assert saved_event() is None and uploads(app) == []


def test_a_file_that_is_no_image_is_refused_as_a_field_error(app, organiser):
    response = submit(
        organiser,
        "/admin/events/new",
        with_image(image=(BytesIO(b"%PDF-1.4 not an image"), "programm.png")),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Diese Datei ist kein Bild im Format JPEG, PNG oder WebP" in response.get_data(
        as_text=True
    )
    assert saved_event() is None and uploads(app) == []


def test_a_draft_keeps_its_image_private(app, organiser, client):
    submit(
        organiser,
        "/admin/events/new",
        with_image(status="draft"),
        content_type="multipart/form-data",
    )
    src = f"/media/{saved_event().image_filename}"
    assert client.get(src).status_code == 404  # a visitor
    with organiser.get(src) as preview:
        assert preview.status_code == 200  # its organiser previews it


def test_replacing_or_removing_the_image_deletes_the_old_file(app, organiser):
    submit(organiser, "/admin/events/new", with_image(), content_type="multipart/form-data")
    event = saved_event()
    first = event.image_filename
    edit = f"/admin/events/{event.id}/edit"
    replaced = with_image(image=(BytesIO(image_bytes((10, 10))), "neu.png"))
    assert submit(organiser, edit, replaced, content_type="multipart/form-data").status_code == 303
    db.session.refresh(event)
    assert event.image_filename != first
    assert [path.name for path in uploads(app)] == [event.image_filename]

    removed = event_form(remove_image="y", image_alt_de="")
    assert submit(organiser, edit, removed, content_type="multipart/form-data").status_code == 303
    db.session.refresh(event)
    assert event.image_filename is None and uploads(app) == []
    assert all(row.image_alt is None for row in event.texts.values())
