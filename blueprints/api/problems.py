"""Errors of the API as application/problem+json (RFC 9457), never an HTML
page: 400 for a refused query string, 404, 405, and 500."""

from __future__ import annotations

from flask import Response, json, request
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

from blueprints.api import schemas

PROBLEM_JSON = "application/problem+json"
API_PREFIX = "/api/"


class InvalidQuery(Exception):
    """The query string broke the API's description: (name, reason) pairs."""

    def __init__(self, invalid: list[tuple[str, str]]) -> None:
        super().__init__(invalid)
        self.invalid = invalid

    @classmethod
    def from_validation(cls, error: ValidationError) -> InvalidQuery:
        return cls(
            [(".".join(str(part) for part in item["loc"]), item["msg"]) for item in error.errors()]
        )


def problem(status: int, title: str, detail: str | None = None, **extra: object) -> Response:
    body = schemas.Problem(title=title, status=status, detail=detail, **extra)
    response = Response(
        json.dumps(body.model_dump(mode="json", by_alias=True, exclude_none=True)),
        status=status,
        mimetype=PROBLEM_JSON,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def from_http_error(error: HTTPException) -> Response:
    response = problem(error.code or 500, error.name, error.description)
    if error.code == 405 and (allowed := getattr(error, "valid_methods", None)):
        response.headers["Allow"] = ", ".join(allowed)
    return response


def from_invalid_query(error: InvalidQuery) -> Response:
    return problem(
        400,
        "Bad Request",
        "The query string does not match the API description (/api/v1/openapi.json).",
        invalid_params=[
            schemas.InvalidParameter(name=name, reason=reason) for name, reason in error.invalid
        ],
    )


def is_api_request() -> bool:
    """Errors raised before a view (unknown address, wrong method) still
    answer as problems when the address is the API's."""
    return request.path.startswith(API_PREFIX)
