"""Odd requests get ordinary answers: query arguments named like url_for's
options or like path values, text fields posted as file parts, and an error
while rendering the error page itself."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

import pytest
from flask_wtf import FlaskForm
from sqlalchemy import func, select

from blueprints import errors
from blueprints.forms import AppForm
from blueprints.registration.forms import RegistrationCreateForm
from blueprints.support.forms import SupportApplicationCreateForm
from extensions import db
from models import City, Registration, Relation, SupportApplication
from tests.conftest import csrf_token, registration_form
from tests.test_hardening import assert_secure_headers
from tests.test_support_applications import APPLY, application_form

PUBLIC_PAGES = [
    "/de/",
    "/en/",
    "/de/events/",
    "/en/events/?archive=1",
    "/de/events/forumtheater/",
    "/en/events/forumtheater/register",
    "/de/news/",
    "/de/partners/",
    "/en/networks/",
    "/de/support/apply",
    "/de/privacy",
    "/en/imprint",
    "/de/accessibility",
    "/de/leichte-sprache",
    "/de/no-such-page",
    "/en/events/no-such-event/",
]
URL_FOR_OPTIONS = ["_method=POST", "_external=1", "_scheme=javascript", "_anchor=x", "lang=fr"]


def language_link(html: str, lang: str) -> str:
    found = re.search(rf'<a href="([^"]+)" hreflang="{lang}"', html)
    assert found, "no language link"
    return found.group(1).replace("&amp;", "&")


# --- query arguments ---------------------------------------------------------


@pytest.mark.parametrize("option", URL_FOR_OPTIONS)
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_query_arguments_named_like_url_for_options_change_nothing(
    client, make_event, path, option
):
    make_event()
    plain = client.get(path)
    odd = client.get(f"{path}{'&' if '?' in path else '?'}{option}")
    assert odd.status_code == plain.status_code < 500
    assert_secure_headers(odd, path)


def test_a_query_argument_never_changes_the_page_the_language_link_names(client, make_event):
    make_event()
    html = client.get("/de/events/forumtheater/?slug=zzz&lang=fr").get_data(as_text=True)
    assert language_link(html, "en") == "/en/events/forumtheater/"


def test_the_language_link_keeps_a_meaningful_query_string(client, make_event):
    html = client.get("/de/events/?archive=1&page=2&_method=POST").get_data(as_text=True)
    assert language_link(html, "en") == "/en/events/?archive=1&page=2&_method=POST"
    html = client.get("/en/partners/?country=PL&relation=partner").get_data(as_text=True)
    assert language_link(html, "de") == "/de/partners/?country=PL&relation=partner"


# --- the error page itself ---------------------------------------------------


@pytest.fixture
def broken_error_page(app, monkeypatch):
    """The error page's template fails to render, as any template can."""

    def fail(*args, **kwargs):
        raise RuntimeError("the error page is broken")

    monkeypatch.setattr(errors, "render_template", fail)

    def boom():
        raise RuntimeError("an unexpected failure")

    app.add_url_rule("/boom", "boom", boom)
    return app


@pytest.mark.parametrize(("path", "status"), [("/de/no-such-page", 404), ("/boom", 500)])
def test_an_error_while_rendering_the_error_page_still_answers_a_minimal_page(
    broken_error_page, client, path, status
):
    response = client.get(path)
    assert response.status_code == status
    assert_secure_headers(response, path)
    html = response.get_data(as_text=True)
    assert f"Fehler {status}" in html and "RuntimeError" not in html


# --- file parts in text fields -----------------------------------------------


def file_part(text: str = "x") -> tuple[io.BytesIO, str]:
    return io.BytesIO(text.encode()), "field.txt"


def form_fields(app, form_class, url: str, **kwargs) -> list[str]:
    """The names of the fields a form reads, from the form class itself."""
    with app.test_request_context(url):
        form = form_class(formdata=None, **kwargs)
        return [field.name for field in form if field.name != "csrf_token"]


def registrations() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Registration)) or 0


def applications() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(SupportApplication)) or 0


REGISTER = "/de/events/forumtheater/register"


