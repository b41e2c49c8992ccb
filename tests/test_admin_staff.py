"""Admin-only pages: staff accounts and the audit log. Only admins manage
accounts; a disabled or re-roled account is signed out at once; admins
cannot lock themselves out; every change is audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from extensions import db
from models import AuditEntry, OutboxMessage, OutboxStatus, Role, User
from services import audit
from tests.conftest import csrf_token, sign_in, submit

STAFF = "/admin/staff/"
NEW_PASSWORD = "a new and long password"
SCRIPT = "<script>alert(1)</script>"


def fresh(user: User) -> User:
    """The account as the database has it now."""
    db.session.rollback()
    return db.session.get(User, user.id)


def audit_entries(action: str) -> list[AuditEntry]:
    db.session.rollback()
    return list(
        db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
    )


def post_as(client, url: str, data: dict | None = None):
    """POST with a valid CSRF token of the client's own session."""
    return submit(client, url, data or {}, token=csrf_token(client, "/admin/login"))


def test_admin_creates_an_organiser_who_can_then_sign_in(app, staff_client):
    admin = staff_client("admin", language="en")
    response = submit(
        admin,
        STAFF,
        {"email": " Neu@Stadt.example ", "role": "organiser", "password": NEW_PASSWORD},
    )
    assert response.status_code == 303
    assert "neu@stadt.example" in admin.get(STAFF).get_data(as_text=True)

    newcomer = app.test_client()
    assert (
        submit(
            newcomer, "/admin/login", {"email": "neu@stadt.example", "password": NEW_PASSWORD}
        ).status_code
        == 303
    )
    assert newcomer.get("/admin/events/").status_code == 200
    assert newcomer.get(STAFF).status_code == 403

    user = db.session.scalar(select(User).where(User.email == "neu@stadt.example"))
    assert user.role is Role.ORGANISER
    [entry] = audit_entries("staff.create")
    assert (entry.actor_id, entry.target, entry.details["role"]) == (
        admin.user.id,
        f"user:{user.id}",
        "organiser",
    )


def test_duplicate_email_is_refused_with_a_message(app, staff_client, make_user):
    make_user("editor", email="doppelt@stadt.example")
    admin = staff_client("admin", language="en")
    response = submit(
        admin,
        STAFF,
        {"email": "DOPPELT@stadt.example", "role": "organiser", "password": NEW_PASSWORD},
    )
    assert response.status_code == 422
    assert "There is already an account with this email address." in response.get_data(as_text=True)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(User)) == 2
    assert audit_entries("staff.create") == []


def test_initial_password_needs_twelve_characters(app, staff_client):
    admin = staff_client("admin", language="en")
    response = submit(
        admin, STAFF, {"email": "kurz@stadt.example", "role": "editor", "password": "elf zeichen"}
    )
    assert response.status_code == 422
    assert "The password needs at least 12 characters." in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.email == "kurz@stadt.example")) is None


def test_an_initial_password_among_the_common_ones_is_refused(app, staff_client):
    admin = staff_client("admin", language="en")
    form = {"email": "neu@stadt.example", "role": "editor", "password": "qwerty123456"}
    response = submit(admin, STAFF, form)
    assert response.status_code == 422
    assert "among the most common" in response.get_data(as_text=True)


def test_disabling_a_user_makes_their_session_useless_at_once(app, staff_client):
    admin = staff_client("admin", language="en")
    organiser = staff_client("organiser")
    assert organiser.get("/admin/events/").status_code == 200

    response = post_as(admin, f"/admin/staff/{organiser.user.id}/disable")
    assert response.status_code == 303

    response = organiser.get("/admin/events/")
    assert response.status_code == 302
    assert response.location.startswith("/admin/login")
    assert sign_in(app.test_client(), organiser.user).status_code == 401
    assert fresh(organiser.user).is_enabled is False
    [entry] = audit_entries("staff.disable")
    assert entry.target == f"user:{organiser.user.id}"


def test_enabling_a_disabled_account_lets_the_person_sign_in_again(app, staff_client, make_user):
    admin = staff_client("admin", language="en")
    editor = make_user("editor")
    post_as(admin, f"/admin/staff/{editor.id}/disable")
    assert post_as(admin, f"/admin/staff/{editor.id}/enable").status_code == 303
    assert sign_in(app.test_client(), editor).status_code == 303
    assert [e.target for e in audit_entries("staff.enable")] == [f"user:{editor.id}"]


def test_role_change_ends_sessions_and_is_audited_with_from_and_to(app, staff_client):
    admin = staff_client("admin", language="en")
    organiser = staff_client("organiser")
    assert organiser.get("/admin/events/").status_code == 200

    response = post_as(admin, f"/admin/staff/{organiser.user.id}/role", {"role": "editor"})
    assert response.status_code == 303

    assert organiser.get("/admin/events/").location.startswith("/admin/login")
    assert fresh(organiser.user).role is Role.EDITOR
    [entry] = audit_entries("staff.role_change")
    assert entry.details["from"] == "organiser"
    assert entry.details["to"] == "editor"
    assert (entry.actor_id, entry.target) == (admin.user.id, f"user:{organiser.user.id}")


def test_an_admin_cannot_disable_themselves(app, staff_client):
    admin = staff_client("admin", language="en")
    response = post_as(admin, f"/admin/staff/{admin.user.id}/disable")
    assert response.status_code == 303
    page = admin.get(response.location).get_data(as_text=True)
    assert "You cannot disable your own account." in page
    assert fresh(admin.user).is_enabled is True
    assert admin.get(STAFF).status_code == 200  # still signed in
    assert audit_entries("staff.disable") == []


