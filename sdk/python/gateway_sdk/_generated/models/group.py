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

if TYPE_CHECKING:
  from ..models.group_participant import GroupParticipant
  from ..models.group_settings import GroupSettings





T = TypeVar("T", bound="Group")



@_attrs_define
class Group:
    """ 
        Attributes:
            id (str):
            subject (str):
            description (None | str):
            picture_url (None | str):
            owner (None | str): Who created the group.
            created_at (datetime.datetime | None):
            settings (GroupSettings):
            participants (list[GroupParticipant]):
            object_ (Literal['group'] | Unset):  Default: 'group'.
     """

    id: str
    subject: str
    description: None | str
    picture_url: None | str
    owner: None | str
    created_at: datetime.datetime | None
    settings: GroupSettings
    participants: list[GroupParticipant]
    object_: Literal['group'] | Unset = 'group'
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.group_participant import GroupParticipant # noqa: PLC0415
        from ..models.group_settings import GroupSettings # noqa: PLC0415
        id = self.id

        subject = self.subject

        description: None | str
        description = self.description

        picture_url: None | str
        picture_url = self.picture_url

        owner: None | str
        owner = self.owner

        created_at: None | str
        if isinstance(self.created_at, datetime.datetime):
            created_at = self.created_at.isoformat()
        else:
            created_at = self.created_at

        settings = self.settings.to_dict()

        participants = []
        for participants_item_data in self.participants:
            participants_item = participants_item_data.to_dict()
            participants.append(participants_item)



        object_ = self.object_


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "subject": subject,
            "description": description,
            "picture_url": picture_url,
            "owner": owner,
            "created_at": created_at,
            "settings": settings,
            "participants": participants,
        })
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.group_participant import GroupParticipant # noqa: PLC0415
        from ..models.group_settings import GroupSettings # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        subject = d.pop("subject")

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))


        def _parse_picture_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        picture_url = _parse_picture_url(d.pop("picture_url"))


        def _parse_owner(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        owner = _parse_owner(d.pop("owner"))


        def _parse_created_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_at_type_0 = datetime.datetime.fromisoformat(data)



                return created_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        created_at = _parse_created_at(d.pop("created_at"))


        settings = GroupSettings.from_dict(d.pop("settings"))




        participants = []
        _participants = d.pop("participants")
        for participants_item_data in (_participants):
            participants_item = GroupParticipant.from_dict(participants_item_data)



            participants.append(participants_item)


        object_ = cast(Literal['group'] | Unset , d.pop("object", UNSET))
        if object_ != 'group'and not isinstance(object_, Unset):
            raise ValueError(f"object must match const 'group', got '{object_}'")

        group = cls(
            id=id,
            subject=subject,
            description=description,
            picture_url=picture_url,
            owner=owner,
            created_at=created_at,
            settings=settings,
            participants=participants,
            object_=object_,
        )


        group.additional_properties = d
        return group

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
