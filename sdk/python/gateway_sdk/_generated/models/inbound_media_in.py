from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="InboundMediaIn")



@_attrs_define
class InboundMediaIn:
    """ 
        Attributes:
            mime_type (str):
            data_base64 (str): The file, base64 (≤ 512 KiB).
            filename (None | str | Unset):
            caption (None | str | Unset):
     """

    mime_type: str
    data_base64: str
    filename: None | str | Unset = UNSET
    caption: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        mime_type = self.mime_type

        data_base64 = self.data_base64

        filename: None | str | Unset
        if isinstance(self.filename, Unset):
            filename = UNSET
        else:
            filename = self.filename

        caption: None | str | Unset
        if isinstance(self.caption, Unset):
            caption = UNSET
        else:
            caption = self.caption


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "mime_type": mime_type,
            "data_base64": data_base64,
        })
        if filename is not UNSET:
            field_dict["filename"] = filename
        if caption is not UNSET:
            field_dict["caption"] = caption

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        mime_type = d.pop("mime_type")

        data_base64 = d.pop("data_base64")

        def _parse_filename(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        filename = _parse_filename(d.pop("filename", UNSET))


        def _parse_caption(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        caption = _parse_caption(d.pop("caption", UNSET))


        inbound_media_in = cls(
            mime_type=mime_type,
            data_base64=data_base64,
            filename=filename,
            caption=caption,
        )

        return inbound_media_in

