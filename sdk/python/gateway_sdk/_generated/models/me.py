from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="Me")



@_attrs_define
class Me:
    """ The account a session is linked to.

        Attributes:
            id (str): WhatsApp id of the linked number.
            phone_number (None | str | Unset):
            push_name (None | str | Unset): The profile name.
            verified_name (None | str | Unset): The business name Meta verified (cloud engine).
            quality_rating (None | str | Unset): Meta's quality rating of the number: GREEN, YELLOW or RED (cloud engine).
     """

    id: str
    phone_number: None | str | Unset = UNSET
    push_name: None | str | Unset = UNSET
    verified_name: None | str | Unset = UNSET
    quality_rating: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

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

        verified_name: None | str | Unset
        if isinstance(self.verified_name, Unset):
            verified_name = UNSET
        else:
            verified_name = self.verified_name

        quality_rating: None | str | Unset
        if isinstance(self.quality_rating, Unset):
            quality_rating = UNSET
        else:
            quality_rating = self.quality_rating


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
        })
        if phone_number is not UNSET:
            field_dict["phone_number"] = phone_number
        if push_name is not UNSET:
            field_dict["push_name"] = push_name
        if verified_name is not UNSET:
            field_dict["verified_name"] = verified_name
        if quality_rating is not UNSET:
            field_dict["quality_rating"] = quality_rating

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

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


        def _parse_verified_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        verified_name = _parse_verified_name(d.pop("verified_name", UNSET))


        def _parse_quality_rating(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        quality_rating = _parse_quality_rating(d.pop("quality_rating", UNSET))


        me = cls(
            id=id,
            phone_number=phone_number,
            push_name=push_name,
            verified_name=verified_name,
            quality_rating=quality_rating,
        )


        me.additional_properties = d
        return me

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
