"""move the venue into the event texts, one per language

Revision ID: 1796192882
Revises: 1795292174
Create Date: 2026-12-02 06:28:02.464046

Not in batch mode: on SQLite a batch copies `event` and drops the old table,
and with foreign keys on, that drop deletes every row that cascades from an
event (texts, registrations). ADD and DROP COLUMN work in place on SQLite
3.35+ and on PostgreSQL.
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "1796192882"
down_revision: Union[str, Sequence[str], None] = "1795292174"
branch_labels: Union[str, Sequence[str], None] = ()
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema: each event's venue becomes the text of its German row."""
    op.add_column("event_text", sa.Column("venue", sa.String(length=200), nullable=True))

    # Every event has a German row (its title is required); make sure of it anyway.
    op.execute(
        "INSERT INTO event_text (event_id, lang) SELECT e.id, 'de' FROM event e "
        "WHERE NOT EXISTS (SELECT 1 FROM event_text t WHERE t.event_id = e.id AND t.lang = 'de')"
    )
    op.execute(
        "UPDATE event_text SET venue = "
        "(SELECT e.venue FROM event e WHERE e.id = event_text.event_id) WHERE lang = 'de'"
    )

    op.drop_column("event", "venue")


def downgrade() -> None:
    """Downgrade schema: the German venue goes back to the event; other languages' are lost."""
    op.add_column(
        "event",
        sa.Column("venue", sa.String(length=200), nullable=False, server_default=""),
    )
    op.execute(
        "UPDATE event SET venue = COALESCE((SELECT t.venue FROM event_text t "
        "WHERE t.event_id = event.id AND t.lang = 'de'), '')"
    )

    op.drop_column("event_text", "venue")