def test_an_admin_cannot_demote_themselves(app, staff_client):
    admin = staff_client("admin", language="en")
    response = post_as(admin, f"/admin/staff/{admin.user.id}/role", {"role": "organiser"})
    page = admin.get(response.location).get_data(as_text=True)
    assert "You cannot take away your own admin role." in page
    assert fresh(admin.user).role is Role.ADMIN
    assert admin.get(STAFF).status_code == 200
    assert audit_entries("staff.role_change") == []


ADMIN_ONLY = ("admin.staff", "admin.audit", "admin.outbox")


@pytest.mark.parametrize("role", ["organiser", "editor"])
def test_organisers_and_editors_get_403_on_every_admin_only_page_and_post(
    app, staff_client, make_user, role
):
    target = make_user("editor")
    message = OutboxMessage(
        kind="confirm", language="de", recipient="x@example.org", subject="s", body_text="b"
    )
    message.status = OutboxStatus.FAILED
    db.session.add(message)
    db.session.commit()
    ids = {"user_id": target.id, "message_id": message.id}
    client = staff_client(role)
    token = csrf_token(client, "/admin/login")

    checked = set()
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith(ADMIN_ONLY):
            continue
        url = rule.build({name: ids[name] for name in rule.arguments})[1]
        for method in sorted(rule.methods & {"GET", "POST"}):
            data = {
                "csrf_token": token,
                "email": "neu@stadt.example",
                "role": "admin",
                "password": NEW_PASSWORD,
            }
            response = client.open(url, method=method, data=data if method == "POST" else None)
            assert response.status_code == 403, (method, url)
            checked.add(rule.endpoint)

    assert {
        "admin.staff",
        "admin.staff_role",
        "admin.staff_disable",
        "admin.audit",
        "admin.outbox_retry",
    } <= checked
    assert fresh(target).is_enabled and fresh(target).role is Role.EDITOR
    assert db.session.get(OutboxMessage, message.id).status is OutboxStatus.FAILED
    assert db.session.scalar(select(User).where(User.email == "neu@stadt.example")) is None


def test_anonymous_visitors_are_sent_to_the_login(client):
    for url in (STAFF, "/admin/audit", "/admin/outbox"):
        assert client.get(url).location.startswith("/admin/login"), url


def add_entry(actor: User, action: str, at: datetime, **fields) -> AuditEntry:
    entry = audit.record(db.session, actor, action, **fields)
    entry.at = at
    db.session.commit()
    return entry


def test_audit_page_lists_entries_newest_first(app, staff_client):
    admin = staff_client("admin", language="en")
    now = datetime.now(UTC)
    add_entry(admin.user, "staff.create", now - timedelta(hours=2), target="user:oldest")
    add_entry(admin.user, "participants.export", now, target="user:newest")
    add_entry(admin.user, "event.update", now - timedelta(hours=1), target="user:middle")

    page = admin.get("/admin/audit").get_data(as_text=True)
    positions = [page.index(f"user:{name}") for name in ("newest", "middle", "oldest")]
    assert positions == sorted(positions)


def test_audit_page_filters_by_action_prefix_and_by_event(app, staff_client, make_event):
    admin = staff_client("admin", language="en")
    event = make_event()
    now = datetime.now(UTC)
    add_entry(
        admin.user, "participants.export", now, event_id=event.id, target="export-xlsx", row_count=7
    )
    add_entry(admin.user, "participants.export_csv", now, target="export-csv")
    add_entry(admin.user, "staff.create", now, event_id=None, target="user-created")
    add_entry(admin.user, "event.update", now, event_id=event.id, target="event-updated")

    page = admin.get("/admin/audit?action=participants.export").get_data(as_text=True)
    assert "export-xlsx" in page and "export-csv" in page
    assert "user-created" not in page and "event-updated" not in page

    page = admin.get(f"/admin/audit?event={event.id}").get_data(as_text=True)
    assert "export-xlsx" in page and "event-updated" in page
    assert "export-csv" not in page and "user-created" not in page


def test_audit_page_shows_50_entries_and_clamps_the_page_number_to_the_last_page(app, staff_client):
    admin = staff_client("admin", language="en")
    now = datetime.now(UTC)
    for n in range(51):
        add_entry(admin.user, "event.update", now - timedelta(minutes=n), target=f"entry-{n:02d}.")

    first = admin.get("/admin/audit").get_data(as_text=True)
    assert "entry-49." in first and "entry-50." not in first
    last = admin.get("/admin/audit?page=999").get_data(as_text=True)
    assert "entry-50." in last and "entry-49." not in last
    assert "Page 2 of 2" in last


def test_script_in_an_email_address_is_escaped_on_staff_and_audit_pages(
    app, staff_client, make_user, make_event
):
    admin = staff_client("admin", language="en")
    odd = make_user("editor", email=f"{SCRIPT}@stadt.example")
    event = make_event(title_en=SCRIPT)
    add_entry(
        odd, "participants.export", datetime.now(UTC), event_id=event.id, target=SCRIPT, note=SCRIPT
    )

    for url in (STAFF, f"/admin/staff/{odd.id}", "/admin/audit"):
        page = admin.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
        assert SCRIPT not in page, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url
