"""add the essentials of an event: address, contact, price, partner city or network

Revision ID: 1796225609
Revises: 1796225370
Create Date: 2026-12-02 15:33:30.156510

"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "1796225609"
down_revision: Union[str, Sequence[str], None] = "1796225370"
branch_labels: Union[str, Sequence[str], None] = ()
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Add the columns in place, without batch mode: rebuilding `event` on
    SQLite would run its registrations' ON DELETE CASCADE."""
    op.add_column("event", sa.Column("venue_address", sa.String(length=300), nullable=True))
    op.add_column("event", sa.Column("contact_name", sa.String(length=200), nullable=True))
    op.add_column("event", sa.Column("contact_email", sa.String(length=254), nullable=True))
    for column, table in (("city_id", "city"), ("network_id", "network")):
        if op.get_bind().dialect.name == "sqlite":  # SQLite adds a reference only this way
            op.execute(
                f"ALTER TABLE event ADD COLUMN {column} INTEGER "
                f"REFERENCES {table} (id) ON DELETE SET NULL"
            )
            continue
        op.add_column("event", sa.Column(column, sa.Integer(), nullable=True))
        op.create_foreign_key(
            f"fk_event_{column}_{table}", "event", table, [column], ["id"], ondelete="SET NULL"
        )
    op.add_column("event_text", sa.Column("price", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("event_text") as batch_op:
        batch_op.drop_column("price")
    for column in ("network_id", "city_id", "contact_email", "contact_name", "venue_address"):
        op.drop_column("event", column)
