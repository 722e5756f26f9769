from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from typing import Literal, cast






T = TypeVar("T", bound="ContactAbout")



@_attrs_define
class ContactAbout:
    """ 
        Attributes:
            contact_id (str):
            about (None | str): The profile's about text; null when hidden.
            object_ (Literal['contact_about'] | Unset):  Default: 'contact_about'.
     """

    contact_id: str
    about: None | str
    object_: Literal['contact_about'] | Unset = 'contact_about'
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        contact_id = self.contact_id

        about: None | str
        about = self.about

        object_ = self.object_


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "contact_id": contact_id,
            "about": about,
        })
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        contact_id = d.pop("contact_id")

        def _parse_about(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        about = _parse_about(d.pop("about"))


        object_ = cast(Literal['contact_about'] | Unset , d.pop("object", UNSET))
        if object_ != 'contact_about'and not isinstance(object_, Unset):
            raise ValueError(f"object must match const 'contact_about', got '{object_}'")

        contact_about = cls(
            contact_id=contact_id,
            about=about,
            object_=object_,
        )


        contact_about.additional_properties = d
        return contact_about

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
