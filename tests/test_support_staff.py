"""SPEC rule 11, the staff pages of support applications: only admins may open
them, the list filters by status and partner and is paginated, names are
escaped, and the export writes text as strings and is audited."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from extensions import db
from models import (
    AuditEntry,
)
from tests.conftest import csrf_token
from tests.test_support_applications import (
    S,
    count,
    make_application,  # noqa: F401 (a fixture)
    stored,
)
from tests.test_support_workflow import _change


def application_routes(app, application_id: int) -> list[tuple[str, str]]:
    """(method, url) of every staff route of support applications, read from the URL map."""
    with app.test_request_context():
        return [
            (
                method,
                app.url_for(
                    rule.endpoint, **({"application_id": application_id} if rule.arguments else {})
                ),
            )
            for rule in app.url_map.iter_rules()
            if rule.endpoint.startswith("admin.application")
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
        ]


@pytest.mark.parametrize("role", ["editor", "organiser", "anonymous"])
def test_only_admins_may_open_any_application_page(
    app, client, make_application, staff_client, role
):
    application = make_application()
    visitor = client if role == "anonymous" else staff_client(role)
    token = csrf_token(visitor, "/admin/login")
    routes = application_routes(app, application.id)
    assert {url for _, url in routes} == {
        "/admin/applications/",
        "/admin/applications.xlsx",
        f"/admin/applications/{application.id}",
        f"/admin/applications/{application.id}/status",
    }
    for method, url in routes:
        response = visitor.open(
            url, method=method, data={"csrf_token": token, "status": "declined"}
        )
        if role == "anonymous":
            assert response.location.startswith("/admin/login"), f"{method} {url}"
        else:
            assert response.status_code == 403, f"{role} {method} {url}: {response.status_code}"
    assert stored()[0].status is S.SUBMITTED
    assert count(AuditEntry, AuditEntry.action == "applications.export") == 0


def test_admins_see_the_list_the_application_the_export_and_the_menu_entry(
    app, make_application, staff_client
):
    application = make_application(organisation="Kunstverein")
    admin = staff_client("admin")
    pages = {}
    for url in (
        "/admin/applications/",
        f"/admin/applications/{application.id}",
        "/admin/applications.xlsx",
    ):
        response = admin.get(url)
        assert (response.status_code, response.headers["Cache-Control"]) == (200, "no-store"), url
        pages[url] = response.get_data(as_text=not url.endswith(".xlsx"))
    listing = pages["/admin/applications/"]
    assert "Kunstverein" in listing and f'href="/admin/applications/{application.id}"' in listing
    assert "Ich stimme zu." in pages[f"/admin/applications/{application.id}"]  # the words agreed to
    assert 'href="/admin/applications/"' in admin.get("/admin/").get_data(as_text=True)
    assert (
        admin.get("/admin/applications/999").status_code
        == _change(admin, 999, "in_review").status_code
        == 404
    )


def test_script_in_an_organisation_name_is_escaped_on_staff_pages(
    app, make_application, staff_client
):
    application = make_application(
        organisation="<script>alert(1)</script>", project_title="<b>Fest</b>"
    )
    admin = staff_client("admin")
    for url in ("/admin/applications/", f"/admin/applications/{application.id}"):
        page = admin.get(url).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in page and "<b>Fest</b>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_list_filters_by_status_and_partner_newest_first(app, make_application, staff_client):
    now = datetime.now(UTC)
    make_application(organisation="Org-Oldest", created_at=now - timedelta(days=2))
    make_application(organisation="Org-Newest", created_at=now)
    make_application(
        organisation="Org-Reviewed", status=S.IN_REVIEW, created_at=now - timedelta(days=1)
    )
    make_application(
        organisation="Org-Network", partner_key="network:ubc", partner_name="Union der Ostseestädte"
    )
    admin = staff_client("admin")
    page = admin.get("/admin/applications/?partner=city:szczecin").get_data(as_text=True)
    assert (
        page.index("Org-Newest") < page.index("Org-Reviewed") < page.index("Org-Oldest")
        and "Org-Network" not in page
    )
    submitted = admin.get("/admin/applications/?status=submitted").get_data(as_text=True)
    assert "Org-Oldest" in submitted and "Org-Reviewed" not in submitted
    network = admin.get("/admin/applications/?partner=network:ubc").get_data(as_text=True)
    assert "Org-Network" in network and "Org-Oldest" not in network
    assert admin.get("/admin/applications/?status=bogus").status_code == 422


def test_the_list_is_paginated(app, make_application, staff_client):
    start = datetime.now(UTC)
    for number in range(30):
        make_application(
            organisation=f"Club {number:02d}", created_at=start + timedelta(minutes=number)
        )
    admin = staff_client("admin")
    first = admin.get("/admin/applications/").get_data(as_text=True)
    assert "Club 29" in first and "Club 05" in first and "Club 04" not in first
    second = admin.get("/admin/applications/?page=2").get_data(as_text=True)
    assert "Club 04" in second and "Club 29" not in second


def test_the_export_writes_text_as_strings_never_formulas_and_is_audited(
    app, make_application, staff_client
):
    make_application(
        organisation="=cmd|' /C calc'!A0", contact_name="+49 Trick", status=S.IN_REVIEW
    )
    make_application(organisation="Ordentlicher Verein")
    admin = staff_client("admin")
    response = admin.get("/admin/applications.xlsx?status=in_review")
    assert (response.status_code, response.headers["Cache-Control"]) == (200, "no-store")
    assert (
        response.headers["Content-Disposition"]
        == 'attachment; filename="support-applications.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(response.data)).active
    header, *rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(rows) == 1  # only the application in review
    assert "=cmd|' /C calc'!A0" in rows[0] and "+49 Trick" in rows[0]  # strings, as typed
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    [entry] = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "applications.export")
    ).all()
    assert (entry.actor_email, entry.row_count, entry.details["status"]) == (
        admin.user.email,
        1,
        "in_review",
    )
