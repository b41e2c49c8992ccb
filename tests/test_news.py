"""Announcements: safe Markdown, the public list, page and feed, the editor,
the demo posts. Images: test_news_images.py."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

import pytest
from flask import render_template
from PIL import Image
from sqlalchemy import func, select

from blueprints.news.views import media
from extensions import db
from models import AuditEntry, NewsPost, NewsStatus
from services import news
from services.demo_news import seed_news
from tests.conftest import csrf_token, submit

ATOM = "{http://www.w3.org/2005/Atom}"
ENGLISH = {
    "Accept-Language": "en"
}  # staff pages follow the browser; messages are checked in English
RFC3339_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\Z")


@pytest.fixture
def app(app, tmp_path):
    """The app with uploads in a temporary folder and /media/ served (app.py
    may not register the media blueprint yet)."""
    app.config["UPLOAD_FOLDER"] = str(tmp_path / "uploads")
    if "media" not in app.blueprints:
        app.register_blueprint(media)
    return app


def ago(**delta: float) -> datetime:
    return datetime.now(UTC).replace(microsecond=0) - timedelta(**delta)  # negative: in the future


@pytest.fixture
def make_post(app):
    """Create a post, published a day ago unless told otherwise."""

    def make(
        slug: str = "sommerfest",
        title_de: str = "Sommerfest",
        title_en: str | None = None,
        **fields,
    ) -> NewsPost:
        texts = {
            "de": {
                "title": title_de,
                "teaser": fields.pop("teaser_de", "Kurz gesagt"),
                "body": fields.pop("body_de", None),
            },
            "en": {
                "title": title_en,
                "teaser": fields.pop("teaser_en", None),
                "body": fields.pop("body_en", None),
            },
        }
        post = NewsPost(
            slug=slug,
            **{"status": NewsStatus.PUBLISHED, "published_at": ago(days=1), "is_pinned": False}
            | fields,
        )
        for lang, values in texts.items():
            post.set_text(lang, **values)
        db.session.add(post)
        db.session.commit()
        return post

    return make


def start_tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    """Every start tag with its attributes, as a browser would see them."""
    tags: list[tuple[str, dict[str, str | None]]] = []
    parser = HTMLParser()
    parser.handle_starttag = lambda tag, attrs: tags.append((tag, dict(attrs)))  # type: ignore[method-assign]
    parser.feed(html)
    return tags


def assert_harmless(html: str) -> None:
    """No script, no embedded content, no event handler, no script-bearing URL.
    The page's own schema.org description is data a browser never runs
    (test_calendar_feed.py shows no text breaks out of it)."""
    for tag, attrs in start_tags(html):
        if tag == "script" and attrs == {"type": "application/ld+json"}:
            continue
        assert tag not in {"script", "iframe", "object", "embed", "style", "img"}, tag
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        for name in ("href", "src", "action"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), (tag, attrs)


ATTACKS = [
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    "<img src=x onerror=alert(1)>",
    'Text <b onclick="alert(1)">fett</b>\n\n<div><a href="javascript:alert(1)">raw</a></div>'
    '\n\n<iframe src="//x"></iframe>',
]


@pytest.mark.parametrize("markdown", ATTACKS)
def test_no_attack_in_a_post_reaches_the_page(client, make_post, markdown):
    make_post(body_de=markdown)
    page = client.get("/de/news/sommerfest/")
    assert page.status_code == 200
    assert_harmless(page.get_data(as_text=True))


def test_the_list_and_the_page_are_in_both_languages_with_german_fallback(client, make_post):
    make_post(
        "raleigh",
        "Besuch in Raleigh",
        "Visit to Raleigh",
        teaser_en="A delegation",
        body_de="**Deutsch**",
        body_en="**English**",
    )
    make_post("panajachel", "Freundeskreis gegründet", published_at=ago(days=2))
    german = client.get("/de/news/").get_data(as_text=True)
    assert german.index("Besuch in Raleigh") < german.index("Freundeskreis gegründet")
    english = client.get("/en/news/").get_data(as_text=True)
    assert "Visit to Raleigh" in english and "A delegation" in english
    assert (
        '<h2 class="card-title" lang="de">'
        '<a href="/en/news/panajachel/">Freundeskreis gegründet</a>' in english
    )
    page = client.get("/en/news/raleigh/").get_data(as_text=True)
    assert "<h1>Visit to Raleigh</h1>" in page and "<strong>English</strong>" in page
    fallback = client.get("/en/news/panajachel/").get_data(as_text=True)
    assert '<h1 lang="de">Freundeskreis gegründet</h1>' in fallback
    assert '<time datetime="' in fallback
    assert "<strong>Deutsch</strong>" in client.get("/de/news/raleigh/").get_data(as_text=True)


def test_drafts_and_future_posts_are_invisible_everywhere(client, make_post):
    make_post("sichtbar", "Sichtbar")
    make_post("entwurf", "Entwurf", status=NewsStatus.DRAFT, published_at=ago(days=3))
    make_post("spaeter", "Später", published_at=ago(days=-1))
    make_post("ohne-datum", "Ohne Datum", status=NewsStatus.DRAFT, published_at=None)
    for slug in (
        "entwurf",
        "spaeter",
        "ohne-datum",
        "gibt-es-nicht",
        "Gross",
        "a--b",
        "x" * 81,
        "%3Cscript%3E",
    ):
        assert client.get(f"/de/news/{slug}/").status_code == 404, (
            slug
        )  # also slugs no post could have
    for url in ("/de/news/", "/de/news/feed.xml"):
        body = client.get(url).get_data(as_text=True)
        assert "Sichtbar" in body and not [
            hidden for hidden in ("Entwurf", "Später", "Ohne Datum") if hidden in body
        ], url


def test_pinned_posts_come_first_and_the_list_has_pages_of_ten(client, make_post):
    for number in range(12):
        make_post(f"meldung-{number}", f"Meldung {number}", published_at=ago(days=number + 1))
    make_post("angeheftet", "Angeheftet", published_at=ago(days=30), is_pinned=True)
    first = client.get("/de/news/").get_data(as_text=True)
    assert (
        first.index("Angeheftet") < first.index("Meldung 0") < first.index("Meldung 8")
        and "Meldung 9" not in first
    )
    second = client.get("/de/news/?page=2").get_data(as_text=True)
    assert "Meldung 9" in second and "Meldung 11" in second and "Meldung 8" not in second
    assert "Meldung 11" in client.get("/de/news/?page=99").get_data(
        as_text=True
    )  # clamped to the last
    assert "Angeheftet" in client.get("/de/news/?page=-3").get_data(
        as_text=True
    )  # and to the first
    with client.application.test_request_context(
        "/en/"
    ):  # the home page's partial, as it will be included
        partial = render_template(
            "news/_latest.html", news=news.latest(db.session, datetime.now(UTC))
        )
    assert re.findall(r'href="/en/news/([a-z0-9-]+)/"', partial) == [
        "angeheftet",
        "meldung-0",
        "meldung-1",
    ]


def test_the_atom_feed_is_valid_xml_with_the_right_entries_in_order(client, make_post):
    empty = ET.fromstring(client.get("/de/news/feed.xml").data)
    assert empty.tag == f"{ATOM}feed" and empty.findall(f"{ATOM}entry") == []
    published = ago(days=5)  # once: the clock may pass a second before the assertion
    make_post(
        "aelter", "Älter", "Older", teaser_en="Older news", published_at=published, is_pinned=True
    )
    make_post("neuer", "Neuer <&> Text", published_at=ago(days=1))
    make_post("entwurf", "Entwurf", status=NewsStatus.DRAFT)
    response = client.get("/en/news/feed.xml")
    assert (response.status_code, response.headers["Content-Type"]) == (
        200,
        "application/atom+xml; charset=utf-8",
    )
    root = ET.fromstring(response.data)
    assert (root.tag, root.get("{http://www.w3.org/XML/1998/namespace}lang")) == (
        f"{ATOM}feed",
        "en",
    )
    assert root.findtext(f"{ATOM}id") == "http://partnerstadt.test/en/news/feed.xml"
    assert (
        RFC3339_UTC.match(root.findtext(f"{ATOM}updated"))
        and root.find(f"{ATOM}author/{ATOM}name").text
    )
    entries = root.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [
        "Neuer <&> Text",
        "Older",
    ]  # newest first
    older = entries[1]
    assert older.findtext(f"{ATOM}summary") == "Older news"
    assert older.find(f"{ATOM}link").attrib == {
        "rel": "alternate",
        "type": "text/html",
        "href": "http://partnerstadt.test/en/news/aelter/",
    }
    assert re.fullmatch(
        r"tag:partnerstadt\.test,\d{4}-\d\d-\d\d:news/\d+/en", older.findtext(f"{ATOM}id")
    )
    for entry in entries:
        assert RFC3339_UTC.match(entry.findtext(f"{ATOM}updated")) and RFC3339_UTC.match(
            entry.findtext(f"{ATOM}published")
        )
    assert older.findtext(f"{ATOM}published") == published.strftime("%Y-%m-%dT%H:%M:%SZ")
    german = ET.fromstring(client.get("/de/news/feed.xml").data)
    assert [entry.findtext(f"{ATOM}title") for entry in german.findall(f"{ATOM}entry")] == [
        "Neuer <&> Text",
        "Älter",
    ]


def test_titles_with_markup_are_escaped_everywhere(client, staff_client, make_post):
    make_post("xss", "<script>alert(1)</script>", teaser_de="<img src=x onerror=alert(1)>")
    for url in ("/de/news/", "/de/news/xss/"):
        body = client.get(url).get_data(as_text=True)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script>alert" not in body, url
        assert_harmless(body)
    admin = staff_client("editor").get("/admin/news/").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in admin and "<script>alert" not in admin


# --- The editor ---------------------------------------------------------------


def image_bytes(
    size: tuple[int, int] = (40, 30), kind: str = "PNG", mode: str = "RGB", **options
) -> bytes:
    buffer = BytesIO()
    Image.new(mode, size, "teal").save(buffer, kind, **options)
    return buffer.getvalue()


def post_form(**overrides) -> dict:
    """The editor's form with the SPEC-style field names, ready to publish."""
    return {
        "slug": "delegation-raleigh",
        "title_de": "Rostock - Raleigh",
        "title_en": "Rostock - Raleigh",
        "teaser_de": (
            "Vom 23. bis 28. Juni 2025 besuchte eine Rostocker Delegation die Partnerstadt Raleigh."
        ),
        "body_de": "Die Fachaustauschreise fand im Rahmen des **Urban Diplomacy Exchange** statt.",
        "teaser_en": "",
        "body_en": "",
        "image_alt_de": "",
        "image_alt_en": "",
        "published_at": "",
        "status": "published",
    } | overrides


