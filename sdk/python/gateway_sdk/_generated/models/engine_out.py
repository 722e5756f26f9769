from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.capability import Capability
from ..types import UNSET, Unset
from typing import cast
from typing import Literal, cast






T = TypeVar("T", bound="EngineOut")



@_attrs_define
class EngineOut:
    """ 
        Attributes:
            name (str):
            description (str):
            livemode (bool): Reaches real WhatsApp users: test-mode keys cannot use it.
            capabilities (list[Capability]): What the engine can do in its default configuration.
            object_ (Literal['engine'] | Unset):  Default: 'engine'.
     """

    name: str
    description: str
    livemode: bool
    capabilities: list[Capability]
    object_: Literal['engine'] | Unset = 'engine'
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        name = self.name

        description = self.description

        livemode = self.livemode

        capabilities = []
        for capabilities_item_data in self.capabilities:
            capabilities_item = capabilities_item_data.value
            capabilities.append(capabilities_item)



        object_ = self.object_


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "name": name,
            "description": description,
            "livemode": livemode,
            "capabilities": capabilities,
        })
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        description = d.pop("description")

        livemode = d.pop("livemode")

        capabilities = []
        _capabilities = d.pop("capabilities")
        for capabilities_item_data in (_capabilities):
            capabilities_item = Capability(capabilities_item_data)



            capabilities.append(capabilities_item)


        object_ = cast(Literal['engine'] | Unset , d.pop("object", UNSET))
        if object_ != 'engine'and not isinstance(object_, Unset):
            raise ValueError(f"object must match const 'engine', got '{object_}'")

        engine_out = cls(
            name=name,
            description=description,
            livemode=livemode,
            capabilities=capabilities,
            object_=object_,
        )


        engine_out.additional_properties = d
        return engine_out

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
