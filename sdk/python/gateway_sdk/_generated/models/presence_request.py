from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.presence_request_presence import PresenceRequestPresence
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="PresenceRequest")



@_attrs_define
class PresenceRequest:
    """ A contact's presence, as the simulated network reports it to the session.

        Attributes:
            from_ (str):
            presence (PresenceRequestPresence):
            group_id (None | str | Unset): Typing in this group rather than in the direct chat.
     """

    from_: str
    presence: PresenceRequestPresence
    group_id: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from_ = self.from_

        presence = self.presence.value

        group_id: None | str | Unset
        if isinstance(self.group_id, Unset):
            group_id = UNSET
        else:
            group_id = self.group_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "from": from_,
            "presence": presence,
        })
        if group_id is not UNSET:
            field_dict["group_id"] = group_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        from_ = d.pop("from")

        presence = PresenceRequestPresence(d.pop("presence"))




        def _parse_group_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        group_id = _parse_group_id(d.pop("group_id", UNSET))


        presence_request = cls(
            from_=from_,
            presence=presence,
            group_id=group_id,
        )

        return presence_request

