from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from typing import Literal, cast

if TYPE_CHECKING:
  from ..models.reply_button import ReplyButton





T = TypeVar("T", bound="ButtonsInteractive")



@_attrs_define
class ButtonsInteractive:
    """ Up to three reply buttons.

        Attributes:
            type_ (Literal['button']):
            body (str):
            buttons (list[ReplyButton]):
            header (None | str | Unset): Text header.
            footer (None | str | Unset):
     """

    type_: Literal['button']
    body: str
    buttons: list[ReplyButton]
    header: None | str | Unset = UNSET
    footer: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.reply_button import ReplyButton # noqa: PLC0415
        type_ = self.type_

        body = self.body

        buttons = []
        for buttons_item_data in self.buttons:
            buttons_item = buttons_item_data.to_dict()
            buttons.append(buttons_item)



        header: None | str | Unset
        if isinstance(self.header, Unset):
            header = UNSET
        else:
            header = self.header

        footer: None | str | Unset
        if isinstance(self.footer, Unset):
            footer = UNSET
        else:
            footer = self.footer


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "type": type_,
            "body": body,
            "buttons": buttons,
        })
        if header is not UNSET:
            field_dict["header"] = header
        if footer is not UNSET:
            field_dict["footer"] = footer

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.reply_button import ReplyButton # noqa: PLC0415
        d = dict(src_dict)
        type_ = cast(Literal['button'] , d.pop("type"))
        if type_ != 'button':
            raise ValueError(f"type must match const 'button', got '{type_}'")

        body = d.pop("body")

        buttons = []
        _buttons = d.pop("buttons")
        for buttons_item_data in (_buttons):
            buttons_item = ReplyButton.from_dict(buttons_item_data)



            buttons.append(buttons_item)


        def _parse_header(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        header = _parse_header(d.pop("header", UNSET))


        def _parse_footer(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        footer = _parse_footer(d.pop("footer", UNSET))


        buttons_interactive = cls(
            type_=type_,
            body=body,
            buttons=buttons,
            header=header,
            footer=footer,
        )

        return buttons_interactive

