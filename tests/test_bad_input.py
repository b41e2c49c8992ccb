"""The registration form under bad input: every refusal re-shows the form with
a message at the field, in the visitor's language, keeps what was typed,
answers 4xx and stores nothing."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from extensions import db
from models import EventStatus, Registration
from tests.conftest import csrf_token, registration_form, submit

URL = "/de/events/forumtheater/register"
EN_URL = "/en/events/forumtheater/register"

PLAIN_TEXT_DE = "Bitte verwenden Sie nur Buchstaben, Ziffern und Satzzeichen."
REAL_DATE_DE = "Bitte geben Sie ein gültiges Datum im Format JJJJ-MM-TT ein, z. B. 2010-05-31."
NOT_FOUND_DE = "Seite nicht gefunden"


class FormPage(HTMLParser):
    """What a re-shown form says: field values, checked boxes and the error
    message next to each field."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str] = {}
        self.checked: set[str] = set()
        self.errors: dict[str, str] = {}
        self.invalid: set[str] = set()
        self._textarea: str | None = None
        self._error_of: str | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "input" and "name" in a:
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.checked.add(a["name"])
            else:
                self.values[a["name"]] = a.get("value", "")
            if a.get("aria-invalid") == "true":
                self.invalid.add(a["name"])
        elif tag == "textarea":
            self._textarea = a["name"]
            self.values[a["name"]] = ""
            if a.get("aria-invalid") == "true":
                self.invalid.add(a["name"])
        elif tag == "p" and a.get("class") == "error" and a.get("id", "").endswith("-error"):
            self._error_of = a["id"].removesuffix("-error")
            self.errors[self._error_of] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea:
            # WTForms starts a textarea with a line break that browsers drop.
            value = self.values[self._textarea]
            self.values[self._textarea] = value.removeprefix("\r\n").removeprefix("\n")
            self._textarea = None
        elif tag == "p":
            self._error_of = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] += data
        elif self._error_of:
            self.errors[self._error_of] += data


def stored() -> int:
    return db.session.scalar(select(func.count()).select_from(Registration))


def assert_refused(
    response, field: str, message: str | tuple[str, ...], kept: dict[str, str], status: int = 422
) -> FormPage:
    """The form is back, `field` carries `message` (or all its parts), the
    typed values are kept and nothing was stored."""
    assert response.status_code == status
    assert response.mimetype == "text/html"
    page = FormPage(response.get_data(as_text=True))
    for part in (message,) if isinstance(message, str) else message:
        assert part in page.errors.get(field, ""), page.errors
    assert field in page.invalid
    for name, value in kept.items():
        assert page.values.get(name) == value, name
    assert stored() == 0
    return page


def today() -> date:
    """Today in the city (Europe/Berlin, the test configuration)."""
    return datetime.now(ZoneInfo("Europe/Berlin")).date()


def born_aged(years: int) -> str:
    """A date of birth of someone `years` old today (and still on the event day)."""
    return (today() - timedelta(days=round(365.25 * years) + 60)).isoformat()


@pytest.fixture
def event(make_event):
    return make_event(slug="forumtheater", capacity=10)


# --- field by field ----------------------------------------------------------


@pytest.mark.parametrize(
    "email",
    ["lena", "lena@", "@example.org", "lena@example", "lena example@example.org", "lena@@example.org", "lena@exa_mple.org"],
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
    assert_refused(response, "email", "Bitte geben Sie eine E-Mail-Adresse ein.", kept={"first_name": "Lena"})


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
    ["2010-02-30", "2010-13-01", "2010-00-10", "abc", "31.05.2010", "2010/05/31", "99999-01-01", "2010-05-31T00:00"],
)
def test_impossible_or_garbled_date_of_birth_is_refused(client, event, typed):
    response = submit(client, URL, registration_form(date_of_birth=typed))
    assert_refused(response, "date_of_birth", REAL_DATE_DE, kept={"date_of_birth": typed, "first_name": "Lena"})


