"""add the words the site search looks through

PostgreSQL gets a generated tsvector column under the language's
text-search configuration (GIN-indexed), SQLite an FTS5 table kept in step
by triggers. Existing events, announcements and cities are indexed.

Revision ID: 1796225319
Revises: 1796224889
Create Date: 2026-12-02 15:30:12.143226

"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "1796225319"
down_revision: Union[str, Sequence[str], None] = "1796224889"
branch_labels: Union[str, Sequence[str], None] = ()
depends_on: Union[str, Sequence[str], None] = None

POSTGRES_TSV = """
ALTER TABLE search_document ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
    CASE lang
        WHEN 'de' THEN to_tsvector('german', words)
        WHEN 'en' THEN to_tsvector('english', words)
        ELSE ''::tsvector
    END || to_tsvector('simple', words)
) STORED
"""
SQLITE_FTS = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(words, content='search_document', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_document_ai AFTER INSERT ON search_document BEGIN "
    "INSERT INTO search_fts(rowid, words) VALUES (new.id, new.words); END",
    "CREATE TRIGGER search_document_ad AFTER DELETE ON search_document BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, words) VALUES ('delete', old.id, old.words); END",
    "CREATE TRIGGER search_document_au AFTER UPDATE ON search_document BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, words) VALUES ('delete', old.id, old.words); "
    "INSERT INTO search_fts(rowid, words) VALUES (new.id, new.words); END",
]
# kind: (text table, its key column, the fields searched)
SOURCES = {
    "event": ("event_text", "event_id", ("title", "summary", "description", "venue")),
    "news": ("news_text", "news_id", ("title", "teaser", "body")),
    "city": ("city_text", "city_id", ("name", "description")),
}


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "search_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("words", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_document")),
        sa.UniqueConstraint("kind", "record_id", "lang", name=op.f("uq_search_document_kind")),
    )
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(POSTGRES_TSV)
        op.create_index(
            "ix_search_document_tsv", "search_document", ["tsv"], postgresql_using="gin"
        )
    elif connection.dialect.name == "sqlite":
        for statement in SQLITE_FTS:
            connection.exec_driver_sql(statement)
    _index_existing(connection)


def _index_existing(connection: sa.Connection) -> None:
    """Documents for what is there already, German filling in missing texts."""
    from services.search_index import words

    documents = []
    for kind, (table, key, fields) in SOURCES.items():
        texts: dict[int, dict[str, dict[str, str | None]]] = {}
        for row in connection.execute(sa.text(f"SELECT * FROM {table}")).mappings():
            texts.setdefault(row[key], {})[row["lang"]] = {field: row[field] for field in fields}
        for record_id, by_lang in texts.items():
            german = by_lang.get("de", {})
            for lang in ("de", "en"):
                own = by_lang.get(lang, {})
                shown = [own.get(field) or german.get(field) or "" for field in fields]
                documents.append(
                    {
                        "kind": kind,
                        "record_id": record_id,
                        "lang": lang,
                        "words": words(" ".join(shown)),
                    }
                )
    if documents:
        table = sa.table(
            "search_document",
            sa.column("kind"),
            sa.column("record_id"),
            sa.column("lang"),
            sa.column("words"),
        )
        connection.execute(table.insert(), documents)


def downgrade() -> None:
    """Downgrade schema."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE search_fts")
    op.drop_table("search_document")
