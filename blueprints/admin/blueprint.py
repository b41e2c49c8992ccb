from flask import Blueprint

from blueprints.admin.access import require_staff
from blueprints.admin.menu import MENU

bp = Blueprint("admin", __name__)
bp.before_request(require_staff)


@bp.context_processor
def navigation() -> dict[str, object]:
    return {"admin_menu": MENU}
