"""The `flask` commands of the SPEC."""

from __future__ import annotations

import sys
import time

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from config import deploy_problems
from extensions import db
from models import Event, Role
from models.base import utcnow
from services import accounts
from services.demo import seed_events
from services.demo_directory import seed_directory
from services.demo_news import seed_news
from services.directory import city_profile
from services.localtime import local_date
from services.locking import begin_writing
from services.retention import purge_personal_data
from services.worker import run_pass


@click.command("seed-demo")
@click.option(
    "--city", type=click.Choice(["rostock", "osnabrueck"]), default=None, help="Default: CITY_KEY."
)
@click.option("--if-empty", is_flag=True, help="Only seed a database that has no events yet.")
@with_appcontext
def seed_demo(city: str | None, if_empty: bool) -> None:
    """Load demo content from the city's pages and data; safe to run again.

    Events and news come from Rostock's pages; the directory from
    data/*.csv for the chosen city."""
    begin_writing(db.session)
    if if_empty and db.session.scalar(select(func.count()).select_from(Event)):
        click.echo("The database has content; nothing seeded.")
        return
    now = utcnow()
    city = city or current_app.config["CITY_KEY"]
    added = seed_directory(db.session, city)
    if city == "rostock":
        state = city_profile(city).state
        added += seed_events(db.session, local_date(now), state) + seed_news(db.session, now)
    db.session.commit()
    click.echo(f"Demo content added: {', '.join(added) or 'none (all present)'}")


@click.command("send-mail")
@click.option("--once", is_flag=True, help="Do one pass and exit.")
@click.option("--interval", default=10.0, show_default=True, help="Seconds between passes.")
@with_appcontext
def send_mail(once: bool, interval: float) -> None:
    """The worker: expire unconfirmed registrations, queue reminders, send mail."""
    while True:
        try:
            report = run_pass(db.session, utcnow())
        except Exception:  # a failed pass is logged and tried again next time
            db.session.rollback()
            current_app.logger.exception("worker pass failed")
            if once:
                raise
        else:
            if once or report.did_something:
                click.echo(str(report))
        if once:
            return
        time.sleep(interval)


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_user(email: str, role: str, password_stdin: bool) -> None:
    """Create a staff account; the password comes from a prompt or stdin."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    begin_writing(db.session)
    try:
        accounts.create_user(db.session, email, password, Role(role))
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Created {role} {accounts.normalise_email(email)}")


@click.command("purge-personal-data")
@with_appcontext
def purge_personal_data_command() -> None:
    """Anonymise participants RETENTION_DAYS after their event (also done by the worker)."""
    count = purge_personal_data(db.session, utcnow(), current_app.config["RETENTION_DAYS"])
    click.echo(f"Registrations anonymised: {count}")


@click.command("deploy-check")
@with_appcontext
def deploy_check() -> None:
    """Print every problem that makes this configuration unfit for production;
    exit with status 1 when there is one, so that a deploy script stops."""
    problems = deploy_problems(current_app.config)
    for problem in problems:
        click.echo(f"- {problem}")
    if problems:
        click.echo(f"{len(problems)} problem(s): fix them before serving the site.", err=True)
        raise click.exceptions.Exit(1)
    click.echo("No problems found in the configuration.")


@click.command("search-index")
@with_appcontext
def search_index_command() -> None:
    """Rewrite the site search's words of every event, announcement and city
    (after data was changed by SQL outside the app)."""
    from services.search_index import rebuild

    begin_writing(db.session)
    count = rebuild(db.session)
    db.session.commit()
    click.echo(f"Search index rebuilt: {count} records.")
