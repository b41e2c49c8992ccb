"""The mail outbox (admins only): what waits, what went out, what failed,
and a retry for failed messages."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug import Response

from blueprints.admin.access import roles
from blueprints.admin.blueprint import bp
from blueprints.admin.staff_forms import OutboxRetryForm
from blueprints.pagination import paginate, requested_page
from extensions import db
from models import OutboxMessage, OutboxStatus
from models.base import utcnow
from services import mailer

# Tab -> the statuses it shows and the order they make sense in.
TABS = {
    "pending": (
        (OutboxStatus.QUEUED, OutboxStatus.RETRY, OutboxStatus.SENDING),
        (OutboxMessage.next_attempt_at, OutboxMessage.id),
    ),
    "sent": ((OutboxStatus.SENT,), (OutboxMessage.sent_at.desc(), OutboxMessage.id.desc())),
    "failed": ((OutboxStatus.FAILED,), (OutboxMessage.id.desc(),)),
}


@bp.get("/outbox")
@roles()
def outbox() -> str:
    shown = request.args.get("status", "pending")
    shown = shown if shown in TABS else "pending"
    statuses, order = TABS[shown]
    query = select(OutboxMessage).where(OutboxMessage.status.in_(statuses)).order_by(*order)
    per_status = dict(
        db.session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        ).all()
    )
    return render_template(
        "admin/outbox.html",
        shown=shown,
        counts={tab: sum(per_status.get(status, 0) for status in TABS[tab][0]) for tab in TABS},
        page=paginate(db.session, query, requested_page()),
        retryable=mailer.RETRYABLE,
        form=OutboxRetryForm(),
    )


@bp.post("/outbox/<int:message_id>/retry")
@roles()
def outbox_retry(message_id: int) -> Response:
    """Queue a failed or waiting message again (CSRFProtect checked the token)."""
    message = db.one_or_abort(select(OutboxMessage).where(OutboxMessage.id == message_id))
    previous = message.status
    back = redirect(
        url_for(".outbox", status="failed" if previous is OutboxStatus.FAILED else "pending"), 303
    )
    message = mailer.requeue(db.session, message.id, current_user, utcnow())
    if message is None:
        flash(
            gettext(
                "This message is neither failed nor waiting for a retry, so it was left as it is."
            ),
            "warning",
        )
        return back
    flash(
        gettext("The message to %(recipient)s is queued again.", recipient=message.recipient),
        "success",
    )
    return back
