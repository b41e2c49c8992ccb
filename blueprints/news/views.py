"""Announcements for the public: the list, one post, the Atom feed; and the
images of posts under /media/ (a blueprint of its own, outside /<lang>/)."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    send_from_directory,
)
from flask_babel import gettext
from flask_login import current_user

from blueprints.loaders import MAX_SLUG_LENGTH, SLUG
from blueprints.page_cache import cached_page
from blueprints.pagination import page_of, requested_page
from extensions import db
from i18n import current_language
from models import NewsPost, Role
from models.base import utcnow
from services import events, news, news_feed, news_images
from services.markdown import render_markdown

bp = Blueprint("news", __name__)
media = Blueprint("media", __name__)

PER_PAGE = 10


@bp.app_template_filter("text_lang")
def text_lang(post: NewsPost, field: str) -> str:
    """The language a translated field is shown in (German when it falls back)."""
    return news.text_language(post, field, current_language())


@bp.get("/news/")
@cached_page
def news_list() -> str:
    now = utcnow()
    page = page_of(
        news.count_visible(db.session, now),
        lambda limit, offset: news.visible_posts(db.session, now, limit=limit, offset=offset),
        requested_page(),
        PER_PAGE,
    )
    return render_template("news/list.html", page=page)


@bp.get("/news/<slug>/")
def news_detail(slug: str) -> str:
    """A published post whose time has come; drafts and scheduled posts do
    not exist for the public. An impossible slug never reaches the database."""
    if len(slug) > MAX_SLUG_LENGTH or not SLUG.fullmatch(slug):
        abort(404)
    post = news.visible_post(db.session, slug, utcnow())
    if post is None:
        abort(404)
    body = render_markdown(post.text("body", current_language()))
    return render_template("news/detail.html", post=post, body=body)


@bp.get("/news/feed.xml")
def feed() -> Response:
    now = utcnow()
    city = current_app.config["CITY_NAME"]
    document = news_feed.atom_feed(
        news.newest(db.session, now),
        lang=current_language(),
        title=gettext("News of the International Office of %(city)s", city=city),
        author=gettext("International Office of %(city)s", city=city),
        now=now,
    )
    return Response(document, content_type="application/atom+xml; charset=utf-8")


def _may_preview() -> bool:
    """Staff who edit posts or events see the images of drafts too."""
    return bool(current_user.is_authenticated and current_user.may(Role.EDITOR, Role.ORGANISER))


@media.get("/media/<filename>")
def image(filename: str) -> Response:
    """An image of a visible post or a public event (staff also see those of
    drafts); only names the app itself could have chosen, with the type they
    were stored as."""
    match = news_images.MEDIA_NAME.fullmatch(filename)
    if match is None:
        abort(404)
    is_public = news.image_is_public(db.session, filename, utcnow()) or events.image_is_public(
        db.session, filename
    )
    if not (is_public or _may_preview()):
        abort(404)
    response = send_from_directory(
        news_images.upload_folder(), filename, mimetype=news_images.MEDIA_TYPES[match.group(1)]
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    if not is_public:
        response.headers["Cache-Control"] = "no-store"  # a draft's image stays out of caches
    return response
