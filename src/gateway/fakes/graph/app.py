"""The Starlette app: Graph routes (``/v21.0/...``), media downloads and the control routes."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route

from gateway.fakes.graph.control import control_routes
from gateway.fakes.graph.errors import (
    GraphError,
    invalid_parameter,
    invalid_token,
    unknown_path,
    unsupported_request,
)
from gateway.fakes.graph.fake import FakeGraph
from gateway.fakes.graph.state import FakeNumber, StoredMedia, Template

VERSION = re.compile(r"v\d+\.\d+")
NUMBER_FIELDS = (
    "verified_name",
    "code_verification_status",
    "display_phone_number",
    "quality_rating",
    "platform_type",
    "throughput",
)
PAGE_LIMIT = 25


def create_app(fake: FakeGraph) -> Starlette:
    """The fake Graph API over HTTP, bound to ``fake``'s state."""
    graph = _GraphRoutes(fake)
    return Starlette(
        routes=[
            Mount("/_fake", routes=control_routes(fake)),
            Route("/_media/{media_id}", graph.download, methods=["GET"]),
            Route("/{version}/{object_id}", graph.node, methods=["GET", "DELETE"]),
            Route("/{version}/{object_id}/{edge}", graph.edge, methods=["GET", "POST", "DELETE"]),
        ],
        exception_handlers={GraphError: _render, 404: _not_found, 405: _not_found},
    )


async def _render(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, GraphError)
    return JSONResponse(exc.body(), status_code=exc.http_status)


async def _not_found(request: Request, _: Exception) -> Response:
    return await _render(request, unknown_path(request.url.path.lstrip("/")))


