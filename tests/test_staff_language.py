"""Staff pages follow the browser's language until the staff member picks
another with the switch in the header; the switch keeps them in the staff
area, on the page they were on."""

from __future__ import annotations

import html
import re

from tests.conftest import csrf_token, sign_in, submit


def switch_on(page: str) -> tuple[str, str]:
    """(action, next) of the header's language switch; fails on a plain link."""
    match = re.search(
        r'class="language-switch">\s*<form method="post" action="([^"]+)".*?'
        r'name="next" type="hidden" value="([^"]*)"',
        page,
        re.S,
    )
    assert match, re.search(r'class="language-switch">.*?</nav>', page, re.S).group(0)
    return match.group(1), html.unescape(match.group(2))


def switch(client, lang: str, next_page: str, token: str | None = None):
    """Press the switch as the page offers it (its CSRF token from the sign-in page)."""
    token = token or csrf_token(client, "/admin/login")
    return submit(client, "/admin/language", {"lang": lang, "next": next_page}, token=token)


def test_staff_pages_follow_the_browser_language(staff_client):
    english = staff_client("admin", language="en")
    assert '<html lang="en">' in english.get("/admin/audit").get_data(as_text=True)
    german = staff_client("admin", language="de")
    assert '<html lang="de">' in german.get("/admin/audit").get_data(as_text=True)


def test_the_switch_in_the_staff_header_stays_on_the_page_in_the_staff_area(staff_client):
    admin = staff_client("admin", language="en")
    page = admin.get("/admin/outbox?status=failed").get_data(as_text=True)
    action, next_page = switch_on(page)
    assert (action, next_page) == ("/admin/language", "/admin/outbox?status=failed")
    assert 'href="/de/"' not in re.search(r'class="language-switch">.*?</nav>', page, re.S).group(0)

    response = switch(admin, "de", next_page)
    assert (response.status_code, response.location) == (303, "/admin/outbox?status=failed")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("lang=de;") and "Path=/admin" in cookie
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie

    german = admin.get("/admin/outbox?status=failed").get_data(as_text=True)
    # The browser still asks for English.
    assert '<html lang="de">' in german and "Postausgang" in german
    assert switch_on(german)[1] == "/admin/outbox?status=failed"
    assert '<html lang="de">' in admin.get("/admin/events/").get_data(as_text=True)


def test_the_choice_stays_with_the_staff_pages_and_survives_signing_in_again(app, staff_client):
    admin = staff_client("admin", language="en")
    switch(admin, "de", "/admin/")
    # Public pages keep the language of their address.
    assert '<html lang="en">' in admin.get("/en/").get_data(as_text=True)
    assert '<html lang="de">' in admin.get("/de/").get_data(as_text=True)
    submit(admin, "/admin/logout", {}, token=csrf_token(admin, "/admin/"))
    login = admin.get("/admin/login").get_data(as_text=True)
    assert '<html lang="de">' in login and "Anmeldung für Mitarbeitende" in login
    assert sign_in(admin, admin.user).status_code == 303
    assert '<html lang="de">' in admin.get("/admin/").get_data(as_text=True)


def test_the_sign_in_page_has_the_switch_too(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de"
    page = client.get("/admin/login?next=/admin/audit").get_data(as_text=True)
    assert switch_on(page) == ("/admin/language", "/admin/login?next=/admin/audit")
    response = switch(client, "en", "/admin/login?next=/admin/audit")
    assert response.location == "/admin/login?next=/admin/audit"
    english = client.get(response.location).get_data(as_text=True)
    assert '<html lang="en">' in english and "Staff sign-in" in english


def test_the_switch_only_ever_returns_to_a_staff_page(client):
    token = csrf_token(client, "/admin/login")
    for elsewhere in ("https://evil.example/admin/", "//evil.example/x", "/de/", "/adminx", ""):
        response = switch(client, "en", elsewhere, token=token)
        assert (response.status_code, response.location) == (303, "/admin/"), elsewhere


def test_an_unknown_language_or_a_missing_token_changes_nothing(client):
    token = csrf_token(client, "/admin/login")
    refused = switch(client, "fr", "/admin/login", token=token)
    assert refused.status_code == 400
    assert "lang=" not in refused.headers.get("Set-Cookie", "")
    forged = client.post("/admin/language", data={"lang": "en", "next": "/admin/login"})
    assert forged.status_code == 400
    assert "lang=" not in forged.headers.get("Set-Cookie", "")


def test_after_a_refused_form_the_switch_leads_to_a_page_that_can_be_shown(staff_client, make_user):
    admin = staff_client("admin", language="de")
    other = make_user("editor")
    token = csrf_token(admin, "/admin/")
    refused = submit(admin, f"/admin/staff/{other.id}/role", {"role": "nonsense"}, token=token)
    assert refused.status_code == 422
    assert switch_on(refused.get_data(as_text=True))[1] == "/admin/"
