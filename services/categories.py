"""Event categories: kept by admins, chosen in the event form, filtered on
the event list. Each has a slug (its name in addresses) and a name per
language."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Category, User
from services import audit
from services.folding import fold


def all_categories(session: Session, lang: str) -> list[Category]:
    """Every category, alphabetically by its name in `lang`."""
    return sorted(session.scalars(select(Category)), key=lambda c: fold(c.text("name", lang)))


def choices(session: Session, lang: str) -> list[tuple[str, str]]:
    """(slug, name) of every category, for the event form and the filter."""
    return [
        (category.slug, category.text("name", lang)) for category in all_categories(session, lang)
    ]


def by_slugs(session: Session, slugs: Iterable[str]) -> list[Category]:
    """The categories of these slugs (unknown ones are left out)."""
    wanted = set(slugs)
    if not wanted:
        return []
    return list(
        session.scalars(select(Category).where(Category.slug.in_(wanted)).order_by(Category.slug))
    )


def slug_taken(session: Session, slug: str, category_id: int | None) -> bool:
    return (
        session.scalar(
            select(Category.id).where(Category.slug == slug, Category.id != (category_id or 0))
        )
        is not None
    )


def save_category(
    session: Session, category: Category, slug: str, names: dict[str, str | None], actor: User
) -> Category:
    """Store a new or changed category, audited, and commit."""
    action = "category.create" if category.id is None else "category.update"
    changed = [] if category.slug == slug else ["slug"]
    before = {lang: category.text("name", lang) for lang in names}
    category.slug = slug
    for lang, name in names.items():
        category.set_text(lang, name=name)
    if {lang: category.text("name", lang) for lang in names} != before:
        changed.append("texts")
    session.add(category)
    session.flush()
    audit.record(session, actor, action, target=category.slug, changed=changed)
    session.commit()
    return category
