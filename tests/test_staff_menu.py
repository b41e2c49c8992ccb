"""The staff navigation is one declared list (blueprints/admin/menu.py): its
order is the order staff see, whatever the import order of the modules, and
each role sees exactly the entries it may open."""

from __future__ import annotations

import re

import pytest

from blueprints.admin.menu import MENU
from models import Role

NAV = re.compile(r'<nav aria-label="[^"]*" class="main-nav">(.*?)</nav>', re.S)


def nav_links(html: str) -> list[str]:
    found = NAV.search(html)
    assert found, "no staff navigation"
    links = re.findall(r'<a href="(/admin/[^"]*)"', found.group(1))
    # The account's own pages (password, two-factor) follow the menu's entries.
    return [link for link in links if not link.startswith("/admin/account/")]


def test_every_entry_names_a_staff_page(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    for entry in MENU:
        assert entry.endpoint in endpoints, entry
        for endpoint, _ in entry.dashboard_links:
            assert endpoint in endpoints, endpoint


@pytest.mark.parametrize("role", ["admin", "organiser", "editor"])
def test_each_role_sees_its_entries_in_the_declared_order(app, staff_client, role):
    user_role = Role(role)
    with app.test_request_context():
        from flask import url_for

        expected = [
            url_for(entry.endpoint)
            for entry in MENU
            if user_role is Role.ADMIN or entry.role is user_role
        ]
    client = staff_client(role)
    assert nav_links(client.get("/admin/").get_data(as_text=True)) == expected
    for url in expected:
        page = client.get(url).get_data(as_text=True)
        current = re.findall(r'<a href="([^"]*)" aria-current="page"', NAV.search(page).group(1))
        assert current == [url], url


def test_the_participants_of_an_event_belong_to_events(app, staff_client, make_event):
    event = make_event()
    page = staff_client("admin").get(f"/admin/events/{event.id}/participants")
    assert re.search(r'<a href="/admin/events/" aria-current="page">', page.get_data(as_text=True))
