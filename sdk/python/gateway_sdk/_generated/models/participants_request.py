from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="ParticipantsRequest")



@_attrs_define
class ParticipantsRequest:
    """ 
        Attributes:
            participants (list[str]): Phone numbers, phone-number ids or LIDs. Each gets its own result.
     """

    participants: list[str]





    def to_dict(self) -> dict[str, Any]:
        participants = self.participants




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "participants": participants,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        participants = cast(list[str], d.pop("participants"))


        participants_request = cls(
            participants=participants,
        )

        return participants_request

