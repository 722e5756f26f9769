from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.presence_update_data_presence import PresenceUpdateDataPresence
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="PresenceUpdateData")



@_attrs_define
class PresenceUpdateData:
    """ 
        Attributes:
            chat_id (str): The chat: the contact's, or a group's.
            participant_id (str): Whose presence it is.
            presence (PresenceUpdateDataPresence):
            last_seen_at (datetime.datetime | None | Unset): When shared.
     """

    chat_id: str
    participant_id: str
    presence: PresenceUpdateDataPresence
    last_seen_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        chat_id = self.chat_id

        participant_id = self.participant_id

        presence = self.presence.value

        last_seen_at: None | str | Unset
        if isinstance(self.last_seen_at, Unset):
            last_seen_at = UNSET
        elif isinstance(self.last_seen_at, datetime.datetime):
            last_seen_at = self.last_seen_at.isoformat()
        else:
            last_seen_at = self.last_seen_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "chat_id": chat_id,
            "participant_id": participant_id,
            "presence": presence,
        })
        if last_seen_at is not UNSET:
            field_dict["last_seen_at"] = last_seen_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        chat_id = d.pop("chat_id")

        participant_id = d.pop("participant_id")

        presence = PresenceUpdateDataPresence(d.pop("presence"))




        def _parse_last_seen_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_seen_at_type_0 = datetime.datetime.fromisoformat(data)



                return last_seen_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_seen_at = _parse_last_seen_at(d.pop("last_seen_at", UNSET))


        presence_update_data = cls(
            chat_id=chat_id,
            participant_id=participant_id,
            presence=presence,
            last_seen_at=last_seen_at,
        )


        presence_update_data.additional_properties = d
        return presence_update_data

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
