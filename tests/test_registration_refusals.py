"""The registration form refuses the wrong event, a missing CSRF token and a
missing guardian, in the visitor's language, and stores nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from extensions import db
from models import EventStatus, Registration
from tests.conftest import csrf_token, registration_form, submit
from tests.form_page import (
    EN_URL,
    NOT_FOUND_DE,
    URL,
    assert_refused,
    born_aged,
    stored,
)


@pytest.fixture
def event(make_event):
    return make_event(slug="forumtheater", capacity=10)


# --- which event -------------------------------------------------------------


@pytest.mark.parametrize(
    "slug",
    [
        "gibt-es-nicht",
        "..%2F..%2Fetc",
        "..%2F..%2Fetc%2Fpasswd",
        "%2e%2e",
        "forumtheater%27%20OR%20%271%27%3D%271",
        "%C3%A4%F0%9F%8E%AD",
        "%FF",
        "x" * 5000,
    ],
    ids=[
        "unknown",
        "dotdot-etc",
        "dotdot-passwd",
        "dotdot",
        "sql-quote",
        "unicode",
        "byte-FF",
        "5000-chars",
    ],
)
def test_unknown_or_forged_event_slug_is_a_404_page_and_stores_nothing(client, event, slug):
    token = csrf_token(client, URL)
    url = f"/de/events/{slug}/register"
    for response in (
        client.get(url),
        client.post(url, data={"csrf_token": token, **registration_form()}),
    ):
        assert response.status_code == 404
        assert NOT_FOUND_DE in response.get_data(as_text=True)
    assert client.get(f"/de/events/{slug}/").status_code == 404
    assert stored() == 0


@pytest.mark.parametrize("slug", ["%00", "forumtheater%00", "forum%00theater"])
def test_event_slug_with_a_nul_byte_is_a_404_page_and_stores_nothing(client, event, slug):
    """PostgreSQL refuses strings with NUL: such a slug must not reach it as a 500."""
    token = csrf_token(client, URL)
    for url in (f"/de/events/{slug}/", f"/de/events/{slug}.ics", f"/de/events/{slug}/register"):
        assert client.get(url).status_code == 404, url
    response = client.post(
        f"/de/events/{slug}/register", data={"csrf_token": token, **registration_form()}
    )
    assert response.status_code == 404
    assert NOT_FOUND_DE in response.get_data(as_text=True)
    assert stored() == 0


def test_a_draft_event_takes_no_registrations(client, event, make_event):
    make_event(slug="entwurf", status=EventStatus.DRAFT)
    token = csrf_token(client, URL)
    for response in (
        client.get("/de/events/entwurf/register"),
        client.post(
            "/de/events/entwurf/register", data={"csrf_token": token, **registration_form()}
        ),
        client.get("/de/events/entwurf/"),
    ):
        assert response.status_code == 404
        assert NOT_FOUND_DE in response.get_data(as_text=True)
    assert stored() == 0


def test_a_cancelled_event_takes_no_registrations(client, event, make_event):
    make_event(slug="abgesagt", status=EventStatus.CANCELLED)
    token = csrf_token(client, URL)
    response = client.post(
        "/de/events/abgesagt/register", data={"csrf_token": token, **registration_form()}
    )
    assert 400 <= response.status_code < 500
    assert stored() == 0


# --- CSRF --------------------------------------------------------------------


@pytest.mark.parametrize("token", ["absent", "empty", "forged", "no-session"])
def test_post_without_a_valid_csrf_token_is_refused_with_400(app, client, event, token):
    assert app.config.get("WTF_CSRF_ENABLED", True) is True
    if token != "no-session":
        csrf_token(client, URL)  # a session exists, as after loading the form
    data = registration_form()
    if token == "empty":
        data["csrf_token"] = ""
    elif token == "forged":
        data["csrf_token"] = (
            "IjAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAi.aaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbb"
        )
    response = client.post(URL, data=data)
    assert response.status_code == 400
    assert "Das Formular war zu lange geöffnet" in response.get_data(as_text=True)
    assert stored() == 0


def test_a_valid_csrf_token_is_accepted(client, event):
    """The counterpart of the CSRF refusals: the same post with the token."""
    assert submit(client, URL, registration_form()).status_code == 303
    assert stored() == 1


# --- guardian ----------------------------------------------------------------

GUARDIAN_NAME_DE = ("Teilnehmende unter 16 Jahren", "Bitte geben Sie deren Namen an.")
GUARDIAN_EMAIL_DE = ("Teilnehmende unter 16 Jahren", "Bitte geben Sie deren E-Mail-Adresse an.")
GUARDIAN_DIFFERS_DE = "muss sich von der Adresse der teilnehmenden Person unterscheiden."


@pytest.mark.parametrize(
    ("guardian", "field", "message"),
    [
        ({"guardian_email": "mama@example.org"}, "guardian_name", GUARDIAN_NAME_DE),
        ({"guardian_name": "Anna Schröder"}, "guardian_email", GUARDIAN_EMAIL_DE),
        (
            {"guardian_name": "Anna Schröder", "guardian_email": "lena@example.org"},
            "guardian_email",
            GUARDIAN_DIFFERS_DE,
        ),
        (
            {"guardian_name": "Anna Schröder", "guardian_email": "LENA@Example.ORG"},
            "guardian_email",
            GUARDIAN_DIFFERS_DE,
        ),
        (
            {"guardian_name": "Anna Schröder", "guardian_email": " Lena@example.org "},
            "guardian_email",
            GUARDIAN_DIFFERS_DE,
        ),
    ],
    ids=["no-name", "no-email", "same-email", "same-email-other-case", "same-email-with-spaces"],
)
def test_fifteen_year_old_needs_a_guardian_with_an_own_email(
    client, event, guardian, field, message
):
    response = submit(client, URL, registration_form(date_of_birth=born_aged(15), **guardian))
    kept = {"first_name": "Lena", "date_of_birth": born_aged(15)} | {
        name: value.strip() for name, value in guardian.items()
    }
    assert_refused(response, field, message, kept=kept)


@pytest.mark.parametrize(
    ("participant", "guardian"),
    [
        ("kid@example.org", "kid@ｅｘａｍｐｌｅ.org"),
        ("kid@example.org", "ＫＩＤ@Example.org"),
        ("Kid@Example.org", "kid@EXAMPLE.ORG"),
        ("kind@bücher.de", "KIND@xn--bcher-kva.de"),
        ("strasse@example.org", "Straße@example.org"),
    ],
    ids=["fullwidth-domain", "fullwidth-local-part", "case", "idna-domain", "case-folded-sharp-s"],
)
def test_a_guardian_address_of_the_participants_own_mailbox_is_refused(
    client, event, participant, guardian
):
    """Mail servers deliver all these spellings to one mailbox: the
    participant would receive the consent request and consent themselves."""
    form = registration_form(
        email=participant,
        date_of_birth=born_aged(15),
        guardian_name="Anna Schröder",
        guardian_email=guardian,
    )
    response = submit(client, URL, form)
    assert_refused(
        response, "guardian_email", GUARDIAN_DIFFERS_DE, kept={"guardian_email": guardian}
    )


def test_fifteen_year_old_with_a_guardian_is_accepted_and_the_guardian_stored(client, event):
    form = registration_form(
        date_of_birth=born_aged(15),
        guardian_name="Anna Schröder",
        guardian_email="mama@example.org",
    )
    assert submit(client, URL, form).status_code == 303
    row = db.session.scalars(select(Registration)).one()
    assert (row.guardian_name, row.guardian_email, row.needs_guardian_consent) == (
        "Anna Schröder",
        "mama@example.org",
        True,
    )


def test_sixteen_year_olds_guardian_fields_are_not_stored(client, event):
    form = registration_form(
        date_of_birth=born_aged(16),
        guardian_name="Anna Schröder",
        guardian_email="mama@example.org",
    )
    assert submit(client, URL, form).status_code == 303
    row = db.session.scalars(select(Registration)).one()
    assert (row.guardian_name, row.guardian_email, row.needs_guardian_consent) == (
        None,
        None,
        False,
    )


# --- language ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "lena@"}, "email", "Please enter a valid email address, e.g. name@example.org."),
        (
            {"date_of_birth": "2010-02-30"},
            "date_of_birth",
            "Please enter a real date as YYYY-MM-DD, e.g. 2010-05-31.",
        ),
        ({"date_of_birth": ""}, "date_of_birth", "Please enter your date of birth."),
        (
            {"privacy_consent": ""},
            "privacy_consent",
            "Please agree to the privacy notice, otherwise we cannot register you.",
        ),
        ({"first_name": "L" * 101}, "first_name", "At most 100 characters, please."),
        (
            {"last_name": "Sch\x1broder"},
            "last_name",
            "Please use letters, digits and punctuation only.",
        ),
        (
            {"date_of_birth": born_aged(15), "guardian_name": "Anna"},
            "guardian_email",
            "Participants under 16 need the consent of a parent or guardian: please give their "
            "email address.",
        ),
    ],
    ids=[
        "email",
        "impossible-date",
        "missing-date",
        "privacy",
        "too-long",
        "control-char",
        "guardian",
    ],
)
def test_english_page_gives_english_messages(client, event, overrides, field, message):
    response = submit(client, EN_URL, registration_form(**overrides))
    page = assert_refused(
        response, field, message, kept={"email": overrides.get("email", "lena@example.org")}
    )
    html = response.get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Bitte" not in " ".join(page.errors.values())
    assert "Please check your details" in html
