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
  from ..models.last_message import LastMessage





T = TypeVar("T", bound="Chat")



@_attrs_define
class Chat:
    """ 
        Attributes:
            id (str): The chat's id.
            name (None | str): The contact's name, or the group's subject.
            is_group (bool):
            unread_count (int): Received messages not read yet.
            marked_unread (bool): Marked unread by hand (a bold dot on the phone).
            archived (bool):
            last_message (LastMessage | None):
            last_activity_at (datetime.datetime | None): When the newest message came or went.
            object_ (Literal['chat'] | Unset):  Default: 'chat'.
     """

    id: str
    name: None | str
    is_group: bool
    unread_count: int
    marked_unread: bool
    archived: bool
    last_message: LastMessage | None
    last_activity_at: datetime.datetime | None
    object_: Literal['chat'] | Unset = 'chat'
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.last_message import LastMessage # noqa: PLC0415
        id = self.id

        name: None | str
        name = self.name

        is_group = self.is_group

        unread_count = self.unread_count

        marked_unread = self.marked_unread

        archived = self.archived

        last_message: dict[str, Any] | None
        if isinstance(self.last_message, LastMessage):
            last_message = self.last_message.to_dict()
        else:
            last_message = self.last_message

        last_activity_at: None | str
        if isinstance(self.last_activity_at, datetime.datetime):
            last_activity_at = self.last_activity_at.isoformat()
        else:
            last_activity_at = self.last_activity_at

        object_ = self.object_


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "name": name,
            "is_group": is_group,
            "unread_count": unread_count,
            "marked_unread": marked_unread,
            "archived": archived,
            "last_message": last_message,
            "last_activity_at": last_activity_at,
        })
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.last_message import LastMessage # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        def _parse_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        name = _parse_name(d.pop("name"))


        is_group = d.pop("is_group")

        unread_count = d.pop("unread_count")

        marked_unread = d.pop("marked_unread")

        archived = d.pop("archived")

        def _parse_last_message(data: object) -> LastMessage | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                last_message_type_0 = LastMessage.from_dict(data)



                return last_message_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LastMessage | None, data)

        last_message = _parse_last_message(d.pop("last_message"))


        def _parse_last_activity_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_activity_at_type_0 = datetime.datetime.fromisoformat(data)



                return last_activity_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_activity_at = _parse_last_activity_at(d.pop("last_activity_at"))


        object_ = cast(Literal['chat'] | Unset , d.pop("object", UNSET))
        if object_ != 'chat'and not isinstance(object_, Unset):
            raise ValueError(f"object must match const 'chat', got '{object_}'")

        chat = cls(
            id=id,
            name=name,
            is_group=is_group,
            unread_count=unread_count,
            marked_unread=marked_unread,
            archived=archived,
            last_message=last_message,
            last_activity_at=last_activity_at,
            object_=object_,
        )


        chat.additional_properties = d
        return chat

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
