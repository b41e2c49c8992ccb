"""Settings: defaults, then the environment, then what the caller passes."""

from __future__ import annotations

import os
import secrets
import tempfile
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULTS: dict[str, Any] = {
    "CITY_NAME": "Rostock",
    # Which home city's directory `flask seed-demo` loads: rostock or osnabrueck.
    "CITY_KEY": "rostock",
    "CITY_TIMEZONE": "Europe/Berlin",
    "LANGUAGES": ("de", "en"),
    "PENDING_HOURS": 48,
    "RETENTION_DAYS": 90,
    "REMINDER_DAYS": 2,
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": False,
    "MAIL_SERVER": "",
    "MAIL_PORT": 25,
    "MAIL_USE_TLS": False,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_DEFAULT_SENDER": "Fachbereich Internationales <international@localhost>",
    "MAIL_SUPPRESS_SEND": False,
    # The port `make run` serves on; BASE_URL defaults to that address.
    "PORT": 5000,
    "MAX_CONTENT_LENGTH": 256 * 1024,
    "WTF_CSRF_TIME_LIMIT": None,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "EVENTS_PER_PAGE": 20,
    # How long a public page is kept for visitors without cookies; 0: never.
    "PAGE_CACHE_SECONDS": 5,
    # Requests per client on the public forms (Flask-Limiter syntax).
    "RATELIMIT_REGISTRATION": "30 per minute;300 per hour",
    "RATELIMIT_SUPPORT": "5 per minute;30 per hour",
    # All sign-in attempts per client; failed ones are limited in the database.
    "RATELIMIT_SIGN_IN": "30 per minute",
    # Attempts per client to change one's password or to ask for a reset link.
    "RATELIMIT_PASSWORD_CHANGE": "10 per minute;30 per hour",
    "RATELIMIT_PASSWORD_RESET": "5 per minute;20 per hour",
    # Two-factor sign-in is required of every staff member before other pages.
    "STAFF_REQUIRE_2FA": False,
    # Minutes without a request after which a staff session ends.
    "STAFF_IDLE_MINUTES": 60,
    # Number of reverse proxies in front of the app whose X-Forwarded-* to trust.
    "PROXY_COUNT": 0,
    # The office's contact and legal details, shown on the legal pages when set.
    "OFFICE_ADDRESS": "",
    "OFFICE_EMAIL": "",
    "OFFICE_PHONE": "",
    "DPO_EMAIL": "",
    "IMPRINT_REPRESENTATIVE": "",
    "IMPRINT_RESPONSIBLE": "",
    "CITY_IMPRINT_URL": "",
    "ACCESSIBILITY_STATEMENT_DATE": "",
    "ENFORCEMENT_BODY": "",
    "ENFORCEMENT_BODY_URL": "",
}

LEGAL_SETTINGS = (
    "OFFICE_ADDRESS",
    "OFFICE_EMAIL",
    "OFFICE_PHONE",
    "DPO_EMAIL",
    "IMPRINT_REPRESENTATIVE",
    "IMPRINT_RESPONSIBLE",
    "CITY_IMPRINT_URL",
    "ACCESSIBILITY_STATEMENT_DATE",
    "ENFORCEMENT_BODY",
    "ENFORCEMENT_BODY_URL",
)

# Settings read from the environment, with the type each is parsed into.
ENVIRONMENT: dict[str, type] = {
    "DATABASE_URL": str,
    "SECRET_KEY": str,
    "BASE_URL": str,
    "PORT": int,
    "CITY_NAME": str,
    "CITY_KEY": str,
    "CITY_TIMEZONE": str,
    "MAIL_SERVER": str,
    "MAIL_PORT": int,
    "MAIL_USE_TLS": bool,
    "MAIL_USERNAME": str,
    "MAIL_PASSWORD": str,
    "MAIL_DEFAULT_SENDER": str,
    "PENDING_HOURS": int,
    "RETENTION_DAYS": int,
    "REMINDER_DAYS": int,
    "RATELIMIT_ENABLED": bool,
    "RATELIMIT_STORAGE_URI": str,
    "RATELIMIT_KEY_PREFIX": str,
    "RATELIMIT_REGISTRATION": str,
    "RATELIMIT_SUPPORT": str,
    "RATELIMIT_SIGN_IN": str,
    "RATELIMIT_PASSWORD_CHANGE": str,
    "RATELIMIT_PASSWORD_RESET": str,
    "STAFF_REQUIRE_2FA": bool,
    "STAFF_IDLE_MINUTES": int,
    "PROXY_COUNT": int,
    "SESSION_COOKIE_SECURE": bool,
    "TRUSTED_HOSTS": list,
    "PAGE_CACHE_SECONDS": int,
} | {name: str for name in LEGAL_SETTINGS}

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _parse(name: str, raw: str, kind: type) -> Any:
    if kind is bool:
        value = raw.strip().lower()
        if value not in _TRUE | _FALSE:
            raise ValueError(f"{name} must be one of 1/0, true/false, yes/no, on/off")
        return value in _TRUE
    if kind is list:
        return [item.strip() for item in raw.split(",") if item.strip()]
    if kind is int:
        try:
            return int(raw)
        except ValueError:
            raise ValueError(f"{name} must be a whole number, not {raw!r}") from None
    return raw


