"""Home, event list, event page and calendar file; the language redirect and
health checks outside the language prefix."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for
from sqlalchemy import text

from blueprints.loaders import public_event_or_404, public_event_page_or_404
from blueprints.page_cache import cached_page
from extensions import db
from i18n import browser_language, current_language
from models.base import utcnow
from services import directory, events, news
from services.calendar import event_calendar
from services.links import external_url, mail_domain
from services.registration import age_range_text

bp = Blueprint("public", __name__)
root = Blueprint("root", __name__)


@root.get("/")
def choose_language() -> Response:
    """Send the visitor to the site in the language their browser prefers."""
    return redirect(url_for("public.home", lang=browser_language()))


@root.get("/healthz")
def healthz() -> Response:
    """Alive: answers without touching the database."""
    return Response("ok", mimetype="text/plain")


@root.get("/readyz")
def readyz() -> tuple[Response, int]:
    """Ready: the database answers."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any failure of the database means "not ready"
        current_app.logger.exception("readiness check failed")
        return Response("database unavailable", mimetype="text/plain"), 503
    return Response("ok", mimetype="text/plain"), 200


@bp.get("/")
@cached_page
def home() -> str:
    now = utcnow()
    upcoming = events.upcoming(db.session, now, limit=3, with_cancelled=False)
    return render_template(
        "public/home.html",
        events=upcoming,
        availability=events.availabilities(db.session, upcoming, now),
        news=news.latest(db.session, now),
        **directory.teaser(db.session, current_language()),
    )


@bp.get("/events/")
@cached_page
def event_list() -> str:
    now = utcnow()
    archive = request.args.get("archive") == "1"
    per_page = current_app.config["EVENTS_PER_PAGE"]
    total = events.count(db.session, now, archive=archive)
    pages = max((total + per_page - 1) // per_page, 1)
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    listing = events.past if archive else events.upcoming
    shown = listing(db.session, now, limit=per_page, offset=(page - 1) * per_page)
    return render_template(
        "public/events.html",
        events=shown,
        availability=events.availabilities(db.session, shown, now),
        archive=archive,
        page=page,
        pages=pages,
    )


@bp.get("/events/<slug>/")
@cached_page
def event_detail(slug: str) -> str:
    event, held = public_event_page_or_404(slug)
    now = utcnow()
    return render_template(
        "public/event.html",
        event=event,
        availability=events.availability(event, held, now),
        age_range=age_range_text(event),
        is_past=event.ends_at < now,
    )


@bp.get("/events/<slug>.ics")
def event_ics(slug: str) -> Response:
    event = public_event_or_404(slug)
    lang = current_language()
    body = event_calendar(
        event,
        title=event.text("title", lang),
        description=event.text("summary", lang),
        location=event.text("venue", lang),
        url=external_url("public.event_detail", lang=lang, slug=slug),
        domain=mail_domain(),
    )
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


@bp.get("/privacy")
def privacy() -> str:
    return render_template("public/privacy.html")


@bp.get("/imprint")
def imprint() -> str:
    return render_template("public/imprint.html")


@bp.get("/accessibility")
def accessibility() -> str:
    return render_template("public/accessibility.html")


@bp.get("/leichte-sprache")
def easy_language() -> str:
    """The site explained in Leichte Sprache: German only, 404 in other languages."""
    from flask import abort

    if current_language() != "de":
        abort(404)
    return render_template("public/leichte_sprache.html")
