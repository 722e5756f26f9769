from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from typing import Literal, cast
import datetime






T = TypeVar("T", bound="GroupLeft")



@_attrs_define
class GroupLeft:
    """ 
        Attributes:
            group_id (str):
            left_at (datetime.datetime):
            object_ (Literal['group_membership'] | Unset):  Default: 'group_membership'.
            left (bool | Unset):  Default: True.
     """

    group_id: str
    left_at: datetime.datetime
    object_: Literal['group_membership'] | Unset = 'group_membership'
    left: bool | Unset = True
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        group_id = self.group_id

        left_at = self.left_at.isoformat()

        object_ = self.object_

        left = self.left


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "group_id": group_id,
            "left_at": left_at,
        })
        if object_ is not UNSET:
            field_dict["object"] = object_
        if left is not UNSET:
            field_dict["left"] = left

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        group_id = d.pop("group_id")

        left_at = datetime.datetime.fromisoformat(d.pop("left_at"))




        object_ = cast(Literal['group_membership'] | Unset , d.pop("object", UNSET))
        if object_ != 'group_membership'and not isinstance(object_, Unset):
            raise ValueError(f"object must match const 'group_membership', got '{object_}'")

        left = d.pop("left", UNSET)

        group_left = cls(
            group_id=group_id,
            left_at=left_at,
            object_=object_,
            left=left,
        )


        group_left.additional_properties = d
        return group_left

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
