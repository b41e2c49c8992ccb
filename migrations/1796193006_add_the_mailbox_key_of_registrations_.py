"""add the mailbox key of registrations and the guardian's refusal

Revision ID: 1796193006
Revises: 1796192882
Create Date: 2026-12-02 06:30:06.669497

"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

from services.mailboxes import mailbox_key

# revision identifiers, used by Alembic.
revision: str = "1796193006"
down_revision: Union[str, Sequence[str], None] = "1796192882"
branch_labels: Union[str, Sequence[str], None] = ()
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email_key", sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column("guardian_declined_at", sa.DateTime(), nullable=True))
        batch_op.create_index(
            "ix_registration_event_email_key", ["event_id", "email_key"], unique=False
        )

    # Registrations made before: their mailbox, folded as new ones are.
    registration = sa.table(
        "registration",
        sa.column("id", sa.Integer),
        sa.column("email", sa.String),
        sa.column("email_key", sa.String),
    )
    connection = op.get_bind()
    for row in connection.execute(sa.select(registration.c.id, registration.c.email)).all():
        connection.execute(
            registration.update()
            .where(registration.c.id == row.id)
            .values(email_key=mailbox_key(row.email) if row.email else row.email)
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.drop_index("ix_registration_event_email_key")
        batch_op.drop_column("guardian_declined_at")
        batch_op.drop_column("email_key")
