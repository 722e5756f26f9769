"""Exception handlers: every error leaves the API in the envelope of ``kit/errors.py``."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from gateway.kit.errors import (
    GatewayError,
    InvalidForm,
    InvalidJson,
    envelope,
    error_envelope,
)
from gateway.kit.responses import JsonResponse


def _request_id(request: Request) -> str | None:
    return getattr(request.state, "request_id", None)


def render_error(request: Request, error: GatewayError) -> Response:
    return JsonResponse(
        error_envelope(error, _request_id(request)),
        status_code=error.status_code,
        headers=error.headers or None,
    )


async def _gateway_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, GatewayError)
    return render_error(request, exc)


_HTTP_CODES = {
    400: ("invalid_request_error", "invalid_request"),
    401: ("authentication_error", "missing_api_key"),
    403: ("permission_error", "forbidden"),
    404: ("invalid_request_error", "route_not_found"),
    405: ("invalid_request_error", "method_not_allowed"),
    413: ("invalid_request_error", "request_too_large"),
    415: ("invalid_request_error", "unsupported_media_type"),
}


# FastAPI's answer to a body its parser could not read for a reason other than bad JSON
# syntax (bytes that are not UTF-8, say): the exception's own words, matched to tell it
# from Starlette's multipart parser, whose 400s carry the parser's message.
_UNPARSABLE_BODY = "There was an error parsing the body"
_FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def _is_form(request: Request) -> bool:
    return request.headers.get("content-type", "").lower().startswith(_FORM_TYPES)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    type_, code = _HTTP_CODES.get(exc.status_code, ("invalid_request_error", "invalid_request"))
    if exc.status_code == 400 and not _is_form(request) and exc.detail == _UNPARSABLE_BODY:
        # A JSON body that could not even be decoded: what any other unreadable JSON gets.
        return render_error(request, InvalidJson("The request body is not valid JSON."))
    if exc.status_code == 400 and _is_form(request):
        # Starlette's multipart parser (too many parts, files or fields, a missing boundary
        # …): its message says what is wrong with the form.
        return render_error(request, InvalidForm(str(exc.detail)))
    if exc.status_code == 404 and exc.detail == "Not Found":
        message = f"Unrecognized request URL ({request.method}: {request.url.path})."
    elif exc.status_code == 405:
        message = f"{request.method} is not allowed on {request.url.path}."
    else:
        message = str(exc.detail)
    return JsonResponse(
        envelope(type=type_, code=code, message=message, request_id=_request_id(request)),
        status_code=exc.status_code,
        headers=exc.headers,
    )


def _param(loc: tuple[Any, ...]) -> str | None:
    # ("body", "scopes", "sessions") -> "scopes.sessions"; ("query", "limit") -> "limit";
    # list indices render as "participants[2]".
    parts = [p for p in loc[1:] if p != "__root__"] if loc and loc[0] in {
        "body", "query", "path", "header", "cookie"
    } else list(loc)  # fmt: skip
    param = ""
    for part in parts:
        if isinstance(part, int):
            param += f"[{part}]"
        else:
            param += f".{part}" if param else str(part)
    return param or None


def _validation_code(error_type: str) -> str:
    if error_type == "missing":
        return "parameter_missing"
    if error_type == "extra_forbidden":
        return "parameter_unknown"
    if error_type.startswith("json"):
        return "invalid_json"
    return "parameter_invalid"


def _without_union_tag(error: dict[str, Any], body: object) -> dict[str, Any]:
    # A body discriminated by "type" reports errors under its tag ("text", …), which is
    # not a parameter the client sent: drop it from the location.
    loc = tuple(error.get("loc", ()))
    if len(loc) > 2 and loc[0] == "body" and isinstance(body, dict) and loc[1] == body.get("type"):
        return {**error, "loc": (loc[0], *loc[2:])}
    if error.get("type") in {"union_tag_invalid", "union_tag_not_found"}:
        return {**error, "loc": (*loc, "type")}
    return error


def render_validation_error(request: Request, exc: RequestValidationError) -> Response:
    errors = [_without_union_tag(dict(e), exc.body) for e in exc.errors()]
    first: dict[str, Any] = (
        errors[0] if errors else {"type": "value_error", "loc": (), "msg": "Invalid request"}
    )
    param = _param(tuple(first.get("loc", ())))
    code = _validation_code(str(first.get("type", "")))
    if code == "invalid_json":
        param, message = None, "The request body is not valid JSON."
    elif first.get("type") == "union_tag_invalid":
        ctx = first.get("ctx") or {}
        message = f"Unknown type '{ctx.get('tag')}'; expected one of {ctx.get('expected_tags')}."
        code = "parameter_invalid"
    elif code == "parameter_missing":
        message = f"Missing required parameter: {param}."
    elif code == "parameter_unknown":
        message = f"Received unknown parameter: {param}."
    else:
        detail = str(first.get("msg", "invalid value")).removeprefix("Value error, ")
        message = f"Invalid {param}: {detail}" if param else detail
    if len(errors) > 1:
        message += (
            f" ({len(errors) - 1} more problem{'s' if len(errors) > 2 else ''} in this request.)"
        )
    return JsonResponse(
        envelope(
            type="invalid_request_error",
            code=code,
            message=message,
            param=param,
            request_id=_request_id(request),
        ),
        status_code=422,
    )


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    return render_validation_error(request, exc)


def install_exception_handlers(app: FastAPI) -> None:
    app.add_exception_handler(GatewayError, _gateway_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
