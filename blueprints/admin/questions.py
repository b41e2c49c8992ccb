"""An event's registration questions on the staff side: list and add, edit,
remove. The event's organisers and admins manage them."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user
from werkzeug import Response

from blueprints.admin.access import managed_event_or_404, roles
from blueprints.admin.blueprint import bp
from blueprints.admin.question_forms import QuestionEditForm, QuestionRemoveForm
from extensions import db
from models import Event, Question, Role
from services import questions as service


def _question_or_404(event: Event, question_id: int) -> Question:
    question = service.question_of(db.session, event.id, question_id)
    if question is None:
        abort(404)
    return question


def _refused(form: QuestionEditForm, refusal: service.QuestionRefused) -> None:
    for name, message in refusal.errors.items():
        form._fields[name].errors.append(message)


@bp.route("/events/<int:event_id>/questions", methods=["GET", "POST"])
@roles(Role.ORGANISER)
def questions(event_id: int) -> Response | tuple[str, int]:
    event = managed_event_or_404(event_id)
    form = QuestionEditForm(data={"position": service.next_position(db.session, event.id)})
    if form.validate_on_submit():
        service.add_question(db.session, event.id, form.question_data(), current_user)
        flash(gettext("The question has been added."), "success")
        return redirect(url_for(".questions", event_id=event.id), 303)
    listed = service.questions_of(db.session, event.id)
    page = render_template(
        "admin/questions.html",
        event=event,
        form=form,
        questions=listed,
        answers={q.id: service.answer_count(db.session, q.id) for q in listed},
    )
    return page, 422 if form.errors else 200


@bp.route("/events/<int:event_id>/questions/<int:question_id>", methods=["GET", "POST"])
@roles(Role.ORGANISER)
def question_edit(event_id: int, question_id: int) -> Response | tuple[str, int]:
    event = managed_event_or_404(event_id)
    question = _question_or_404(event, question_id)
    form = QuestionEditForm(data=QuestionEditForm.data_of(question))
    if form.validate_on_submit():
        try:
            service.update_question(
                db.session, event.id, question.id, form.question_data(), current_user
            )
        except service.QuestionRefused as refusal:
            _refused(form, refusal)
        else:
            flash(gettext("The question has been saved."), "success")
            return redirect(url_for(".questions", event_id=event.id), 303)
    page = render_template(
        "admin/question_form.html",
        event=event,
        question=question,
        form=form,
        remove_form=QuestionRemoveForm(formdata=None),
        answers=service.answer_count(db.session, question.id),
    )
    return page, 422 if form.errors else 200


@bp.post("/events/<int:event_id>/questions/<int:question_id>/remove")
@roles(Role.ORGANISER)
def question_remove(event_id: int, question_id: int) -> Response:
    event = managed_event_or_404(event_id)
    question = _question_or_404(event, question_id)
    if not QuestionRemoveForm().validate_on_submit():
        abort(400)
    removed = service.remove_question(db.session, event.id, question.id, current_user)
    flash(
        ngettext(
            "The question has been removed, with %(num)d answer.",
            "The question has been removed, with %(num)d answers.",
            removed,
        )
        if removed
        else gettext("The question has been removed."),
        "success",
    )
    return redirect(url_for(".questions", event_id=event.id), 303)
