"""What a template's components ask of a send: its placeholders per component.

Meta numbers positional placeholders ``{{1}}``, ``{{2}}`` … per component (the header's
``{{1}}`` is not the body's) and names named ones ``{{first_name}}`` (a template is one
or the other: its ``parameter_format``). A send gives one parameter per placeholder, a
media header its file, and a button the value its type takes, addressed by index.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Literal

from pydantic import BaseModel, Field

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
POSITIONAL_NAME = re.compile(r"[1-9][0-9]*")
NAMED_NAME = re.compile(r"[a-z][a-z0-9_]*")
MEDIA_FORMATS = frozenset({"IMAGE", "VIDEO", "DOCUMENT"})

ParameterFormat = Literal["POSITIONAL", "NAMED"]


class PlaceholderSpec(BaseModel):
    count: int = Field(description="How many parameters the component takes.")
    names: list[str] = Field(
        default_factory=list, description="The named placeholders, in order (named templates)."
    )


class HeaderParameters(PlaceholderSpec):
    format: str = Field(
        description="`TEXT` (parameters for its placeholders, if any), `IMAGE`, `VIDEO` or "
        "`DOCUMENT` (one parameter of that type: the file), `LOCATION` (one `location`).",
        examples=["IMAGE"],
    )


class ButtonParameters(PlaceholderSpec):
    index: int = Field(description="The button's position, as a send addresses it.")
    sub_type: str = Field(
        description="The `sub_type` a send gives for it: `url` (a dynamic URL or a "
        "one-time-password button), `quick_reply`, `copy_code`, `flow`; others "
        "(`phone_number` …) take no parameters.",
        examples=["url"],
    )
    required: bool = Field(description="Whether every send must give this button's parameters.")


class TemplateParameters(BaseModel):
    """What a send of the template must give, per component."""

    format: ParameterFormat = Field(description="Positional (`{{1}}`) or named placeholders.")
    header: HeaderParameters | None = None
    body: PlaceholderSpec | None = None
    buttons: list[ButtonParameters] = Field(default_factory=list)


def placeholders(text: Any) -> list[str]:
    """The placeholders of ``text``, each once, in order of first appearance."""
    if not isinstance(text, str):
        return []
    return list(dict.fromkeys(match.strip() for match in PLACEHOLDER.findall(text)))


def _spec(names: list[str], parameter_format: str) -> tuple[int, list[str]]:
    return len(names), names if parameter_format == "NAMED" else []


def component_of(components: Iterable[dict[str, Any]], kind: str) -> dict[str, Any] | None:
    """The first component of ``kind`` (``HEADER``, ``BODY`` …), whatever its case."""
    return next((c for c in components if str(c.get("type", "")).upper() == kind), None)


# Meta's button types → the sub_type a send names it by, and whether its value is required.
_BUTTON_SUB_TYPES: dict[str, tuple[str, bool]] = {
    "QUICK_REPLY": ("quick_reply", False),
    "URL": ("url", True),
    "OTP": ("url", True),  # a one-time password is sent as the url button's parameter
    "COPY_CODE": ("copy_code", True),
    "FLOW": ("flow", False),
}


def parameters_of(
    components: list[dict[str, Any]], parameter_format: str | None
) -> TemplateParameters:
    """What a send of a template with these components (as Meta returns them) must give."""
    fmt: ParameterFormat = "NAMED" if (parameter_format or "").upper() == "NAMED" else "POSITIONAL"
    result = TemplateParameters(format=fmt)
    header = component_of(components, "HEADER")
    if header is not None:
        header_format = str(header.get("format") or "TEXT").upper()
        if header_format == "TEXT":
            count, names = _spec(placeholders(header.get("text")), fmt)
        else:
            count, names = 1, []
        result.header = HeaderParameters(format=header_format, count=count, names=names)
    body = component_of(components, "BODY")
    if body is not None:
        count, names = _spec(placeholders(body.get("text")), fmt)
        result.body = PlaceholderSpec(count=count, names=names)
    buttons = component_of(components, "BUTTONS")
    for index, button in enumerate((buttons or {}).get("buttons") or []):
        kind = str(button.get("type", "")).upper()
        sub_type, required = _BUTTON_SUB_TYPES.get(kind, (kind.lower(), False))
        if kind == "URL":
            # Only a dynamic URL (one placeholder at its end) takes a parameter.
            count = len(placeholders(button.get("url")))
            required = count > 0
        elif kind in _BUTTON_SUB_TYPES:
            count = 1
        else:
            count = 0
        result.buttons.append(
            ButtonParameters(index=index, sub_type=sub_type, count=count, required=required)
        )
    return result
