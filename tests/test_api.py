"""The read-only JSON API: checked against its own OpenAPI description by
schemathesis, filtered like the pages, cacheable, without personal data."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from blueprints.api import schemas
from extensions import db
from models import Category, EventStatus, Relation
from tests.statements import statements_of_get
from tests.test_directory import make_city  # noqa: F401
from tests.test_news import make_post  # noqa: F401

START = datetime(2030, 1, 15, 9, 0, tzinfo=UTC)


@pytest.fixture
def published(make_event, make_post, make_city, make_registration, make_user):
    organiser = make_user("organiser", email="orga@stadt.example")
    youth = Category(slug="jugend")
    youth.set_text("de", name="Jugend")
    youth.set_text("en", name="Youth")
    fest = make_event(slug="fest", starts_at=START, min_age=14, max_age=18)
    fest.categories = [youth]
    fest.organisers.append(organiser)
    make_registration(fest, email="teen@example.org", first_name="Teenie")
    make_event(slug="konzert", starts_at=START + timedelta(days=30), min_age=None, max_age=None)
    make_event(slug="entwurf", status=EventStatus.DRAFT)
    make_post(slug="chor", title_de="Der Chor singt", title_en="The choir sings")
    make_post(slug="entwurf-news", status="draft")
    make_city("szczecin", "Stettin", name_en="Szczecin")
    make_city("aarhus", "Aarhus", country="DK", relation=Relation.FRIENDSHIP)
    db.session.commit()


def get_json(client, url: str, status: int = 200) -> dict:
    response = client.get(url)
    assert response.status_code == status, (url, response.get_data(as_text=True))
    return response.get_json()


def test_every_operation_answers_as_its_description_says(app, published):
    """schemathesis: valid and invalid query strings, every check, no 5xx."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {operation.label for operation in operations} == {
        "GET /events",
        "GET /events/{slug}",
        "GET /networks",
        "GET /news",
        "GET /partners",
    }
    for operation in operations:
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
            def check(case) -> None:
                case.call_and_validate()

            check()


def test_the_description_is_openapi_3_1_made_from_the_schemas(client):
    document = get_json(client, "/api/v1/openapi.json")
    assert document["openapi"] == "3.1.0"
    components = document["components"]["schemas"]
    generated = schemas.Event.model_json_schema(
        mode="serialization", ref_template="#/components/schemas/{model}"
    )
    assert components["Event"] == {k: v for k, v in generated.items() if k != "$defs"}
    names = {p["name"] for p in document["paths"]["/events"]["get"]["parameters"]}
    assert names == set(schemas.EventQuery.model_fields)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["fest", "konzert"]),
        ("age=15", ["fest", "konzert"]),
        ("age=8", ["konzert"]),
        ("month=2030-02", ["konzert"]),
        ("category=jugend", ["fest"]),
        ("category=unbekannt", []),
        ("q=workshop&lang=en", ["fest", "konzert"]),
        ("q=forumtheater", ["fest", "konzert"]),
        ("q=forumtheater&age=8", ["konzert"]),
        ("per_page=1", ["fest"]),
        ("per_page=1&page=2", ["konzert"]),
        ("page=3", []),
        ("archive=true", []),
    ],
)
def test_events_filter_like_the_pages(client, published, query, expected):
    body = get_json(client, f"/api/v1/events?{query}")
    assert [item["slug"] for item in body["items"]] == expected


def test_an_event_in_both_languages(client, published):
    body = get_json(client, "/api/v1/events/fest")
    assert body["title"] == {"de": "Workshop Forumtheater", "en": "Forum theatre workshop"}
    assert body["venue"] == {"de": "Rostocker Rathaus", "en": "Rostocker Rathaus"}
    assert body["categories"] == [{"slug": "jugend", "name": {"de": "Jugend", "en": "Youth"}}]
    assert body["starts_at"].startswith("2030-01-15T09:00:00")
    assert body["registration"]["seats_left"] == 9
    assert body["links"]["html"]["en"] == "http://partnerstadt.test/en/events/fest/"
    assert body["ical"] == "http://partnerstadt.test/de/events/fest.ics"


def test_pages_link_to_each_other(client, published):
    first = get_json(client, "/api/v1/events?per_page=1&age=15")
    assert first["pagination"]["total"] == 2 and first["pagination"]["previous"] is None
    assert "page=2" in first["pagination"]["next"] and "age=15" in first["pagination"]["next"]
    second = get_json(client, first["pagination"]["next"].replace("http://localhost", ""))
    assert [item["slug"] for item in second["items"]] == ["konzert"]
    assert second["pagination"]["next"] is None


