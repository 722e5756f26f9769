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
  from ..models.list_section import ListSection





T = TypeVar("T", bound="ListInteractive")



@_attrs_define
class ListInteractive:
    """ A menu of up to ten rows in sections, opened by a button.

        Attributes:
            type_ (Literal['list']):
            body (str):
            button (str): The text that opens the list.
            sections (list[ListSection]):
            header (None | str | Unset): Text header.
            footer (None | str | Unset):
     """

    type_: Literal['list']
    body: str
    button: str
    sections: list[ListSection]
    header: None | str | Unset = UNSET
    footer: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.list_section import ListSection # noqa: PLC0415
        type_ = self.type_

        body = self.body

        button = self.button

        sections = []
        for sections_item_data in self.sections:
            sections_item = sections_item_data.to_dict()
            sections.append(sections_item)



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
            "button": button,
            "sections": sections,
        })
        if header is not UNSET:
            field_dict["header"] = header
        if footer is not UNSET:
            field_dict["footer"] = footer

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.list_section import ListSection # noqa: PLC0415
        d = dict(src_dict)
        type_ = cast(Literal['list'] , d.pop("type"))
        if type_ != 'list':
            raise ValueError(f"type must match const 'list', got '{type_}'")

        body = d.pop("body")

        button = d.pop("button")

        sections = []
        _sections = d.pop("sections")
        for sections_item_data in (_sections):
            sections_item = ListSection.from_dict(sections_item_data)



            sections.append(sections_item)


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


        list_interactive = cls(
            type_=type_,
            body=body,
            button=button,
            sections=sections,
            header=header,
            footer=footer,
        )

        return list_interactive

