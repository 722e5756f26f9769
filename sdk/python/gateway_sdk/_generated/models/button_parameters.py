from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ButtonParameters")



@_attrs_define
class ButtonParameters:
    """ 
        Attributes:
            count (int): How many parameters the component takes.
            index (int): The button's position, as a send addresses it.
            sub_type (str): The `sub_type` a send gives for it: `url` (a dynamic URL or a one-time-password button),
                `quick_reply`, `copy_code`, `flow`; others (`phone_number` …) take no parameters.
            required (bool): Whether every send must give this button's parameters.
            names (list[str] | Unset): The named placeholders, in order (named templates).
     """

    count: int
    index: int
    sub_type: str
    required: bool
    names: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        count = self.count

        index = self.index

        sub_type = self.sub_type

        required = self.required

        names: list[str] | Unset = UNSET
        if not isinstance(self.names, Unset):
            names = self.names




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "count": count,
            "index": index,
            "sub_type": sub_type,
            "required": required,
        })
        if names is not UNSET:
            field_dict["names"] = names

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        count = d.pop("count")

        index = d.pop("index")

        sub_type = d.pop("sub_type")

        required = d.pop("required")

        names = cast(list[str], d.pop("names", UNSET))


        button_parameters = cls(
            count=count,
            index=index,
            sub_type=sub_type,
            required=required,
            names=names,
        )


        button_parameters.additional_properties = d
        return button_parameters

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
