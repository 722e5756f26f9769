"""The message types only Meta's Cloud API sends: interactive messages (reply buttons, a
list, a call-to-action URL) and templates. Shapes and limits follow Meta's message
reference, so a body that passes here is one Graph accepts."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

_TEXT_LIMIT = 60  # headers and footers


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReplyButton(_Strict):
    id: str = Field(min_length=1, max_length=256, description="Comes back in the reply.")
    title: str = Field(min_length=1, max_length=20)


class _Interactive(_Strict):
    header: str | None = Field(default=None, max_length=_TEXT_LIMIT, description="Text header.")
    footer: str | None = Field(default=None, max_length=_TEXT_LIMIT)


class ButtonsInteractive(_Interactive):
    """Up to three reply buttons."""

    type: Literal["button"]
    body: str = Field(min_length=1, max_length=1024)
    buttons: list[ReplyButton] = Field(min_length=1, max_length=3)

    @field_validator("buttons")
    @classmethod
    def _distinct_ids(cls, value: list[ReplyButton]) -> list[ReplyButton]:
        if len({b.id for b in value}) != len(value):
            raise ValueError("button ids must be distinct")
        return value


class ListRow(_Strict):
    id: str = Field(min_length=1, max_length=200)
    title: str = Field(min_length=1, max_length=24)
    description: str | None = Field(default=None, max_length=72)


class ListSection(_Strict):
    title: str | None = Field(default=None, max_length=24)
    rows: list[ListRow] = Field(min_length=1, max_length=10)


class ListInteractive(_Interactive):
    """A menu of up to ten rows in sections, opened by a button."""

    type: Literal["list"]
    body: str = Field(min_length=1, max_length=4096)
    button: str = Field(min_length=1, max_length=20, description="The text that opens the list.")
    sections: list[ListSection] = Field(min_length=1, max_length=10)

    @model_validator(mode="after")
    def _within_limits(self) -> ListInteractive:
        rows = [row for section in self.sections for row in section.rows]
        if len(rows) > 10:
            raise ValueError("a list has at most 10 rows in all")
        if len({row.id for row in rows}) != len(rows):
            raise ValueError("row ids must be distinct")
        if len(self.sections) > 1 and any(not s.title for s in self.sections):
            raise ValueError("every section needs a title when there is more than one")
        return self


class CtaUrlInteractive(_Interactive):
    """A button that opens a URL."""

    type: Literal["cta_url"]
    body: str = Field(min_length=1, max_length=1024)
    display_text: str = Field(min_length=1, max_length=20)
    url: str = Field(min_length=1, max_length=2000, pattern=r"^https?://[^\s]+$")


Interactive = Annotated[
    ButtonsInteractive | ListInteractive | CtaUrlInteractive, Field(discriminator="type")
]

TEMPLATE_PARAMETER_TYPES = frozenset(
    {"text", "currency", "date_time", "image", "video", "document", "location", "payload",
     "coupon_code", "action"}
)  # fmt: skip


class TemplateParameter(_Strict):
    """One value for a placeholder, as Meta's template parameter object: ``text`` for a
    text placeholder (``parameter_name`` for named ones), ``image``/``video``/``document``
    (``{"link": …}`` or ``{"id": …}``) for a media header, ``payload`` for a quick-reply
    button, ``currency``/``date_time`` as Meta defines them."""

    type: Literal[
        "text", "currency", "date_time", "image", "video", "document", "location", "payload",
        "coupon_code", "action",
    ]  # fmt: skip
    parameter_name: str | None = Field(default=None, max_length=100)
    text: str | None = Field(default=None, max_length=32_768)
    payload: str | None = Field(default=None, max_length=1000)
    coupon_code: str | None = Field(default=None, max_length=20)
    currency: dict[str, Any] | None = None
    date_time: dict[str, Any] | None = None
    image: dict[str, Any] | None = None
    video: dict[str, Any] | None = None
    document: dict[str, Any] | None = None
    location: dict[str, Any] | None = None
    action: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _has_its_value(self) -> TemplateParameter:
        if getattr(self, self.type) is None:
            raise ValueError(f"a parameter of type '{self.type}' needs `{self.type}`")
        return self


class TemplateComponent(_Strict):
    type: Literal["header", "body", "button"]
    sub_type: Literal["quick_reply", "url", "copy_code", "flow"] | None = Field(
        default=None, description="For buttons."
    )
    index: int | None = Field(default=None, ge=0, le=9, description="For buttons: which one.")
    parameters: list[TemplateParameter] = Field(default_factory=list, max_length=100)

    @model_validator(mode="after")
    def _buttons_say_which(self) -> TemplateComponent:
        if self.type == "button" and (self.sub_type is None or self.index is None):
            raise ValueError("a button component needs `sub_type` and `index`")
        return self


class TemplateMessage(_Strict):
    name: str = Field(min_length=1, max_length=512, pattern=r"^[a-z0-9_]+$")
    language: str = Field(
        min_length=2, max_length=15, pattern=r"^[a-z]{2,3}(_[A-Za-z]{2,4})?$",
        examples=["en_US"], description="The template's language code.",
    )  # fmt: skip
    components: list[TemplateComponent] = Field(default_factory=list, max_length=20)
