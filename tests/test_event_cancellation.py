"""Cancelling an event is a step of its own: it says how many people will be
told, takes an optional message for them, emails everyone in their language,
reports the count and is audited. Saving the event form never cancels. The
public side shows a cancelled event as cancelled, and not on the home page."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from extensions import db
from models import AuditEntry, Event, EventStatus, OutboxMessage, Registration, RegistrationStatus
from tests.conftest import csrf_token, run_worker, submit
from tests.mail import text_of as mail_text
from tests.test_admin_events import event_form

NOW = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
STARTS = datetime(2026, 9, 18, 8, 0, tzinfo=UTC)
CONFIRMED, PENDING, WAITLISTED = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.PENDING,
    RegistrationStatus.WAITLISTED,
)
CANCELLED = RegistrationStatus.CANCELLED


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def admin(staff_client):
    """An admin reading the staff pages in English (the source language)."""
    return staff_client("admin", language="en")


@pytest.fixture
def workshop(make_event, make_registration):
    """Two people with a place (one English), one waiting, one who left."""
    event = make_event(starts_at=STARTS, capacity=2)
    make_registration(event, status=CONFIRMED, email="mia@example.org")
    make_registration(
        event, status=PENDING, email="kim@example.org", language="en", first_name="Kim"
    )
    make_registration(event, status=WAITLISTED, email="wil@example.org")
    make_registration(event, status=CANCELLED, email="gone@example.org")
    return event


def text_of(message) -> str:
    return mail_text(message).replace("\r\n", "\n")


def cancel_url(event) -> str:
    return f"/admin/events/{event.id}/cancel"


def flashed(client, response) -> str:
    assert response.status_code == 303, response.status_code
    return client.get(response.location).get_data(as_text=True)


def statuses(event) -> list[RegistrationStatus]:
    db.session.rollback()
    query = select(Registration.status).where(Registration.event_id == event.id)
    return list(db.session.scalars(query.order_by(Registration.id)))


def event_status(event) -> EventStatus:
    db.session.rollback()
    return db.session.get(Event, event.id).status


def outbox_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def cancel_entries() -> list[AuditEntry]:
    db.session.rollback()
    query = select(AuditEntry).where(AuditEntry.action == "event.cancel")
    return list(db.session.scalars(query))


# The step


def test_the_cancel_step_says_how_many_people_will_be_told(admin, workshop):
    html = admin.get(cancel_url(workshop)).get_data(as_text=True)

    assert "3 people will be told by email" in html
    assert "2 with a place" in html and "1 on the waitlist" in html
    assert "Cancel the event and email 3 people" in html
    assert 'name="message_de"' in html and 'name="message_en"' in html
    assert event_status(workshop) is EventStatus.PUBLISHED  # looking changes nothing


def test_the_cancel_step_names_the_day_and_the_place_of_the_event(admin, make_event):
    event = make_event(
        starts_at=STARTS, has_start_time=False, venue="Rostocker Rathaus", venue_en="Town Hall"
    )
    html = admin.get(cancel_url(event)).get_data(as_text=True)
    meta = html.split('<p class="meta">', 1)[1].split("</p>", 1)[0]
    assert "Town Hall" in meta and "00:00" not in meta


def test_the_edit_page_links_to_the_cancel_step(admin, workshop):
    html = admin.get(f"/admin/events/{workshop.id}/edit").get_data(as_text=True)
    assert f'href="{cancel_url(workshop)}"' in html


def test_cancelling_emails_everyone_with_the_message_in_their_language(app, admin, smtp, workshop):
    response = submit(
        admin,
        cancel_url(workshop),
        {
            "message_de": "Die Referentin ist erkrankt.\r\n\r\nNeuer Termin folgt.",
            "message_en": "The trainer is ill.",
        },
    )

    assert "The event is cancelled. 3 people are told by email." in flashed(admin, response)
    assert event_status(workshop) is EventStatus.CANCELLED
    assert statuses(workshop) == [CANCELLED] * 4
    [entry] = cancel_entries()
    assert (entry.actor_id, entry.event_id, entry.row_count) == (admin.user.id, workshop.id, 3)
    assert entry.details == {"with_note": True}

    run_worker(app)
    assert sorted(m["To"] for m in smtp.inbox.messages) == [
        "kim@example.org",
        "mia@example.org",
        "wil@example.org",
    ]
    [german] = smtp.inbox.to("mia@example.org")
    assert german["Subject"] == "Abgesagt: Workshop Forumtheater"
    body = text_of(german)
    assert "Eine Nachricht des Veranstaltungsteams:" in body
    assert "Die Referentin ist erkrankt.\n\nNeuer Termin folgt." in body
    assert "The trainer is ill." not in body
    html = german.get_body(("html",)).get_content()
    assert "Die Referentin ist erkrankt." in html
    [english] = smtp.inbox.to("kim@example.org")
    assert english["Subject"] == "Cancelled: Forum theatre workshop"
    assert "A message from the organisers:\n\nThe trainer is ill." in text_of(english)
    assert "erkrankt" not in text_of(english)


def test_without_an_english_message_everyone_gets_the_german_one(app, admin, smtp, workshop):
    flashed(admin, submit(admin, cancel_url(workshop), {"message_de": "Leider krank."}))
    run_worker(app)
    [english] = smtp.inbox.to("kim@example.org")
    assert "Leider krank." in text_of(english)


def test_cancelling_without_a_message_sends_the_plain_notice(app, admin, smtp, workshop):
    flashed(admin, submit(admin, cancel_url(workshop), {}))
    [entry] = cancel_entries()
    assert (entry.row_count, entry.details) == (3, {"with_note": False})
    run_worker(app)
    [english] = smtp.inbox.to("kim@example.org")
    assert "has been cancelled" in text_of(english)
    assert "A message from the organisers" not in text_of(english)


def test_cancelling_an_event_nobody_registered_for_says_nobody_was_emailed(admin, make_event):
    event = make_event(starts_at=STARTS)
    assert "Nobody is registered" in admin.get(cancel_url(event)).get_data(as_text=True)
    html = flashed(admin, submit(admin, cancel_url(event), {}))
    assert "Nobody was registered, so no email was sent." in html
    assert [entry.row_count for entry in cancel_entries()] == [0]


def test_an_english_message_without_the_german_one_is_refused_and_nothing_happens(admin, workshop):
    response = submit(admin, cancel_url(workshop), {"message_en": "The trainer is ill."})

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Please write the message in German too" in html
    assert "The trainer is ill." in html  # what was typed is kept
    assert event_status(workshop) is EventStatus.PUBLISHED
    assert (outbox_count(), cancel_entries()) == (0, [])


def test_the_cancel_step_needs_its_csrf_token(admin, workshop):
    response = admin.post(cancel_url(workshop), data={"message_de": "x"})
    assert response.status_code == 400
    assert event_status(workshop) is EventStatus.PUBLISHED
    assert outbox_count() == 0


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"status": EventStatus.CANCELLED}, "This event is already cancelled."),
        ({"status": EventStatus.DRAFT}, "This event is a draft"),
        ({"starts_at": NOW - timedelta(days=2)}, "This event is over"),
    ],
)
def test_only_a_published_event_that_is_not_over_can_be_cancelled(
    admin, make_event, make_registration, overrides, reason
):
    event = make_event(**({"starts_at": STARTS} | overrides))
    make_registration(event, status=CONFIRMED)
    before = event_status(event)

    page = admin.get(cancel_url(event))
    assert reason in page.get_data(as_text=True)
    assert "Cancel the event and email" not in page.get_data(as_text=True)
    assert f'href="{cancel_url(event)}"' not in admin.get(
        f"/admin/events/{event.id}/edit"
    ).get_data(as_text=True)
    token = csrf_token(admin, f"/admin/events/{event.id}/edit")
    response = submit(admin, cancel_url(event), {}, token=token)
    assert response.status_code == 409
    assert reason in response.get_data(as_text=True)
    assert event_status(event) is before
    assert statuses(event) == [CONFIRMED]
    assert (outbox_count(), cancel_entries()) == (0, [])


def test_an_organiser_of_another_event_cannot_cancel_it(staff_client, workshop):
    stranger = staff_client("organiser", language="en")
    assert stranger.get(cancel_url(workshop)).status_code == 403
    token = csrf_token(stranger, "/admin/events/new")
    assert submit(stranger, cancel_url(workshop), {}, token=token).status_code == 403
    assert event_status(workshop) is EventStatus.PUBLISHED


# The event form no longer cancels


def test_saving_the_form_with_status_cancelled_is_refused_and_points_to_the_cancel_step(
    admin, workshop
):
    form = event_form(slug=workshop.slug, capacity="2", status="cancelled")
    response = submit(admin, f"/admin/events/{workshop.id}/edit", form)

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Saving does not cancel an event." in html and "Cancel this event" in html
    assert f'href="{cancel_url(workshop)}"' in html
    assert re.search(r'<option selected value="cancelled">', html)  # the form keeps the choice
    assert event_status(workshop) is EventStatus.PUBLISHED
    assert statuses(workshop) == [CONFIRMED, PENDING, WAITLISTED, CANCELLED]
    assert outbox_count() == 0


def test_a_new_event_cannot_start_out_cancelled(admin):
    response = submit(admin, "/admin/events/new", event_form(status="cancelled"))
    assert response.status_code == 422
    assert "Saving does not cancel an event." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Event)) == 0


def test_the_status_field_offers_cancelled_only_to_a_cancelled_event(admin, make_event):
    published = make_event(slug="offen", starts_at=STARTS)
    cancelled = make_event(slug="abgesagt", starts_at=STARTS, status=EventStatus.CANCELLED)

    def options(event) -> list[str]:
        html = admin.get(f"/admin/events/{event.id}/edit").get_data(as_text=True)
        select_field = html.split('name="status"', 1)[1].split("</select>", 1)[0]
        return re.findall(r'value="(\w+)"', select_field)

    assert options(published) == ["draft", "published"]
    assert options(cancelled) == ["draft", "published", "cancelled"]
    assert "new" not in options(published)


def test_a_cancelled_event_can_still_be_edited(admin, make_event):
    event = make_event(starts_at=STARTS, status=EventStatus.CANCELLED)
    form = event_form(slug=event.slug, status="cancelled", venue="Rathaus, Festsaal")
    assert submit(admin, f"/admin/events/{event.id}/edit", form).status_code == 303
    db.session.rollback()
    assert (db.session.get(Event, event.id).text("venue", "de"), event_status(event)) == (
        "Rathaus, Festsaal",
        EventStatus.CANCELLED,
    )


# The public side


@pytest.mark.parametrize(
    ("lang", "cancelled", "seats", "register"),
    [
        ("de", "Abgesagt", "Plätze frei", "Jetzt anmelden"),
        ("en", "Cancelled", "seats left", "Register now"),
    ],
)
def test_a_cancelled_event_is_off_the_home_page_and_marked_on_the_list_and_its_page(
    client, make_event, lang, cancelled, seats, register
):
    make_event(slug="findet-statt", starts_at=STARTS)
    make_event(
        slug="faellt-aus", starts_at=STARTS + timedelta(days=1), status=EventStatus.CANCELLED
    )

    home = client.get(f"/{lang}/").get_data(as_text=True)
    assert f"/{lang}/events/findet-statt/" in home
    assert "faellt-aus" not in home

    listing = client.get(f"/{lang}/events/").get_data(as_text=True)
    card = listing.split(f'href="/{lang}/events/faellt-aus/"', 1)[1].split("</article>", 1)[0]
    assert cancelled in card and "card-cancelled" in listing
    assert seats not in card
    open_card = listing.split(f'href="/{lang}/events/findet-statt/"', 1)[1].split("</article>")[0]
    assert seats in open_card

    page = client.get(f"/{lang}/events/faellt-aus/").get_data(as_text=True)
    assert cancelled in page
    assert seats not in page and register not in page
    assert f"/{lang}/events/faellt-aus/register" not in page
