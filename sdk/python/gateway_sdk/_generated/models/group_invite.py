from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import Literal, cast






T = TypeVar("T", bound="GroupInvite")



@_attrs_define
class GroupInvite:
    """ 
        Attributes:
            group_id (str):
            code (str):
            url (str):
            object_ (Literal['group_invite'] | Unset):  Default: 'group_invite'.
     """

    group_id: str
    code: str
    url: str
    object_: Literal['group_invite'] | Unset = 'group_invite'
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        group_id = self.group_id

        code = self.code

        url = self.url

        object_ = self.object_


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "group_id": group_id,
            "code": code,
            "url": url,
        })
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        group_id = d.pop("group_id")

        code = d.pop("code")

        url = d.pop("url")

        object_ = cast(Literal['group_invite'] | Unset , d.pop("object", UNSET))
        if object_ != 'group_invite'and not isinstance(object_, Unset):
            raise ValueError(f"object must match const 'group_invite', got '{object_}'")

        group_invite = cls(
            group_id=group_id,
            code=code,
            url=url,
            object_=object_,
        )


        group_invite.additional_properties = d
        return group_invite

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
