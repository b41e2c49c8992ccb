"""Upgrading keeps what is stored. On SQLite a migration in batch mode copies
a table and drops the old one, and with foreign keys on, that drop deletes
every row that cascades from it (texts, registrations, tokens, organisers)
or empties references to it (audit entries). An upgrade from the last
release over real rows shows that no migration does so."""

from __future__ import annotations

import sqlalchemy as sa

from app import create_app
from extensions import alembic, db
from tests.databases import base_config

# The newest revision of the release before these migrations were added.
RELEASED = "1796193289"
NOW = "2026-12-01 10:00:00.000000"

ROWS = [
    "INSERT INTO event (id, slug, starts_at, ends_at, has_start_time, waitlist, "
    "guardian_consent_below_age, status, created_at, updated_at) VALUES "
    f"(1, 'forumtheater', '{NOW}', '{NOW}', 1, 1, 16, 'published', '{NOW}', '{NOW}')",
    "INSERT INTO event_text (event_id, lang, title, venue) "
    "VALUES (1, 'de', 'Workshop Forumtheater', 'Rostocker Rathaus')",
    "INSERT INTO user_account (id, email, password_hash, role, is_enabled, session_version, "
    f"created_at) VALUES (1, 'orga@example.org', 'x', 'organiser', 1, 1, '{NOW}')",
    "INSERT INTO event_organiser (event_id, user_id) VALUES (1, 1)",
    "INSERT INTO registration (id, event_id, status, language, first_name, last_name, email, "
    "privacy_consent_at, privacy_consent_text, photo_consent, needs_guardian_consent, "
    f"created_at) VALUES (1, 1, 'confirmed', 'de', 'Mia', 'Muster', 'mia@example.org', '{NOW}', "
    f"'Datenschutz', 0, 0, '{NOW}')",
    "INSERT INTO registration_token (id, registration_id, purpose, token_hash, created_at, "
    f"expires_at) VALUES (1, 1, 'manage', 'abc', '{NOW}', '{NOW}')",
    "INSERT INTO outbox_message (id, kind, language, recipient, subject, body_text, status, "
    f"attempts, next_attempt_at, created_at, registration_id) VALUES (1, 'confirmed', 'de', "
    f"'mia@example.org', 'Bestätigt', 'Text', 'sent', 1, '{NOW}', '{NOW}', 1)",
    "INSERT INTO audit_entry (id, at, actor_email, action, details, actor_id, event_id) "
    f"VALUES (1, '{NOW}', 'orga@example.org', 'event.create', '{{}}', 1, 1)",
]
COUNTS = {
    "event": "SELECT count(*) FROM event",
    "event_text": "SELECT count(*) FROM event_text",
    "organiser": "SELECT count(*) FROM event_organiser",
    "registration": "SELECT count(*) FROM registration",
    "token": "SELECT count(*) FROM registration_token",
    "outbox link": "SELECT count(*) FROM outbox_message WHERE registration_id = 1",
    "audit links": "SELECT count(*) FROM audit_entry WHERE actor_id = 1 AND event_id = 1",
}


def test_upgrading_a_sqlite_database_keeps_every_row_and_reference(tmp_path):
    app = create_app(base_config(f"sqlite:///{tmp_path / 'site.sqlite'}"))
    with app.app_context():
        alembic.upgrade(RELEASED)
        with db.engine.begin() as connection:
            for statement in ROWS:
                connection.execute(sa.text(statement))
        alembic.upgrade()
        with db.engine.connect() as connection:
            counts = {name: connection.scalar(sa.text(sql)) for name, sql in COUNTS.items()}
        db.engine.dispose()
    assert counts == dict.fromkeys(COUNTS, 1)
