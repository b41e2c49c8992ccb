"""Who may export participants (the event's organisers and admins, nobody else,
nothing audited when refused) and the audit entry every export writes before
the download streams. The cells themselves: test_exports.py."""

from __future__ import annotations

import pytest

from extensions import db
from models import RegistrationStatus
from tests.test_exports import (
    FIRST_NAME,
    FORMATS,
    admin,  # noqa: F401 (a fixture)
    audit_entries,
    csv_rows,
    export,
    xlsx_rows,
)


@pytest.mark.parametrize("format", FORMATS)
def test_exports_of_personal_data_are_never_cached(admin, make_event, make_registration, format):
    event = make_event()
    make_registration(event)

    assert export(admin, event, format).headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("format", FORMATS)
def test_every_export_is_audited_with_who_which_event_and_how_many_rows(
    admin, make_event, make_registration, format
):
    event = make_event()
    other = make_event(slug="anderes")
    for status in RegistrationStatus:
        make_registration(event, status=status)
    make_registration(other)

    response = export(admin, event, format)
    response.get_data()

    (entry,) = audit_entries()
    assert entry.actor_id == admin.user.id
    assert entry.actor_email == admin.user.email
    assert entry.event_id == event.id
    assert entry.row_count == len(RegistrationStatus) == 5
    assert entry.details == {"format": format}
    rows = csv_rows(response) if format == "csv" else xlsx_rows(response)
    assert len(rows) == 1 + 5


@pytest.mark.parametrize("format", FORMATS)
def test_the_export_is_audited_before_the_download_is_streamed(
    admin, make_event, make_registration, format
):
    event = make_event()
    make_registration(event)

    response = export(admin, event, format)

    assert response.is_streamed
    assert [entry.row_count for entry in audit_entries()] == [1]
    assert len(response.get_data()) > 0


def test_each_export_writes_its_own_audit_entry(admin, make_event, make_registration):
    event = make_event()
    make_registration(event)

    export(admin, event, "csv")
    export(admin, event, "xlsx")
    export(admin, event, "csv")

    assert [entry.details["format"] for entry in audit_entries()] == ["csv", "xlsx", "csv"]


@pytest.mark.parametrize("format", FORMATS)
def test_organiser_of_the_event_may_export(staff_client, make_event, make_registration, format):
    organiser = staff_client("organiser")
    event = make_event()
    event.organisers.append(organiser.user)
    db.session.commit()
    make_registration(event, first_name="Jürgen")

    response = export(organiser, event, format)

    assert response.status_code == 200
    rows = csv_rows(response) if format == "csv" else xlsx_rows(response)
    assert rows[1][FIRST_NAME] == "Jürgen"
    assert [entry.actor_id for entry in audit_entries()] == [organiser.user.id]


@pytest.mark.parametrize("format", FORMATS)
def test_organiser_of_another_event_gets_403_and_nothing_is_audited(
    staff_client, make_event, make_registration, format
):
    organiser = staff_client("organiser")
    theirs = make_event(slug="ihres")
    theirs.organisers.append(organiser.user)
    db.session.commit()
    event = make_event()
    make_registration(event, first_name="Jürgen")

    response = export(organiser, event, format)

    assert response.status_code == 403
    assert "Jürgen" not in response.get_data(as_text=True)
    assert audit_entries() == []


@pytest.mark.parametrize("format", FORMATS)
def test_editor_gets_403(staff_client, make_event, make_registration, format):
    editor = staff_client("editor")
    event = make_event()
    make_registration(event)

    assert export(editor, event, format).status_code == 403
    assert audit_entries() == []


@pytest.mark.parametrize("format", FORMATS)
def test_anonymous_visitor_is_sent_to_the_login(client, make_event, make_registration, format):
    event = make_event()
    make_registration(event)

    response = export(client, event, format)

    assert response.status_code in (302, 303)
    assert response.headers["Location"].split("?")[0].endswith("/admin/login")
    assert audit_entries() == []


@pytest.mark.parametrize("format", FORMATS)
def test_unknown_event_is_404(admin, format):
    assert admin.get(f"/admin/events/999999/participants.{format}").status_code == 404
    assert audit_entries() == []
