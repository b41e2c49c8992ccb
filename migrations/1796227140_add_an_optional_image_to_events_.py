"""add an optional image to events, described in each language

Revision ID: 1796227140
Revises: 1796225609
Create Date: 2026-12-02 15:59:01.286378

"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "1796227140"
down_revision: Union[str, Sequence[str], None] = "1796225609"
branch_labels: Union[str, Sequence[str], None] = ()
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """In place, not in batch mode: on SQLite a batch would copy `event` and
    drop the old table, and that drop runs the cascades of its rows."""
    op.add_column("event", sa.Column("image_filename", sa.String(length=100), nullable=True))
    op.add_column("event_text", sa.Column("image_alt", sa.String(length=300), nullable=True))


def downgrade() -> None:
    op.drop_column("event_text", "image_alt")
    op.drop_column("event", "image_filename")
