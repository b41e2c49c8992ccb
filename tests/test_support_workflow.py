"""SPEC rule 11, the staff workflow of a support application with real email:
the applicant is told at each step in their language, an application can be
declined without review with the reason sent, and a step the workflow does
not allow is refused."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from babel.numbers import format_currency
from sqlalchemy import select

from extensions import db
from models import (
    ApplicationStatus,
    AuditEntry,
    OutboxMessage,
)
from services import applications
from tests.conftest import csrf_token, run_worker, submit
from tests.mail import text_of
from tests.test_support_applications import (  # noqa: F401 (directory, june, make_application: fixtures)
    S,
    application_form,
    count,
    directory,
    june,
    make_application,
    stored,
)


def _change(admin, application_id: int, status: str, note: str = ""):
    url = f"/admin/applications/{application_id}/status"
    return submit(
        admin, url, {"status": status, "note": note}, token=csrf_token(admin, "/admin/login")
    )


@pytest.mark.parametrize(
    ("lang", "hello", "day"),
    [
        ("de", "Hallo Eva Muster,", "15. September 2026"),
        ("en", "Hello Eva Muster,", "15 September 2026"),
    ],
)
def test_the_applicant_is_emailed_at_each_step_in_their_language(
    app, client, smtp, directory, june, staff_client, lang, hello, day
):
    note = "Bitte reichen Sie noch einen Kostenplan ein."
    assert (
        submit(
            client, f"/{lang}/support/apply", application_form(amount_requested="1234,50")
        ).status_code
        == 303
    )
    [application] = stored()
    admin = staff_client("admin")
    assert _change(admin, application.id, "in_review", note).status_code == 303
    assert _change(admin, application.id, "approved").status_code == 303
    run_worker(app)
    received, in_review, approved = smtp.inbox.to("eva@example.org")
    amount = format_currency(Decimal("1234.50"), "EUR", locale=lang)
    for message in (received, in_review, approved):
        assert message["From"] == "Fachbereich Internationales <international@localhost>"
        assert (
            "Regatta auf der Oder" in message["Subject"] and message.get_body(("html",)) is not None
        )
        assert all(text in text_of(message) for text in (hello, day, amount))
    assert note in text_of(in_review) and note in in_review.get_body(("html",)).get_content()
    assert note not in text_of(approved)
    if lang == "en":
        assert [m["Subject"] for m in (received, in_review, approved)] == [
            f"{start}: Regatta auf der Oder"
            for start in (
                "We have received your application",
                "Your application is being reviewed",
                "Your application has been approved",
            )
        ]
    kinds = db.session.scalars(select(OutboxMessage.kind).order_by(OutboxMessage.id)).all()
    assert kinds == ["application_received", "application_in_review", "application_approved"]
    [decided] = stored()
    assert (decided.status, decided.staff_note, decided.decided_by_id) == (
        S.APPROVED,
        note,
        admin.user.id,
    )
    changes = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "application.status").order_by(AuditEntry.id)
    )
    target = f"application:{application.id}"
    assert [(e.details["from"], e.details["to"], e.target) for e in changes] == [
        ("submitted", "in_review", target),
        ("in_review", "approved", target),
    ]


def test_an_application_can_be_declined_without_review_and_the_reason_is_sent(
    app, smtp, make_application, staff_client
):
    application = make_application(language="en", email="club@example.org", project_title="Chor")
    assert (
        _change(
            staff_client("admin"), application.id, "declined", "No partner city takes part."
        ).status_code
        == 303
    )
    assert stored()[0].status is S.DECLINED
    run_worker(app)
    [declined] = smtp.inbox.to("club@example.org")
    assert declined[
        "Subject"
    ] == "Decision on your application: Chor" and "No partner city takes part." in text_of(declined)


@pytest.mark.parametrize(
    ("status", "wanted", "message"),
    [
        # Nothing is approved without a review; decisions are final.
        (
            S.SUBMITTED,
            "approved",
            "An application that is submitted cannot become approved; it can become: in review, "
            "declined.",
        ),
        (
            S.IN_REVIEW,
            "submitted",
            "An application that is in review cannot become submitted; it can become: approved, "
            "declined.",
        ),
        (S.IN_REVIEW, "in_review", "This application is already in review."),
        (S.APPROVED, "declined", "This application is approved; that decision is final."),
        (S.DECLINED, "in_review", "This application is declined; that decision is final."),
    ],
)
def test_a_step_the_workflow_does_not_allow_is_refused(
    app, make_application, staff_client, status, wanted, message
):
    application = make_application(status=status)
    admin = staff_client("admin")
    admin.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"  # staff pages follow the browser's language
    response = _change(admin, application.id, wanted)
    assert response.status_code == 422
    assert message in html.unescape(response.get_data(as_text=True))
    assert stored()[0].status is status
    assert count(OutboxMessage) == count(AuditEntry, AuditEntry.action == "application.status") == 0
    with app.test_request_context("/admin/"), pytest.raises(applications.TransitionRefused):
        applications.change_status(
            db.session,
            application.id,
            ApplicationStatus(wanted),
            None,
            admin.user,
            datetime.now(UTC),
        )
