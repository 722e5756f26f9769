from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ContactErasureRequest")



@_attrs_define
class ContactErasureRequest:
    """ Exactly one of `phone_number` and `lid`.

        Attributes:
            phone_number (None | str | Unset): The contact's number, in international format.
            lid (None | str | Unset): The contact's LID (`…@lid`).
     """

    phone_number: None | str | Unset = UNSET
    lid: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        phone_number: None | str | Unset
        if isinstance(self.phone_number, Unset):
            phone_number = UNSET
        else:
            phone_number = self.phone_number

        lid: None | str | Unset
        if isinstance(self.lid, Unset):
            lid = UNSET
        else:
            lid = self.lid


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if phone_number is not UNSET:
            field_dict["phone_number"] = phone_number
        if lid is not UNSET:
            field_dict["lid"] = lid

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


        def _parse_lid(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        lid = _parse_lid(d.pop("lid", UNSET))


        contact_erasure_request = cls(
            phone_number=phone_number,
            lid=lid,
        )

        return contact_erasure_request

