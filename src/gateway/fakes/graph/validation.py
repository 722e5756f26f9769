"""Checks of a ``POST /<phone_number_id>/messages`` body, in the order Meta reports them.

Each failure is the ``(#100) Invalid parameter`` error whose ``error_data.details`` names
the offending field the way Graph does (``Param text['body'] is required``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from gateway.fakes.graph.errors import GraphError, catalogued, invalid_parameter

MESSAGE_TYPES = (
    "text",
    "image",
    "video",
    "audio",
    "document",
    "sticker",
    "location",
    "contacts",
    "reaction",
    "interactive",
    "template",
)
MEDIA_TYPES = ("image", "video", "audio", "document", "sticker")
CAPTIONED = ("image", "video", "document")
INTERACTIVE_TYPES = ("button", "list", "cta_url")
TEXT_LIMIT = 4096
CATEGORIES = ("MARKETING", "UTILITY", "AUTHENTICATION")


def _required(obj: dict[str, Any], key: str, where: str) -> Any:
    value = obj.get(key)
    if value is None or value == "":
        raise invalid_parameter(f"Param {where}['{key}'] is required")
    return value


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise invalid_parameter(f"Param {where} must be a JSON object")
    return value


def validate_read(body: dict[str, Any]) -> None:
    """A mark-as-read body (``status: read``), optionally with a typing indicator."""
    if body.get("status") != "read":
        raise invalid_parameter("Param status must be 'read'")
    message_id = body.get("message_id")
    if not isinstance(message_id, str) or not message_id.startswith("wamid."):
        raise invalid_parameter("Param message_id is required")
    indicator = body.get("typing_indicator")
    if indicator is not None and _object(indicator, "typing_indicator").get("type") != "text":
        raise invalid_parameter("Param typing_indicator['type'] must be 'text'")


def validate_message(body: dict[str, Any], known_media: set[str]) -> str:
    """Check a send; answer its type."""
    if body.get("messaging_product") != "whatsapp":
        raise invalid_parameter("Param messaging_product must be 'whatsapp'")
    if body.get("recipient_type", "individual") != "individual":
        raise invalid_parameter("Param recipient_type must be 'individual'")
    to = body.get("to")
    if not isinstance(to, str) or not any(c.isdigit() for c in to):
        raise invalid_parameter("Param to is required")
    kind = body.get("type", "text")
    if kind not in MESSAGE_TYPES:
        raise invalid_parameter(f"Param type must be one of {{{', '.join(MESSAGE_TYPES)}}}")
    if kind not in body:
        raise invalid_parameter(f"Param {kind} is required")
    content = body[kind]
    if kind == "contacts":
        _contacts(content)
    else:
        CHECKS[kind](_object(content, kind), kind, known_media)
    context = body.get("context")
    if context is not None:
        message_id = _object(context, "context").get("message_id")
        if not isinstance(message_id, str) or not message_id.startswith("wamid."):
            raise catalogued(131009, "Param context['message_id'] is not a valid message id")
    callback = body.get("biz_opaque_callback_data")
    if callback is not None and (not isinstance(callback, str) or len(callback) > 512):
        raise invalid_parameter("Param biz_opaque_callback_data must be at most 512 characters")
    return str(kind)


def _text(obj: dict[str, Any], where: str, _: set[str]) -> None:
    text = _required(obj, "body", where)
    if not isinstance(text, str):
        raise invalid_parameter(f"Param {where}['body'] must be a string")
    if len(text) > TEXT_LIMIT:
        raise invalid_parameter(f"Param {where}['body'] must be at most {TEXT_LIMIT} characters")


def _media(obj: dict[str, Any], where: str, known_media: set[str]) -> None:
    has_id, has_link = "id" in obj, "link" in obj
    if has_id == has_link:
        raise invalid_parameter(f"Param {where} must contain exactly one of id or link")
    if has_id and obj["id"] not in known_media:
        raise invalid_parameter(
            f"Param {where}['id'] is not a valid whatsapp business account media attachment ID"
        )
    if has_link:
        link = obj["link"]
        parts = urlsplit(link) if isinstance(link, str) else None
        if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
            raise invalid_parameter(f"Param {where}['link'] is not a valid URI")
    if "caption" in obj and where not in CAPTIONED:
        raise invalid_parameter(f"Param {where}['caption'] is not supported")


def _location(obj: dict[str, Any], where: str, _: set[str]) -> None:
    for key in ("latitude", "longitude"):
        value = _required(obj, key, where)
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise invalid_parameter(f"Param {where}['{key}'] must be a number")


def _contacts(value: Any) -> None:
    if not isinstance(value, list) or not value:
        raise invalid_parameter("Param contacts must be a non-empty array")
    for index, contact in enumerate(value):
        where = f"contacts[{index}]"
        name = _object(_required(_object(contact, where), "name", where), f"{where}['name']")
        _required(name, "formatted_name", f"{where}['name']")


def _reaction(obj: dict[str, Any], where: str, _: set[str]) -> None:
    _required(obj, "message_id", where)
    # An empty emoji removes a reaction, so only its absence is an error.
    if not isinstance(obj.get("emoji"), str):
        raise invalid_parameter(f"Param {where}['emoji'] is required")


def _interactive(obj: dict[str, Any], where: str, _: set[str]) -> None:
    kind = obj.get("type")
    if kind not in INTERACTIVE_TYPES:
        raise invalid_parameter(
            f"Param {where}['type'] must be one of {{{', '.join(INTERACTIVE_TYPES)}}}"
        )
    body = _object(_required(obj, "body", where), f"{where}['body']")
    _required(body, "text", f"{where}['body']")
    action = _object(_required(obj, "action", where), f"{where}['action']")
    at = f"{where}['action']"
    if kind == "button":
        buttons = _required(action, "buttons", at)
        if not isinstance(buttons, list) or not 1 <= len(buttons) <= 3:
            raise invalid_parameter(f"Param {at}['buttons'] must have 1 to 3 items")
        for index, button in enumerate(buttons):
            item = f"{at}['buttons'][{index}]"
            if _object(button, item).get("type") != "reply":
                raise invalid_parameter(f"Param {item}['type'] must be 'reply'")
            reply = _object(_required(button, "reply", item), f"{item}['reply']")
            _required(reply, "id", f"{item}['reply']")
            _required(reply, "title", f"{item}['reply']")
    elif kind == "list":
        _required(action, "button", at)
        sections = _required(action, "sections", at)
        if not isinstance(sections, list) or not 1 <= len(sections) <= 10:
            raise invalid_parameter(f"Param {at}['sections'] must have 1 to 10 items")
        for index, section in enumerate(sections):
            item = f"{at}['sections'][{index}]"
            rows = _required(_object(section, item), "rows", item)
            if not isinstance(rows, list) or not rows:
                raise invalid_parameter(f"Param {item}['rows'] must be a non-empty array")
            for row_index, row in enumerate(rows):
                row_at = f"{item}['rows'][{row_index}]"
                _required(_object(row, row_at), "id", row_at)
                _required(row, "title", row_at)
    else:
        if action.get("name") != "cta_url":
            raise invalid_parameter(f"Param {at}['name'] must be 'cta_url'")
        parameters = _object(_required(action, "parameters", at), f"{at}['parameters']")
        _required(parameters, "display_text", f"{at}['parameters']")
        _required(parameters, "url", f"{at}['parameters']")


def _template(obj: dict[str, Any], where: str, _: set[str]) -> None:
    _required(obj, "name", where)
    language = _object(_required(obj, "language", where), f"{where}['language']")
    _required(language, "code", f"{where}['language']")
    components = obj.get("components", [])
    if not isinstance(components, list):
        raise invalid_parameter(f"Param {where}['components'] must be an array")
    for index, component in enumerate(components):
        item = f"{where}['components'][{index}]"
        _required(_object(component, item), "type", item)


CHECKS = {
    "text": _text,
    **dict.fromkeys(MEDIA_TYPES, _media),
    "location": _location,
    "reaction": _reaction,
    "interactive": _interactive,
    "template": _template,
}


def sent_params(template: dict[str, Any]) -> dict[str, int]:
    """Parameters a template send gives per component (``header``, ``body``)."""
    given: dict[str, int] = {}
    for component in template.get("components", []):
        kind = str(component.get("type", "")).lower()
        if kind in ("header", "body"):
            parameters = component.get("parameters", [])
            given[kind] = len(parameters) if isinstance(parameters, list) else 0
    return given


def check_template_params(expected: dict[str, int], given: dict[str, int]) -> GraphError | None:
    for kind, count in expected.items():
        if given.get(kind, 0) != count:
            return catalogued(
                132000,
                f"{kind}: number of localizable_params ({given.get(kind, 0)}) does not match "
                f"the expected number of params ({count})",
            )
    extra = next((kind for kind in given if kind not in expected and given[kind]), None)
    if extra is not None:
        return catalogued(
            132000,
            f"{extra}: number of localizable_params ({given[extra]}) does not match "
            "the expected number of params (0)",
        )
    return None


def validate_template(body: dict[str, Any]) -> tuple[str, str, str, list[dict[str, Any]], str]:
    """Check a template creation; answer name, language, category, components, format."""
    name, language = body.get("name"), body.get("language")
    category = str(body.get("category", "")).upper()
    components = body.get("components")
    if not isinstance(name, str) or not name or not name.replace("_", "").isalnum():
        raise invalid_parameter("Param name is required: lowercase letters, digits and _")
    if name != name.lower():
        raise invalid_parameter("Param name must be lowercase")
    if not isinstance(language, str) or not language:
        raise invalid_parameter("Param language is required")
    if category not in CATEGORIES:
        raise invalid_parameter(f"Param category must be one of {{{', '.join(CATEGORIES)}}}")
    if not isinstance(components, list) or not components:
        raise invalid_parameter("Param components is required")
    parameter_format = str(body.get("parameter_format", "POSITIONAL")).upper()
    return name, language, category, components, parameter_format
