"""The Atom feed of the announcements: absolute links under BASE_URL and
entry ids that survive a change of slug."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from models import NewsPost
from services.links import external_url, mail_domain
from services.localtime import to_local

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
