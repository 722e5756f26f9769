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






T = TypeVar("T", bound="SandboxDeviceOut")



@_attrs_define
class SandboxDeviceOut:
    """ 
        Attributes:
            session_id (str):
            linked (bool):
            phone_number (None | str):
            push_name (None | str):
            linked_at (datetime.datetime | None):
            object_ (Literal['sandbox_device'] | Unset):  Default: 'sandbox_device'.
     """

    session_id: str
    linked: bool
    phone_number: None | str
    push_name: None | str
    linked_at: datetime.datetime | None
    object_: Literal['sandbox_device'] | Unset = 'sandbox_device'
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        session_id = self.session_id

        linked = self.linked

        phone_number: None | str
        phone_number = self.phone_number

        push_name: None | str
        push_name = self.push_name

        linked_at: None | str
        if isinstance(self.linked_at, datetime.datetime):
            linked_at = self.linked_at.isoformat()
        else:
            linked_at = self.linked_at

        object_ = self.object_


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "session_id": session_id,
            "linked": linked,
            "phone_number": phone_number,
            "push_name": push_name,
            "linked_at": linked_at,
        })
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        session_id = d.pop("session_id")

        linked = d.pop("linked")

        def _parse_phone_number(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        phone_number = _parse_phone_number(d.pop("phone_number"))


        def _parse_push_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        push_name = _parse_push_name(d.pop("push_name"))


        def _parse_linked_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                linked_at_type_0 = datetime.datetime.fromisoformat(data)



                return linked_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        linked_at = _parse_linked_at(d.pop("linked_at"))


        object_ = cast(Literal['sandbox_device'] | Unset , d.pop("object", UNSET))
        if object_ != 'sandbox_device'and not isinstance(object_, Unset):
            raise ValueError(f"object must match const 'sandbox_device', got '{object_}'")

        sandbox_device_out = cls(
            session_id=session_id,
            linked=linked,
            phone_number=phone_number,
            push_name=push_name,
            linked_at=linked_at,
            object_=object_,
        )


        sandbox_device_out.additional_properties = d
        return sandbox_device_out

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
