from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="HeaderParameters")



@_attrs_define
class HeaderParameters:
    """ 
        Attributes:
            count (int): How many parameters the component takes.
            format_ (str): `TEXT` (parameters for its placeholders, if any), `IMAGE`, `VIDEO` or `DOCUMENT` (one parameter
                of that type: the file), `LOCATION` (one `location`).
            names (list[str] | Unset): The named placeholders, in order (named templates).
     """

    count: int
    format_: str
    names: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        count = self.count

        format_ = self.format_

        names: list[str] | Unset = UNSET
        if not isinstance(self.names, Unset):
            names = self.names




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "count": count,
            "format": format_,
        })
        if names is not UNSET:
            field_dict["names"] = names

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        count = d.pop("count")

        format_ = d.pop("format")

        names = cast(list[str], d.pop("names", UNSET))


        header_parameters = cls(
            count=count,
            format_=format_,
            names=names,
        )


        header_parameters.additional_properties = d
        return header_parameters

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