@pytest.fixture
def editor(staff_client):
    return staff_client("editor")  # signs in: the media blueprint is registered by then (see `app`)


def uploads(app) -> list[Path]:
    folder = Path(app.config["UPLOAD_FOLDER"])
    return sorted(folder.iterdir()) if folder.exists() else []


def test_an_editor_creates_a_post_and_it_is_published_now(editor):
    response = submit(editor, "/admin/news/new", post_form())
    assert response.status_code == 303
    post = db.session.scalar(select(NewsPost).where(NewsPost.slug == "delegation-raleigh"))
    assert post.is_visible(datetime.now(UTC))
    assert datetime.now(UTC) - post.published_at < timedelta(minutes=1)
    assert post.author_id == editor.user.id
    assert (
        db.session.scalar(select(AuditEntry.action).where(AuditEntry.target == post.slug))
        == "news.create"
    )
    assert (
        response.location == f"/admin/news/{post.id}/edit"
        and "Rostock - Raleigh" in editor.get(response.location).text
    )


def test_an_editor_edits_a_post_in_local_time_and_it_is_audited(editor, make_post):
    post = make_post("alt", "Alter Titel")
    url = f"/admin/news/{post.id}/edit"
    assert 'value="alt"' in editor.get(url).get_data(as_text=True)
    data = post_form(
        slug="neu",
        title_de="Neuer Titel",
        status="draft",
        published_at="2026-01-15T09:30",
        pinned="y",
    )
    assert submit(editor, url, data).status_code == 303
    db.session.expire_all()
    post = db.session.get(NewsPost, post.id)
    assert (post.slug, post.text("title", "de"), post.status, post.is_pinned) == (
        "neu",
        "Neuer Titel",
        NewsStatus.DRAFT,
        True,
    )
    assert post.published_at == datetime(
        2026, 1, 15, 8, 30, tzinfo=UTC
    )  # 09:30 in Rostock in winter
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "news.update"))
    assert entry.actor_id == editor.user.id and "texts" in entry.details["changed"]


