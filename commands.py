"""The `flask` commands of the SPEC."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from extensions import db
from models import Event
from services.demo import seed_events
from services.localtime import local_date
from models.base import utcnow


@click.command("seed-demo")
@click.option("--city", type=click.Choice(["rostock", "osnabrueck"]), default="rostock", show_default=True)
@click.option("--if-empty", is_flag=True, help="Only seed a database that has no events yet.")
@with_appcontext
def seed_demo(city: str, if_empty: bool) -> None:
    """Load demo content from the city's pages; safe to run again."""
    if if_empty and db.session.scalar(select(func.count()).select_from(Event)):
        click.echo("The database has content; nothing seeded.")
        return
    added = seed_events(db.session, local_date(utcnow()))
    db.session.commit()
    click.echo(f"Demo events added: {', '.join(added) or 'none (all present)'}")
