"""Phone numbers: everything the API takes is normalised to E.164 (``+12025550123``)."""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

from gateway.kit.errors import InvalidRequest


def normalise_phone(value: str, *, param: str = "phone_number") -> str:
    """``value`` in E.164, or a 422 naming ``param``. International format is required
    (a leading ``+`` or ``00``), since the gateway cannot guess a country."""
    e164 = _e164(value.strip())
    if e164 is None:
        raise InvalidRequest(
            f"Invalid {param} '{value}': use an international number such as +12025550123.",
            param=param,
        )
    return e164


# Parsing a number costs more than the rest of a send; senders reuse their recipients.
@lru_cache(maxsize=65_536)
def _e164(raw: str) -> str | None:
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    if not raw.startswith("+"):
        raw = "+" + raw
    try:
        number = phonenumbers.parse(raw, None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def whatsapp_id(e164: str) -> str:
    """The WhatsApp user id of an E.164 number."""
    return f"{e164.lstrip('+')}@c.us"


_CONTACT_ID = re.compile(r"^\d{5,20}@(c\.us|lid)$")
GROUP_ID_PATTERN = r"^\d{5,40}(-\d+)?@g\.us$"
_GROUP_ID = re.compile(GROUP_ID_PATTERN)


def normalise_contact_id(value: str, *, param: str = "contact_id") -> str:
    """A person's WhatsApp id from a phone number, a phone-number id (``…@c.us``) or a
    LID (``…@lid``); a 422 naming ``param`` otherwise."""
    value = value.strip()
    if "@" not in value:
        return whatsapp_id(normalise_phone(value, param=param))
    if not _CONTACT_ID.match(value):
        raise InvalidRequest(
            f"Invalid {param} '{value}': use +<number>, <number>@c.us or <lid>@lid.",
            param=param,
        )
    return value


def normalise_group_id(value: str, *, param: str = "group_id") -> str:
    """A group's id (``…@g.us``); a 422 naming ``param`` otherwise."""
    value = value.strip()
    if not _GROUP_ID.match(value):
        raise InvalidRequest(f"Invalid {param} '{value}': use <id>@g.us.", param=param)
    return value


def normalise_chat_id(value: str, *, param: str = "chat_id") -> str:
    """A chat's id: a group's, or a person's (phone number, ``…@c.us`` or ``…@lid``)."""
    value = value.strip()
    if "@" not in value:
        return whatsapp_id(normalise_phone(value, param=param))
    if _CONTACT_ID.match(value) or _GROUP_ID.match(value):
        return value
    raise InvalidRequest(
        f"Invalid {param} '{value}': use +<number>, <number>@c.us, <lid>@lid or <id>@g.us.",
        param=param,
    )
