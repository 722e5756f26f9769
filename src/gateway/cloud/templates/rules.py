"""Meta's template creation rules, checked before asking Meta: the obvious mistakes are
refused at once with the parameter named (Meta's own review can take a day, and its
errors name fields vaguely). Meta still has the last word on anything checked here.
"""

from __future__ import annotations

from typing import Any

from gateway.cloud.templates.placeholders import (
    MEDIA_FORMATS,
    NAMED_NAME,
    POSITIONAL_NAME,
    placeholders,
)
from gateway.cloud.templates.schemas import TemplateButtonIn, TemplateComponentIn, TemplateCreate
from gateway.kit.errors import InvalidRequest

COMPONENT_TYPES = ("HEADER", "BODY", "FOOTER", "BUTTONS")
HEADER_FORMATS = ("TEXT", *sorted(MEDIA_FORMATS), "LOCATION")
BUTTON_TYPES = ("QUICK_REPLY", "URL", "PHONE_NUMBER", "COPY_CODE", "OTP", "FLOW", "VOICE_CALL")
HEADER_TEXT_LIMIT = 60
BODY_TEXT_LIMIT = 1024
FOOTER_TEXT_LIMIT = 60


class TemplateInvalid(InvalidRequest):
    code = "template_invalid"


def check_new_template(body: TemplateCreate) -> str:
    """Refuse a creation Meta would refuse for an obvious reason; answer the template's
    parameter format (``POSITIONAL`` or ``NAMED``)."""
    seen: dict[str, int] = {}
    for index, component in enumerate(body.components):
        kind = component.type.upper()
        if kind not in COMPONENT_TYPES:
            raise TemplateInvalid(
                f"A component's type is one of {', '.join(COMPONENT_TYPES)}.",
                param=f"components[{index}].type",
            )
        if kind in seen:
            raise TemplateInvalid(
                f"A template has at most one {kind} component.", param=f"components[{index}].type"
            )
        seen[kind] = index
    if "BODY" not in seen:
        raise TemplateInvalid("A template needs a BODY component.", param="components")
    parameter_format = _parameter_format(body)
    for kind, index in seen.items():
        component = body.components[index]
        where = f"components[{index}]"
        if kind == "HEADER":
            _header(component, where, parameter_format)
        elif kind == "BODY":
            _body(component, where, parameter_format, body.category)
        elif kind == "FOOTER":
            _footer(component, where)
        else:
            _buttons(component, where)
    if body.category == "AUTHENTICATION":
        buttons = body.components[seen["BUTTONS"]].buttons if "BUTTONS" in seen else None
        if not any(b.type.upper() == "OTP" for b in buttons or []):
            raise TemplateInvalid(
                "An AUTHENTICATION template needs an OTP button.", param="components"
            )
    return parameter_format


def _texts(body: TemplateCreate) -> list[tuple[str, str]]:
    """(param, text) of the texts whose placeholders set the format (a URL button's
    is always {{1}})."""
    return [
        (f"components[{index}].text", component.text)
        for index, component in enumerate(body.components)
        if component.text is not None
    ]


def _parameter_format(body: TemplateCreate) -> str:
    named = positional = None
    for param, text in _texts(body):
        for name in placeholders(text):
            if POSITIONAL_NAME.fullmatch(name):
                positional = positional or param
            elif NAMED_NAME.fullmatch(name):
                named = named or param
            else:
                raise TemplateInvalid(
                    f"'{{{{{name}}}}}' is not a placeholder: use {{{{1}}}}, {{{{2}}}} … or "
                    "lowercase names like {{first_name}}.",
                    param=param,
                )
    if named and positional:
        raise TemplateInvalid(
            "A template uses numbered ({{1}}) or named ({{first_name}}) placeholders, not both.",
            param=named,
        )
    inferred = "NAMED" if named else "POSITIONAL"
    given = body.parameter_format
    if given is not None and (named or positional) and given != inferred:
        raise TemplateInvalid(
            f"parameter_format is {given} but the placeholders are {inferred.lower()}.",
            param="parameter_format",
        )
    return body.parameter_format or inferred


def _check_positional(names: list[str], param: str) -> None:
    numbers = sorted(int(name) for name in names)
    if numbers != list(range(1, len(numbers) + 1)):
        raise TemplateInvalid("Numbered placeholders run {{1}}, {{2}} … without gaps.", param=param)


def _examples(
    component: TemplateComponentIn,
    where: str,
    names: list[str],
    parameter_format: str,
    field: str,
) -> None:
    """Meta demands a sample value for every placeholder (its reviewers read them)."""
    if not names:
        return
    example = component.example or {}
    if parameter_format == "NAMED":
        key = f"{field}_named_params"
        given = example.get(key)
        if not isinstance(given, list) or not all(isinstance(item, dict) for item in given):
            raise TemplateInvalid(
                f"Give `example.{key}`: [{{param_name, example}}] for each placeholder.",
                param=f"{where}.example.{key}",
            )
        given_names = [str(item.get("param_name")) for item in given]
        if sorted(given_names) != sorted(names):
            raise TemplateInvalid(
                f"`example.{key}` names {', '.join(given_names) or 'nothing'}; the text's "
                f"placeholders are {', '.join(names)}.",
                param=f"{where}.example.{key}",
            )
        return
    given_values = example.get(field)
    if field == "body_text":  # a list of one list of values (Meta's shape)
        given_values = given_values[0] if isinstance(given_values, list) and given_values else None
    if not isinstance(given_values, list) or len(given_values) != len(names):
        shape = "[[…]]" if field == "body_text" else "[…]"
        raise TemplateInvalid(
            f"Give `example.{field}`: {shape} with {len(names)} sample value(s), one per "
            "placeholder.",
            param=f"{where}.example.{field}",
        )