def from_environment(environ: os._Environ[str] | dict[str, str] = os.environ) -> dict[str, Any]:
    """The settings the environment sets, parsed."""
    return {
        name: _parse(name, environ[name], kind)
        for name, kind in ENVIRONMENT.items()
        if name in environ
    }


def database_url(url: str | None) -> str:
    """The SQLAlchemy URL for DATABASE_URL: SQLite in the instance folder by
    default, and psycopg 3 as the PostgreSQL driver."""
    if not url:
        return "sqlite:///partnerstadt.sqlite"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


# Names a health check or `curl` on the machine itself uses.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1")


def trusted_hosts(configured: list[str] | str | None, base_url: str) -> list[str]:
    """The Host names the site answers to: BASE_URL's, the loopback names
    (health checks and `curl` on the machine itself) and those configured in
    TRUSTED_HOSTS. Any other Host gets a 400, so no redirect or page is built
    from an address a client made up, and DNS rebinding finds no site."""
    if isinstance(configured, str):
        configured = _parse("TRUSTED_HOSTS", configured, list)
    names = [urlsplit(base_url).hostname or "", *LOOPBACK_HOSTS, *(configured or [])]
    return list(dict.fromkeys(name.lower() for name in names if name))


def instance_secret_key(instance_path: str) -> str:
    """The secret key kept in the instance folder, created once.

    Several gunicorn workers may start at the same moment: the key is written
    to a temporary file and linked into place, so all end up with one key.
    """
    path = Path(instance_path) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".secret_key-")
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48))
        try:
            os.link(tmp, path)  # atomic: exactly one worker's key wins
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    return path.read_text().strip()


def check(config: dict[str, Any]) -> None:
    """Refuse to start with settings that cannot work."""
    try:
        ZoneInfo(config["CITY_TIMEZONE"])
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"CITY_TIMEZONE {config['CITY_TIMEZONE']!r} is not a known time zone"
        ) from None
    check_sender(config["MAIL_DEFAULT_SENDER"])
    for name in ("PENDING_HOURS", "RETENTION_DAYS", "REMINDER_DAYS", "PAGE_CACHE_SECONDS"):
        if config[name] < 0:
            raise ValueError(f"{name} must not be negative")
    if config["STAFF_IDLE_MINUTES"] < 1:
        raise ValueError("STAFF_IDLE_MINUTES must be at least 1")


def check_sender(sender: str) -> None:
    """A malformed sender is silently dropped from the From: header, so refuse it."""
    message = EmailMessage()
    try:
        message["From"] = sender
        header = message["From"]
        addresses = header.addresses
    except (ValueError, IndexError):
        addresses, header = (), None
    if header is None or header.defects or len(addresses) != 1 or not addresses[0].domain:
        raise ValueError(
            f"MAIL_DEFAULT_SENDER {sender!r} is not a sender such as 'Office <office@example.org>'"
        )


# What the legal pages must show (Art. 13 GDPR; § 5 DDG and § 18(2) MStV).
LEGAL_PAGE_SETTINGS = {
    "privacy notice": ("OFFICE_ADDRESS", "OFFICE_EMAIL", "DPO_EMAIL"),
    "imprint": (
        "OFFICE_ADDRESS",
        "OFFICE_EMAIL",
        "OFFICE_PHONE",
        "IMPRINT_REPRESENTATIVE",
        "IMPRINT_RESPONSIBLE",
    ),
}

WEAK_SECRETS = {"dev", "secret", "changeme", "change-me", "development", "test", "secret-key"}


def deploy_problems(config: dict[str, Any]) -> list[str]:
    """What makes this configuration unfit for production, as Django's
    `check --deploy` does it; empty when fine."""
    problems = []
    key = str(config.get("SECRET_KEY") or "")
    if len(key) < 32 or key.lower() in WEAK_SECRETS or len(set(key)) < 10:
        problems.append("SECRET_KEY is missing or weak: use at least 32 random characters")
    if config.get("DEBUG"):
        problems.append("DEBUG is on")
    if config.get("TESTING"):
        problems.append("TESTING is on")
    if not str(config.get("BASE_URL", "")).startswith("https://"):
        problems.append("BASE_URL does not use https://")
    if not config.get("SESSION_COOKIE_SECURE"):
        problems.append("SESSION_COOKIE_SECURE is off")
    if not config.get("SESSION_COOKIE_HTTPONLY") or config.get("SESSION_COOKIE_SAMESITE") not in {
        "Lax",
        "Strict",
    }:
        problems.append("the session cookie must be HttpOnly and SameSite=Lax")
    if not config.get("RATELIMIT_ENABLED"):
        problems.append("RATELIMIT_ENABLED is off")
    if str(config.get("RATELIMIT_STORAGE_URI") or "memory://").startswith("memory://"):
        problems.append(
            "RATELIMIT_STORAGE_URI keeps counts in each worker's memory, so every worker "
            "allows the full limit: use a shared store such as redis://"
        )
    if not config.get("MAIL_SERVER"):
        problems.append("MAIL_SERVER is not set: mail would only be written to files")
    if not config.get("MAX_CONTENT_LENGTH"):
        problems.append("MAX_CONTENT_LENGTH is not set")
    for page, names in LEGAL_PAGE_SETTINGS.items():
        if unset := [name for name in names if not str(config.get(name) or "").strip()]:
            problems.append(
                f"the {page} lacks {', '.join(unset)}: the page leaves out what is unset"
            )
    return problems
