from flask import Blueprint
from flask.blueprints import BlueprintSetupState

from blueprints.admin.access import require_staff
from blueprints.admin.menu import MENU

bp = Blueprint("admin", __name__)
bp.before_request(require_staff)


@bp.record_once
def navigation(state: BlueprintSetupState) -> None:
    """The staff menu for every staff page, the account pages of the sign-in
    blueprint included: one template global, set once, not per request."""
    state.app.jinja_env.globals["admin_menu"] = MENU
