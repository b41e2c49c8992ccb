"""check-in codes, who checked in, the certificate offer, and the age kept for statistics

Revision ID: 1796224852
Revises: 1796224823
Create Date: 2026-12-02 15:20:52.933662

"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

from services.checkin_codes import new_code

# revision identifiers, used by Alembic.
revision: str = "1796224852"
down_revision: Union[str, Sequence[str], None] = "1796224823"
branch_labels: Union[str, Sequence[str], None] = ()
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    # In place, never in batch mode: on SQLite a batch copies `registration`
    # and drops the old table, and with foreign keys on that drop deletes
    # every row that cascades from a registration (its tokens and answers).
    op.add_column("outbox_message", sa.Column("qr_code", sa.String(length=9), nullable=True))
    if op.get_bind().dialect.name == "sqlite":  # SQLite adds a reference only this way
        op.execute(
            "ALTER TABLE registration ADD COLUMN checked_in_by_id INTEGER "
            "REFERENCES user_account (id) ON DELETE SET NULL"
        )
    else:
        op.add_column("registration", sa.Column("checked_in_by_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            "fk_registration_checked_in_by_id_user_account",
            "registration",
            "user_account",
            ["checked_in_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.add_column("registration", sa.Column("checkin_code", sa.String(length=9), nullable=True))
    op.add_column("registration", sa.Column("age_at_event", sa.Integer(), nullable=True))
    op.add_column("registration", sa.Column("certificate_offered_at", sa.DateTime(), nullable=True))
    op.create_index(
        "uq_registration_event_checkin_code",
        "registration",
        ["event_id", "checkin_code"],
        unique=True,
    )

    # Registrations made before get a code each, unique within their event.
    registration = sa.table(
        "registration",
        sa.column("id", sa.Integer),
        sa.column("event_id", sa.Integer),
        sa.column("checkin_code", sa.String),
        sa.column("anonymised_at", sa.DateTime),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(registration.c.id, registration.c.event_id).where(
            registration.c.anonymised_at.is_(None)
        )
    ).all()
    taken: set[tuple[int, str]] = set()
    for row in rows:
        code = new_code()
        while (row.event_id, code) in taken:
            code = new_code()
        taken.add((row.event_id, code))
        connection.execute(
            registration.update().where(registration.c.id == row.id).values(checkin_code=code)
        )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index("uq_registration_event_checkin_code", table_name="registration")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(
            "fk_registration_checked_in_by_id_user_account", "registration", type_="foreignkey"
        )
    for column in ("certificate_offered_at", "age_at_event", "checkin_code", "checked_in_by_id"):
        op.drop_column("registration", column)
    op.drop_column("outbox_message", "qr_code")
