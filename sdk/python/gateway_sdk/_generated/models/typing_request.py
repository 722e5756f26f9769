from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.typing_request_state import TypingRequestState






T = TypeVar("T", bound="TypingRequest")



@_attrs_define
class TypingRequest:
    """ 
        Attributes:
            state (TypingRequestState): `start` shows "typing…" in the chat (WhatsApp clears it after a few seconds or when
                a message arrives); `stop` clears it.
     """

    state: TypingRequestState





    def to_dict(self) -> dict[str, Any]:
        state = self.state.value


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "state": state,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        state = TypingRequestState(d.pop("state"))




        typing_request = cls(
            state=state,
        )

        return typing_request

