from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.group_joined_data_via import GroupJoinedDataVia
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.group import Group





T = TypeVar("T", bound="GroupJoinedData")



@_attrs_define
class GroupJoinedData:
    """ 
        Attributes:
            via (GroupJoinedDataVia):
            group (Group):
            by (None | str | Unset): Who made the change, when known (the session itself, too).
     """

    via: GroupJoinedDataVia
    group: Group
    by: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.group import Group # noqa: PLC0415
        via = self.via.value

        group = self.group.to_dict()

        by: None | str | Unset
        if isinstance(self.by, Unset):
            by = UNSET
        else:
            by = self.by


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "via": via,
            "group": group,
        })
        if by is not UNSET:
            field_dict["by"] = by

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.group import Group # noqa: PLC0415
        d = dict(src_dict)
        via = GroupJoinedDataVia(d.pop("via"))




        group = Group.from_dict(d.pop("group"))




        def _parse_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        by = _parse_by(d.pop("by", UNSET))


        group_joined_data = cls(
            via=via,
            group=group,
            by=by,
        )


        group_joined_data.additional_properties = d
        return group_joined_data

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