class _GraphRoutes:
    def __init__(self, fake: FakeGraph) -> None:
        self.fake = fake

    def _numbers(self, request: Request) -> list[FakeNumber]:
        """The numbers the request's access token may act for."""
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer":
            token = request.query_params.get("access_token", "")
        numbers = self.fake.state.numbers_of_token(token.strip()) if token.strip() else []
        if not numbers:
            raise invalid_token()
        return numbers

    def _version(self, request: Request) -> None:
        if not VERSION.fullmatch(request.path_params["version"]):
            raise unknown_path(request.url.path.lstrip("/"))

    def _number(self, request: Request) -> FakeNumber:
        numbers = self._numbers(request)
        object_id = request.path_params["object_id"]
        number = next((n for n in numbers if n.phone_number_id == object_id), None)
        if number is None:
            raise unsupported_request(request.method, object_id)
        return number

    def _media(self, request: Request, media_id: str) -> StoredMedia:
        owners = {n.phone_number_id for n in self._numbers(request)}
        media = self.fake.media.get(media_id)
        if media is None or media.phone_number_id not in owners:
            raise unsupported_request(request.method, media_id)
        return media

    async def node(self, request: Request) -> Response:
        self._version(request)
        object_id = request.path_params["object_id"]
        numbers = self._numbers(request)
        if object_id in self.fake.media:
            media = self._media(request, object_id)
            if request.method == "DELETE":
                del self.fake.media[media.id]
                return JSONResponse({"success": True})
            url = f"{str(request.base_url).rstrip('/')}/_media/{media.id}?hash={media.url_hash}"
            return JSONResponse(
                {
                    "messaging_product": "whatsapp",
                    "url": url,
                    "mime_type": media.mime_type,
                    "sha256": media.sha256,
                    "file_size": len(media.data),
                    "id": media.id,
                }
            )
        number = next((n for n in numbers if n.phone_number_id == object_id), None)
        if number is None or request.method != "GET":
            raise unsupported_request(request.method, object_id)
        return JSONResponse(_number_fields(number, request.query_params.get("fields")))

    async def edge(self, request: Request) -> Response:
        self._version(request)
        edge = request.path_params["edge"]
        if edge == "messages" and request.method == "POST":
            number = self._number(request)
            return JSONResponse(await self.fake.send(number, await _json(request)))
        if edge == "media" and request.method == "POST":
            return JSONResponse(await self._upload(request, self._number(request)))
        if edge == "message_templates":
            return await self._templates(request)
        raise unsupported_request(request.method, request.path_params["object_id"])

    async def _upload(self, request: Request, number: FakeNumber) -> dict[str, Any]:
        # The context closes the spooled upload files, which would otherwise leak.
        async with request.form() as form:
            if form.get("messaging_product") != "whatsapp":
                raise invalid_parameter("Param messaging_product must be 'whatsapp'")
            file = form.get("file")
            if not isinstance(file, UploadFile):
                raise invalid_parameter("Param file is required")
            mime_type = form.get("type")
            if not isinstance(mime_type, str) or not mime_type:
                raise invalid_parameter("Param type is required")
            media = self.fake.store_media(number, await file.read(), mime_type, file.filename)
        return {"id": media.id}

    async def _templates(self, request: Request) -> Response:
        waba_id = request.path_params["object_id"]
        if not any(n.waba_id == waba_id for n in self._numbers(request)):
            raise unsupported_request(request.method, waba_id)
        if request.method == "POST":
            template = self.fake.create_template(waba_id, await _json(request))
            return JSONResponse(
                {"id": template.id, "status": template.status, "category": template.category}
            )
        if request.method == "DELETE":
            return JSONResponse(self._delete_template(request, waba_id))
        return JSONResponse(self._list_templates(request, waba_id))

    def _list_templates(self, request: Request, waba_id: str) -> dict[str, Any]:
        query = request.query_params
        items = [t for t in self.fake.templates.values() if t.waba_id == waba_id]
        if query.get("name"):
            items = [t for t in items if query["name"] in t.name]
        if query.get("status"):
            items = [t for t in items if t.status == query["status"].upper()]
        try:
            limit = max(1, min(int(query.get("limit", PAGE_LIMIT)), 1000))
        except ValueError:
            raise invalid_parameter("Param limit must be an integer") from None
        ids = [t.id for t in items]
        start, end = 0, len(items)
        if query.get("after"):
            start = _position(ids, query["after"]) + 1
        elif query.get("before"):
            end = _position(ids, query["before"])
            start = max(0, end - limit)
        page = items[start : min(end, start + limit)]
        result: dict[str, Any] = {"data": [t.as_graph() for t in page]}
        if page:
            cursors = {"before": _cursor(page[0]), "after": _cursor(page[-1])}
            result["paging"] = {"cursors": cursors}
            if start + len(page) < len(items):
                after = request.url.include_query_params(after=cursors["after"])
                result["paging"]["next"] = str(after.remove_query_params("before"))
            if start > 0:
                before = request.url.include_query_params(before=cursors["before"])
                result["paging"]["previous"] = str(before.remove_query_params("after"))
        return result

    def _delete_template(self, request: Request, waba_id: str) -> dict[str, Any]:
        name = request.query_params.get("name")
        if not name:
            raise invalid_parameter("Param name is required")
        hsm_id = request.query_params.get("hsm_id")
        doomed = [
            t for t in self.fake.state.find_template(waba_id, name, None) if hsm_id in (None, t.id)
        ]
        if not doomed:
            raise invalid_parameter(f"Message template {name!r} was not found")
        for template in doomed:
            del self.fake.templates[template.id]
        return {"success": True}

    async def download(self, request: Request) -> Response:
        media = self._media(request, request.path_params["media_id"])
        if request.query_params.get("hash") != media.url_hash:
            raise unsupported_request(request.method, media.id)
        return Response(media.data, media_type=media.mime_type)


def _number_fields(number: FakeNumber, fields: str | None) -> dict[str, Any]:
    values: dict[str, Any] = {
        "verified_name": number.verified_name,
        "code_verification_status": "VERIFIED",
        "display_phone_number": number.display_phone_number,
        "quality_rating": number.quality_rating,
        "platform_type": "CLOUD_API",
        "throughput": {"level": "STANDARD"},
    }
    wanted = [f.strip() for f in fields.split(",")] if fields else list(NUMBER_FIELDS)
    return {**{k: values[k] for k in wanted if k in values}, "id": number.phone_number_id}


async def _json(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError:
        raise invalid_parameter("The request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise invalid_parameter("The request body must be a JSON object")
    return body


def _cursor(template: Template) -> str:
    return base64.urlsafe_b64encode(template.id.encode()).decode()


def _position(ids: list[str], cursor: str) -> int:
    try:
        return ids.index(base64.urlsafe_b64decode(cursor.encode()).decode())
    except (ValueError, UnicodeDecodeError):
        raise invalid_parameter("Param after/before is not a valid cursor") from None
