from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.chat_typing_state import ChatTypingState
from ..types import UNSET, Unset
from typing import Literal, cast






T = TypeVar("T", bound="ChatTyping")



@_attrs_define
class ChatTyping:
    """ 
        Attributes:
            session_id (str):
            chat_id (str):
            state (ChatTypingState):
            object_ (Literal['chat_typing'] | Unset):  Default: 'chat_typing'.
     """

    session_id: str
    chat_id: str
    state: ChatTypingState
    object_: Literal['chat_typing'] | Unset = 'chat_typing'
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        session_id = self.session_id

        chat_id = self.chat_id

        state = self.state.value

        object_ = self.object_


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "session_id": session_id,
            "chat_id": chat_id,
            "state": state,
        })
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        session_id = d.pop("session_id")

        chat_id = d.pop("chat_id")

        state = ChatTypingState(d.pop("state"))




        object_ = cast(Literal['chat_typing'] | Unset , d.pop("object", UNSET))
        if object_ != 'chat_typing'and not isinstance(object_, Unset):
            raise ValueError(f"object must match const 'chat_typing', got '{object_}'")

        chat_typing = cls(
            session_id=session_id,
            chat_id=chat_id,
            state=state,
            object_=object_,
        )


        chat_typing.additional_properties = d
        return chat_typing

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
