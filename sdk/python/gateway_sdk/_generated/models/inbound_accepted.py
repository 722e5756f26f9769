from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import Literal, cast






T = TypeVar("T", bound="InboundAccepted")



@_attrs_define
class InboundAccepted:
    """ 
        Attributes:
            id (str):
            session_id (str):
            object_ (Literal['sandbox_inbound'] | Unset):  Default: 'sandbox_inbound'.
            status (Literal['pending'] | Unset): Delivered to the session as soon as it is WORKING. Default: 'pending'.
     """

    id: str
    session_id: str
    object_: Literal['sandbox_inbound'] | Unset = 'sandbox_inbound'
    status: Literal['pending'] | Unset = 'pending'
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        session_id = self.session_id

        object_ = self.object_

        status = self.status


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "session_id": session_id,
        })
        if object_ is not UNSET:
            field_dict["object"] = object_
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        session_id = d.pop("session_id")

        object_ = cast(Literal['sandbox_inbound'] | Unset , d.pop("object", UNSET))
        if object_ != 'sandbox_inbound'and not isinstance(object_, Unset):
            raise ValueError(f"object must match const 'sandbox_inbound', got '{object_}'")

        status = cast(Literal['pending'] | Unset , d.pop("status", UNSET))
        if status != 'pending'and not isinstance(status, Unset):
            raise ValueError(f"status must match const 'pending', got '{status}'")

        inbound_accepted = cls(
            id=id,
            session_id=session_id,
            object_=object_,
            status=status,
        )


        inbound_accepted.additional_properties = d
        return inbound_accepted

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
