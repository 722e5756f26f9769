"""The gateway's outbound messages as Cloud API ``/messages`` bodies.

Meta's shapes (messages reference): ``{"messaging_product": "whatsapp", "recipient_type":
"individual", "to": <digits>, "type": <type>, <type>: {...}}``, with ``context.message_id``
for a reply and ``biz_opaque_callback_data`` (our message id: Meta echoes it in the
status notifications, so a status that arrives before the send's answer is recorded can
still be placed). Media arrive here already uploaded (``media_ids``: our file → Meta's id).
"""

from __future__ import annotations

from typing import Any

from gateway.engines.base import OutboundMessage


class NotSendable(ValueError):
    """The message cannot be expressed for the Cloud API (a group, a poll …)."""


def recipient(chat_id: str) -> str:
    """The ``to`` of a chat: the digits of a person's number. The Cloud API sends to
    users only; groups and LID-only chats have no number to send to."""
    user, _, server = chat_id.partition("@")
    if server != "c.us" or not user.isdigit():
        raise NotSendable(f"The Cloud API sends to phone numbers only, not to '{chat_id}'.")
    return user


def message_body(
    message: OutboundMessage, *, media_id: str | None = None, reaction_target: str | None = None
) -> dict[str, Any]:
    content = message.content
    body: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": recipient(message.chat_id),
        "biz_opaque_callback_data": message.id,
    }
    if message.reply_to_engine_id:
        body["context"] = {"message_id": message.reply_to_engine_id}
    kind = message.type
    if kind == "text":
        body["type"] = "text"
        body["text"] = {"body": content["text"], "preview_url": bool(content.get("link_preview"))}
    elif kind in ("image", "video", "audio", "document", "sticker"):
        assert media_id is not None, "media are uploaded before the body is built"
        media: dict[str, Any] = {"id": media_id}
        if kind in ("image", "video", "document") and content.get("caption"):
            media["caption"] = content["caption"]
        if kind == "document":
            filename = content.get("filename") or (content.get("media") or {}).get("filename")
            if filename:
                media["filename"] = filename
        body["type"] = kind
        body[kind] = media
    elif kind == "location":
        body["type"] = "location"
        body["location"] = _without_none(
            latitude=content["latitude"], longitude=content["longitude"],
            name=content.get("name"), address=content.get("address"),
        )  # fmt: skip
    elif kind == "contact":
        body["type"] = "contacts"
        body["contacts"] = [vcard_contact(content["vcard"], content.get("name"))]
    elif kind == "reaction":
        assert reaction_target is not None
        body["type"] = "reaction"
        body["reaction"] = {"message_id": reaction_target, "emoji": content["emoji"]}
        body.pop("context", None)
    elif kind == "interactive":
        body["type"] = "interactive"
        body["interactive"] = interactive(content["interactive"])
    elif kind == "template":
        body["type"] = "template"
        body["template"] = template(content["template"])
    else:
        raise NotSendable(f"The Cloud API cannot send a message of type '{kind}'.")
    return body


def mark_read_body(engine_message_id: str, *, typing: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "status": "read",
        "message_id": engine_message_id,
    }
    if typing:
        body["typing_indicator"] = {"type": "text"}
    return body


def interactive(given: dict[str, Any]) -> dict[str, Any]:
    kind = given["type"]
    out: dict[str, Any] = {"type": kind, "body": {"text": given["body"]}}
    if given.get("header"):
        out["header"] = {"type": "text", "text": given["header"]}
    if given.get("footer"):
        out["footer"] = {"text": given["footer"]}
    if kind == "button":
        out["action"] = {
            "buttons": [
                {"type": "reply", "reply": {"id": b["id"], "title": b["title"]}}
                for b in given["buttons"]
            ]
        }
    elif kind == "list":
        out["action"] = {
            "button": given["button"],
            "sections": [
                _without_none(
                    title=section.get("title"),
                    rows=[_without_none(**row) for row in section["rows"]],
                )
                for section in given["sections"]
            ],
        }
    else:  # cta_url
        out["action"] = {
            "name": "cta_url",
            "parameters": {"display_text": given["display_text"], "url": given["url"]},
        }
    return out


def template(given: dict[str, Any]) -> dict[str, Any]:
    components = []
    for component in given.get("components") or []:
        out: dict[str, Any] = {"type": component["type"]}
        if component.get("sub_type") is not None:
            out["sub_type"] = component["sub_type"]
        if component.get("index") is not None:
            out["index"] = str(component["index"])  # Meta takes the index as a string
        out["parameters"] = [
            _without_none(**parameter) for parameter in component.get("parameters") or []
        ]
        components.append(out)
    out_template: dict[str, Any] = {"name": given["name"], "language": {"code": given["language"]}}
    if components:
        out_template["components"] = components
    return out_template


def vcard_contact(vcard: str, name: str | None) -> dict[str, Any]:
    """Meta's structured contact from a vCard: the formatted name, names, phones, emails,
    organisation (what WhatsApp shows of a shared contact)."""
    fields: dict[str, list[tuple[dict[str, str], str]]] = {}
    for raw in _unfolded(vcard):
        key, sep, value = raw.partition(":")
        if not sep:
            continue
        prop, *params = key.split(";")
        attributes = {}
        for param in params:
            pname, _, pvalue = param.partition("=")
            attributes[pname.upper()] = pvalue or pname
        fields.setdefault(prop.upper().split(".")[-1], []).append((attributes, value.strip()))
    formatted = name or _first(fields, "FN") or "Contact"
    contact: dict[str, Any] = {"name": {"formatted_name": formatted}}
    if n := _first(fields, "N"):
        parts = (n.split(";") + [""] * 5)[:5]
        names = {"last_name": parts[0], "first_name": parts[1], "middle_name": parts[2],
                 "prefix": parts[3], "suffix": parts[4]}  # fmt: skip
        contact["name"].update({k: v for k, v in names.items() if v})
    if "first_name" not in contact["name"] and "last_name" not in contact["name"]:
        contact["name"]["first_name"] = formatted  # Meta wants one of the two
    phones = []
    for attributes, value in fields.get("TEL", []):
        phone: dict[str, str] = {"phone": value}
        if "WAID" in attributes:
            phone["wa_id"] = attributes["WAID"]
        kind = attributes.get("TYPE", "").split(",")[0].upper()
        if kind in ("CELL", "MAIN", "IPHONE", "HOME", "WORK"):
            phone["type"] = kind
        phones.append(phone)
    if phones:
        contact["phones"] = phones
    emails = [{"email": value} for _, value in fields.get("EMAIL", [])]
    if emails:
        contact["emails"] = emails
    if org := _first(fields, "ORG"):
        contact["org"] = {"company": org.split(";")[0]}
    return contact


def _unfolded(vcard: str) -> list[str]:
    lines: list[str] = []
    for line in vcard.replace("\r\n", "\n").split("\n"):
        if line[:1] in (" ", "\t") and lines:
            lines[-1] += line[1:]
        elif line:
            lines.append(line)
    return lines


def _first(fields: dict[str, list[tuple[dict[str, str], str]]], key: str) -> str | None:
    values = fields.get(key)
    return values[0][1] if values and values[0][1] else None


def _without_none(**values: Any) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}