def test_a_slug_is_used_only_once_and_must_look_like_one(editor, make_post):
    make_post("delegation-raleigh")
    assert submit(editor, "/admin/news/new", post_form()).status_code == 422
    assert submit(editor, "/admin/news/new", post_form(slug="Mit Leerzeichen")).status_code == 422
    assert db.session.scalar(select(func.count()).select_from(NewsPost)) == 1


def test_organisers_may_not_use_the_news_editor(staff_client, make_post):
    post = make_post()
    organiser = staff_client("organiser")
    token = csrf_token(organiser, "/admin/login")
    for url in ("/admin/news/", "/admin/news/new", f"/admin/news/{post.id}/edit"):
        assert organiser.get(url).status_code == 403, url
        if url != "/admin/news/":
            assert (
                organiser.post(url, data={"csrf_token": token, **post_form()}).status_code == 403
            ), url


def test_seed_news_creates_the_three_posts_once(app, client):
    added = seed_news(db.session, datetime.now(UTC))
    db.session.commit()
    assert added == [
        "delegation-raleigh-2025",
        "workshop-forumtheater-2025",
        "freundeskreis-rostock-panajachel",
    ]
    assert seed_news(db.session, datetime.now(UTC)) == []
    assert db.session.scalar(select(func.count()).select_from(NewsPost)) == 3
    feed = ET.fromstring(client.get("/de/news/feed.xml").data)
    published = [entry.findtext(f"{ATOM}published") for entry in feed.findall(f"{ATOM}entry")]
    assert published == [
        "2025-09-11T22:00:00Z",
        "2025-06-27T22:00:00Z",
        "2019-01-22T23:00:00Z",
    ]  # 00:00 in Rostock
    page = client.get("/de/news/workshop-forumtheater-2025/").get_data(as_text=True)
    assert (
        'Anmeldung bis zum 12.09.2025 <a href="/de/events/forumtheater-2025/" '
        'rel="noopener noreferrer">hier</a> möglich.' in page
    )
    english = client.get("/en/news/freundeskreis-rostock-panajachel/").get_data(as_text=True)
    assert "founded on 23 January 2019" in english and "since 2018" in english
