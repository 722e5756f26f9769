from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="LinkRequest")



@_attrs_define
class LinkRequest:
    """ 
        Attributes:
            phone_number (None | str | Unset): The simulated phone's number; default: the one a pairing code was requested
                for, else a random fictional number.
            push_name (None | str | Unset):
     """

    phone_number: None | str | Unset = UNSET
    push_name: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        phone_number: None | str | Unset
        if isinstance(self.phone_number, Unset):
            phone_number = UNSET
        else:
            phone_number = self.phone_number

        push_name: None | str | Unset
        if isinstance(self.push_name, Unset):
            push_name = UNSET
        else:
            push_name = self.push_name


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if phone_number is not UNSET:
            field_dict["phone_number"] = phone_number
        if push_name is not UNSET:
            field_dict["push_name"] = push_name

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_phone_number(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        phone_number = _parse_phone_number(d.pop("phone_number", UNSET))


        def _parse_push_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        push_name = _parse_push_name(d.pop("push_name", UNSET))


        link_request = cls(
            phone_number=phone_number,
            push_name=push_name,
        )

        return link_request

