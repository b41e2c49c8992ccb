"""The participants page of one event: counts, filters, check-in, the
waitlist by hand and removal; who may do it, per event and per record; every
change in the audit log; email through a real SMTP server. Messages to
everyone: test_participant_messages.py."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from extensions import db
from models import AuditEntry, OutboxMessage, Registration, RegistrationStatus
from tests.conftest import csrf_token, run_worker, submit
from tests.mail import text_of

NOW = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
EVENT_START = datetime(2026, 7, 10, 15, 0, tzinfo=UTC)  # first day: 10 July 2026 in Rostock
CONFIRMED, PENDING, WAITLISTED = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.PENDING,
    RegistrationStatus.WAITLISTED,
)
CANCELLED, EXPIRED = RegistrationStatus.CANCELLED, RegistrationStatus.EXPIRED


@pytest.fixture(autouse=True)
def clock(time_machine):
    """The clock stands still, before anyone signs in."""
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def workshop(make_event):
    return make_event(starts_at=EVENT_START, capacity=2, has_waitlist=True)


@pytest.fixture
def admin(staff_client):
    """An admin reading the staff pages in English (the source language)."""
    client = staff_client("admin")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def page(event) -> str:
    return f"/admin/events/{event.id}/participants"


def action(event, registration, name: str) -> str:
    return f"{page(event)}/{registration.id}/{name}"


def post(client, url: str, data: dict | None = None, token_page: str | None = None):
    """A button pressed on a participants page (by default the one of the
    URL), with that page's CSRF token."""
    token_page = token_page or re.match(r"/admin/events/\d+/participants", url).group(0)
    return submit(client, url, data or {}, token=csrf_token(client, token_page))


def press(client, url: str, data: dict | None = None) -> str:
    """Post, follow the redirect home, and return the page with its message."""
    response = post(client, url, data)
    assert response.status_code == 303, response.status_code
    return client.get(response.location).get_data(as_text=True)


def reloaded(registration: Registration) -> Registration:
    db.session.rollback()
    return db.session.get(Registration, registration.id)


def audit_log() -> list[tuple[str, str | None, int | None]]:
    db.session.rollback()
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
    return [(e.action, e.target, e.row_count) for e in entries]


def outbox_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def names_in(html: str) -> list[str]:
    return re.findall(r'<th scope="row">([^<]+)</th>', html)


# The list


def test_counts_by_status_places_left_and_capacity_are_shown(admin, workshop, make_registration):
    for status in (
        CONFIRMED,
        PENDING,
        WAITLISTED,
        WAITLISTED,
        CANCELLED,
        EXPIRED,
        EXPIRED,
        EXPIRED,
    ):
        make_registration(workshop, status=status)
    response = admin.get(page(workshop))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    counts = dict(
        (label, int(n)) for n, label in re.findall(r"<strong>(\d+)</strong> (\w+)</a>", html)
    )
    assert counts == {"Pending": 1, "Confirmed": 1, "Waitlist": 2, "Cancelled": 1, "Expired": 3}
    assert "0 of 2 places free." in html
    assert response.headers["Cache-Control"] == "no-store"


def test_status_filter_shows_only_that_status(admin, workshop, make_registration):
    make_registration(workshop, status=CONFIRMED, last_name="Sitzend")
    make_registration(workshop, status=WAITLISTED, last_name="Wartend")
    html = admin.get(page(workshop) + "?status=waitlisted").get_data(as_text=True)
    assert names_in(html) == ["Wartend, Mia"]
    assert names_in(admin.get(page(workshop) + "?status=nonsense").get_data(as_text=True)) == [
        "Sitzend, Mia",
        "Wartend, Mia",
    ]


def test_search_matches_first_or_last_name_whatever_the_case(admin, workshop, make_registration):
    make_registration(workshop, first_name="Jonas", last_name="Özdemir")
    make_registration(workshop, first_name="Mia", last_name="Beispiel")
    make_registration(workshop, first_name="Lea", last_name="Miasto")
    assert names_in(admin.get(page(workshop) + "?q=ÖZDEMIR").get_data(as_text=True)) == [
        "Özdemir, Jonas"
    ]
    assert names_in(admin.get(page(workshop) + "?q=mia").get_data(as_text=True)) == [
        "Beispiel, Mia",
        "Miasto, Lea",
    ]
    assert names_in(admin.get(page(workshop) + "?q=MIA+beis").get_data(as_text=True)) == [
        "Beispiel, Mia"
    ]


def test_an_overlong_search_is_cut_short(admin, workshop, make_registration):
    make_registration(workshop, first_name="Mia")
    response = admin.get(page(workshop) + "?q=" + "m" * 10_000)
    assert response.status_code == 200
    assert (
        re.search(r'name="q" value="(m*)"', response.get_data(as_text=True)).group(1) == "m" * 100
    )


