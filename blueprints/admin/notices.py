"""Notices that several staff pages flash the same way."""

from __future__ import annotations

from collections.abc import Sequence

from flask import flash
from flask_babel import gettext, ngettext

from models import Registration

MAX_NAMES = 10  # more would bury the notice; the list shows everyone


def flash_promoted(promoted: Sequence[Registration]) -> None:
    """Say who moved up from the waitlist (and is emailed), by name."""
    if not promoted:
        return
    names = ", ".join(registration.full_name for registration in promoted[:MAX_NAMES])
    if len(promoted) > MAX_NAMES:
        names = gettext("%(names)s and %(more)d more", names=names, more=len(promoted) - MAX_NAMES)
    flash(
        ngettext(
            "%(num)d person moved up from the waitlist and is told by email: %(names)s.",
            "%(num)d people moved up from the waitlist and are told by email: %(names)s.",
            len(promoted),
            names=names,
        ),
        "success",
    )
