from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.participants_update_action import ParticipantsUpdateAction
from ..types import UNSET, Unset
from typing import cast
from typing import Literal, cast

if TYPE_CHECKING:
  from ..models.group import Group
  from ..models.participant_result import ParticipantResult





T = TypeVar("T", bound="ParticipantsUpdate")



@_attrs_define
class ParticipantsUpdate:
    """ 
        Attributes:
            action (ParticipantsUpdateAction):
            results (list[ParticipantResult]): One result per participant given.
            group (Group):
            object_ (Literal['group_participants_update'] | Unset):  Default: 'group_participants_update'.
     """

    action: ParticipantsUpdateAction
    results: list[ParticipantResult]
    group: Group
    object_: Literal['group_participants_update'] | Unset = 'group_participants_update'
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.group import Group # noqa: PLC0415
        from ..models.participant_result import ParticipantResult # noqa: PLC0415
        action = self.action.value

        results = []
        for results_item_data in self.results:
            results_item = results_item_data.to_dict()
            results.append(results_item)



        group = self.group.to_dict()

        object_ = self.object_


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "action": action,
            "results": results,
            "group": group,
        })
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.group import Group # noqa: PLC0415
        from ..models.participant_result import ParticipantResult # noqa: PLC0415
        d = dict(src_dict)
        action = ParticipantsUpdateAction(d.pop("action"))




        results = []
        _results = d.pop("results")
        for results_item_data in (_results):
            results_item = ParticipantResult.from_dict(results_item_data)



            results.append(results_item)


        group = Group.from_dict(d.pop("group"))




        object_ = cast(Literal['group_participants_update'] | Unset , d.pop("object", UNSET))
        if object_ != 'group_participants_update'and not isinstance(object_, Unset):
            raise ValueError(f"object must match const 'group_participants_update', got '{object_}'")

        participants_update = cls(
            action=action,
            results=results,
            group=group,
            object_=object_,
        )


        participants_update.additional_properties = d
        return participants_update

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
