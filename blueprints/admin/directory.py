"""The partner-city directory on the staff side: cities and networks, for
editors and admins."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select
from werkzeug import Response

from blueprints.admin.access import roles
from blueprints.admin.blueprint import bp
from blueprints.admin.directory_forms import CityEditForm, NetworkEditForm
from extensions import db
from i18n import current_language
from models import City, Network, Relation, Role
from services import directory


def _page(
    template: str, form: CityEditForm | NetworkEditForm, record: City | Network | None
) -> tuple[str, int]:
    return render_template(template, form=form, record=record), 422 if form.errors else 200


@bp.get("/cities/")
@roles(Role.EDITOR)
def cities() -> str:
    return render_template(
        "admin/cities.html", cities=directory.list_cities(db.session, lang=current_language())
    )


@bp.route("/cities/new", methods=["GET", "POST"])
@roles(Role.EDITOR)
def city_new() -> Response | tuple[str, int]:
    form = CityEditForm(data={"relation": Relation.PARTNER.value})
    if form.validate_on_submit():
        city = City()
        directory.save_city(db.session, city, form.populate(city), current_user)
        flash(gettext("The city has been saved."), "success")
        return redirect(url_for(".city_edit", city_id=city.id), 303)
    return _page("admin/cities_form.html", form, None)


@bp.route("/cities/<int:city_id>/edit", methods=["GET", "POST"])
@roles(Role.EDITOR)
def city_edit(city_id: int) -> Response | tuple[str, int]:
    city = db.one_or_abort(select(City).where(City.id == city_id))
    form = CityEditForm(data=CityEditForm.data_of(city), record_id=city.id)
    if form.validate_on_submit():
        directory.save_city(db.session, city, form.populate(city), current_user)
        flash(gettext("The city has been saved."), "success")
        return redirect(url_for(".city_edit", city_id=city.id), 303)
    return _page("admin/cities_form.html", form, city)


@bp.get("/networks/")
@roles(Role.EDITOR)
def networks() -> str:
    return render_template(
        "admin/networks.html", networks=directory.list_networks(db.session, current_language())
    )


@bp.route("/networks/new", methods=["GET", "POST"])
@roles(Role.EDITOR)
def network_new() -> Response | tuple[str, int]:
    form = NetworkEditForm()
    if form.validate_on_submit():
        network = Network()
        directory.save_network(
            db.session, network, form.populate(network), form.member_names(), current_user
        )
        flash(gettext("The network has been saved."), "success")
        return redirect(url_for(".network_edit", network_id=network.id), 303)
    return _page("admin/networks_form.html", form, None)


@bp.route("/networks/<int:network_id>/edit", methods=["GET", "POST"])
@roles(Role.EDITOR)
def network_edit(network_id: int) -> Response | tuple[str, int]:
    network = db.one_or_abort(select(Network).where(Network.id == network_id))
    form = NetworkEditForm(data=NetworkEditForm.data_of(network), record_id=network.id)
    if form.validate_on_submit():
        directory.save_network(
            db.session, network, form.populate(network), form.member_names(), current_user
        )
        flash(gettext("The network has been saved."), "success")
        return redirect(url_for(".network_edit", network_id=network.id), 303)
    return _page("admin/networks_form.html", form, network)
