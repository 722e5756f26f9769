from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.key_mode import KeyMode
from ..types import UNSET, Unset






T = TypeVar("T", bound="FirstKey")



@_attrs_define
class FirstKey:
    """ 
        Attributes:
            name (str | Unset):  Default: 'Default key'.
            mode (KeyMode | Unset):
     """

    name: str | Unset = 'Default key'
    mode: KeyMode | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        name = self.name

        mode: str | Unset = UNSET
        if not isinstance(self.mode, Unset):
            mode = self.mode.value



        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if name is not UNSET:
            field_dict["name"] = name
        if mode is not UNSET:
            field_dict["mode"] = mode

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name", UNSET)

        _mode = d.pop("mode", UNSET)
        mode: KeyMode | Unset
        if isinstance(_mode,  Unset):
            mode = UNSET
        else:
            mode = KeyMode(_mode)




        first_key = cls(
            name=name,
            mode=mode,
        )

        return first_key

