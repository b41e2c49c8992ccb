"""The staff navigation, declared in one list in the order staff see it:
the header of every staff page and the dashboard read it, so no page's
place depends on which module happened to be imported first."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from models import Role


@dataclass(frozen=True)
class MenuEntry:
    """One link of the navigation, shown to `role` (and to admins).

    `current_for` names the endpoint prefixes whose pages mark the entry as
    the current one besides its own (an event's participants belong to
    Events); `dashboard` the links the dashboard shows for it."""

    endpoint: str
    label: object
    role: Role
    current_for: tuple[str, ...] = ()
    dashboard: tuple[tuple[str, object], ...] = ()

    def is_current(self, endpoint: str) -> bool:
        return endpoint == self.endpoint or bool(
            self.current_for and endpoint.startswith(self.current_for)
        )

    @property
    def dashboard_links(self) -> tuple[tuple[str, object], ...]:
        return self.dashboard or ((self.endpoint, self.label),)


MENU = (
    MenuEntry(
        "admin.events",
        _l("Events"),
        Role.ORGANISER,
        current_for=("admin.event", "admin.participant"),
        dashboard=(
            ("admin.events", _l("Events and participants")),
            ("admin.event_new", _l("New event")),
        ),
    ),
    MenuEntry("admin.news_list", _l("News"), Role.EDITOR),
    MenuEntry("admin.cities", _l("Partner cities"), Role.EDITOR),
    MenuEntry("admin.networks", _l("Networks"), Role.EDITOR),
    MenuEntry("admin.categories_page", _l("Categories"), Role.ADMIN),
    MenuEntry("admin.applications", _l("Support applications"), Role.ADMIN),
    MenuEntry("admin.staff", _l("Staff"), Role.ADMIN),
    MenuEntry("admin.outbox", _l("Mail outbox"), Role.ADMIN),
    MenuEntry("admin.audit", _l("Audit log"), Role.ADMIN),
)
