"""The registration form under bad input, field by field: every refusal
re-shows the form with a message at the field, in the visitor's language,
keeps what was typed, answers 4xx and stores nothing."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote, urlencode

import pytest
from sqlalchemy import select

from extensions import db
from models import Registration
from tests.conftest import csrf_token, registration_form, submit
from tests.form_page import (
    PLAIN_TEXT_DE,
    REAL_DATE_DE,
    URL,
    assert_refused,
    stored,
    today,
)


@pytest.fixture
def event(make_event):
    return make_event(slug="forumtheater", capacity=10)


# --- field by field ----------------------------------------------------------


@pytest.mark.parametrize(
    "email",
    [
        "lena",
        "lena@",
        "@example.org",
        "lena@example",
        "lena example@example.org",
        "lena@@example.org",
        "lena@exa_mple.org",
    ],
)
def test_invalid_email_is_refused_at_the_field_and_kept(client, event, email):
    response = submit(client, URL, registration_form(email=email))
    assert_refused(
        response,
        "email",
        "Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@example.org.",
        kept={"email": email, "first_name": "Lena", "last_name": "Schröder"},
    )


def test_missing_email_is_refused(client, event):
    form = registration_form()
    del form["email"]
    response = submit(client, URL, form)
    assert_refused(
        response, "email", "Bitte geben Sie eine E-Mail-Adresse ein.", kept={"first_name": "Lena"}
    )


@pytest.mark.parametrize("days_ahead", [1, 400], ids=["tomorrow", "next-year"])
def test_date_of_birth_in_the_future_is_refused(client, event, days_ahead):
    born = (today() + timedelta(days=days_ahead)).isoformat()
    response = submit(client, URL, registration_form(date_of_birth=born))
    assert_refused(
        response,
        "date_of_birth",
        "Das Geburtsdatum darf nicht in der Zukunft liegen.",
        kept={"date_of_birth": born, "first_name": "Lena", "email": "lena@example.org"},
    )


@pytest.mark.parametrize(
    "typed",
    [
        "2010-02-30",
        "2010-13-01",
        "2010-00-10",
        "abc",
        "31.02.2010",
        "2010/05/31",
        "99999-01-01",
        "2010-05-31T00:00",
    ],
)
def test_impossible_or_garbled_date_of_birth_is_refused(client, event, typed):
    response = submit(client, URL, registration_form(date_of_birth=typed))
    assert_refused(
        response, "date_of_birth", REAL_DATE_DE, kept={"date_of_birth": typed, "first_name": "Lena"}
    )


def test_date_of_birth_before_1900_is_refused(client, event):
    response = submit(client, URL, registration_form(date_of_birth="1899-12-31"))
    assert_refused(
        response,
        "date_of_birth",
        "Bitte prüfen Sie das Geburtsjahr.",
        kept={"date_of_birth": "1899-12-31"},
    )


@pytest.mark.parametrize("how", ["empty", "blank", "absent"])
def test_missing_date_of_birth_is_refused(client, event, how):
    form = registration_form(date_of_birth={"empty": "", "blank": "   "}.get(how))
    if how == "absent":
        del form["date_of_birth"]
    response = submit(client, URL, form)
    assert_refused(
        response,
        "date_of_birth",
        "Bitte geben Sie Ihr Geburtsdatum ein.",
        kept={"first_name": "Lena", "email": "lena@example.org"},
    )


@pytest.mark.parametrize("consent", [None, ""], ids=["absent", "empty"])
def test_missing_privacy_consent_is_refused_and_the_rest_kept(client, event, consent):
    form = registration_form(
        privacy_consent=consent, photo_consent="y", notes="Ich bin Vegetarierin."
    )
    if consent is None:
        del form["privacy_consent"]
    response = submit(client, URL, form)
    page = assert_refused(
        response,
        "privacy_consent",
        "Bitte stimmen Sie den Datenschutzhinweisen zu, sonst können wir Sie nicht anmelden.",
        kept={
            "first_name": "Lena",
            "last_name": "Schröder",
            "email": "lena@example.org",
            "notes": "Ich bin Vegetarierin.",
        },
    )
    assert "photo_consent" in page.checked
    assert "privacy_consent" not in page.checked


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("first_name", "L" * 101),
        ("last_name", "S" * 101),
        ("guardian_name", "G" * 201),
        ("notes", "Notiz " * 166 + "12345"),
    ],
    ids=["first_name-101", "last_name-101", "guardian_name-201", "notes-1001"],
)
def test_over_long_text_is_refused_with_the_limit_and_kept(client, event, field, typed):
    limit = {"first_name": 100, "last_name": 100, "guardian_name": 200, "notes": 1000}[field]
    assert len(typed) == limit + 1
    response = submit(client, URL, registration_form(**{field: typed}))
    assert_refused(
        response,
        field,
        f"Bitte höchstens {limit} Zeichen.",
        kept={field: typed, "email": "lena@example.org"},
    )


@pytest.mark.parametrize(("field", "typed"), [("first_name", "L" * 100), ("notes", "n" * 1000)])
def test_text_at_the_limit_is_accepted(client, event, field, typed):
    response = submit(client, URL, registration_form(**{field: typed}))
    assert response.status_code == 303
    assert stored() == 1


@pytest.mark.parametrize(
    "char", ["\x00", "\x07", "\x1b", "\x7f", "\x85"], ids=["NUL", "BEL", "ESC", "DEL", "NEL"]
)
@pytest.mark.parametrize("field", ["first_name", "last_name", "guardian_name", "notes"])
def test_control_characters_in_text_fields_are_refused(client, event, field, char):
    typed = f"Le{char}na"
    response = submit(client, URL, registration_form(**{field: typed}))
    assert_refused(
        response,
        field,
        PLAIN_TEXT_DE,
        kept={
            field: typed,
            "email": "lena@example.org",
            "date_of_birth": registration_form()["date_of_birth"],
        },
    )


def test_line_breaks_and_tabs_are_allowed_in_notes_but_not_in_names(client, event):
    response = submit(
        client, URL, registration_form(first_name="Le\nna", notes="Zeile 1\r\nZeile 2\tEnde")
    )
    page = assert_refused(response, "first_name", PLAIN_TEXT_DE, kept={"email": "lena@example.org"})
    assert "notes" not in page.errors
    response = submit(client, URL, registration_form(notes="Zeile 1\r\nZeile 2\tEnde"))
    assert response.status_code == 303
    assert (
        db.session.scalar(select(Registration.notes)) == "Zeile 1\nZeile 2\tEnde"
    )  # CRLF kept as LF


def raw_body(token: str, **raw: bytes) -> bytes:
    """A urlencoded body as a client may send it: valid fields, with `raw`
    bytes put in as they are."""
    fields = {name: value for name, value in registration_form().items() if name not in raw}
    body = urlencode({"csrf_token": token, **fields}).encode()
    for name, value in raw.items():
        body += b"&" + name.encode() + b"=" + value
    return body


def multipart_body(token: str, **raw: bytes) -> tuple[bytes, str]:
    """A multipart body with valid fields and `raw` bytes as they are."""
    boundary = "partnerstadt-boundary"
    parts = {
        "csrf_token": token.encode(),
        **{k: v.encode() for k, v in registration_form().items()},
    } | raw
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        + value
        + b"\r\n"
        for name, value in parts.items()
    )
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize(
    "raw",
    [b"%FF%FE", b"Le%FFna", b"Le%C3na", b"Le%ED%A0%80na", b"Le%c3%28na", b"%C0%AF"],
    ids=[
        "FFFE",
        "FF-inside",
        "truncated-utf8",
        "encoded-surrogate",
        "invalid-sequence-lowercase",
        "overlong-slash",
    ],
)
@pytest.mark.parametrize("field", ["first_name", "last_name"])
def test_percent_escaped_non_utf8_bytes_in_a_name_are_refused(client, event, field, raw):
    token = csrf_token(client, URL)
    response = client.post(
        URL, data=raw_body(token, **{field: raw}), content_type="application/x-www-form-urlencoded"
    )
    other = {"first_name": "last_name", "last_name": "first_name"}[field]
    assert_refused(
        response,
        field,
        PLAIN_TEXT_DE,
        kept={"email": "lena@example.org", other: registration_form()[other]},
    )


@pytest.mark.parametrize("raw", [b"\xff\xfe", b"Le\xffna", b"Le\xc3\x28na", b"Le\xed\xa0\x80na"])
@pytest.mark.parametrize("field", ["first_name", "last_name"])
def test_raw_non_utf8_bytes_in_a_multipart_name_are_refused(client, event, field, raw):
    token = csrf_token(client, URL)
    body, content_type = multipart_body(token, **{field: raw})
    response = client.post(URL, data=body, content_type=content_type)
    page = assert_refused(response, field, PLAIN_TEXT_DE, kept={"email": "lena@example.org"})
    assert "\ufffd" in page.values[field]  # shown as the browser would show the bytes


def test_urlencoded_body_with_raw_non_utf8_bytes_is_refused_as_a_whole(client, event):
    """Werkzeug cannot read such a body at all: the form arrives empty, so the
    CSRF check refuses it (400) and nothing is stored."""
    token = csrf_token(client, URL)
    response = client.post(
        URL,
        data=raw_body(token, first_name=b"Le\xffna"),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert stored() == 0


@pytest.mark.parametrize(
    "name",
    [
        "O'Brien",
        "Zoë",
        "Łukasz",
        "Jean-Luc",
        "Nguyễn Văn",
        "Ольга",
        "محمد",
        "李小龙",
        "Anna (Änni)",
    ],
)
def test_names_from_anywhere_are_accepted(client, event, name):
    assert (
        submit(
            client, URL, registration_form(first_name=name, notes="Zu 100% dabei, 50%ig sicher")
        ).status_code
        == 303
    )
    assert db.session.scalar(select(Registration.first_name)) == name


def test_a_utf8_body_with_umlauts_posted_raw_is_accepted(client, event):
    token = csrf_token(client, URL)
    body = raw_body(token, first_name=quote("Jörg-Ünal").encode())
    response = client.post(URL, data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 303
    assert db.session.scalar(select(Registration.first_name)) == "Jörg-Ünal"
