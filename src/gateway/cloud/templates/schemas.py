"""The template object and what creating one takes (Meta's template creation body)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from gateway.cloud.templates.placeholders import TemplateParameters, parameters_of
from gateway.models import CloudTemplate

TemplateCategory = Literal["MARKETING", "UTILITY", "AUTHENTICATION"]
# Meta's review statuses; a status Meta adds later is stored and shown as it comes.
TemplateStatus = Literal[
    "APPROVED", "PENDING", "REJECTED", "PAUSED", "DISABLED", "IN_APPEAL", "PENDING_DELETION",
    "FLAGGED", "LIMIT_EXCEEDED", "ARCHIVED",
]  # fmt: skip

_EXAMPLE_COMPONENTS: list[JsonValue] = [
    {
        "type": "HEADER",
        "format": "TEXT",
        "text": "Order {{1}}",
        "example": {"header_text": ["1042"]},
    },
    {
        "type": "BODY",
        "text": "Hi {{1}}, your order ships on {{2}}.",
        "example": {"body_text": [["Ada", "Monday"]]},
    },
    {"type": "FOOTER", "text": "Reply STOP to opt out"},
    {
        "type": "BUTTONS",
        "buttons": [
            {
                "type": "URL",
                "text": "Track",
                "url": "https://shop.example/track/{{1}}",
                "example": ["https://shop.example/track/1042"],
            }
        ],
    },
]


class TemplateOut(BaseModel):
    """A message template of the session's WhatsApp Business Account, as Meta has it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "tpl_01JA2B3C4D5E6F7G8H9J0KMNPQ",
                    "object": "template",
                    "session_id": "ses_01JA2B3C4D5E6F7G8H9J0KMNPQ",
                    "engine_template_id": "594425479261596",
                    "name": "order_shipped",
                    "language": "en_US",
                    "category": "UTILITY",
                    "status": "APPROVED",
                    "rejected_reason": None,
                    "components": _EXAMPLE_COMPONENTS,
                    "parameters": {
                        "format": "POSITIONAL",
                        "header": {"format": "TEXT", "count": 1, "names": []},
                        "body": {"count": 2, "names": []},
                        "buttons": [
                            {
                                "index": 0,
                                "sub_type": "url",
                                "count": 1,
                                "names": [],
                                "required": True,
                            }
                        ],
                    },
                    "created_at": "2025-01-15T09:30:00Z",
                    "updated_at": "2025-01-15T09:42:00Z",
                }
            ]
        }
    )

    id: str = Field(examples=["tpl_01JA2B3C4D5E6F7G8H9J0KMNPQ"])
    object: Literal["template"] = "template"
    session_id: str
    engine_template_id: str = Field(description="Meta's id of the template.")
    name: str
    language: str = Field(examples=["en_US"])
    category: str = Field(description="`MARKETING`, `UTILITY` or `AUTHENTICATION`.")
    status: str = Field(
        description="Meta's review status: `PENDING` until reviewed, then `APPROVED` or "
        "`REJECTED`; later `PAUSED`, `DISABLED` …. Only `APPROVED` templates can be sent.",
        examples=["APPROVED"],
    )
    rejected_reason: str | None = Field(
        default=None, description="Why Meta rejected, paused or disabled it, when it says."
    )
    components: list[dict[str, Any]] = Field(description="The components, as Meta returns them.")
    parameters: TemplateParameters = Field(
        description="What a send of it must give: placeholders per component."
    )
    created_at: datetime
    updated_at: datetime


def template_out(row: CloudTemplate) -> TemplateOut:
    return TemplateOut(
        id=row.id,
        session_id=row.session_id,
        engine_template_id=row.graph_id,
        name=row.name,
        language=row.language,
        category=row.category,
        status=row.status,
        rejected_reason=row.rejected_reason,
        components=row.components,
        parameters=parameters_of(row.components, row.parameter_format),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


class TemplateButtonIn(BaseModel):
    """A button, as Meta's template creation takes it (``QUICK_REPLY``, ``URL``,
    ``PHONE_NUMBER``, ``COPY_CODE``, ``OTP``, ``FLOW`` …); other Meta fields pass through."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(min_length=1, max_length=30, examples=["URL"])
    text: str | None = Field(default=None, max_length=25)
    url: str | None = Field(default=None, max_length=2000)
    phone_number: str | None = Field(default=None, max_length=20)
    example: list[str] | str | None = None


class TemplateComponentIn(BaseModel):
    """A component, as Meta's template creation takes it: ``HEADER`` (``format`` TEXT,
    IMAGE, VIDEO, DOCUMENT or LOCATION), ``BODY``, ``FOOTER``, ``BUTTONS``; ``example``
    carries sample values for placeholders (``header_text``, ``body_text``,
    ``header_handle``, ``…_named_params``). Other Meta fields pass through."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(min_length=1, max_length=20, examples=["BODY"])
    format: str | None = Field(default=None, max_length=20)
    text: str | None = Field(default=None, max_length=4096)
    example: dict[str, Any] | None = None
    buttons: list[TemplateButtonIn] | None = Field(default=None, max_length=10)


class TemplateCreate(BaseModel):
    """A template to submit for Meta's review; it is `PENDING` until Meta decides (a
    `template.status` event tells)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "order_shipped",
                    "language": "en_US",
                    "category": "UTILITY",
                    "components": _EXAMPLE_COMPONENTS,
                }
            ]
        },
    )

    name: str = Field(pattern=r"^[a-z0-9_]{1,512}$", description="Lowercase, digits and `_`.")
    language: str = Field(
        min_length=2, max_length=15, pattern=r"^[a-z]{2,3}(_[A-Za-z]{2,4})?$",
        examples=["en_US"],
    )  # fmt: skip
    category: TemplateCategory
    parameter_format: Literal["POSITIONAL", "NAMED"] | None = Field(
        default=None, description="Inferred from the placeholders when omitted."
    )
    components: list[TemplateComponentIn] = Field(min_length=1, max_length=10)
    allow_category_change: bool | None = Field(
        default=None, description="Let Meta recategorise it instead of rejecting it."
    )


class TemplateDeleted(BaseModel):
    id: str = Field(examples=["tpl_01JA2B3C4D5E6F7G8H9J0KMNPQ"])
    object: Literal["template"] = "template"
    deleted: Literal[True] = True
