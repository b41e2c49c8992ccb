"""A group's mails against a real SMTP server: the contact gets one mail for
the whole group, its link confirms everyone, one guardian's consent covers
every minor of it (their names on the consent page), and the personal page
cancels one participant or the whole group."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from extensions import db
from models import Registration, RegistrationStatus
from tests.conftest import confirm_email, csrf_token, registration_form, run_worker, submit
from tests.mail import link_in, text_of

URL = "/de/events/forumtheater/register"
EVENT_START = datetime(2026, 7, 10, 15, 0, tzinfo=UTC)
CONFIRMED, CANCELLED = RegistrationStatus.CONFIRMED, RegistrationStatus.CANCELLED


def born(age: int) -> str:
    return (EVENT_START.date() - timedelta(days=365 * age + 100)).isoformat()


@pytest.fixture
def workshop(make_event, time_machine):
    time_machine.move_to(datetime(2026, 6, 1, 10, 0, tzinfo=UTC), tick=False)
    return make_event(
        starts_at=EVENT_START, capacity=5, max_group_size=3, min_age=None, max_age=None
    )


def register_family(client, **overrides) -> None:
    """Anna registers her children Emil (12) and Ida (17); she does not take part."""
    form = registration_form(
        first_name="Anna",
        last_name="Schröder",
        email="anna@example.org",
        date_of_birth="",
        guardian_name="Anna Schröder",
        guardian_email="anna.eltern@example.org",
    ) | {
        "others-0-first_name": "Emil",
        "others-0-last_name": "Schröder",
        "others-0-date_of_birth": born(12),
        "others-1-first_name": "Ida",
        "others-1-last_name": "Schröder",
        "others-1-date_of_birth": born(17),
    }
    assert submit(client, URL, form | overrides).status_code == 303


def family(event_id: int) -> dict[str, Registration]:
    db.session.rollback()
    return {
        r.first_name: r
        for r in db.session.scalars(select(Registration).where(Registration.event_id == event_id))
    }


def test_the_contact_gets_one_mail_for_the_group_naming_everyone(app, client, smtp, workshop):
    register_family(client)
    run_worker(app)
    [mail] = smtp.inbox.to("anna@example.org")
    text = text_of(mail)
    assert text.startswith("Hallo Anna,")
    assert "Emil Schröder" in text and "Ida Schröder" in text


def test_one_link_confirms_the_group_and_one_consent_covers_its_minors(app, client, smtp, workshop):
    register_family(client)
    run_worker(app)
    confirm_email(client, link_in(smtp.inbox.to("anna@example.org")[0], "confirm"))
    people = family(workshop.id)
    assert people["Ida"].status is CONFIRMED  # 17: no consent needed
    assert people["Emil"].status is RegistrationStatus.PENDING
    run_worker(app)
    [request] = smtp.inbox.to("anna.eltern@example.org")
    assert "Emil Schröder" in text_of(request)
    consent = link_in(request, "consent")
    page = client.get(consent).get_data(as_text=True)
    assert "Emil Schröder" in page and "Anna Schröder" in page
    response = submit(client, consent, {"agree": "y", "action": "consent"})
    assert response.status_code == 303
    people = family(workshop.id)
    assert people["Emil"].status is CONFIRMED
    assert "Emil Schröder" in people["Emil"].guardian_consent_text
    run_worker(app)
    confirmed = [
        m for m in smtp.inbox.to("anna@example.org") if "bestätigt" in m["Subject"].lower()
    ]
    # One for Ida when the address was confirmed, one for Emil after the consent.
    assert len(confirmed) == 2
    assert people["Emil"].checkin_code in text_of(confirmed[-1])


def test_the_personal_page_cancels_one_participant(app, client, smtp, workshop):
    register_family(client)
    run_worker(app)
    manage = link_in(smtp.inbox.to("anna@example.org")[0], "manage")
    page = client.get(manage).get_data(as_text=True)
    assert "Emil Schröder" in page and "Ida Schröder" in page
    ida = family(workshop.id)["Ida"]
    token = csrf_token(client, manage + "?cancel=1")
    assert submit(client, manage, {"participant": str(ida.id)}, token).status_code == 303
    people = family(workshop.id)
    assert people["Ida"].status is CANCELLED
    assert people["Emil"].status is RegistrationStatus.PENDING


def test_the_personal_page_cancels_the_whole_group_with_one_mail(app, client, smtp, workshop):
    register_family(client)
    run_worker(app)
    manage = link_in(smtp.inbox.to("anna@example.org")[0], "manage")
    token = csrf_token(client, manage + "?cancel=1")
    assert submit(client, manage, {}, token).status_code == 303
    assert {r.status for r in family(workshop.id).values()} == {CANCELLED}
    run_worker(app)
    cancelled = [m for m in smtp.inbox.to("anna@example.org") if "storniert" in m["Subject"]]
    assert len(cancelled) == 1


def test_a_participant_of_another_group_cannot_be_cancelled(
    app, client, smtp, workshop, make_registration
):
    stranger = make_registration(workshop, first_name="Fremd")
    register_family(client)
    run_worker(app)
    manage = link_in(smtp.inbox.to("anna@example.org")[0], "manage")
    token = csrf_token(client, manage + "?cancel=1")
    assert submit(client, manage, {"participant": str(stranger.id)}, token).status_code == 303
    assert family(workshop.id)["Fremd"].status is CONFIRMED
    assert family(workshop.id)["Emil"].status is RegistrationStatus.PENDING


def test_the_same_group_twice_creates_nothing_new_and_looks_the_same(app, client, smtp, workshop):
    register_family(client)
    first = family(workshop.id)
    register_family(client)
    assert family(workshop.id).keys() == first.keys()
    assert len(family(workshop.id)) == 2
    run_worker(app)
    kinds = [m["Subject"] for m in smtp.inbox.to("anna@example.org")]
    assert len(kinds) == 2 and "bereits angemeldet" in kinds[1]


def test_participants_page_and_exports_show_each_participant_with_the_group(
    app, client, smtp, workshop, staff_client
):
    register_family(client)
    admin = staff_client("admin")
    page = admin.get(f"/admin/events/{workshop.id}/participants").get_data(as_text=True)
    assert page.count("Kontakt: Anna Schröder") == 2
    assert "Schröder, Emil" in page and "Schröder, Ida" in page
    csv = admin.get(f"/admin/events/{workshop.id}/participants.csv").get_data(as_text=True)
    lines = [line for line in csv.splitlines() if "Kontakt: Anna Schröder" in line]
    assert len(lines) == 2
    assert any("Emil" in line for line in lines) and any("Ida" in line for line in lines)


def test_the_retention_rule_clears_the_contact_of_a_group(app, client, workshop, time_machine):
    from models import RegistrationGroup
    from services.retention import purge_personal_data

    register_family(client)
    time_machine.move_to(EVENT_START + timedelta(days=200), tick=False)
    with app.app_context():
        assert purge_personal_data(db.session, datetime.now(UTC), 90) == 2
    db.session.rollback()
    group = db.session.scalars(select(RegistrationGroup)).one()
    assert group.contact_first_name is None and group.contact_last_name is None


def test_duplicates_hold_per_participant_a_forgotten_child_can_be_added(
    app, client, smtp, workshop
):
    register_family(
        client,
        **{"others-1-first_name": "", "others-1-last_name": "", "others-1-date_of_birth": ""},
    )
    assert list(family(workshop.id)) == ["Emil"]
    # Emil again (written differently) and Ida: only Ida is new.
    register_family(client, **{"others-0-first_name": "EMIL"})
    people = family(workshop.id)
    assert sorted(people) == ["Emil", "Ida"]
    assert people["Emil"].group_id != people["Ida"].group_id
    run_worker(app)
    subjects = [m["Subject"] for m in smtp.inbox.to("anna@example.org")]
    assert len(subjects) == 2 and not any("bereits" in s for s in subjects)
    assert "Ida Schröder" in text_of(smtp.inbox.to("anna@example.org")[1])


def test_a_promoted_group_s_guardian_gets_a_consent_link_for_the_minor(
    app, client, smtp, workshop, make_registration
):
    from tests.test_group_seats import cancel

    event = db.session.merge(workshop)
    event.capacity = 2
    db.session.commit()
    seated = [make_registration(event, first_name=f"Platz{n}") for n in range(2)]
    register_family(
        client,
        date_of_birth=born(40),
        contact_takes_part="y",
        **{"others-1-first_name": "", "others-1-last_name": "", "others-1-date_of_birth": ""},
    )
    assert {family(workshop.id)[n].status for n in ("Anna", "Emil")} == {
        RegistrationStatus.WAITLISTED
    }
    run_worker(app)
    confirm_email(client, link_in(smtp.inbox.to("anna@example.org")[0], "confirm"))
    cancel(event, *seated)
    people = family(workshop.id)
    assert (
        people["Anna"].status is CONFIRMED and people["Emil"].status is RegistrationStatus.PENDING
    )
    run_worker(app)
    promoted = smtp.inbox.to("anna.eltern@example.org")[-1]
    consent = link_in(promoted, "consent")
    assert "Emil Schröder" in client.get(consent).get_data(as_text=True)
    assert submit(client, consent, {"agree": "y", "action": "consent"}).status_code == 303
    assert family(workshop.id)["Emil"].status is CONFIRMED
    assert family(workshop.id)["Anna"].guardian_consented_at is None
