from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from typing import Literal, cast






T = TypeVar("T", bound="ProfilePicture")



@_attrs_define
class ProfilePicture:
    """ 
        Attributes:
            contact_id (str):
            url (None | str): Where to download the picture; null when there is none or it is hidden from the session.
                WhatsApp's links expire after a while.
            object_ (Literal['profile_picture'] | Unset):  Default: 'profile_picture'.
     """

    contact_id: str
    url: None | str
    object_: Literal['profile_picture'] | Unset = 'profile_picture'
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        contact_id = self.contact_id

        url: None | str
        url = self.url

        object_ = self.object_


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "contact_id": contact_id,
            "url": url,
        })
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        contact_id = d.pop("contact_id")

        def _parse_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        url = _parse_url(d.pop("url"))


        object_ = cast(Literal['profile_picture'] | Unset , d.pop("object", UNSET))
        if object_ != 'profile_picture'and not isinstance(object_, Unset):
            raise ValueError(f"object must match const 'profile_picture', got '{object_}'")

        profile_picture = cls(
            contact_id=contact_id,
            url=url,
            object_=object_,
        )


        profile_picture.additional_properties = d
        return profile_picture

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
