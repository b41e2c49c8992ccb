"""Partnerstadt: the web application of a city's international office."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

import catalogues
import config as settings
import i18n
from blueprints.sessions import init_app as init_sessions
from extensions import alembic, babel, csrf, db, limiter, login, mail
from models.engine import configure_engine
from services.locking import current_policy


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application; `config` overrides the environment (tests)."""
    app = Flask(__name__)
    load_config(app, config)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_filters(app)
    register_page_cache(app)
    register_search_index(app)
    register_commands(app)
    check_limits_in_views_only(app)
    return app


def load_config(app: Flask, config: dict[str, Any] | None) -> None:
    """Defaults, then the environment, then `config`; derived settings last."""
    given = settings.from_environment() | (config or {})
    app.config.from_mapping(settings.DEFAULTS)
    app.config.update(given)
    if "BASE_URL" not in given:
        # Links in mails, feeds and calendar files reach the site `make run` serves.
        app.config["BASE_URL"] = f"http://127.0.0.1:{app.config['PORT']}"
    settings.check(app.config)
    app.config["TRUSTED_HOSTS"] = settings.trusted_hosts(
        app.config.get("TRUSTED_HOSTS"), app.config["BASE_URL"]
    )
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = settings.instance_secret_key(app.instance_path)
    app.config["SQLALCHEMY_ENGINES"] = {
        "default": settings.database_url(app.config.get("DATABASE_URL"))
    }
    app.config.setdefault("ALEMBIC_CONTEXT", {"render_as_batch": True})
    app.config["BABEL_DEFAULT_LOCALE"] = app.config["LANGUAGES"][0]
    app.config["BABEL_DEFAULT_TIMEZONE"] = app.config["CITY_TIMEZONE"]
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(
        catalogues.compiled_catalogues(
            Path(app.root_path) / "translations",
            Path(app.instance_path) / "translations",
            app.config["LANGUAGES"],
        )
    )
    app.config.setdefault("MAIL_FILE_DIR", f"{app.instance_path}/mail")
    if "SESSION_COOKIE_SECURE" not in given:
        # Secure cookies wherever the site is served over HTTPS (not on http://127.0.0.1).
        app.config["SESSION_COOKIE_SECURE"] = app.config["BASE_URL"].startswith("https://")
    if count := app.config["PROXY_COUNT"]:
        # Trust exactly as many X-Forwarded-* hops as there are proxies: what
        # a client wrote into X-Forwarded-For itself stays to the left, unused.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def register_extensions(app: Flask) -> None:
    """Bind the extensions from extensions.py to this app."""
    db.init_app(app)
    drop_async_session_teardown(app)
    with app.app_context():
        configure_engine(db.engine, current_policy)
    alembic.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.init_app(app)
    app.jinja_env.add_extension("jinja2.ext.do")
    init_sessions(app)
    csrf.init_app(app)
    init_login(app)
    mail.init_app(app)
    limiter.init_app(app)


def drop_async_session_teardown(app: Flask) -> None:
    """Flask-SQLAlchemy-Lite closes async sessions in an `async def`
    teardown, which Flask runs through asgiref: a new thread at the end of
    every request and command, about half the cost of `/healthz`
    (bench/README.md). The app configures no async engine, so there is
    never an async session to close."""
    if app.config.get("SQLALCHEMY_ASYNC_ENGINES"):
        return
    app.teardown_appcontext_funcs[:] = [
        teardown
        for teardown in app.teardown_appcontext_funcs
        if not (
            inspect.iscoroutinefunction(teardown)
            and teardown.__module__.startswith("flask_sqlalchemy_lite")
        )
    ]


def check_limits_in_views_only(app: Flask) -> None:
    """Flask-Limiter checks before every request whether default,
    application or blueprint limits apply, about a third of what `/healthz`
    costs. The site declares none: its limits sit on the views that accept
    forms (`@limiter.limit`), and each checks itself when it is called. So
    the check before every request has nothing to do and is taken out, as
    long as no limit is declared that only it would enforce."""
    manager = limiter.limit_manager
    if (
        manager.default_limits
        or manager.application_limits
        or getattr(manager, "_blueprint_limits", True)
        or getattr(limiter, "_meta_limits", True)
    ):
        return
    app.before_request_funcs[None] = [
        hook
        for hook in app.before_request_funcs.get(None, [])
        if getattr(hook, "__self__", None) is not limiter
    ]


def init_login(app: Flask) -> None:
    """Staff sessions: the cookie names the account and its session version."""
    from flask_babel import lazy_gettext

    from services.accounts import load_session_user

    login.init_app(app)
    login.login_view = "auth.login"
    login.login_message = lazy_gettext("Please sign in to see this page.")
    login.login_message_category = "info"
    login.user_loader(lambda session_id: load_session_user(db.session, session_id))


def register_blueprints(app: Flask) -> None:
    """One blueprint per audience; public pages live under /<lang>/."""
    from blueprints.admin import bp as admin
    from blueprints.api import bp as api
    from blueprints.auth import bp as auth
    from blueprints.news import bp as news
    from blueprints.news.views import media
    from blueprints.partners import bp as partners
    from blueprints.public import bp as public
    from blueprints.public import root
    from blueprints.registration import bp as registration
    from blueprints.support import bp as support

    app.register_blueprint(root)
    app.register_blueprint(media)
    app.register_blueprint(auth, url_prefix="/admin")
    app.register_blueprint(admin, url_prefix="/admin")
    app.register_blueprint(api, url_prefix="/api/v1")
    app.register_blueprint(public, url_prefix="/<lang:lang>")
    for blueprint in (registration, news, partners, support):
        app.register_blueprint(blueprint, url_prefix="/<lang:lang>")


def register_errorhandlers(app: Flask) -> None:
    """Friendly error pages in the visitor's language, never a bare 500;
    security headers on every response, errors included."""
    from blueprints.errors import init_app as init_errors
    from blueprints.headers import init_app as init_headers

    init_errors(app)
    init_headers(app)


def register_template_filters(app: Flask) -> None:
    """Text typed by staff: `{{ text|markdown }}` on pages (one pipeline for
    news and descriptions), `{{ text|paragraphs }}` in plain mails."""
    from services.markdown import paragraphs, render_markdown

    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["paragraphs"] = paragraphs


def register_page_cache(app: Flask) -> None:
    """Rendered public pages for visitors without cookies, dropped on every
    committed content change (blueprints/page_cache.py)."""
    from blueprints import page_cache

    page_cache.init_app(app)


def register_search_index(app: Flask) -> None:
    """The site search's words, rewritten with every committed change of an
    event, announcement or city (services/search_index.py)."""
    from services import search_index

    search_index.init_app(app)


def register_commands(app: Flask) -> None:
    """The `flask` commands of the SPEC."""
    from commands import (
        create_user,
        deploy_check,
        purge_personal_data_command,
        search_index_command,
        seed_demo,
        send_mail,
    )

    app.cli.add_command(create_user)
    app.cli.add_command(deploy_check)
    app.cli.add_command(purge_personal_data_command, "purge-personal-data")
    app.cli.add_command(search_index_command)
    app.cli.add_command(seed_demo)
    app.cli.add_command(send_mail)