def _header(component: TemplateComponentIn, where: str, parameter_format: str) -> None:
    header_format = (component.format or "").upper()
    if header_format not in HEADER_FORMATS:
        raise TemplateInvalid(
            f"A HEADER's format is one of {', '.join(HEADER_FORMATS)}.", param=f"{where}.format"
        )
    if header_format == "TEXT":
        text = _required_text(component, where, HEADER_TEXT_LIMIT)
        names = placeholders(text)
        if len(names) > 1:
            raise TemplateInvalid(
                "A text header has at most one placeholder.", param=f"{where}.text"
            )
        if parameter_format == "POSITIONAL":
            _check_positional(names, f"{where}.text")
        _examples(component, where, names, parameter_format, "header_text")
    elif header_format in MEDIA_FORMATS:
        handle = (component.example or {}).get("header_handle")
        if not isinstance(handle, list) or not handle:
            raise TemplateInvalid(
                f"A {header_format} header needs a sample file: `example.header_handle` "
                "(the handle of a file uploaded to Meta).",
                param=f"{where}.example.header_handle",
            )


def _body(component: TemplateComponentIn, where: str, parameter_format: str, category: str) -> None:
    if category == "AUTHENTICATION" and component.text is None:
        return  # Meta writes an authentication template's body itself
    text = _required_text(component, where, BODY_TEXT_LIMIT)
    names = placeholders(text)
    if parameter_format == "POSITIONAL":
        _check_positional(names, f"{where}.text")
    stripped = text.strip()
    if names and (stripped.startswith("{{") or stripped.endswith("}}")):
        raise TemplateInvalid(
            "Meta refuses a body that starts or ends with a placeholder.", param=f"{where}.text"
        )
    _examples(component, where, names, parameter_format, "body_text")


def _footer(component: TemplateComponentIn, where: str) -> None:
    text = _required_text(component, where, FOOTER_TEXT_LIMIT)
    if placeholders(text):
        raise TemplateInvalid("A FOOTER has no placeholders.", param=f"{where}.text")


def _required_text(component: TemplateComponentIn, where: str, limit: int) -> str:
    text = component.text
    if not text or not text.strip():
        raise TemplateInvalid(
            f"A {component.type.upper()} component needs `text`.", param=f"{where}.text"
        )
    if len(text) > limit:
        raise TemplateInvalid(
            f"A {component.type.upper()}'s text is at most {limit} characters.",
            param=f"{where}.text",
        )
    return text


def _buttons(component: TemplateComponentIn, where: str) -> None:
    buttons = component.buttons
    if not buttons:
        raise TemplateInvalid("A BUTTONS component needs `buttons`.", param=f"{where}.buttons")
    for index, button in enumerate(buttons):
        _button(button, f"{where}.buttons[{index}]")


def _button(button: TemplateButtonIn, where: str) -> None:
    kind = button.type.upper()
    if kind not in BUTTON_TYPES:
        raise TemplateInvalid(
            f"A button's type is one of {', '.join(BUTTON_TYPES)}.", param=f"{where}.type"
        )
    if kind in ("QUICK_REPLY", "URL", "PHONE_NUMBER") and not button.text:
        raise TemplateInvalid(f"A {kind} button needs `text`.", param=f"{where}.text")
    if kind == "PHONE_NUMBER" and not button.phone_number:
        raise TemplateInvalid(
            "A PHONE_NUMBER button needs `phone_number`.", param=f"{where}.phone_number"
        )
    if kind == "COPY_CODE" and not button.example:
        raise TemplateInvalid(
            "A COPY_CODE button needs a sample code in `example`.", param=f"{where}.example"
        )
    if kind == "OTP" and not _extra(button, "otp_type"):
        raise TemplateInvalid("An OTP button needs `otp_type`.", param=f"{where}.otp_type")
    if kind != "URL":
        return
    url = button.url or ""
    if not url.startswith(("https://", "http://")):
        raise TemplateInvalid("A URL button needs an http(s) `url`.", param=f"{where}.url")
    names = placeholders(url)
    if not names:
        return
    if len(names) > 1 or not url.rstrip().endswith("}}") or names != ["1"]:
        raise TemplateInvalid(
            "A URL button's url has at most one placeholder, {{1}}, at its end.",
            param=f"{where}.url",
        )
    example = button.example
    if not (isinstance(example, list) and example) and not isinstance(example, str):
        raise TemplateInvalid(
            'A URL button with a placeholder needs a sample URL: `example: ["https://…"]`.',
            param=f"{where}.example",
        )


def _extra(button: TemplateButtonIn, name: str) -> Any:
    return (button.model_extra or {}).get(name)
