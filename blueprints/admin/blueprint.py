from flask import Blueprint

from blueprints.admin.access import require_staff

bp = Blueprint("admin", __name__)
bp.before_request(require_staff)

# Entries of the staff navigation besides events: (endpoint, label, role).
MENU: list[tuple[str, object, str]] = []


@bp.context_processor
def navigation() -> dict[str, object]:
    return {"admin_menu": MENU}
