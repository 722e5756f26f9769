from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.group_participant_role import GroupParticipantRole
from typing import cast






T = TypeVar("T", bound="GroupParticipant")



@_attrs_define
class GroupParticipant:
    """ 
        Attributes:
            id (str): The participant's id.
            phone_number (None | str): E.164, when known.
            lid (None | str): The LID (`…@lid`), WhatsApp's id that hides the number, when known.
            role (GroupParticipantRole): `superadmin` is the group's creator.
     """

    id: str
    phone_number: None | str
    lid: None | str
    role: GroupParticipantRole
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        phone_number: None | str
        phone_number = self.phone_number

        lid: None | str
        lid = self.lid

        role = self.role.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "phone_number": phone_number,
            "lid": lid,
            "role": role,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        def _parse_phone_number(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        phone_number = _parse_phone_number(d.pop("phone_number"))


        def _parse_lid(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        lid = _parse_lid(d.pop("lid"))


        role = GroupParticipantRole(d.pop("role"))




        group_participant = cls(
            id=id,
            phone_number=phone_number,
            lid=lid,
            role=role,
        )


        group_participant.additional_properties = d
        return group_participant

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
