"""Home, event list, event page and calendar file; the language redirect and
health checks outside the language prefix."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import text

from blueprints.loaders import public_event_or_404, public_event_page_or_404
from blueprints.page_cache import cached_page
from blueprints.pagination import page_of, requested_page
from blueprints.public.forms import EventFilterForm
from extensions import db
from i18n import browser_language, current_language
from models import Event
from models.base import utcnow
from services import categories, directory, event_filters, events, news, search
from services.ages import age_range_text
from services.calendar import EntryText, event_calendar, events_feed
from services.links import external_url, mail_domain
from services.localtime import city_zone
from services.structured_data import event_json_ld

FEED_LIMIT = 500  # events in the calendar feed, soonest first

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
def event_list() -> tuple[str, int]:
    """Upcoming (or, with ?archive=1, past) events, filtered by ?age=, ?month=,
    ?category= and ?q=; a refused filter is named on the page (400)."""
    now = utcnow()
    lang = current_language()
    archive = request.args.get("archive") == "1"
    filters, errors = event_filters.parse(db.session, request.args)
    where = event_filters.conditions(db.session, filters, lang)
    listing = events.past if archive else events.upcoming
    page = page_of(
        events.count(db.session, now, archive=archive, where=where),
        lambda limit, offset: listing(db.session, now, limit=limit, offset=offset, where=where),
        requested_page(),
        current_app.config["EVENTS_PER_PAGE"],
    )
    form = EventFilterForm(formdata=request.args)
    form.offer_categories(categories.choices(db.session, lang))
    form.show_errors(errors)
    page_html = render_template(
        "public/events.html",
        page=page,
        availability=events.availabilities(db.session, page.items, now),
        archive=archive,
        total=page.total,
        form=form,
        filters=filters,
        filter_errors=errors,
    )
    return page_html, 400 if errors else 200


@bp.get("/events/<slug>/")
@cached_page
def event_detail(slug: str) -> str:
    event, held = public_event_page_or_404(slug)
    now = utcnow()
    lang = current_language()
    return render_template(
        "public/event.html",
        event=event,
        availability=events.availability(event, held, now),
        age_range=age_range_text(event),
        is_past=event.has_ended,
        json_ld=event_json_ld(
            event,
            lang=lang,
            url=external_url("public.event_detail", lang=lang, slug=slug),
            organiser=gettext(
                "International Office of %(city)s", city=current_app.config["CITY_NAME"]
            ),
            image_url=external_url("media.image", filename=event.image_filename)
            if event.image_filename
            else None,
        ),
    )


def _entry_text(event: Event, lang: str) -> EntryText:
    return EntryText(
        title=event.text("title", lang),
        description=event.text("summary", lang),
        location=event.text("venue", lang),
        url=external_url("public.event_detail", lang=lang, slug=event.slug),
    )


@bp.get("/events/<slug>.ics")
def event_ics(slug: str) -> Response:
    event = public_event_or_404(slug)
    text = _entry_text(event, current_language())
    body = event_calendar(
        event,
        title=text.title,
        description=text.description,
        location=text.location,
        url=text.url,
        domain=mail_domain(),
    )
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


@bp.get("/events.ics")
@cached_page
def events_ics() -> Response:
    """The calendar to subscribe to: upcoming published events, with the
    filters of the event list (?age=, ?month=, ?category=, ?q=)."""
    lang = current_language()
    filters, errors = event_filters.parse(db.session, request.args)
    if errors:
        return Response("\n".join(errors.values()), status=400, mimetype="text/plain")
    where = event_filters.conditions(db.session, filters, lang)
    listed = events.upcoming(
        db.session, utcnow(), limit=FEED_LIMIT, with_cancelled=False, where=where
    )
    body = events_feed(
        [(event, _entry_text(event, lang)) for event in listed],
        name=gettext(
            "Events – %(city)s International Office", city=current_app.config["CITY_NAME"]
        ),
        zone=city_zone(),
        domain=mail_domain(),
    )
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="events.ics"'
    return response


@bp.get("/search")
@cached_page
def site_search() -> tuple[str, int]:
    """Events, announcements and cities matching ?q= in the page's language."""
    query = " ".join(request.args.get("q", "").split())
    too_long = len(query) > event_filters.MAX_QUERY_LENGTH
    results = search.search(db.session, "" if too_long else query, current_language(), utcnow())
    page = render_template(
        "public/search.html",
        query=query,
        results=results,
        too_long=too_long,
        max_length=event_filters.MAX_QUERY_LENGTH,
        availability=events.availabilities(db.session, results.events, utcnow()),
    )
    return page, 400 if too_long else 200


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
