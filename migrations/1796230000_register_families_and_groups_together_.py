"""register families and groups together

Revision ID: 1796230000
Revises: 1796227140
Create Date: 2026-12-02 16:30:00.000000

"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "1796230000"
down_revision: Union[str, Sequence[str], None] = "1796227140"
branch_labels: Union[str, Sequence[str], None] = ()
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    # In place, never in batch mode: on SQLite a batch copies `event` and
    # `registration` and drops the old tables, and with foreign keys on that
    # drop deletes every row that cascades from them.
    op.add_column(
        "event", sa.Column("max_group_size", sa.Integer(), server_default="1", nullable=False)
    )
    op.add_column(
        "event",
        sa.Column("fill_with_smaller", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.create_table(
        "registration_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("contact_first_name", sa.String(length=100), nullable=True),
        sa.Column("contact_last_name", sa.String(length=100), nullable=True),
        sa.Column("contact_takes_part", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_registration_group_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_group")),
    )
    op.create_index(
        op.f("ix_registration_group_event_id"), "registration_group", ["event_id"], unique=False
    )
    if op.get_bind().dialect.name == "sqlite":  # SQLite adds a reference only this way
        op.execute(
            "ALTER TABLE registration ADD COLUMN group_id INTEGER "
            "REFERENCES registration_group (id) ON DELETE SET NULL"
        )
    else:
        op.add_column("registration", sa.Column("group_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            "fk_registration_group_id_registration_group",
            "registration",
            "registration_group",
            ["group_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_index(op.f("ix_registration_group_id"), "registration", ["group_id"], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(op.f("ix_registration_group_id"), table_name="registration")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(
            "fk_registration_group_id_registration_group", "registration", type_="foreignkey"
        )
    op.drop_column("registration", "group_id")
    op.drop_index(op.f("ix_registration_group_event_id"), table_name="registration_group")
    op.drop_table("registration_group")
    op.drop_column("event", "fill_with_smaller")
    op.drop_column("event", "max_group_size")
