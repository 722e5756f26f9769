"""A template send checked against the stored template, at the API: a mistake is a 422
naming the component now, not a ``failed`` message after Meta refused it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.cloud.templates import repository
from gateway.cloud.templates.placeholders import (
    ButtonParameters,
    PlaceholderSpec,
    TemplateParameters,
    parameters_of,
)
from gateway.kit.errors import InvalidRequest
from gateway.messages.cloud_types import TemplateComponent, TemplateMessage

# The parameter types a text placeholder takes, and what each button sub_type takes.
_TEXT_TYPES = frozenset({"text", "currency", "date_time"})
_BUTTON_TYPES = {
    "url": frozenset({"text"}),
    "quick_reply": frozenset({"payload", "text"}),
    "copy_code": frozenset({"coupon_code"}),
    "flow": frozenset({"action"}),
}


class TemplateNotFound(InvalidRequest):
    code = "template_not_found"


class TemplateNotApproved(InvalidRequest):
    code = "template_not_approved"


class TemplateParametersMismatch(InvalidRequest):
    code = "template_parameters_mismatch"


async def check_template_send(db: AsyncSession, session_id: str, template: TemplateMessage) -> None:
    """Refuse a ``type: "template"`` send that Meta would refuse, from the session's stored
    templates (no Graph call).

    The template must exist for the session by name and language (422
    ``template_not_found``) and be ``APPROVED`` (422 ``template_not_approved``; both name
    ``template.name``). Each component's parameters must match the template's
    placeholders: the count for numbered ones, the names for named ones, the file type of
    a media header, and buttons by ``index`` with their ``sub_type`` (422
    ``template_parameters_mismatch``, naming ``template.components[i].parameters`` or the
    field at fault; ``template.components`` when a needed component is missing). A
    template known only from a status notification (its components not synced yet) is
    left for Meta to check.
    """
    row = await repository.get_by_name(db, session_id, template.name, template.language)
    if row is None:
        raise TemplateNotFound(
            f"The session has no template '{template.name}' in {template.language} "
            "(list them with ?refresh=true to sync from Meta).",
            param="template.name",
        )
    if row.status != "APPROVED":
        raise TemplateNotApproved(
            f"The template '{template.name}' ({template.language}) is {row.status}; only "
            "APPROVED templates can be sent.",
            param="template.name",
        )
    if not row.components:
        return
    _check_components(parameters_of(row.components, row.parameter_format), template)


def _mismatch(message: str, param: str) -> TemplateParametersMismatch:
    return TemplateParametersMismatch(message, param=param)


def _check_components(expected: TemplateParameters, template: TemplateMessage) -> None:
    seen: set[str] = set()
    buttons_seen: set[int] = set()
    for index, component in enumerate(template.components):
        where = f"template.components[{index}]"
        if component.type == "button":
            assert component.index is not None  # the message type requires it
            if component.index in buttons_seen:
                raise _mismatch(f"Button {component.index} is given twice.", f"{where}.index")
            buttons_seen.add(component.index)
            _check_button(expected, component, where)
            continue
        if component.type in seen:
            raise _mismatch(f"The {component.type} is given twice.", f"{where}.type")
        seen.add(component.type)
        if component.type == "header":
            _check_header(expected, component, where)
        else:
            _check_text(expected.body, component, where, "body")
    _check_missing(expected, seen, buttons_seen)


def _check_missing(expected: TemplateParameters, seen: set[str], buttons_seen: set[int]) -> None:
    for kind, spec in (("header", expected.header), ("body", expected.body)):
        if spec is not None and spec.count and kind not in seen:
            raise _mismatch(
                f"The template's {kind} takes {spec.count} parameter(s): add a `{kind}` component.",
                "template.components",
            )
    for button in expected.buttons:
        if button.required and button.index not in buttons_seen:
            raise _mismatch(
                f"The template's button {button.index} ({button.sub_type}) takes a "
                f"parameter: add a `button` component with index {button.index}.",
                "template.components",
            )


def _check_header(expected: TemplateParameters, component: TemplateComponent, where: str) -> None:
    header = expected.header
    if header is None:
        raise _mismatch("The template has no header.", f"{where}.type")
    if header.format == "TEXT":
        _check_text(header, component, where, "header")
        return
    wanted = header.format.lower()
    if len(component.parameters) != 1 or component.parameters[0].type != wanted:
        raise _mismatch(
            f"The template's header is {header.format}: give one parameter of type '{wanted}'.",
            f"{where}.parameters",
        )


def _check_text(
    spec: PlaceholderSpec | None, component: TemplateComponent, where: str, kind: str
) -> None:
    count = spec.count if spec is not None else 0
    given = component.parameters
    if len(given) != count:
        raise _mismatch(
            f"The template's {kind} has {count} placeholder(s); {len(given)} parameter(s) given.",
            f"{where}.parameters",
        )
    for position, parameter in enumerate(given):
        if parameter.type not in _TEXT_TYPES:
            raise _mismatch(
                f"A {kind} placeholder takes a text, currency or date_time parameter.",
                f"{where}.parameters[{position}].type",
            )
    if spec is None or not spec.names:
        return
    names = [parameter.parameter_name for parameter in given]
    if sorted(str(name) for name in names) != sorted(spec.names):
        missing = sorted(set(spec.names) - set(str(n) for n in names))
        raise _mismatch(
            f"The template's {kind} has the named placeholders {', '.join(spec.names)}; "
            "give each as `parameter_name`"
            + (f" (missing: {', '.join(missing)})." if missing else "."),
            f"{where}.parameters",
        )


def _check_button(expected: TemplateParameters, component: TemplateComponent, where: str) -> None:
    button: ButtonParameters | None = next(
        (b for b in expected.buttons if b.index == component.index), None
    )
    if button is None:
        raise _mismatch(f"The template has no button {component.index}.", f"{where}.index")
    if component.sub_type != button.sub_type:
        raise _mismatch(
            f"The template's button {button.index} is a '{button.sub_type}' button.",
            f"{where}.sub_type",
        )
    given = component.parameters
    too_many = len(given) > button.count
    if too_many or (button.required and len(given) < button.count):
        raise _mismatch(
            f"The template's button {button.index} takes {button.count} parameter(s); "
            f"{len(given)} given.",
            f"{where}.parameters",
        )
    allowed = _BUTTON_TYPES.get(button.sub_type, frozenset())
    for position, parameter in enumerate(given):
        if parameter.type not in allowed:
            raise _mismatch(
                f"A {button.sub_type} button takes a parameter of type "
                f"{' or '.join(sorted(allowed))}.",
                f"{where}.parameters[{position}].type",
            )