def test_list_shows_age_on_the_first_day_and_the_guardian(admin, workshop, make_registration):
    # 14 on the day of registering, 15 on the event's first day.
    make_registration(
        workshop,
        date_of_birth=date(2011, 7, 10),
        needs_guardian_consent=True,
        guardian_name="Eva Muster",
        guardian_email="eva@example.org",
    )
    html = admin.get(page(workshop)).get_data(as_text=True)
    row = html.split('<th scope="row">', 1)[1].split("</tr>", 1)[0]
    assert "<td>15</td>" in row
    assert "Eva Muster" in row and "eva@example.org" in row and "Consent given: no" in row


def test_names_are_escaped_on_the_participants_page(admin, workshop, make_registration):
    registration = make_registration(
        workshop, first_name="<script>alert(1)</script>", last_name="<b>x</b>"
    )
    for url in (page(workshop), page(workshop) + f"?remove={registration.id}"):
        html = admin.get(url).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in html and "<b>x</b>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" not in press(
        admin, action(workshop, registration, "check-in")
    )


# Check-in


def test_check_in_and_undo_set_and_clear_the_time(admin, workshop, make_registration):
    registration = make_registration(workshop, status=CONFIRMED)
    html = press(admin, action(workshop, registration, "check-in"))
    assert reloaded(registration).checked_in_at == NOW
    assert "Mia Beispiel is checked in." in html and "Checked in: 1." in html

    html = press(admin, action(workshop, registration, "check-in/undo"))
    assert reloaded(registration).checked_in_at is None
    assert "Checked in: 0." in html
    target = f"registration:{registration.id}"
    assert audit_log() == [
        ("registration.check_in", target, None),
        ("registration.check_in_undone", target, None),
    ]


def test_only_people_with_a_place_can_be_checked_in(admin, workshop, make_registration):
    for status in (WAITLISTED, CANCELLED, EXPIRED):
        registration = make_registration(workshop, status=status)
        html = press(admin, action(workshop, registration, "check-in"))
        assert "has no place at this event" in html
        assert reloaded(registration).checked_in_at is None
    assert audit_log() == []


# The waitlist by hand


def test_promotion_by_hand_gives_a_free_place_to_the_chosen_person_and_emails_them(
    app, admin, smtp, workshop, make_registration
):
    make_registration(workshop, status=CONFIRMED)
    first_in_line = make_registration(workshop, status=WAITLISTED, email_confirmed_at=NOW)
    chosen = make_registration(
        workshop, status=WAITLISTED, email_confirmed_at=NOW, language="en", email="kim@example.org"
    )
    html = press(admin, action(workshop, chosen, "promote"))
    assert "has got a place" in html
    assert (reloaded(chosen).status, reloaded(chosen).confirmed_at) == (CONFIRMED, NOW)
    assert reloaded(first_in_line).status is WAITLISTED
    assert audit_log() == [("registration.promote", f"registration:{chosen.id}", None)]

    run_worker(app)
    [mail] = smtp.inbox.to("kim@example.org")
    assert mail["Subject"] == "You got a seat: Forum theatre workshop"


def test_a_promoted_person_without_a_confirmed_email_holds_the_place_as_pending(
    admin, workshop, make_registration
):
    waiting = make_registration(workshop, status=WAITLISTED)
    press(admin, action(workshop, waiting, "promote"))
    assert (reloaded(waiting).status, reloaded(waiting).pending_since) == (PENDING, NOW)


def test_promotion_is_refused_when_no_place_is_free(admin, workshop, make_registration):
    make_registration(workshop, status=CONFIRMED)
    make_registration(workshop, status=PENDING)
    waiting = make_registration(workshop, status=WAITLISTED, email_confirmed_at=NOW)
    html = press(admin, action(workshop, waiting, "promote"))
    assert "No place is free." in html
    assert reloaded(waiting).status is WAITLISTED
    assert (outbox_count(), audit_log()) == (0, [])


# Removal


def test_removal_asks_first_then_frees_the_place_promotes_the_next_and_emails_both(
    app, admin, smtp, workshop, make_registration
):
    make_registration(workshop, status=CONFIRMED)
    leaving = make_registration(
        workshop, status=CONFIRMED, language="en", email="anna@example.org", first_name="Anna"
    )
    next_in_line = make_registration(
        workshop, status=WAITLISTED, email_confirmed_at=NOW, email="ben@example.org"
    )
    still_waiting = make_registration(workshop, status=WAITLISTED, email_confirmed_at=NOW)
    remove_form = f'action="{action(workshop, leaving, "remove")}"'
    assert remove_form not in admin.get(page(workshop)).get_data(as_text=True)
    asked = admin.get(page(workshop) + f"?remove={leaving.id}").get_data(as_text=True)
    assert remove_form in asked and "Really remove Anna Beispiel?" in asked

    html = press(admin, action(workshop, leaving, "remove"))
    assert "Anna Beispiel has been removed" in html
    removed = reloaded(leaving)
    assert (removed.status, removed.cancelled_at, removed.pending_since) == (CANCELLED, NOW, None)
    assert reloaded(next_in_line).status is CONFIRMED
    assert reloaded(still_waiting).status is WAITLISTED
    assert audit_log() == [("registration.remove", f"registration:{leaving.id}", None)]

    run_worker(app)
    [gone] = smtp.inbox.to("anna@example.org")
    assert (
        gone["Subject"]
        == "Your registration has been cancelled by the organisers: Forum theatre workshop"
    )
    assert "the organisers of “Forum theatre workshop” have cancelled your registration" in text_of(
        gone
    )
    [seat] = smtp.inbox.to("ben@example.org")
    assert seat["Subject"] == "Sie haben einen Platz: Workshop Forumtheater"


