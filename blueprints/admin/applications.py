"""Support applications (admins only): the list with its filters, one
application with its status form, and the export. The workflow lives in
services/applications.py."""

from __future__ import annotations

from flask import Response, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import Select, select

from blueprints.admin.access import roles
from blueprints.admin.application_forms import ApplicationFilterForm, ApplicationStatusChangeForm
from blueprints.admin.blueprint import bp
from blueprints.pagination import paginate, requested_page
from extensions import db
from i18n import current_language
from models import ApplicationStatus, AuditEntry, SupportApplication
from models.base import utcnow
from services import applications as service
from services import exports, spreadsheets
from services.labels import APPLICATION_STATUSES

PER_PAGE = 25
MAX_ID = 2**31 - 1  # ids in URLs stay within the database's integer column
ONE = f"/applications/<int(max={MAX_ID}):application_id>"


def _filter_form() -> ApplicationFilterForm:
    return ApplicationFilterForm(service.partners_applied_for(db.session), formdata=request.args)


def _query(filters: dict[str, str]) -> Select:
    status = ApplicationStatus(filters["status"]) if "status" in filters else None
    return service.listing_query(status, filters.get("partner"))


def _no_store(body: str, status: int = 200) -> Response:
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"  # personal data
    return response


def application_or_404(application_id: int) -> SupportApplication:
    return db.one_or_abort(
        select(SupportApplication).where(SupportApplication.id == application_id)
    )


@bp.get("/applications/")
@roles()
def applications() -> Response:
    form = _filter_form()
    form.validate()
    filters = form.chosen()
    page = paginate(db.session, _query(filters), requested_page(), PER_PAGE)
    body = render_template(
        "admin/applications.html",
        form=form,
        page=page,
        filters=filters,
        labels=APPLICATION_STATUSES,
    )
    return _no_store(body, 422 if form.errors else 200)


@bp.get("/applications.xlsx")
@roles()
def applications_xlsx() -> Response:
    """The filtered list as a spreadsheet, recorded in the audit log first."""
    form = _filter_form()
    if not form.validate():
        abort(400)
    filters = form.chosen()
    query = _query(filters)
    service.record_export(db.session, current_user, query, **filters)
    table = exports.application_table(db.session, query)
    file = spreadsheets.xlsx_file(table, gettext("Support applications"), current_language())
    chunks = spreadsheets.file_chunks(file)
    response = Response(chunks, content_type=spreadsheets.XLSX_CONTENT_TYPE)
    response.call_on_close(file.close)  # also when the download never starts
    response.headers["Content-Disposition"] = 'attachment; filename="support-applications.xlsx"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _detail(
    application: SupportApplication, form: ApplicationStatusChangeForm, status: int = 200
) -> Response:
    form.offer(service.next_statuses(application.status))
    history = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.target == f"application:{application.id}")
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    body = render_template(
        "admin/applications_detail.html",
        application=application,
        form=form,
        history=list(history),
        labels=APPLICATION_STATUSES,
    )
    return _no_store(body, status)


@bp.get(ONE)
@roles()
def application_detail(application_id: int) -> Response:
    application = application_or_404(application_id)
    return _detail(
        application, ApplicationStatusChangeForm(service.next_statuses(application.status))
    )


@bp.post(f"{ONE}/status")
@roles()
def application_status(application_id: int) -> Response:
    application = application_or_404(application_id)
    form = ApplicationStatusChangeForm(service.next_statuses(application.status))
    if form.validate_on_submit():
        try:
            changed = service.change_status(
                db.session,
                application.id,
                form.chosen_status,
                form.note.data,
                current_user,
                utcnow(),
            )
        except service.ApplicationNotFound:
            abort(404)
        except service.TransitionRefused as refusal:
            form.status.errors.append(refusal.message)
        else:
            flash(
                gettext(
                    "The application is now %(status)s; the applicant is told by email.",
                    status=APPLICATION_STATUSES[changed.status],
                ),
                "success",
            )
            return redirect(url_for(".application_detail", application_id=changed.id), 303)
    db.session.rollback()
    return _detail(application_or_404(application_id), form, 422)
