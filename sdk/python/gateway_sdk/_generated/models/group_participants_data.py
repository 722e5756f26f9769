from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.group_participants_data_action import GroupParticipantsDataAction
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.group_participant import GroupParticipant





T = TypeVar("T", bound="GroupParticipantsData")



@_attrs_define
class GroupParticipantsData:
    """ 
        Attributes:
            group_id (str):
            action (GroupParticipantsDataAction):
            participants (list[GroupParticipant]):
            by (None | str | Unset): Who made the change, when known (the session itself, too).
     """

    group_id: str
    action: GroupParticipantsDataAction
    participants: list[GroupParticipant]
    by: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.group_participant import GroupParticipant # noqa: PLC0415
        group_id = self.group_id

        action = self.action.value

        participants = []
        for participants_item_data in self.participants:
            participants_item = participants_item_data.to_dict()
            participants.append(participants_item)



        by: None | str | Unset
        if isinstance(self.by, Unset):
            by = UNSET
        else:
            by = self.by


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "group_id": group_id,
            "action": action,
            "participants": participants,
        })
        if by is not UNSET:
            field_dict["by"] = by

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.group_participant import GroupParticipant # noqa: PLC0415
        d = dict(src_dict)
        group_id = d.pop("group_id")

        action = GroupParticipantsDataAction(d.pop("action"))




        participants = []
        _participants = d.pop("participants")
        for participants_item_data in (_participants):
            participants_item = GroupParticipant.from_dict(participants_item_data)



            participants.append(participants_item)


        def _parse_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        by = _parse_by(d.pop("by", UNSET))


        group_participants_data = cls(
            group_id=group_id,
            action=action,
            participants=participants,
            by=by,
        )


        group_participants_data.additional_properties = d
        return group_participants_data

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
