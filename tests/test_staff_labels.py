"""Staff pages speak the staff member's language: stored codes (audit actions
and targets, mail kinds, statuses, roles, partner keys) are shown as words,
from one mapping per kind of code that pages and exports share."""

from __future__ import annotations

import ast
import html
import io
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from extensions import db
from models import OutboxMessage, OutboxStatus, RegistrationStatus, SupportApplication
from services import audit, labels

ROOT = Path(__file__).resolve().parents[1]
# Codes as the database holds them; none may show as text on a staff page.
RAW_CODES = (
    "application_approved",
    "event.update",
    "application.status",
    "staff.role_change",
    "outbox.retry",
    "registration.promote",
    "city:turku",
    "registration:",
    "user:",
    "organiser",
    "in_review",
    "waitlisted",
    "capacity",
    "previous_status",
)


def visible_text(response) -> str:
    """What a person reads: the page without its tags and attribute values."""
    assert response.status_code == 200, response.status_code
    body = response.get_data(as_text=True)
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


@pytest.fixture
def office(app, make_event, make_registration, make_user):
    """An event with a waitlisted person, an application, a failed email and
    the audit entries that such work leaves behind."""
    event = make_event()
    waiting = make_registration(event, status=RegistrationStatus.WAITLISTED)
    organiser = make_user("organiser", email="olga@stadt.example")
    application = SupportApplication(
        language="de",
        organisation="Ruderverein",
        contact_name="Eva Muster",
        email="eva@example.org",
        partner_key="city:turku",
        partner_name="Turku",
        project_title="Regatta",
        description="Ein Austausch.",
        starts_on=date(2027, 1, 10),
        ends_on=date(2027, 1, 12),
        amount_requested=Decimal("800.00"),
        privacy_consent_at=datetime.now(UTC),
        privacy_consent_text="Ich stimme zu.",
    )
    db.session.add(application)
    db.session.add(
        OutboxMessage(
            kind="application_approved",
            language="de",
            recipient="eva@example.org",
            subject="Ihr Antrag wurde bewilligt",
            body_text="…",
            status=OutboxStatus.FAILED,
        )
    )
    db.session.flush()
    actor = organiser
    audit.record(
        db.session,
        actor,
        "event.update",
        event_id=event.id,
        target=event.slug,
        changed=["capacity", "texts"],
    )
    audit.record(
        db.session,
        actor,
        "registration.promote",
        event_id=event.id,
        target=f"registration:{waiting.id}",
        status="confirmed",
    )
    audit.record(
        db.session,
        actor,
        "application.status",
        target=f"application:{application.id}",
        note=None,
        **{"from": "submitted", "to": "in_review"},
    )
    audit.record(
        db.session,
        actor,
        "staff.role_change",
        target=f"user:{organiser.id}",
        email=organiser.email,
        **{"from": "organiser", "to": "editor"},
    )
    audit.record(
        db.session,
        actor,
        "outbox.retry",
        target="outbox:1",
        kind="application_approved",
        previous_status="failed",
    )
    db.session.commit()
    return {"event": event, "application": application, "waiting": waiting}


def staff_pages(office) -> list[str]:
    event, application = office["event"], office["application"]
    return [
        "/admin/",
        "/admin/audit",
        "/admin/outbox?status=failed",
        "/admin/applications/",
        f"/admin/applications/{application.id}",
        "/admin/staff/",
        "/admin/events/",
        f"/admin/events/{event.id}/participants",
    ]


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "de",
            [
                "Veranstaltung geändert",
                "Geändert: Plätze, Texte",
                "Status: Bestätigt",
                "Von der Warteliste nachgerückt",
                "Status des Antrags geändert",
                "Vorher: eingereicht",
                "Nachher: in Prüfung",
                "Rolle geändert",
                "Vorher: Veranstaltungsteam",
                "Nachher: Redaktion",
                "Antrag bewilligt",
                "Art: Antrag bewilligt",
                "Vorheriger Status: Fehlgeschlagen",
                "Turku (Stadt)",
                "Warteliste",
                "Veröffentlicht",
            ],
        ),
        (
            "en",
            [
                "Event changed",
                "Changed: Places, Texts",
                "Status: Confirmed",
                "Given a place from the waitlist",
                "Application status changed",
                "From: submitted",
                "To: in review",
                "Role changed",
                "From: Organiser",
                "To: Editor",
                "Application approved",
                "Kind: Application approved",
                "Previous status: Failed",
                "Turku (City)",
                "Waitlist",
                "Published",
            ],
        ),
    ],
)
def test_staff_pages_show_stored_codes_as_words_of_the_staff_language(
    staff_client, office, language, words
):
    admin = staff_client("admin", language=language)
    pages = {url: visible_text(admin.get(url)) for url in staff_pages(office)}
    everything = "\n".join(pages.values())
    missing = [word for word in words if word not in " ".join(everything.split())]
    assert not missing
    shown = {url: [code for code in RAW_CODES if code in text] for url, text in pages.items()}
    assert not any(shown.values()), shown
    waiting = office["waiting"]
    target = "Anmeldung" if language == "de" else "Registration"
    assert f"{target} {waiting.id}" in pages["/admin/audit"]


