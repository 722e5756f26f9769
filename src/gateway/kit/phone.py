"""Phone numbers: everything the API takes is normalised to E.164 (``+12025550123``)."""

from __future__ import annotations

import re

import phonenumbers

from gateway.kit.errors import InvalidRequest


def normalise_phone(value: str, *, param: str = "phone_number") -> str:
    """``value`` in E.164, or a 422 naming ``param``. International format is required
    (a leading ``+`` or ``00``), since the gateway cannot guess a country."""
    raw = value.strip()
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    if not raw.startswith("+"):
        raw = "+" + raw
    try:
        number = phonenumbers.parse(raw, None)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise InvalidRequest(
            f"Invalid {param} '{value}': use an international number such as +12025550123.",
            param=param,
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def whatsapp_id(e164: str) -> str:
    """The WhatsApp user id of an E.164 number."""
    return f"{e164.lstrip('+')}@c.us"


_CONTACT_ID = re.compile(r"^\d{5,20}@(c\.us|lid)$")


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
