from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="GroupSettingsUpdate")



@_attrs_define
class GroupSettingsUpdate:
    """ The settings to change; those left out stay as they are.

        Attributes:
            only_admins_send (bool | None | Unset):
            only_admins_edit_info (bool | None | Unset):
     """

    only_admins_send: bool | None | Unset = UNSET
    only_admins_edit_info: bool | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        only_admins_send: bool | None | Unset
        if isinstance(self.only_admins_send, Unset):
            only_admins_send = UNSET
        else:
            only_admins_send = self.only_admins_send

        only_admins_edit_info: bool | None | Unset
        if isinstance(self.only_admins_edit_info, Unset):
            only_admins_edit_info = UNSET
        else:
            only_admins_edit_info = self.only_admins_edit_info


        field_dict: dict[str, Any] = {}

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
        def _parse_only_admins_send(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        only_admins_send = _parse_only_admins_send(d.pop("only_admins_send", UNSET))


        def _parse_only_admins_edit_info(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        only_admins_edit_info = _parse_only_admins_edit_info(d.pop("only_admins_edit_info", UNSET))


        group_settings_update = cls(
            only_admins_send=only_admins_send,
            only_admins_edit_info=only_admins_edit_info,
        )

        return group_settings_update

