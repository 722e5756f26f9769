from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import Literal, cast






T = TypeVar("T", bound="Recovered")



@_attrs_define
class Recovered:
    """ 
        Attributes:
            endpoint_id (str):
            retried (int):
            object_ (Literal['webhook_recovery'] | Unset):  Default: 'webhook_recovery'.
     """

    endpoint_id: str
    retried: int
    object_: Literal['webhook_recovery'] | Unset = 'webhook_recovery'
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        endpoint_id = self.endpoint_id

        retried = self.retried

        object_ = self.object_


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "endpoint_id": endpoint_id,
            "retried": retried,
        })
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        endpoint_id = d.pop("endpoint_id")

        retried = d.pop("retried")

        object_ = cast(Literal['webhook_recovery'] | Unset , d.pop("object", UNSET))
        if object_ != 'webhook_recovery'and not isinstance(object_, Unset):
            raise ValueError(f"object must match const 'webhook_recovery', got '{object_}'")

        recovered = cls(
            endpoint_id=endpoint_id,
            retried=retried,
            object_=object_,
        )


        recovered.additional_properties = d
        return recovered

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
