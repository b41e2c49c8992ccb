"""Announcements: what the public sees, the editor's create and update
(audited), the Atom feed, and uploaded images re-encoded by Pillow so that
only clean JPEG, PNG and WebP files are ever served. The Markdown of the
posts is rendered by services/markdown.py."""

from __future__ import annotations

import re
import secrets
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from xml.etree import ElementTree as ET

from flask import current_app
from flask_babel import gettext
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage

from models import NewsPost, NewsStatus, User
from models.base import DEFAULT_LANGUAGE
from services import audit
from services.links import external_url, mail_domain
from services.localtime import to_local
from services.refusals import Refused

TEXT_FIELDS = ("title", "teaser", "body", "image_alt")

# --- What the public sees ---------------------------------------------------


def _is_visible(now: datetime) -> tuple[ColumnElement[bool], ...]:
    return (
        NewsPost.status == NewsStatus.PUBLISHED,
        NewsPost.published_at.is_not(None),
        NewsPost.published_at <= now,
    )


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


# --- Atom feed --------------------------------------------------------------

ATOM = "http://www.w3.org/2005/Atom"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def entry_updated(post: NewsPost) -> datetime:
    """An entry changes when it is edited after it went out."""
    assert post.published_at is not None
    return max(post.published_at, post.updated_at)


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = _NOT_XML.sub("", text)
    return element


def atom_feed(posts: list[NewsPost], lang: str, title: str, author: str, now: datetime) -> bytes:
    """An Atom 1.0 document of `posts` in `lang`; links are absolute under
    BASE_URL and entry ids are tag URIs that survive a change of slug."""
    feed_url = external_url("news.feed", lang=lang)
    root = ET.Element("feed", {"xmlns": ATOM, "{http://www.w3.org/XML/1998/namespace}lang": lang})
    _add(root, "id", feed_url)
    _add(root, "title", title)
    updated = max((entry_updated(post) for post in posts), default=now)
    _add(root, "updated", rfc3339(updated))
    _add(root, "link", rel="self", type="application/atom+xml", href=feed_url)
    _add(
        root,
        "link",
        rel="alternate",
        type="text/html",
        href=external_url("news.news_list", lang=lang),
    )
    _add(_add(root, "author"), "name", author)
    for post in posts:
        assert post.published_at is not None
        entry = _add(root, "entry")
        created = to_local(post.created_at).date().isoformat()
        _add(entry, "id", f"tag:{mail_domain()},{created}:news/{post.id}/{lang}")
        _add(entry, "title", post.text("title", lang))
        _add(entry, "updated", rfc3339(entry_updated(post)))
        _add(entry, "published", rfc3339(post.published_at))
        url = external_url("news.news_detail", lang=lang, slug=post.slug)
        _add(entry, "link", rel="alternate", type="text/html", href=url)
        if teaser := post.text("teaser", lang):
            _add(entry, "summary", teaser, type="text")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


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
    old_image = post.image_filename
    new_image = None
    if data.image:
        try:
            new_image = store_image(data.image)
        except ImageRefused as refusal:
            raise NewsRefused({"image": str(refusal)}) from None
    try:
        kept = None if data.remove_image else old_image
        changed = _apply(post, data, now, new_image or kept)
        session.add(post)
        session.flush()
        audit.record(session, actor, action, target=post.slug, changed=changed)
        session.commit()
    except BaseException as error:
        session.rollback()
        if new_image:
            delete_image(new_image)
        if isinstance(error, IntegrityError):  # the same slug saved a moment earlier
            raise NewsRefused(
                {"slug": gettext("This web address is already used by another announcement.")}
            ) from None
        raise
    if old_image and old_image != post.image_filename:
        delete_image(old_image)
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


# --- Images -----------------------------------------------------------------

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_SIDE = 6000
# Pillow's format name -> our file extension; nothing else is accepted.
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MEDIA_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
MEDIA_NAME = re.compile(r"[A-Za-z0-9_-]+\.(jpg|png|webp)")
_SAVE_OPTIONS: dict[str, dict[str, object]] = {
    "jpg": {"quality": 85, "optimize": True},
    "png": {},
    "webp": {"quality": 85},
}


class ImageRefused(Exception):
    """The upload is not an image we accept; the message says why."""


def upload_folder() -> Path:
    """UPLOAD_FOLDER, by default `uploads/` in the instance folder."""
    configured = current_app.config.get("UPLOAD_FOLDER")
    return Path(configured) if configured else Path(current_app.instance_path) / "uploads"


def _unreadable() -> ImageRefused:
    return ImageRefused(
        gettext(
            "This file is not a JPEG, PNG or WebP image. Please choose a photo or graphic in one "
            "of these formats."
        )
    )


def _decode(data: bytes) -> Image.Image:
    """The image in `data` (its first frame), decoded by Pillow, or ImageRefused."""
    too_large = gettext(
        "The image is larger than %(side)d × %(side)d pixels. Please make it smaller.",
        side=MAX_IMAGE_SIDE,
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(BytesIO(data), formats=list(IMAGE_FORMATS))
            if image.format not in IMAGE_FORMATS:
                raise _unreadable()
            if image.width > MAX_IMAGE_SIDE or image.height > MAX_IMAGE_SIDE:
                raise ImageRefused(too_large)
            image.load()
            turned = ImageOps.exif_transpose(image)  # as the camera meant it, before EXIF goes
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ImageRefused(too_large) from None
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
        KeyError,
        IndexError,
    ):
        raise _unreadable() from None
    turned.format = image.format
    return turned


def _without_metadata(image: Image.Image, extension: str) -> Image.Image:
    """A copy in a mode the format can store, with no EXIF, XMP or text
    chunks; only the colour profile is kept, so colours stay true."""
    has_alpha = image.mode in {"RGBA", "LA", "PA", "RGBa", "La"} or "transparency" in image.info
    if extension == "jpg":
        mode = "L" if image.mode == "L" else "RGB"
    elif has_alpha:
        mode = "RGBA"
    else:
        mode = "L" if image.mode == "L" and extension == "png" else "RGB"
    clean = image.convert(mode) if image.mode != mode else image.copy()
    clean.info = {"icc_profile": image.info["icc_profile"]} if image.info.get("icc_profile") else {}
    return clean


def store_image(file: FileStorage) -> str:
    """Check an upload and store it re-encoded under a random name; the name.

    The format is what Pillow decodes, never the file name or content type.
    Re-encoding drops metadata (GPS positions in EXIF among it) and anything
    hidden after the image data.
    """
    data = file.stream.read(MAX_IMAGE_BYTES + 1)
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageRefused(gettext("The image is larger than 5 MB. Please make it smaller."))
    image = _decode(data)
    extension = IMAGE_FORMATS[str(image.format)]
    buffer = BytesIO()
    try:
        clean = _without_metadata(image, extension)
        clean.save(
            buffer,
            format=image.format,
            icc_profile=clean.info.get("icc_profile"),
            **_SAVE_OPTIONS[extension],
        )
    except (OSError, ValueError):  # a mode Pillow can read but not convert or write
        raise _unreadable() from None
    folder = upload_folder()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_urlsafe(16)}.{extension}"
    with open(folder / name, "xb") as stored:
        stored.write(buffer.getvalue())
    return name


def delete_image(name: str) -> None:
    """Remove a stored image; a name we could not have chosen is ignored."""
    if not MEDIA_NAME.fullmatch(name):
        return
    try:
        (upload_folder() / name).unlink(missing_ok=True)
    except OSError:  # the post is saved; a stray file is no reason to fail
        current_app.logger.warning("could not delete image %s", name, exc_info=True)
