from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="GroupSettings")



@_attrs_define
class GroupSettings:
    """ 
        Attributes:
            only_admins_send (bool | Unset): Only admins may send messages (an announcement group). Default: False.
            only_admins_edit_info (bool | Unset): Only admins may change the subject, description and picture. Default:
                False.
     """

    only_admins_send: bool | Unset = False
    only_admins_edit_info: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        only_admins_send = self.only_admins_send

        only_admins_edit_info = self.only_admins_edit_info


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if only_admins_send is not UNSET:
            field_dict["only_admins_send"] = only_admins_send
        if only_admins_edit_info is not UNSET:
            field_dict["only_admins_edit_info"] = only_admins_edit_info

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        only_admins_send = d.pop("only_admins_send", UNSET)

        only_admins_edit_info = d.pop("only_admins_edit_info", UNSET)

        group_settings = cls(
            only_admins_send=only_admins_send,
            only_admins_edit_info=only_admins_edit_info,
        )


        group_settings.additional_properties = d
        return group_settings

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
