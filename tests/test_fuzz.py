"""Random input on the public forms never yields a 5xx (the registration form
is fuzzed in test_bad_input.py): random unicode, huge strings, odd dates."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.conftest import csrf_token
from tests.test_support_applications import APPLY, application_form, directory, june, stored  # noqa: F401

huge_text = st.builds(lambda piece, times: piece * times, st.text(min_size=1, max_size=20), st.integers(50, 400))
any_text = st.one_of(st.text(max_size=80), huge_text)
odd_date = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.from_regex(r"-?\d{1,6}-\d{1,3}-\d{1,3}", fullmatch=True),
    any_text,
)
FUZZ = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    max_examples=40,
    deadline=None,
    database=None,
)


@st.composite
def support_form(draw) -> dict[str, str]:
    valid = application_form()
    data = {name: draw(st.one_of(st.just(value), any_text)) for name, value in valid.items()}
    for name in ("starts_on", "ends_on"):
        data[name] = draw(st.one_of(st.just(valid[name]), odd_date))
    data["amount_requested"] = draw(st.one_of(st.just("1500"), st.decimals(allow_nan=True).map(str), any_text))
    return data


@pytest.fixture
def support_token(client, directory, june) -> str:  # noqa: F811
    return csrf_token(client, APPLY)


@FUZZ
@given(data=support_form())
def test_random_support_applications_never_cause_a_server_error(client, support_token, data):
    before = len(stored())
    response = client.post(APPLY, data={"csrf_token": support_token, **data})
    assert response.status_code < 500, response.get_data(as_text=True)[:2000]
    if response.status_code != 303:
        assert len(stored()) == before


@pytest.fixture
def login_token(client) -> str:
    return csrf_token(client, "/admin/login")


@FUZZ
@given(email=any_text, password=any_text, next_url=any_text)
def test_random_sign_ins_never_cause_a_server_error(client, login_token, email, password, next_url):
    response = client.post("/admin/login", query_string={"next": next_url}, data={"csrf_token": login_token, "email": email, "password": password})
    assert response.status_code < 500


@FUZZ
@given(path=st.text(min_size=1, max_size=120), query=any_text)
def test_random_public_urls_never_cause_a_server_error(client, make_event, path, query):
    response = client.get(f"/de/{path}", query_string={"page": query, "archive": query, "country": query, "relation": query})
    assert response.status_code < 500