def test_date_of_birth_before_1900_is_refused(client, event):
    response = submit(client, URL, registration_form(date_of_birth="1899-12-31"))
    assert_refused(
        response, "date_of_birth", "Bitte prüfen Sie das Geburtsjahr.", kept={"date_of_birth": "1899-12-31"}
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
    form = registration_form(privacy_consent=consent, photo_consent="y", notes="Ich bin Vegetarierin.")
    if consent is None:
        del form["privacy_consent"]
    response = submit(client, URL, form)
    page = assert_refused(
        response,
        "privacy_consent",
        "Bitte stimmen Sie den Datenschutzhinweisen zu, sonst können wir Sie nicht anmelden.",
        kept={"first_name": "Lena", "last_name": "Schröder", "email": "lena@example.org", "notes": "Ich bin Vegetarierin."},
    )
    assert "photo_consent" in page.checked
    assert "privacy_consent" not in page.checked


@pytest.mark.parametrize(
    ("field", "typed"),
    [("first_name", "L" * 101), ("last_name", "S" * 101), ("guardian_name", "G" * 201), ("notes", "Notiz " * 166 + "12345")],
    ids=["first_name-101", "last_name-101", "guardian_name-201", "notes-1001"],
)
def test_over_long_text_is_refused_with_the_limit_and_kept(client, event, field, typed):
    limit = {"first_name": 100, "last_name": 100, "guardian_name": 200, "notes": 1000}[field]
    assert len(typed) == limit + 1
    response = submit(client, URL, registration_form(**{field: typed}))
    assert_refused(response, field, f"Bitte höchstens {limit} Zeichen.", kept={field: typed, "email": "lena@example.org"})


@pytest.mark.parametrize(("field", "typed"), [("first_name", "L" * 100), ("notes", "n" * 1000)])
def test_text_at_the_limit_is_accepted(client, event, field, typed):
    response = submit(client, URL, registration_form(**{field: typed}))
    assert response.status_code == 303
    assert stored() == 1


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85"], ids=["NUL", "BEL", "ESC", "DEL", "NEL"])
@pytest.mark.parametrize("field", ["first_name", "last_name", "guardian_name", "notes"])
def test_control_characters_in_text_fields_are_refused(client, event, field, char):
    typed = f"Le{char}na"
    response = submit(client, URL, registration_form(**{field: typed}))
    assert_refused(
        response,
        field,
        PLAIN_TEXT_DE,
        kept={field: typed, "email": "lena@example.org", "date_of_birth": registration_form()["date_of_birth"]},
    )


def test_line_breaks_and_tabs_are_allowed_in_notes_but_not_in_names(client, event):
    response = submit(client, URL, registration_form(first_name="Le\nna", notes="Zeile 1\r\nZeile 2\tEnde"))
    page = assert_refused(response, "first_name", PLAIN_TEXT_DE, kept={"email": "lena@example.org"})
    assert "notes" not in page.errors
    response = submit(client, URL, registration_form(notes="Zeile 1\r\nZeile 2\tEnde"))
    assert response.status_code == 303
    assert db.session.scalar(select(Registration.notes)) == "Zeile 1\r\nZeile 2\tEnde"


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
    parts = {"csrf_token": token.encode(), **{k: v.encode() for k, v in registration_form().items()}} | raw
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value + b"\r\n"
        for name, value in parts.items()
    )
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize(
    "raw",
    [b"%FF%FE", b"Le%FFna", b"Le%C3na", b"Le%ED%A0%80na", b"Le%c3%28na", b"%C0%AF"],
    ids=["FFFE", "FF-inside", "truncated-utf8", "encoded-surrogate", "invalid-sequence-lowercase", "overlong-slash"],
)
@pytest.mark.parametrize("field", ["first_name", "last_name"])
def test_percent_escaped_non_utf8_bytes_in_a_name_are_refused(client, event, field, raw):
    token = csrf_token(client, URL)
    response = client.post(URL, data=raw_body(token, **{field: raw}), content_type="application/x-www-form-urlencoded")
    other = {"first_name": "last_name", "last_name": "first_name"}[field]
    assert_refused(response, field, PLAIN_TEXT_DE, kept={"email": "lena@example.org", other: registration_form()[other]})


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
    response = client.post(URL, data=raw_body(token, first_name=b"Le\xffna"), content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert stored() == 0


@pytest.mark.parametrize(
    "name", ["O'Brien", "Zoë", "Łukasz", "Jean-Luc", "Nguyễn Văn", "Ольга", "محمد", "李小龙", "Anna (Änni)"]
)
def test_names_from_anywhere_are_accepted(client, event, name):
    assert submit(client, URL, registration_form(first_name=name, notes="Zu 100% dabei, 50%ig sicher")).status_code == 303
    assert db.session.scalar(select(Registration.first_name)) == name


def test_a_utf8_body_with_umlauts_posted_raw_is_accepted(client, event):
    token = csrf_token(client, URL)
    body = raw_body(token, first_name=quote("Jörg-Ünal").encode())
    response = client.post(URL, data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 303
    assert db.session.scalar(select(Registration.first_name)) == "Jörg-Ünal"


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
    ids=["unknown", "dotdot-etc", "dotdot-passwd", "dotdot", "sql-quote", "unicode", "byte-FF", "5000-chars"],
)
def test_unknown_or_forged_event_slug_is_a_404_page_and_stores_nothing(client, event, slug):
    token = csrf_token(client, URL)
    url = f"/de/events/{slug}/register"
    for response in (client.get(url), client.post(url, data={"csrf_token": token, **registration_form()})):
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
    response = client.post(f"/de/events/{slug}/register", data={"csrf_token": token, **registration_form()})
    assert response.status_code == 404
    assert NOT_FOUND_DE in response.get_data(as_text=True)
    assert stored() == 0


def test_a_draft_event_takes_no_registrations(client, event, make_event):
    make_event(slug="entwurf", status=EventStatus.DRAFT)
    token = csrf_token(client, URL)
    for response in (
        client.get("/de/events/entwurf/register"),
        client.post("/de/events/entwurf/register", data={"csrf_token": token, **registration_form()}),
        client.get("/de/events/entwurf/"),
    ):
        assert response.status_code == 404
        assert NOT_FOUND_DE in response.get_data(as_text=True)
    assert stored() == 0


def test_a_cancelled_event_takes_no_registrations(client, event, make_event):
    make_event(slug="abgesagt", status=EventStatus.CANCELLED)
    token = csrf_token(client, URL)
    response = client.post("/de/events/abgesagt/register", data={"csrf_token": token, **registration_form()})
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
        data["csrf_token"] = "IjAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAi.aaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbb"
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
        ({"guardian_name": "Anna Schröder", "guardian_email": "lena@example.org"}, "guardian_email", GUARDIAN_DIFFERS_DE),
        ({"guardian_name": "Anna Schröder", "guardian_email": "LENA@Example.ORG"}, "guardian_email", GUARDIAN_DIFFERS_DE),
        ({"guardian_name": "Anna Schröder", "guardian_email": " Lena@example.org "}, "guardian_email", GUARDIAN_DIFFERS_DE),
    ],
    ids=["no-name", "no-email", "same-email", "same-email-other-case", "same-email-with-spaces"],
)
def test_fifteen_year_old_needs_a_guardian_with_an_own_email(client, event, guardian, field, message):
    response = submit(client, URL, registration_form(date_of_birth=born_aged(15), **guardian))
    kept = {"first_name": "Lena", "date_of_birth": born_aged(15)} | {
        name: value.strip() for name, value in guardian.items()
    }
    assert_refused(response, field, message, kept=kept)


