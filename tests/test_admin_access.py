"""Every /admin/ page: anonymous visitors go to the login, wrong roles get 403.
The list of pages is read from app.url_map, so a new page is checked too."""

from __future__ import annotations

import pytest
from flask import Flask

from models import Role
from tests.conftest import csrf_token

# Open to anyone: signing in (both steps), the language switch, a forgotten password.
PUBLIC_ADMIN_ENDPOINTS = {
    "auth.login",
    "auth.login_two_factor",
    "auth.language",
    "auth.password_reset_request",
    "auth.password_reset",
}
SAMPLE_VALUES = {
    "event_id": 1,
    "registration_id": 1,
    "user_id": 1,
    "message_id": 1,
    "page": 1,
    "post_id": 1,
    "application_id": 1,
    "city_id": 1,
    "network_id": 1,
    "question_id": 1,
    "category_id": 1,
}


def admin_routes(app: Flask) -> list[tuple[str, str, str]]:
    """(endpoint, method, url) of every staff route."""
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/admin") or rule.endpoint in PUBLIC_ADMIN_ENDPOINTS:
            continue
        with app.test_request_context():
            url = app.url_for(
                rule.endpoint, **{name: SAMPLE_VALUES[name] for name in rule.arguments}
            )
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((rule.endpoint, method, url))
    return routes


def request(client, method: str, url: str, token: str):
    if method == "GET":
        return client.get(url)
    return client.open(url, method=method, data={"csrf_token": token})


def test_there_are_staff_routes_to_check(app):
    endpoints = {endpoint for endpoint, _, _ in admin_routes(app)}
    assert {
        "admin.dashboard",
        "admin.events",
        "admin.event_new",
        "admin.participants",
        "auth.logout",
    } <= endpoints


def test_every_staff_route_sends_anonymous_visitors_to_the_login(app, client, make_event):
    make_event()
    token = csrf_token(client, "/admin/login")
    for endpoint, method, url in admin_routes(app):
        response = request(client, method, url, token)
        assert response.status_code in {302, 303}, (
            f"{method} {url} ({endpoint}): {response.status_code}"
        )
        assert response.location.startswith("/admin/login"), (
            f"{method} {url} ({endpoint}) → {response.location}"
        )


@pytest.mark.parametrize("role", [Role.ORGANISER, Role.EDITOR])
def test_every_staff_route_refuses_roles_it_is_not_for(app, staff_client, make_event, role):
    event = make_event()
    client = staff_client(role.value)
    if role is Role.ORGANISER:
        event.organisers.append(client.user)  # their own event: only the role decides
        from extensions import db

        db.session.commit()
    token = csrf_token(client, "/admin/login")
    checked = 0
    for endpoint, method, url in admin_routes(app):
        view = app.view_functions[endpoint]
        allowed = getattr(view, "allowed_roles", None)
        if endpoint == "auth.logout":
            continue
        assert allowed is not None, f"{endpoint} does not declare its roles with @roles(...)"
        if role in allowed:
            continue
        response = request(client, method, url, token)
        assert response.status_code == 403, (
            f"{role} {method} {url} ({endpoint}): {response.status_code}"
        )
        checked += 1
    assert checked > 0 or role is Role.ORGANISER


def test_an_organiser_cannot_open_another_organisers_event(app, staff_client, make_event):
    event = make_event()
    client = staff_client("organiser")
    for url in (
        f"/admin/events/{event.id}/edit",
        f"/admin/events/{event.id}/participants",
        f"/admin/events/{event.id}/duplicate",
    ):
        assert client.get(url).status_code == 403, url


def test_an_organiser_lists_only_their_own_events(app, staff_client, make_event):
    from extensions import db

    mine = make_event(slug="mine")
    make_event(slug="other")
    client = staff_client("organiser")
    mine.organisers.append(client.user)
    db.session.commit()
    page = client.get("/admin/events/").get_data(as_text=True)
    assert f"/admin/events/{mine.id}/edit" in page
    assert "/admin/events/2/edit" not in page
