from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from typing import Literal, cast






T = TypeVar("T", bound="LidMapping")



@_attrs_define
class LidMapping:
    """ A LID and the phone number behind it, as far as the session knows it.

        Attributes:
            lid (str):
            phone_number (None | str): E.164; null while the number is not known to the session.
            phone_id (None | str): The phone-number id (`…@c.us`), when the number is known.
            object_ (Literal['lid'] | Unset):  Default: 'lid'.
     """

    lid: str
    phone_number: None | str
    phone_id: None | str
    object_: Literal['lid'] | Unset = 'lid'
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        lid = self.lid

        phone_number: None | str
        phone_number = self.phone_number

        phone_id: None | str
        phone_id = self.phone_id

        object_ = self.object_


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "lid": lid,
            "phone_number": phone_number,
            "phone_id": phone_id,
        })
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        lid = d.pop("lid")

        def _parse_phone_number(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        phone_number = _parse_phone_number(d.pop("phone_number"))


        def _parse_phone_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        phone_id = _parse_phone_id(d.pop("phone_id"))


        object_ = cast(Literal['lid'] | Unset , d.pop("object", UNSET))
        if object_ != 'lid'and not isinstance(object_, Unset):
            raise ValueError(f"object must match const 'lid', got '{object_}'")

        lid_mapping = cls(
            lid=lid,
            phone_number=phone_number,
            phone_id=phone_id,
            object_=object_,
        )


        lid_mapping.additional_properties = d
        return lid_mapping

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
