from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from typing import Literal, cast






T = TypeVar("T", bound="CtaUrlInteractive")



@_attrs_define
class CtaUrlInteractive:
    """ A button that opens a URL.

        Attributes:
            type_ (Literal['cta_url']):
            body (str):
            display_text (str):
            url (str):
            header (None | str | Unset): Text header.
            footer (None | str | Unset):
     """

    type_: Literal['cta_url']
    body: str
    display_text: str
    url: str
    header: None | str | Unset = UNSET
    footer: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        body = self.body

        display_text = self.display_text

        url = self.url

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
            "display_text": display_text,
            "url": url,
        })
        if header is not UNSET:
            field_dict["header"] = header
        if footer is not UNSET:
            field_dict["footer"] = footer

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = cast(Literal['cta_url'] , d.pop("type"))
        if type_ != 'cta_url':
            raise ValueError(f"type must match const 'cta_url', got '{type_}'")

        body = d.pop("body")

        display_text = d.pop("display_text")

        url = d.pop("url")

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


        cta_url_interactive = cls(
            type_=type_,
            body=body,
            display_text=display_text,
            url=url,
            header=header,
            footer=footer,
        )

        return cta_url_interactive

