"""``/_fake/...``: what Meta does on its own, on demand (inbound messages, reviews, failures).

These routes take no token: the fake listens on 127.0.0.1 and they exist for the test or
the developer driving it. Errors are plain ``{"error": "..."}`` with a 4xx, not Graph's
envelope, so a test cannot mistake a control mistake for a scripted Graph error.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from gateway.fakes.graph.errors import CATALOGUE
from gateway.fakes.graph.fake import FakeGraph
from gateway.fakes.graph.state import FakeNumber

TEMPLATE_EVENTS = ("APPROVED", "REJECTED", "PAUSED", "DISABLED", "PENDING_DELETION")
NUMBER_FIELDS = {f.name for f in dataclasses.fields(FakeNumber)}


class ControlError(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def control_routes(fake: FakeGraph) -> list[Route]:
    control = _Control(fake)
    return [
        Route("/numbers", control.add_number, methods=["POST"]),
        Route("/numbers", control.list_numbers, methods=["GET"]),
        Route("/webhook", control.set_webhook, methods=["POST"]),
        Route("/signing", control.set_signing, methods=["POST"]),
        Route("/failures", control.script_failure, methods=["POST"]),
        Route("/inbound", control.inbound, methods=["POST"]),
        Route("/templates/{template_id}/status", control.decide_template, methods=["POST"]),
        Route("/verify", control.verify, methods=["POST"]),
        Route("/sent", control.list_sent, methods=["GET"]),
        Route("/notifications", control.list_notifications, methods=["GET"]),
    ]


Work = Callable[["_Control", Request], Awaitable[Any]]


def _answer(work: Work) -> Callable[[_Control, Request], Awaitable[Response]]:
    """Answer ``work``'s result as JSON, and a ``ControlError`` or ``ValueError`` as a 4xx."""

    async def route(self: _Control, request: Request) -> Response:
        try:
            return JSONResponse(await work(self, request))
        except ControlError as exc:
            return JSONResponse({"error": str(exc)}, status_code=exc.status)
        except ValueError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)

    return route


class _Control:
    def __init__(self, fake: FakeGraph) -> None:
        self.fake = fake

    async def _body(self, request: Request) -> dict[str, Any]:
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError:
            raise ControlError("the body is not JSON") from None
        if not isinstance(body, dict):
            raise ControlError("the body must be a JSON object")
        return body

    def _number(self, phone_number_id: Any) -> FakeNumber:
        number = self.fake.state.numbers.get(str(phone_number_id))
        if number is None:
            raise ControlError(f"no number {phone_number_id!r}", 404)
        return number

    @_answer
    async def add_number(self, request: Request) -> dict[str, Any]:
        body = await self._body(request)
        unknown = set(body) - NUMBER_FIELDS - {"webhook_url"}
        if unknown:
            raise ControlError(f"unknown fields: {', '.join(sorted(unknown))}")
        return dataclasses.asdict(self.fake.add_number(**body))

    @_answer
    async def list_numbers(self, _: Request) -> list[dict[str, Any]]:
        return [dataclasses.asdict(n) for n in self.fake.state.numbers.values()]

    @_answer
    async def set_webhook(self, request: Request) -> dict[str, Any]:
        body = await self._body(request)
        self.fake.set_webhook(self._number(body.get("phone_number_id")), body.get("url"))
        return {"success": True}

    @_answer
    async def set_signing(self, request: Request) -> dict[str, Any]:
        self.fake.sign_with = (await self._body(request)).get("sign_with")
        return {"success": True}

    @_answer
    async def script_failure(self, request: Request) -> dict[str, Any]:
        body = await self._body(request)
        to, code, times = body.get("to"), body.get("code"), body.get("times", 1)
        mode = body.get("mode", "sync")
        if not isinstance(to, str) or not isinstance(code, int) or not isinstance(times, int):
            raise ControlError("to (string), code (int) and times (int, default 1) are needed")
        if mode not in ("sync", "async"):
            raise ControlError("mode is sync or async")
        self.fake.state.script_failure(to, code, times, mode, body.get("details"))
        return {"success": True, "known_code": code in CATALOGUE}

    @_answer
    async def inbound(self, request: Request) -> dict[str, Any]:
        body = await self._body(request)
        number = self._number(body.get("phone_number_id"))
        sender, message = body.get("from"), body.get("message")
        if not isinstance(sender, str) or not isinstance(message, dict):
            raise ControlError("from (digits) and message (object) are needed")
        context = body.get("context")
        if context is not None and not isinstance(context, dict):
            raise ControlError("context must be an object {from, id}")
        name = str(body.get("name") or "Customer")
        return {"id": await self.fake.receive(number, sender, name, message, context)}

    @_answer
    async def decide_template(self, request: Request) -> dict[str, Any]:
        template = self.fake.templates.get(request.path_params["template_id"])
        if template is None:
            raise ControlError("no such template", 404)
        body = await self._body(request)
        event = body.get("event")
        if event not in TEMPLATE_EVENTS:
            raise ControlError(f"event is one of {', '.join(TEMPLATE_EVENTS)}")
        await self.fake.decide_template(template, event, body.get("reason"))
        return template.as_graph()

    @_answer
    async def verify(self, request: Request) -> dict[str, Any]:
        body = await self._body(request)
        return await self.fake.verify_webhook(self._number(body.get("phone_number_id")))

    @_answer
    async def list_sent(self, _: Request) -> list[dict[str, Any]]:
        return [
            {"id": m.wamid, "to": m.to, "status": m.status, "at": m.at, "body": m.body}
            for m in self.fake.sent
        ]

    @_answer
    async def list_notifications(self, _: Request) -> list[dict[str, Any]]:
        return [
            {"url": n.url, "payload": n.payload, "attempts": n.attempts, "status": n.status}
            for n in self.fake.notifications
        ]
