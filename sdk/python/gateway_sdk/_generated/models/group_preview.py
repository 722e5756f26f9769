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






T = TypeVar("T", bound="GroupPreview")



@_attrs_define
class GroupPreview:
    """ What an invite code shows before joining.

        Attributes:
            id (str):
            subject (str):
            description (None | str):
            size (int): How many participants the group has.
            owner (None | str):
            created_at (datetime.datetime | None):
            object_ (Literal['group_preview'] | Unset):  Default: 'group_preview'.
     """

    id: str
    subject: str
    description: None | str
    size: int
    owner: None | str
    created_at: datetime.datetime | None
    object_: Literal['group_preview'] | Unset = 'group_preview'
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        subject = self.subject

        description: None | str
        description = self.description

        size = self.size

        owner: None | str
        owner = self.owner

        created_at: None | str
        if isinstance(self.created_at, datetime.datetime):
            created_at = self.created_at.isoformat()
        else:
            created_at = self.created_at

        object_ = self.object_


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "subject": subject,
            "description": description,
            "size": size,
            "owner": owner,
            "created_at": created_at,
        })
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        subject = d.pop("subject")

        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))


        size = d.pop("size")

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


        object_ = cast(Literal['group_preview'] | Unset , d.pop("object", UNSET))
        if object_ != 'group_preview'and not isinstance(object_, Unset):
            raise ValueError(f"object must match const 'group_preview', got '{object_}'")

        group_preview = cls(
            id=id,
            subject=subject,
            description=description,
            size=size,
            owner=owner,
            created_at=created_at,
            object_=object_,
        )


        group_preview.additional_properties = d
        return group_preview

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
