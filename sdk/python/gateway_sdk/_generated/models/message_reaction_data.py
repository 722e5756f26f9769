from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.message_out import MessageOut





T = TypeVar("T", bound="MessageReactionData")



@_attrs_define
class MessageReactionData:
    """ The session reacted to a message (the reaction was sent). An empty `emoji` removes
    the session's earlier reaction.

        Attributes:
            message (MessageOut):
            target_message_id (str): The message reacted to (`msg_…`).
            emoji (str): The reaction; empty when it was removed.
     """

    message: MessageOut
    target_message_id: str
    emoji: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.message_out import MessageOut # noqa: PLC0415
        message = self.message.to_dict()

        target_message_id = self.target_message_id

        emoji = self.emoji


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "message": message,
            "target_message_id": target_message_id,
            "emoji": emoji,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.message_out import MessageOut # noqa: PLC0415
        d = dict(src_dict)
        message = MessageOut.from_dict(d.pop("message"))




        target_message_id = d.pop("target_message_id")

        emoji = d.pop("emoji")

        message_reaction_data = cls(
            message=message,
            target_message_id=target_message_id,
            emoji=emoji,
        )


        message_reaction_data.additional_properties = d
        return message_reaction_data

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