OPTIONAL_REGISTRATION_FIELDS = {
    "guardian_name",
    "guardian_email",
    "phone",
    "notes",
    "photo_consent",
    "website",
}


def test_any_registration_field_sent_as_a_file_part_is_empty_never_a_server_error(
    app, client, make_event
):
    """A file part is no text: a required field is missing (422, nothing
    stored), an optional one is left empty."""
    event = make_event()
    token = csrf_token(client, REGISTER)
    fields = form_fields(app, RegistrationCreateForm, REGISTER, event=event)
    assert {"email", "notes", "date_of_birth", "privacy_consent"} <= set(fields)
    for number, name in enumerate(fields):
        email = f"lena{number}@example.org"
        valid = registration_form(email=email, notes="Hallo", phone="0381 1234")
        before = registrations()
        data = {"csrf_token": token, **valid, name: file_part(str(valid.get(name, "x")))}
        response = client.post(REGISTER, data=data, content_type="multipart/form-data")
        if name in OPTIONAL_REGISTRATION_FIELDS:
            assert response.status_code == 303, name
        else:
            assert response.status_code == 422, name
            assert registrations() == before, name
    stored = db.session.scalars(select(Registration)).all()
    without_notes = {r.email for r in stored if r.notes is None}
    assert without_notes == {f"lena{fields.index('notes')}@example.org"}
    without_phone = {r.email for r in stored if r.phone is None}
    assert without_phone == {f"lena{fields.index('phone')}@example.org"}


def test_a_file_part_named_privacy_consent_is_no_consent(client, make_event):
    make_event()
    data = {"csrf_token": csrf_token(client, REGISTER), **registration_form()}
    data["privacy_consent"] = file_part("y")
    response = client.post(REGISTER, data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Datenschutz" in response.get_data(as_text=True)
    assert registrations() == 0


def test_a_real_multipart_registration_still_works(client, make_event):
    make_event()
    data = {"csrf_token": csrf_token(client, REGISTER), **registration_form()}
    response = client.post(REGISTER, data=data, content_type="multipart/form-data")
    assert response.status_code == 303
    assert registrations() == 1


def test_any_support_field_sent_as_a_file_part_is_empty_never_a_server_error(
    app, client, time_machine
):
    time_machine.move_to(datetime(2026, 6, 15, 10, 0, tzinfo=UTC), tick=False)
    city = City(slug="szczecin", country="PL", relation=Relation.PARTNER)
    city.set_text("de", name="Stettin")
    db.session.add(city)
    db.session.commit()
    token = csrf_token(client, APPLY)
    fields = form_fields(app, SupportApplicationCreateForm, APPLY)
    assert {"description", "starts_on", "amount_requested", "privacy_consent"} <= set(fields)
    valid = application_form()
    for name in fields:
        before = applications()
        data = {"csrf_token": token, **valid, name: file_part(valid.get(name, "x"))}
        response = client.post(APPLY, data=data, content_type="multipart/form-data")
        if name in {"phone", "website"}:
            assert response.status_code == 303, name
        else:
            assert response.status_code == 422, name
            assert applications() == before, name


@pytest.mark.parametrize("name", ["email", "password"])
def test_sign_in_fields_sent_as_file_parts_are_refused_without_a_server_error(
    client, make_user, name
):
    user = make_user("admin")
    data = {"csrf_token": csrf_token(client, "/admin/login"), "email": user.email}
    data |= {"password": "correct horse battery staple", name: file_part()}
    response = client.post("/admin/login", data=data, content_type="multipart/form-data")
    assert 400 <= response.status_code < 500


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    return found | {sub for child in found for sub in _subclasses(child)}


def test_every_form_reads_text_from_the_form_body_alone(app):
    """One base class decides where form data comes from; a form built on
    Flask-WTF's directly would read file parts and JSON bodies as text."""
    forms = {cls for cls in _subclasses(FlaskForm) if cls.__module__.startswith("blueprints.")}
    assert len(forms) > 15
    assert {cls.__name__ for cls in forms if not issubclass(cls, AppForm)} == set()
