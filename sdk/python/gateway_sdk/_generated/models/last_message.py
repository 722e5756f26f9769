from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="LastMessage")



@_attrs_define
class LastMessage:
    """ A summary of the newest message in a chat.

        Attributes:
            engine_message_id (str):
            from_me (bool):
            from_id (None | str): The sender (in groups, the participant).
            type_ (str):
            text (None | str): The text or caption, when there is one.
            timestamp (datetime.datetime):
            id (None | str | Unset): The gateway's id (`msg_…`) when the gateway saw the message.
     """

    engine_message_id: str
    from_me: bool
    from_id: None | str
    type_: str
    text: None | str
    timestamp: datetime.datetime
    id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        engine_message_id = self.engine_message_id

        from_me = self.from_me

        from_id: None | str
        from_id = self.from_id

        type_ = self.type_

        text: None | str
        text = self.text

        timestamp = self.timestamp.isoformat()

        id: None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "engine_message_id": engine_message_id,
            "from_me": from_me,
            "from_id": from_id,
            "type": type_,
            "text": text,
            "timestamp": timestamp,
        })
        if id is not UNSET:
            field_dict["id"] = id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        engine_message_id = d.pop("engine_message_id")

        from_me = d.pop("from_me")

        def _parse_from_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        from_id = _parse_from_id(d.pop("from_id"))


        type_ = d.pop("type")

        def _parse_text(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        text = _parse_text(d.pop("text"))


        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))




        def _parse_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        id = _parse_id(d.pop("id", UNSET))


        last_message = cls(
            engine_message_id=engine_message_id,
            from_me=from_me,
            from_id=from_id,
            type_=type_,
            text=text,
            timestamp=timestamp,
            id=id,
        )


        last_message.additional_properties = d
        return last_message

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
