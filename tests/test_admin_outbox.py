"""The mail outbox page (admins only): failed messages are shown with their
error, and a retry queues them again so the worker delivers them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from extensions import db
from models import AuditEntry, OutboxMessage, OutboxStatus
from tests.conftest import csrf_token, registration_form, run_worker, submit

OUTBOX = "/admin/outbox"


@pytest.fixture
def failed_confirmation(app, client, smtp, make_event) -> OutboxMessage:
    """Lena registers; the mail server refuses her confirmation for good."""
    make_event()
    assert (
        submit(client, "/de/events/forumtheater/register", registration_form()).status_code == 303
    )
    smtp.inbox.reply = "550 No such user"
    run_worker(app)
    smtp.inbox.reply = "250 Message accepted for delivery"
    [message] = messages()
    assert message.status is OutboxStatus.FAILED
    return message


def messages() -> list[OutboxMessage]:
    db.session.rollback()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def retry(client, message_id: int):
    return submit(
        client, f"{OUTBOX}/{message_id}/retry", {}, token=csrf_token(client, "/admin/login")
    )


def insert_message(status: OutboxStatus, **fields) -> OutboxMessage:
    message = OutboxMessage(
        kind="reminder",
        language="en",
        recipient=fields.pop("recipient", "tom@example.org"),
        subject=fields.pop("subject", "Reminder: forum theatre workshop"),
        body_text="See you soon.",
        status=status,
        **fields,
    )
    db.session.add(message)
    db.session.commit()
    return message


def test_failed_message_is_listed_with_its_error_under_failed_only(
    staff_client, failed_confirmation
):
    admin = staff_client("admin", language="en")
    page = admin.get(f"{OUTBOX}?status=failed").get_data(as_text=True)
    assert "lena@example.org" in page
    assert "550" in page and "No such user" in page
    assert failed_confirmation.subject in page
    assert "Send again" in page
    assert "lena@example.org" not in admin.get(f"{OUTBOX}?status=pending").get_data(as_text=True)


def test_retry_requeues_a_failed_message_and_the_next_worker_pass_delivers_it(
    app, staff_client, smtp, failed_confirmation
):
    admin = staff_client("admin", language="en")
    assert smtp.inbox.messages == []

    response = retry(admin, failed_confirmation.id)
    assert response.status_code == 303

    [message] = messages()
    assert message.status is OutboxStatus.QUEUED
    assert message.last_error is None
    assert message.next_attempt_at <= datetime.now(UTC)
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "outbox.retry"))
    assert (entry.actor_id, entry.target) == (admin.user.id, f"outbox:{message.id}")
    assert "lena@example.org" in admin.get(f"{OUTBOX}?status=pending").get_data(as_text=True)

    run_worker(app)
    assert [m["To"] for m in smtp.inbox.messages] == ["lena@example.org"]
    assert messages()[0].status is OutboxStatus.SENT


def test_a_message_waiting_for_retry_can_be_sent_now(app, staff_client, smtp):
    message = insert_message(
        OutboxStatus.RETRY,
        attempts=2,
        last_error="SMTPServerDisconnected",
        next_attempt_at=datetime.now(UTC) + timedelta(hours=4),
    )
    admin = staff_client("admin", language="en")
    assert retry(admin, message.id).status_code == 303
    run_worker(app)
    assert [m["To"] for m in smtp.inbox.messages] == ["tom@example.org"]


def test_a_sent_message_cannot_be_retried(app, staff_client, smtp):
    message = insert_message(OutboxStatus.SENT, sent_at=datetime.now(UTC), attempts=1)
    admin = staff_client("admin", language="en")
    response = retry(admin, message.id)
    assert response.status_code == 303
    assert "neither failed nor waiting" in admin.get(response.location).get_data(as_text=True)
    assert messages()[0].status is OutboxStatus.SENT
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "outbox.retry")) is None
    run_worker(app)
    assert smtp.inbox.messages == []


def test_retry_of_an_unknown_message_is_404(staff_client):
    admin = staff_client("admin", language="en")
    assert retry(admin, 4711).status_code == 404


@pytest.mark.parametrize("role", ["organiser", "editor"])
def test_only_admins_may_see_the_outbox_or_retry(staff_client, failed_confirmation, role):
    client = staff_client(role)
    assert client.get(OUTBOX).status_code == 403
    token = csrf_token(client, "/admin/login")
    assert (
        submit(client, f"{OUTBOX}/{failed_confirmation.id}/retry", {}, token=token).status_code
        == 403
    )
    assert messages()[0].status is OutboxStatus.FAILED


def test_pending_tab_shows_queued_messages_and_escapes_them(staff_client):
    insert_message(
        OutboxStatus.QUEUED, recipient="anna@example.org", subject="<script>alert(1)</script>"
    )
    page = staff_client("admin", language="en").get(OUTBOX).get_data(as_text=True)
    assert "anna@example.org" in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