def test_the_dashboard_names_the_role_in_words(staff_client):
    organiser = staff_client("organiser", language="de")
    page = " ".join(visible_text(organiser.get("/admin/")).split())
    assert f"Angemeldet als {organiser.user.email} (Veranstaltungsteam)." in page


def test_the_audit_filter_offers_actions_by_name_and_keeps_matching_by_code(staff_client, office):
    admin = staff_client("admin", language="de")
    page = admin.get("/admin/audit").get_data(as_text=True)
    assert '<option value="event.update">Veranstaltung geändert</option>' in page
    listed = admin.get("/admin/audit?action=application.").get_data(as_text=True)
    [rows] = re.findall(r"<tbody>(.*?)</tbody>", listed, flags=re.S)
    assert "Status des Antrags geändert" in rows and "Veranstaltung geändert" not in rows
    refused = admin.get("/admin/audit?action=no.such")
    assert refused.status_code == 422
    assert "Bitte wählen Sie eine Aktion aus der Liste." in refused.get_data(as_text=True)


def test_exports_use_the_same_words_as_the_pages(staff_client, office):
    event = office["event"]
    for language, status, german, column in (
        ("de", "Warteliste", "Deutsch", "Sprache"),
        ("en", "Waitlist", "German", "Language"),
    ):
        admin = staff_client("admin", language=language)
        csv = admin.get(f"/admin/events/{event.id}/participants.csv").data.decode("utf-8-sig")
        assert csv.splitlines()[1].startswith(f"{status};"), language
        sheet = load_workbook(io.BytesIO(admin.get("/admin/applications.xlsx").data)).active
        [header, row] = [[cell.value for cell in cells] for cells in sheet.iter_rows()]
        assert row[header.index(column)] == german, language


# --- every code the app makes has its words ---------------------------------------


def recorded_actions() -> set[str]:
    """The action of every audit.record(...) call in the code: a literal, or a
    name assigned literals (`action = "city.create" if … else "city.update"`)."""
    found: set[str] = set()
    for path in [*(ROOT / "services").rglob("*.py"), *(ROOT / "blueprints").rglob("*.py")]:
        tree = ast.parse(path.read_text())
        literals: dict[str, list[object]] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
                values = [c.value for c in ast.walk(node.value) if isinstance(c, ast.Constant)]
                literals.setdefault(node.targets[0].id, []).extend(values)
        for node in ast.walk(tree):
            name = getattr(node, "func", None)
            name = getattr(name, "attr", getattr(name, "id", ""))
            if not (isinstance(node, ast.Call) and name == "record" and len(node.args) >= 3):
                continue
            action = node.args[2]
            if isinstance(action, ast.Constant):
                found.add(action.value)
            elif isinstance(action, ast.Name):
                found.update(v for v in literals.get(action.id, []) if isinstance(v, str))
    # news.create/update are passed down to the function that records them
    news = (ROOT / "services/news.py").read_text()
    found.update(re.findall(r'"(news\.(?:create|update))"', news))
    return {action for action in found if "." in action}


def test_every_audit_action_the_code_records_has_words():
    actions = recorded_actions()
    assert {"event.update", "staff.role_change", "city.create", "news.update"} <= actions
    assert not actions - set(labels.AUDIT_ACTIONS), "add them to services/labels.py AUDIT_ACTIONS"
    assert {action.partition(".")[0] for action in actions} <= set(labels.AUDIT_AREAS)


def test_every_email_kind_has_words():
    templates = ROOT / "templates/email"
    kinds = {p.stem for p in templates.glob("*.txt") if (templates / f"{p.stem}.html").exists()}
    assert kinds and not kinds - set(labels.MAIL_KINDS)


def test_every_state_and_role_has_words():
    for kind, words in labels.BY_ENUM.items():
        assert set(words) == set(kind), kind


def test_an_unknown_code_is_shown_as_it_is(app):
    assert labels.audit_action("event.archive") == "event.archive"
    assert labels.mail_kind("newsletter") == "newsletter"
    assert labels.audit_target("turku") == "turku"
    assert labels.audit_target("user:oldest") == "user:oldest"
