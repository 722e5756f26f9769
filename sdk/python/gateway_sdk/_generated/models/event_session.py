from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.event_session_metadata import EventSessionMetadata





T = TypeVar("T", bound="EventSession")



@_attrs_define
class EventSession:
    """ The session the event is about, as it was when the event happened: events outlive
    renamed and deleted sessions.

        Attributes:
            id (str):
            name (str):
            metadata (EventSessionMetadata | Unset): The session's metadata, echoed in every event.
     """

    id: str
    name: str
    metadata: EventSessionMetadata | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.event_session_metadata import EventSessionMetadata # noqa: PLC0415
        id = self.id

        name = self.name

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "name": name,
        })
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_session_metadata import EventSessionMetadata # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        _metadata = d.pop("metadata", UNSET)
        metadata: EventSessionMetadata | Unset
        if isinstance(_metadata,  Unset):
            metadata = UNSET
        else:
            metadata = EventSessionMetadata.from_dict(_metadata)




        event_session = cls(
            id=id,
            name=name,
            metadata=metadata,
        )


        event_session.additional_properties = d
        return event_session

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
