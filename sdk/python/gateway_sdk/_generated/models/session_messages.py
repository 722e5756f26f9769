from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="SessionMessages")



@_attrs_define
class SessionMessages:
    """ 
        Attributes:
            session_id (str):
            name (str):
            livemode (bool): False for sandbox sessions, whose messages are free.
            messages (int):
     """

    session_id: str
    name: str
    livemode: bool
    messages: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        session_id = self.session_id

        name = self.name

        livemode = self.livemode

        messages = self.messages


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "session_id": session_id,
            "name": name,
            "livemode": livemode,
            "messages": messages,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        session_id = d.pop("session_id")

        name = d.pop("name")

        livemode = d.pop("livemode")

        messages = d.pop("messages")

        session_messages = cls(
            session_id=session_id,
            name=name,
            livemode=livemode,
            messages=messages,
        )


        session_messages.additional_properties = d
        return session_messages

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
