from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="MediaSource")



@_attrs_define
class MediaSource:
    """ Where a message's file comes from: exactly one of ``media_id``, ``url``, ``base64``.

        Attributes:
            media_id (None | str | Unset): An uploaded file (`med_…`).
            url (None | str | Unset): Fetched by the gateway (http/https, public).
            base64 (None | str | Unset): The file itself, base64-encoded.
            mime_type (None | str | Unset): Required with `base64`; else detected.
            filename (None | str | Unset):
     """

    media_id: None | str | Unset = UNSET
    url: None | str | Unset = UNSET
    base64: None | str | Unset = UNSET
    mime_type: None | str | Unset = UNSET
    filename: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        media_id: None | str | Unset
        if isinstance(self.media_id, Unset):
            media_id = UNSET
        else:
            media_id = self.media_id

        url: None | str | Unset
        if isinstance(self.url, Unset):
            url = UNSET
        else:
            url = self.url

        base64: None | str | Unset
        if isinstance(self.base64, Unset):
            base64 = UNSET
        else:
            base64 = self.base64

        mime_type: None | str | Unset
        if isinstance(self.mime_type, Unset):
            mime_type = UNSET
        else:
            mime_type = self.mime_type

        filename: None | str | Unset
        if isinstance(self.filename, Unset):
            filename = UNSET
        else:
            filename = self.filename


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if media_id is not UNSET:
            field_dict["media_id"] = media_id
        if url is not UNSET:
            field_dict["url"] = url
        if base64 is not UNSET:
            field_dict["base64"] = base64
        if mime_type is not UNSET:
            field_dict["mime_type"] = mime_type
        if filename is not UNSET:
            field_dict["filename"] = filename

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_media_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        media_id = _parse_media_id(d.pop("media_id", UNSET))


        def _parse_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        url = _parse_url(d.pop("url", UNSET))


        def _parse_base64(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        base64 = _parse_base64(d.pop("base64", UNSET))


        def _parse_mime_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        mime_type = _parse_mime_type(d.pop("mime_type", UNSET))


        def _parse_filename(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        filename = _parse_filename(d.pop("filename", UNSET))


        media_source = cls(
            media_id=media_id,
            url=url,
            base64=base64,
            mime_type=mime_type,
            filename=filename,
        )

        return media_source

