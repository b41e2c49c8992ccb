"""Announcements: what the public sees and the editor's create and update
(audited). The Atom feed is built by services/news_feed.py, uploaded images
are checked and stored by services/news_images.py, and the Markdown of the
posts is rendered by services/markdown.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage

from models import NewsPost, NewsStatus, User
from models.base import DEFAULT_LANGUAGE
from services import audit
from services.localtime import to_local
from services.news_images import ImageRefused, image_change
from services.refusals import Refused

TEXT_FIELDS = ("title", "teaser", "body", "image_alt")

# --- What the public sees ---------------------------------------------------


def _is_visible(now: datetime) -> tuple[ColumnElement[bool], ...]:
    """The conditions of a visible post, as the queries here unpack them;
    defined once, on the model (NewsPost.is_visible)."""
    return (NewsPost.is_visible(now),)


def visible_posts(
    session: Session, now: datetime, limit: int = 10, offset: int = 0
) -> list[NewsPost]:
    """Published posts whose time has come: pinned ones first, then newest."""
    query = (
        select(NewsPost)
        .where(*_is_visible(now))
        .order_by(NewsPost.is_pinned.desc(), NewsPost.published_at.desc(), NewsPost.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(session.scalars(query))


def count_visible(session: Session, now: datetime) -> int:
    return session.scalar(select(func.count()).select_from(NewsPost).where(*_is_visible(now))) or 0


def latest(session: Session, now: datetime, limit: int = 3) -> list[NewsPost]:
    """For the home page: as the news list starts (pinned posts stay on top)."""
    return visible_posts(session, now, limit=limit)


def newest(session: Session, now: datetime, limit: int = 20) -> list[NewsPost]:
    """For the feed: strictly newest first, since feed readers sort by date."""
    query = (
        select(NewsPost)
        .where(*_is_visible(now))
        .order_by(NewsPost.published_at.desc(), NewsPost.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def visible_post(session: Session, slug: str, now: datetime) -> NewsPost | None:
    return session.scalar(select(NewsPost).where(NewsPost.slug == slug, *_is_visible(now)))


def image_is_public(session: Session, filename: str, now: datetime) -> bool:
    """True when a visible post shows this image (drafts' images stay private)."""
    query = (
        select(NewsPost.id).where(NewsPost.image_filename == filename, *_is_visible(now)).limit(1)
    )
    return session.scalar(query) is not None


def text_language(post: NewsPost, field: str, lang: str) -> str:
    """The language `post.text(field, lang)` is really in: German when it
    falls back, so the page can mark it with a `lang` attribute."""
    row = post.texts.get(lang)
    return lang if row is not None and getattr(row, field, None) else DEFAULT_LANGUAGE


# --- The editor -------------------------------------------------------------


@dataclass(frozen=True)
class NewsData:
    """A post as the editor's form describes it, times already in UTC."""

    slug: str
    texts: dict[str, dict[str, str | None]]
    status: NewsStatus
    published_at: datetime | None
    is_pinned: bool
    image: FileStorage | None = None
    remove_image: bool = False


class NewsRefused(Refused):
    """The change breaks a rule; `errors` maps form fields to messages."""


def _slug_taken(session: Session, slug: str, post_id: int | None) -> bool:
    query = select(NewsPost.id).where(NewsPost.slug == slug, NewsPost.id != (post_id or 0))
    return session.scalar(query) is not None


def _texts(post: NewsPost) -> dict[str, tuple[str | None, ...]]:
    return {
        lang: tuple(getattr(row, name) for name in TEXT_FIELDS) for lang, row in post.texts.items()
    }


def _apply(post: NewsPost, data: NewsData, now: datetime, image: str | None) -> list[str]:
    """Copy `data` onto `post`; the names of what changed."""
    published_at = data.published_at
    if published_at is None and data.status is NewsStatus.PUBLISHED:
        published_at = now.replace(second=0, microsecond=0)  # to the minute, as the form shows it
    settings = {"slug": data.slug, "status": data.status, "published_at": published_at}
    settings |= {"is_pinned": data.is_pinned, "image_filename": image}
    changed = [name for name, value in settings.items() if getattr(post, name) != value]
    for name in changed:
        setattr(post, name, settings[name])
    before = _texts(post)
    for lang, fields in data.texts.items():
        if image is None:
            fields = fields | {"image_alt": None}  # no image, nothing to describe
        post.set_text(lang, **fields)
    if _texts(post) != before:
        changed.append("texts")
    return changed


def _check(session: Session, post: NewsPost, data: NewsData) -> None:
    if _slug_taken(session, data.slug, post.id):
        raise NewsRefused(
            {"slug": gettext("This web address is already used by another announcement.")}
        )
    keeps_image = post.image_filename is not None and not data.remove_image
    if (data.image or keeps_image) and not (data.texts.get(DEFAULT_LANGUAGE) or {}).get(
        "image_alt"
    ):
        raise NewsRefused(
            {"image_alt_de": gettext("Please describe the image for people who cannot see it.")}
        )


def _save(
    session: Session, post: NewsPost, data: NewsData, actor: User, now: datetime, action: str
) -> NewsPost:
    """Check, store a new image, apply, audit and commit. A refused or failed
    change leaves no file behind; a replaced image is deleted afterwards."""
    _check(session, post, data)
    try:
        with image_change(post.image_filename, data.image, data.remove_image) as image:
            try:
                changed = _apply(post, data, now, image)
                session.add(post)
                session.flush()
                audit.record(session, actor, action, target=post.slug, changed=changed)
                session.commit()
            except BaseException:
                session.rollback()
                raise
    except ImageRefused as refusal:
        raise NewsRefused({"image": str(refusal)}) from None
    except IntegrityError:  # the same slug saved a moment earlier
        raise NewsRefused(
            {"slug": gettext("This web address is already used by another announcement.")}
        ) from None
    return post


def create_post(session: Session, data: NewsData, actor: User, now: datetime) -> NewsPost:
    post = NewsPost(status=NewsStatus.DRAFT, is_pinned=False, author_id=actor.id)
    return _save(session, post, data, actor, now, "news.create")


def update_post(
    session: Session, post_id: int, data: NewsData, actor: User, now: datetime
) -> NewsPost:
    post = session.get_one(NewsPost, post_id)
    return _save(session, post, data, actor, now, "news.update")


def form_data(post: NewsPost) -> dict[str, object]:
    """The post as the editor's form data; the publication time in local time."""
    data: dict[str, object] = {
        "slug": post.slug,
        "status": post.status.value,
        "pinned": post.is_pinned,
        "published_at": to_local(post.published_at).replace(tzinfo=None)
        if post.published_at
        else None,
    }
    for lang in current_app.config["LANGUAGES"]:
        row = post.texts.get(lang)
        for name in TEXT_FIELDS:
            data[f"{name}_{lang}"] = getattr(row, name, None) if row else None
    return data
