"""Random input on the public forms never yields a 5xx and never stores
half of anything: random unicode, huge strings, odd dates, in urlencoded and
multipart bodies, with any field sent as a file part."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from extensions import db
from models import City, Registration, Relation
from tests.conftest import csrf_token, registration_form
from tests.test_support_applications import APPLY, application_form, stored

huge_text = st.builds(
    lambda piece, times: piece * times, st.text(min_size=1, max_size=20), st.integers(50, 400)
)
any_text = st.one_of(st.text(max_size=80), huge_text)
odd_date = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.from_regex(r"-?\d{1,6}-\d{1,3}-\d{1,3}", fullmatch=True),
    any_text,
)
REGISTER = "/de/events/forumtheater/register"
FUZZ = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    max_examples=40,
    deadline=None,
    database=None,
)


@st.composite
def encoded(
    draw, fields: st.SearchStrategy[dict[str, str]]
) -> tuple[dict[str, Any], dict[str, str]]:
    """A form and the request arguments that send it: urlencoded, or multipart
    with any of its fields (none, some or all) as file parts."""
    data: dict[str, Any] = draw(fields)
    if not draw(st.booleans()):
        return data, {}
    for name in draw(st.sets(st.sampled_from(sorted(data)))):
        filename = draw(st.sampled_from(["", "notes.txt", "../../etc/passwd", "bild.jpg"]))
        data[name] = (io.BytesIO(str(data[name]).encode("utf-8", "surrogatepass")), filename)
    return data, {"content_type": "multipart/form-data"}


@st.composite
def support_form(draw) -> dict[str, str]:
    valid = application_form()
    data = {name: draw(st.one_of(st.just(value), any_text)) for name, value in valid.items()}
    for name in ("starts_on", "ends_on"):
        data[name] = draw(st.one_of(st.just(valid[name]), odd_date))
    data["amount_requested"] = draw(
        st.one_of(st.just("1500"), st.decimals(allow_nan=True).map(str), any_text)
    )
    return data


@pytest.fixture
def support_token(client, time_machine) -> str:
    time_machine.move_to(datetime(2026, 6, 15, 10, 0, tzinfo=UTC), tick=False)
    city = City(slug="szczecin", country="PL", relation=Relation.PARTNER)
    city.set_text("de", name="Stettin")
    db.session.add(city)
    db.session.commit()
    return csrf_token(client, APPLY)


@FUZZ
@given(body=encoded(support_form()))
def test_random_support_applications_never_cause_a_server_error(client, support_token, body):
    data, options = body
    before = len(stored())
    response = client.post(APPLY, data={"csrf_token": support_token, **data}, **options)
    assert response.status_code < 500, response.get_data(as_text=True)[:2000]
    if response.status_code != 303:
        assert len(stored()) == before


@pytest.fixture
def login_token(client) -> str:
    return csrf_token(client, "/admin/login")


SIGN_IN = st.fixed_dictionaries({"email": any_text, "password": any_text})


@FUZZ
@given(body=encoded(SIGN_IN), next_url=any_text)
def test_random_sign_ins_never_cause_a_server_error(client, login_token, body, next_url):
    data, options = body
    data["csrf_token"] = login_token
    response = client.post("/admin/login", query_string={"next": next_url}, data=data, **options)
    assert response.status_code < 500


@FUZZ
@given(path=st.text(min_size=1, max_size=120), query=any_text)
def test_random_public_urls_never_cause_a_server_error(client, make_event, path, query):
    response = client.get(
        "/de/" + quote(path, safe="/"),
        query_string={"page": query, "archive": query, "country": query, "relation": query},
    )
    assert response.status_code < 500


def registrations_stored() -> int:
    return db.session.scalar(select(func.count()).select_from(Registration))


FIELDS = ["first_name", "last_name", "email", "guardian_name", "guardian_email", "phone", "notes"]
VALID = registration_form() | {
    "guardian_name": "Anna Schröder",
    "guardian_email": "mama@example.org",
    "phone": "0381 123456",
    "notes": "Ich bringe Notenständer mit.",
}


@pytest.fixture
def form_token(client: FlaskClient, make_event) -> str:
    make_event(slug="forumtheater", capacity=10)
    """One CSRF token for all examples of a test (it stays valid in the session)."""
    return csrf_token(client, REGISTER)


@st.composite
def form_data(draw) -> dict[str, str]:
    data = {name: draw(st.one_of(st.just(VALID[name]), any_text)) for name in FIELDS}
    data["date_of_birth"] = draw(st.one_of(st.just(VALID["date_of_birth"]), odd_date))
    for box in ("privacy_consent", "photo_consent"):
        data[box] = draw(st.one_of(st.just("y"), st.just(""), any_text))
    return data


@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    max_examples=40,
    deadline=None,
    database=None,
)
@given(body=encoded(form_data()))
def test_random_registrations_never_cause_a_server_error(
    client: FlaskClient, form_token: str, body
):
    data, options = body
    before = registrations_stored()
    response = client.post(REGISTER, data={"csrf_token": form_token, **data}, **options)
    assert response.status_code < 500, response.get_data(as_text=True)[:2000]
    if response.status_code != 303:
        assert registrations_stored() == before