def test_partners_networks_and_news(client, published):
    cities = get_json(client, "/api/v1/partners")["items"]
    assert [city["slug"] for city in cities] == ["szczecin", "aarhus"]
    assert cities[0]["name"] == {"de": "Stettin", "en": "Szczecin"}
    friends = get_json(client, "/api/v1/partners?relation=friendship")["items"]
    assert [city["slug"] for city in friends] == ["aarhus"]
    assert get_json(client, "/api/v1/partners?country=DK")["items"][0]["slug"] == "aarhus"
    assert get_json(client, "/api/v1/networks")["items"] == []
    posts = get_json(client, "/api/v1/news")["items"]
    assert [post["slug"] for post in posts] == ["chor"]
    assert posts[0]["title"] == {"de": "Der Chor singt", "en": "The choir sings"}


def test_no_personal_data_and_no_drafts(client, published):
    bodies = [
        client.get(url).get_data(as_text=True)
        for url in (
            "/api/v1/events?per_page=100",
            "/api/v1/events/fest",
            "/api/v1/partners",
            "/api/v1/news",
        )
    ]
    for body in bodies:
        assert "@" not in body
        assert "Teenie" not in body and "orga" not in body
        assert "entwurf" not in body
    assert client.get("/api/v1/events/entwurf").status_code == 404


def test_errors_are_problem_documents(client, published):
    for url, status in [
        ("/api/v1/events/entwurf", 404),
        ("/api/v1/nothing-here", 404),
        ("/api/v1/events?age=abc", 400),
        ("/api/v1/events?month=2030-13", 400),
        ("/api/v1/events?per_page=1000", 400),
    ]:
        response = client.get(url)
        assert response.status_code == status, url
        assert response.mimetype == "application/problem+json"
        problem = schemas.Problem.model_validate(response.get_json())
        assert problem.status == status
    problem = get_json(client, "/api/v1/events?age=abc", 400)
    assert problem["invalid_params"][0]["name"] == "age"
    response = client.post("/api/v1/events")
    assert response.status_code in (400, 405)
    assert response.mimetype == "application/problem+json"


def test_responses_carry_an_etag_and_answer_304_when_unchanged(client, published):
    first = client.get("/api/v1/events")
    assert first.headers["ETag"] and "max-age=60" in first.headers["Cache-Control"]
    again = client.get("/api/v1/events", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    other = client.get("/api/v1/events?age=8")
    assert other.headers["ETag"] != first.headers["ETag"]
    assert json.loads(first.data)["items"]


def test_the_event_api_takes_the_same_statements_for_2_or_40_events(client, published, make_event):
    url = "/api/v1/events?per_page=100&age=15&category=jugend&q=rathaus"
    few = statements_of_get(client, url)
    youth = db.session.get(Category, 1)
    for number in range(40):
        extra = make_event(slug=f"mehr-{number}", starts_at=START + timedelta(hours=number))
        extra.categories = [youth]
    db.session.commit()
    assert statements_of_get(client, url) == few


def test_an_event_names_its_essentials_and_its_public_contact_only(
    client, published, make_event, make_city
):
    city = make_city("raleigh", "Raleigh", country="US")
    make_event(
        slug="kurs",
        starts_at=START,
        venue_address="Neuer Markt 1, 18055 Rostock",
        contact_name="Fachbereich Internationales",
        contact_email="kurs@stadt.example",
        city_id=city.id,
    ).set_text("de", price="5 €")
    db.session.commit()
    body = get_json(client, "/api/v1/events/kurs")
    assert body["address"] == "Neuer Markt 1, 18055 Rostock"
    assert body["price"] == {"de": "5 €", "en": "5 €"} and body["is_free"] is False
    assert body["contact"] == {"name": "Fachbereich Internationales", "email": "kurs@stadt.example"}
    assert body["partner_city"] == "raleigh" and body["network"] is None
    assert body["image"] is None
    free = get_json(client, "/api/v1/events/fest")
    assert free["is_free"] is True and free["contact"] == {"name": None, "email": None}
    # The contact is the only address: nobody registered or organising is named.
    assert "teen@example.org" not in json.dumps(body) and "orga@" not in json.dumps(body)
