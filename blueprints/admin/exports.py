"""Staff pages: an event's participants as CSV and XLSX downloads, and the
door list as PDF. Each is written to the audit log before the first byte
leaves."""

from __future__ import annotations

import re

from flask import Response, stream_with_context
from flask_babel import gettext
from flask_login import current_user

from blueprints.admin.access import managed_event_or_404, roles
from blueprints.admin.blueprint import bp
from extensions import db
from i18n import current_language
from models import Event, Role
from services import door_list as door_lists
from services import exports, spreadsheets


@bp.get("/events/<int:event_id>/participants.csv")
@roles(Role.ORGANISER)
def participants_csv(event_id: int) -> Response:
    event = _audited_export(event_id, "csv")
    chunks = spreadsheets.csv_chunks(exports.participant_table(db.session, event))
    response = Response(stream_with_context(chunks), content_type=spreadsheets.CSV_CONTENT_TYPE)
    return _download(response, event, "csv")


@bp.get("/events/<int:event_id>/participants.xlsx")
@roles(Role.ORGANISER)
def participants_xlsx(event_id: int) -> Response:
    event = _audited_export(event_id, "xlsx")
    table = exports.participant_table(db.session, event)
    file = spreadsheets.xlsx_file(table, gettext("Participants"), current_language())
    response = Response(spreadsheets.file_chunks(file), content_type=spreadsheets.XLSX_CONTENT_TYPE)
    response.call_on_close(file.close)  # also when the download never starts
    return _download(response, event, "xlsx")


@bp.get("/events/<int:event_id>/door-list.pdf")
@roles(Role.ORGANISER)
def door_list(event_id: int) -> Response:
    """The printable list for the door, recorded like an export."""
    event = managed_event_or_404(event_id)
    listed = door_lists.record_download(db.session, current_user, event)
    response = Response(door_lists.pdf(listed, current_language()), content_type="application/pdf")
    name = _file_name(event)
    response.headers["Content-Disposition"] = f'inline; filename="{name}-door-list.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _audited_export(event_id: int, format: str) -> Event:
    """The event, once this user's export of it is recorded and committed."""
    event = managed_event_or_404(event_id)
    exports.record_export(db.session, current_user, event, format)
    return event


def _file_name(event: Event) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", event.slug).strip("-") or f"event-{event.id}"


def _download(response: Response, event: Event, extension: str) -> Response:
    filename = f"{_file_name(event)}-participants.{extension}"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
