from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="PictureSource")



@_attrs_define
class PictureSource:
    """ 
        Attributes:
            media_id (str): An uploaded JPEG or PNG image (`med_…`).
     """

    media_id: str





    def to_dict(self) -> dict[str, Any]:
        media_id = self.media_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "media_id": media_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        media_id = d.pop("media_id")

        picture_source = cls(
            media_id=media_id,
        )

        return picture_source