def test_fifteen_year_old_with_a_guardian_is_accepted_and_the_guardian_stored(client, event):
    form = registration_form(date_of_birth=born_aged(15), guardian_name="Anna Schröder", guardian_email="mama@example.org")
    assert submit(client, URL, form).status_code == 303
    row = db.session.scalars(select(Registration)).one()
    assert (row.guardian_name, row.guardian_email, row.needs_guardian_consent) == ("Anna Schröder", "mama@example.org", True)


def test_sixteen_year_olds_guardian_fields_are_not_stored(client, event):
    form = registration_form(date_of_birth=born_aged(16), guardian_name="Anna Schröder", guardian_email="mama@example.org")
    assert submit(client, URL, form).status_code == 303
    row = db.session.scalars(select(Registration)).one()
    assert (row.guardian_name, row.guardian_email, row.needs_guardian_consent) == (None, None, False)


# --- language ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "lena@"}, "email", "Please enter a valid email address, e.g. name@example.org."),
        ({"date_of_birth": "2010-02-30"}, "date_of_birth", "Please enter a real date as YYYY-MM-DD, e.g. 2010-05-31."),
        ({"date_of_birth": ""}, "date_of_birth", "Please enter your date of birth."),
        ({"privacy_consent": ""}, "privacy_consent", "Please agree to the privacy notice, otherwise we cannot register you."),
        ({"first_name": "L" * 101}, "first_name", "At most 100 characters, please."),
        ({"last_name": "Sch\x1broder"}, "last_name", "Please use letters, digits and punctuation only."),
        (
            {"date_of_birth": born_aged(15), "guardian_name": "Anna"},
            "guardian_email",
            "Participants under 16 need the consent of a parent or guardian: please give their email address.",
        ),
    ],
    ids=["email", "impossible-date", "missing-date", "privacy", "too-long", "control-char", "guardian"],
)
def test_english_page_gives_english_messages(client, event, overrides, field, message):
    response = submit(client, EN_URL, registration_form(**overrides))
    page = assert_refused(response, field, message, kept={"email": overrides.get("email", "lena@example.org")})
    html = response.get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Bitte" not in " ".join(page.errors.values())
    assert "Please check your details" in html
