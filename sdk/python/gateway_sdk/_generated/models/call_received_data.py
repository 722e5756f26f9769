from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="CallReceivedData")



@_attrs_define
class CallReceivedData:
    """ 
        Attributes:
            call_id (str): WhatsApp's id of the call.
            chat_id (str): The caller's chat, or the group's for a group call.
            from_id (str): Who calls (`…@c.us`, or `…@lid` for LID-only callers).
            offered_at (datetime.datetime):
            from_phone_number (None | str | Unset): E.164, when known.
            from_lid (None | str | Unset): The caller's LID, when known.
            group_id (None | str | Unset): Set for group calls.
            video (bool | Unset): A video call. Default: False.
     """

    call_id: str
    chat_id: str
    from_id: str
    offered_at: datetime.datetime
    from_phone_number: None | str | Unset = UNSET
    from_lid: None | str | Unset = UNSET
    group_id: None | str | Unset = UNSET
    video: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        call_id = self.call_id

        chat_id = self.chat_id

        from_id = self.from_id

        offered_at = self.offered_at.isoformat()

        from_phone_number: None | str | Unset
        if isinstance(self.from_phone_number, Unset):
            from_phone_number = UNSET
        else:
            from_phone_number = self.from_phone_number

        from_lid: None | str | Unset
        if isinstance(self.from_lid, Unset):
            from_lid = UNSET
        else:
            from_lid = self.from_lid

        group_id: None | str | Unset
        if isinstance(self.group_id, Unset):
            group_id = UNSET
        else:
            group_id = self.group_id

        video = self.video


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "call_id": call_id,
            "chat_id": chat_id,
            "from_id": from_id,
            "offered_at": offered_at,
        })
        if from_phone_number is not UNSET:
            field_dict["from_phone_number"] = from_phone_number
        if from_lid is not UNSET:
            field_dict["from_lid"] = from_lid
        if group_id is not UNSET:
            field_dict["group_id"] = group_id
        if video is not UNSET:
            field_dict["video"] = video

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        call_id = d.pop("call_id")

        chat_id = d.pop("chat_id")

        from_id = d.pop("from_id")

        offered_at = datetime.datetime.fromisoformat(d.pop("offered_at"))




        def _parse_from_phone_number(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        from_phone_number = _parse_from_phone_number(d.pop("from_phone_number", UNSET))


        def _parse_from_lid(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        from_lid = _parse_from_lid(d.pop("from_lid", UNSET))


        def _parse_group_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        group_id = _parse_group_id(d.pop("group_id", UNSET))


        video = d.pop("video", UNSET)

        call_received_data = cls(
            call_id=call_id,
            chat_id=chat_id,
            from_id=from_id,
            offered_at=offered_at,
            from_phone_number=from_phone_number,
            from_lid=from_lid,
            group_id=group_id,
            video=video,
        )


        call_received_data.additional_properties = d
        return call_received_data

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
