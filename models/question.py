"""The organiser's own questions of an event, and each participant's answers."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, attribute_keyed_dict, mapped_column, relationship

from models.base import DEFAULT_LANGUAGE, Model, Translatable, UTCDateTime, enum_column, utcnow
from models.registration import Registration

# The two answers of a yes/no question, as the indexes an answer stores.
YES, NO = 0, 1


class QuestionKind(enum.StrEnum):
    TEXT = "text"
    CHOICE = "choice"
    MULTIPLE = "multiple"
    YES_NO = "yes_no"

    @property
    def has_choices(self) -> bool:
        """The organiser lists the possible answers (yes/no has its own two)."""
        return self in {QuestionKind.CHOICE, QuestionKind.MULTIPLE}


class QuestionText(Model):
    """A question's words in one language: the label, and the choices one per line."""

    __tablename__ = "question_text"

    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), primary_key=True
    )
    lang: Mapped[str] = mapped_column(String(8), primary_key=True)
    label: Mapped[str | None] = mapped_column(String(300))
    choices: Mapped[str | None] = mapped_column(Text)


class Question(Translatable, Model):
    """One question of an event's registration form, shown as `q-<id>`."""

    __tablename__ = "question"
    text_class = QuestionText

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    kind: Mapped[QuestionKind] = mapped_column(enum_column(QuestionKind))
    is_required: Mapped[bool] = mapped_column("required", default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    texts: Mapped[dict[str, QuestionText]] = relationship(
        collection_class=attribute_keyed_dict("lang"),
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    @property
    def field_name(self) -> str:
        return f"q-{self.id}"

    def label(self, lang: str) -> str:
        return self.text("label", lang)

    def choice_lines(self, lang: str) -> list[str]:
        """The choices as typed for `lang`, without German fallback."""
        row = self.texts.get(lang)
        return (row.choices or "").splitlines() if row is not None else []

    def choices(self, lang: str) -> list[str]:
        """The choices in `lang`, each falling back to German where that
        language has none. An answer stores a choice's index, so a choice
        means the same in every language."""
        german = self.choice_lines(DEFAULT_LANGUAGE)
        own = self.choice_lines(lang)
        return [own[i] if i < len(own) and own[i] else text for i, text in enumerate(german)]

    def __repr__(self) -> str:
        return f"<Question {self.id} {self.kind}>"


class Answer(Model):
    """One participant's answer to one question. A group registration has
    one Registration row per participant, so each participant answers for
    themselves. `text` holds a free-text answer (cleared by the retention
    rule); `choices` the indexes of the chosen choices (kept for statistics;
    yes/no stores YES or NO)."""

    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("registration_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str | None] = mapped_column(Text)
    choices: Mapped[list[int] | None] = mapped_column(JSON)

    registration: Mapped[Registration] = relationship()
    question: Mapped[Question] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<Answer {self.registration_id}/{self.question_id}>"
