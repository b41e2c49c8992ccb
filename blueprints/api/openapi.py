"""/api/v1/openapi.json, generated from the pydantic models that serialise
the responses and check the query strings (blueprints/api/schemas.py).

`@describe` notes on a view what it answers and which query it takes; the
document is assembled from the URL map and those notes, so a new endpoint
is described by writing it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from blueprints.api import schemas
from blueprints.api.problems import PROBLEM_JSON

View = TypeVar("View", bound=Callable[..., Any])
REF = "#/components/schemas/{model}"
PREFIX = "/api/v1"


def describe(
    response: type[BaseModel],
    *,
    summary: str,
    query: type[BaseModel] | None = None,
    not_found: bool = False,
) -> Callable[[View], View]:
    def note(view: View) -> View:
        view.api_description = {  # type: ignore[attr-defined]
            "response": response,
            "summary": summary,
            "query": query,
            "not_found": not_found,
        }
        return view

    return note


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A query parameter is either there or not: `int | None` is an int."""
    options = schema.get("anyOf")
    if options and {"type": "null"} in options:
        rest = [option for option in options if option != {"type": "null"}]
        schema = {**{k: v for k, v in schema.items() if k != "anyOf"}, **rest[0]}
    schema.pop("default", None) if schema.get("default") is None else None
    return schema


def _parameters(query: type[BaseModel] | None) -> list[dict[str, Any]]:
    if query is None:
        return []
    schema = query.model_json_schema(mode="validation")
    parameters = []
    for name, field_schema in schema["properties"].items():
        field_schema = _without_null(dict(field_schema))
        description = field_schema.pop("description", None)
        field_schema.pop("title", None)
        parameter = {"name": name, "in": "query", "required": False, "schema": field_schema}
        if description:
            parameter["description"] = description
        parameters.append(parameter)
    return parameters


def _problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM_JSON: {"schema": {"$ref": REF.format(model="Problem")}}},
    }


def _operation(view: Callable[..., Any], path_parameters: list[str]) -> dict[str, Any]:
    notes = view.api_description  # type: ignore[attr-defined]
    parameters = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "string", "pattern": schemas.SLUG_PATTERN, "maxLength": 80},
        }
        for name in path_parameters
    ] + _parameters(notes["query"])
    responses: dict[str, Any] = {
        "200": {
            "description": "OK",
            "headers": {"ETag": {"schema": {"type": "string"}}},
            "content": {
                "application/json": {
                    "schema": {"$ref": REF.format(model=notes["response"].__name__)}
                }
            },
        },
        "304": {"description": "Not modified since the ETag given in If-None-Match."},
    }
    if parameters:
        responses["400"] = _problem("The query string does not match this description.")
    if notes["not_found"]:
        responses["404"] = _problem("Nothing public at this address.")
    operation: dict[str, Any] = {
        "operationId": view.__name__,
        "summary": notes["summary"],
        "responses": responses,
    }
    if view.__doc__:
        operation["description"] = " ".join(view.__doc__.split())
    if parameters:
        operation["parameters"] = parameters
    return operation


def _components() -> dict[str, Any]:
    models = [
        schemas.EventList,
        schemas.Event,
        schemas.CityList,
        schemas.NetworkList,
        schemas.NewsList,
        schemas.Problem,
    ]
    _, top = models_json_schema([(model, "serialization") for model in models], ref_template=REF)
    return top["$defs"]


def document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of every described view under /api/v1."""
    paths: dict[str, Any] = {}
    for rule in current_app.url_map.iter_rules():
        view = current_app.view_functions.get(rule.endpoint)
        if not rule.rule.startswith(PREFIX) or not hasattr(view, "api_description"):
            continue
        path = rule.rule[len(PREFIX) :]
        for name in rule.arguments:
            path = path.replace(f"<{name}>", f"{{{name}}}")
        paths[path] = {"get": _operation(view, sorted(rule.arguments))}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{current_app.config['CITY_NAME']}: events, partner cities and news",
            "version": "1.0.0",
            "description": (
                "Read-only public data of the international office, in every language of "
                "the site. No personal data. Errors are application/problem+json (RFC 9457)."
            ),
        },
        "servers": [{"url": current_app.config["BASE_URL"].rstrip("/") + PREFIX}],
        "paths": dict(sorted(paths.items())),
        "components": {"schemas": _components()},
    }
