"""Security headers on every response: pages, errors, files and exports."""

from __future__ import annotations

from flask import Flask, Response, request

from i18n import browser_language_was_used

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "img-src 'self' data:",
    ]
)
HSTS = "max-age=31536000; includeSubDomains"
# The same on every response, unless the view set its own.
EVERY_RESPONSE = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "DENY"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)
# Requests that only read: every other answer is sent `no-store`.
SAFE_METHODS = frozenset({"GET", "HEAD"})


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    # One pass over the headers there are: each `setdefault` would scan them
    # again, and raise and catch an HTTPException for every missing one.
    present = {name.lower() for name in headers.keys()}
    for name, value in EVERY_RESPONSE:
        if name.lower() not in present:
            headers.add(name, value)
    if request.is_secure and "strict-transport-security" not in present:
        headers.add("Strict-Transport-Security", HSTS)
    if request.method not in SAFE_METHODS or request.path.startswith("/admin"):
        # Staff pages show personal data; the answer to a form shows what was
        # typed into it (a re-rendered form with its errors) or acts on it.
        headers["Cache-Control"] = "no-store"
    if browser_language_was_used():
        response.vary.add("Accept-Language")
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
