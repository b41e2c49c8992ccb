"""The content version of the public pages, one row in the database so that
every process on every machine reads the same one (blueprints/page_cache.py)."""

from __future__ import annotations

from sqlalchemy import BigInteger
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Model

# The id of the only row.
SITE = 1


class SiteVersion(Model):
    """A counter that goes up in the same transaction as every change a public
    page shows: a page kept under an older counter is out of date, wherever
    it was kept. The row is made by the migration (and again by the first
    change, should it be missing)."""

    __tablename__ = "site_version"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    counter: Mapped[int] = mapped_column(BigInteger, default=0)

    def __repr__(self) -> str:
        return f"<SiteVersion {self.counter}>"
