"""The staff list of events is built by services.event_listing: an admin
sees every event, an organiser their own; an event is "past" from the
minute it ends (Event.has_ended_at)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from extensions import db
from models import EventStatus
from services import event_listing

NOW = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)


def slugs(viewer, shown: str) -> list[str]:
    return [e.slug for e in event_listing.staff_events(db.session, viewer, shown, NOW)]


def test_each_tab_lists_its_events_in_its_order(make_event, make_user):
    hour = timedelta(hours=1)
    make_event(slug="heute-vorbei", starts_at=NOW - 3 * hour, ends_at=NOW)
    make_event(slug="morgen", starts_at=NOW + 24 * hour)
    make_event(slug="uebermorgen", starts_at=NOW + 48 * hour)
    make_event(slug="gestern", starts_at=NOW - 24 * hour)
    make_event(slug="entwurf", starts_at=NOW + hour, status=EventStatus.DRAFT)
    admin = make_user("admin")
    assert slugs(admin, "upcoming") == ["morgen", "uebermorgen"]
    assert slugs(admin, "past") == ["heute-vorbei", "gestern"]
    assert slugs(admin, "drafts") == ["entwurf"]


def test_an_organiser_lists_only_their_own_events(make_event, make_user):
    organiser = make_user("organiser")
    theirs = make_event(slug="eigenes", starts_at=NOW + timedelta(days=2))
    make_event(slug="fremdes", starts_at=NOW + timedelta(days=1))
    theirs.organisers.append(organiser)
    db.session.commit()
    assert slugs(organiser, "upcoming") == ["eigenes"]
    assert slugs(make_user("admin"), "upcoming") == ["fremdes", "eigenes"]


def test_an_unknown_tab_shows_the_upcoming_events():
    assert event_listing.shown_list("everything") == "upcoming"
    assert event_listing.shown_list(None) == "upcoming"
    assert event_listing.shown_list("past") == "past"
