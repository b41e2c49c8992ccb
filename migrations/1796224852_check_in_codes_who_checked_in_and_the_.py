"""check-in codes, who checked in, the certificate offer, and the age kept for statistics

Revision ID: 1796224852
Revises: 1796193289
Create Date: 2026-12-02 15:20:52.933662

"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

from services.checkin_codes import new_code

# revision identifiers, used by Alembic.
revision: str = "1796224852"
down_revision: Union[str, Sequence[str], None] = "1796193289"
branch_labels: Union[str, Sequence[str], None] = ()
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("qr_code", sa.String(length=9), nullable=True))

    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.add_column(sa.Column("checked_in_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("checkin_code", sa.String(length=9), nullable=True))
        batch_op.add_column(sa.Column("age_at_event", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("certificate_offered_at", sa.DateTime(), nullable=True))
        batch_op.create_unique_constraint(
            "uq_registration_event_checkin_code", ["event_id", "checkin_code"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_registration_checked_in_by_id_user_account"),
            "user_account",
            ["checked_in_by_id"],
            ["id"],
            ondelete="SET NULL",
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
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_registration_checked_in_by_id_user_account"), type_="foreignkey"
        )
        batch_op.drop_constraint("uq_registration_event_checkin_code", type_="unique")
        batch_op.drop_column("certificate_offered_at")
        batch_op.drop_column("age_at_event")
        batch_op.drop_column("checkin_code")
        batch_op.drop_column("checked_in_by_id")

    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_column("qr_code")
