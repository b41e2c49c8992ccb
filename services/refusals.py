"""The one shape in which a service says no to what someone asked for."""

from __future__ import annotations


class Refused(Exception):
    """A rule says no, and nothing was stored.

    `errors` maps form fields to messages ("" for the form or the step as a
    whole; a single message may be given instead), so the page can show each
    next to its field (`AppForm.add_errors`); `status` is what the page
    answers with when it shows the form again. Each service names its own
    subclass, so a view catches only the refusals of the service it calls."""

    def __init__(self, errors: dict[str, str] | str, status: int = 422) -> None:
        self.errors = errors if isinstance(errors, dict) else {"": errors}
        self.status = status
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """Every message as one text, for a page that shows the refusal in
        one place (a flash, one field's error)."""
        return " ".join(str(message) for message in self.errors.values())
