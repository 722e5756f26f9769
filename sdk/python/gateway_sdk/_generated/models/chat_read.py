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






T = TypeVar("T", bound="ChatRead")



@_attrs_define
class ChatRead:
    """ 
        Attributes:
            session_id (str):
            chat_id (str):
            read_at (datetime.datetime):
            object_ (Literal['chat_read'] | Unset):  Default: 'chat_read'.
     """

    session_id: str
    chat_id: str
    read_at: datetime.datetime
    object_: Literal['chat_read'] | Unset = 'chat_read'
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        session_id = self.session_id

        chat_id = self.chat_id

        read_at = self.read_at.isoformat()

        object_ = self.object_


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "session_id": session_id,
            "chat_id": chat_id,
            "read_at": read_at,
        })
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        session_id = d.pop("session_id")

        chat_id = d.pop("chat_id")

        read_at = datetime.datetime.fromisoformat(d.pop("read_at"))




        object_ = cast(Literal['chat_read'] | Unset , d.pop("object", UNSET))
        if object_ != 'chat_read'and not isinstance(object_, Unset):
            raise ValueError(f"object must match const 'chat_read', got '{object_}'")

        chat_read = cls(
            session_id=session_id,
            chat_id=chat_id,
            read_at=read_at,
            object_=object_,
        )


        chat_read.additional_properties = d
        return chat_read

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