def test_a_removed_registration_cannot_be_removed_twice(admin, workshop, make_registration):
    registration = make_registration(workshop, status=CANCELLED)
    assert "no longer active" in press(admin, action(workshop, registration, "remove"))
    assert (outbox_count(), audit_log()) == (0, [])


# Who may do it


def message_form(**overrides) -> dict:
    return {
        "statuses": ["confirmed", "pending"],
        "subject_de": "Neuer Treffpunkt",
        "body_de": "Wir treffen uns am Haupteingang.",
        "subject_en": "New meeting point",
        "body_en": "We meet at the main entrance.",
    } | overrides


def this_modules_urls(app, event, registration) -> list[tuple[str, str]]:
    """Every (method, URL) of the participants page, from the URL map."""
    urls = []
    for rule in app.url_map.iter_rules():
        if app.view_functions[rule.endpoint].__module__ != "blueprints.admin.participants":
            continue
        path = rule.rule.replace("<int:event_id>", str(event.id))
        path = re.sub(r"<int\([^)]*\):registration_id>", str(registration.id), path)
        urls += [(method, path) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    assert len(urls) == 6
    return urls


def test_organiser_of_another_event_gets_403_for_the_page_and_every_post(
    app, staff_client, workshop, make_event, make_registration
):
    registration = make_registration(workshop, status=WAITLISTED)
    own_event = make_event(slug="eigenes", starts_at=EVENT_START)
    stranger, assigned = staff_client("organiser"), staff_client("organiser")
    own_event.organisers.append(stranger.user)
    workshop.organisers.append(assigned.user)
    db.session.commit()

    for method, url in this_modules_urls(app, workshop, registration):
        if method == "GET":
            assert stranger.get(url).status_code == 403, url
            assert stranger.get(url + f"?remove={registration.id}").status_code == 403, url
            assert assigned.get(url).status_code == 200, url
        else:
            assert (
                post(stranger, url, message_form(), token_page=page(own_event)).status_code == 403
            ), url
    assert reloaded(registration).status is WAITLISTED
    assert (outbox_count(), audit_log()) == (0, [])


def test_a_registration_of_another_event_is_not_found(
    app, admin, workshop, make_event, make_registration
):
    other_event = make_event(slug="anderes", starts_at=EVENT_START)
    elsewhere = make_registration(other_event, status=WAITLISTED)
    make_registration(workshop, status=CONFIRMED)
    for name in ("check-in", "check-in/undo", "promote", "remove"):
        assert post(admin, action(workshop, elsewhere, name)).status_code == 404, name
    assert admin.get(page(workshop) + f"?remove={elsewhere.id}").status_code == 404
    for nonsense in ("99999999999999999999", "abc", "²"):
        assert admin.get(page(workshop) + f"?remove={nonsense}").status_code == 404
    assert post(admin, f"{page(workshop)}/99999999999999999999/remove").status_code == 404
    assert reloaded(elsewhere).status is WAITLISTED
    assert (outbox_count(), audit_log()) == (0, [])


def test_buttons_without_a_csrf_token_are_refused(admin, workshop, make_registration):
    registration = make_registration(workshop, status=CONFIRMED)
    assert admin.post(action(workshop, registration, "check-in")).status_code == 400
    assert admin.post(action(workshop, registration, "remove")).status_code == 400
    assert admin.post(page(workshop) + "/message", data=message_form()).status_code == 400
    assert reloaded(registration).checked_in_at is None
    assert reloaded(registration).status is CONFIRMED


def test_every_change_is_recorded_with_who_did_it(staff_client, workshop, make_registration):
    organiser = staff_client("organiser")
    workshop.organisers.append(organiser.user)
    db.session.commit()
    seated = make_registration(workshop, status=CONFIRMED)
    waiting = make_registration(workshop, status=WAITLISTED)
    for url in (
        action(workshop, seated, "check-in"),
        action(workshop, seated, "check-in/undo"),
        action(workshop, waiting, "promote"),
        action(workshop, seated, "remove"),
    ):
        press(organiser, url)
    press(organiser, page(workshop) + "/message", message_form())
    db.session.rollback()
    entries = list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    assert [e.action for e in entries] == [
        "registration.check_in",
        "registration.check_in_undone",
        "registration.promote",
        "registration.remove",
        "participants.message",
    ]
    assert {(e.actor_email, e.event_id) for e in entries} == {(organiser.user.email, workshop.id)}
    assert entries[-1].row_count == 1  # only the promoted person still holds a place
