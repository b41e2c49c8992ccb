"""Statistics pages: one event's, and the year's over all events the user
manages (admins: all). Charts as SVG, figures as tables, XLSX downloads."""

from __future__ import annotations

from flask import Response, render_template, request
from flask_babel import gettext
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from blueprints.admin.access import managed_event_or_404, roles
from blueprints.admin.blueprint import bp
from extensions import db
from i18n import current_language
from models import Role, event_organiser
from models.base import utcnow
from services import statistics, statistics_export
from services.charts import bar_chart
from services.dates import day_text
from services.labels import REGISTRATION_STATUSES
from services.localtime import local_date

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _charts(figures: statistics.Figures) -> dict[str, Markup]:
    lang = current_language()
    return {
        "status": bar_chart(
            gettext("Registrations by status"),
            gettext("How many registrations have each status; the table below has the figures."),
            [(str(REGISTRATION_STATUSES[s]), n) for s, n in figures.by_status.items()],
        ),
        "age": bar_chart(
            gettext("Registrations by age"),
            gettext("Age on the event's first day, cancelled registrations left out."),
            list(figures.by_age.items()),
        ),
        "time": bar_chart(
            gettext("Registrations over time"),
            gettext("Registrations made up to each day: how fast the event filled."),
            [(day_text(day, "short", lang), n) for day, n in figures.over_time[-20:]],
        ),
    }


def _own_event_ids() -> list[int] | None:
    if current_user.role is Role.ADMIN:
        return None
    return list(
        db.session.scalars(
            select(event_organiser.c.event_id).where(event_organiser.c.user_id == current_user.id)
        )
    )


def _year() -> int:
    raw = request.args.get("year", "")
    this_year = local_date(utcnow()).year
    if raw.isascii() and raw.isdigit() and 2000 <= int(raw) <= this_year + 5:
        return int(raw)
    return this_year


def _download(body: bytes, name: str) -> Response:
    response = Response(body, content_type=XLSX)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@bp.get("/statistics")
@roles(Role.ORGANISER)
def statistics_page() -> str:
    year = statistics.year_figures(db.session, _year(), _own_event_ids())
    months = [
        (day_text(local_date(utcnow()).replace(year=year.year, month=m.month, day=1), "month"), m)
        for m in year.months
    ]
    return render_template(
        "admin/statistics.html",
        year=year,
        figures=year.figures,
        charts=_charts(year.figures)
        | {
            "month": bar_chart(
                gettext("Registrations per month"),
                gettext("Registrations for the events starting in each month of the year."),
                [(label, m.registrations) for label, m in months],
            )
        },
        months=months,
        labels=REGISTRATION_STATUSES,
    )


@bp.get("/statistics.xlsx")
@roles(Role.ORGANISER)
def statistics_xlsx() -> Response:
    year = statistics.year_figures(db.session, _year(), _own_event_ids())
    body = statistics_export.workbook(year.figures, year, current_language())
    return _download(body, f"statistics-{year.year}")


@bp.get("/events/<int:event_id>/statistics")
@roles(Role.ORGANISER)
def event_statistics(event_id: int) -> str:
    event = managed_event_or_404(event_id)
    figures = statistics.event_figures(db.session, event)
    return render_template(
        "admin/event_statistics.html",
        event=event,
        figures=figures,
        charts=_charts(figures),
        labels=REGISTRATION_STATUSES,
    )


@bp.get("/events/<int:event_id>/statistics.xlsx")
@roles(Role.ORGANISER)
def event_statistics_xlsx(event_id: int) -> Response:
    event = managed_event_or_404(event_id)
    body = statistics_export.workbook(statistics.event_figures(db.session, event))
    return _download(body, f"statistics-{event.slug}")
