from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.day_messages import DayMessages
  from ..models.period_messages_by_status import PeriodMessagesByStatus
  from ..models.session_messages import SessionMessages





T = TypeVar("T", bound="PeriodMessages")



@_attrs_define
class PeriodMessages:
    """ 
        Attributes:
            used (int): Live messages accepted in the period.
            included (int | None): What the plan includes; null: unlimited.
            overage (int): Live messages past the included ones (billed as overage).
            overage_allowed (bool):
            test_mode (int): Messages of sandbox sessions (free).
            by_status (PeriodMessagesByStatus): Live messages by their current status.
            by_session (list[SessionMessages]):
            by_day (list[DayMessages]):
     """

    used: int
    included: int | None
    overage: int
    overage_allowed: bool
    test_mode: int
    by_status: PeriodMessagesByStatus
    by_session: list[SessionMessages]
    by_day: list[DayMessages]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.day_messages import DayMessages # noqa: PLC0415
        from ..models.period_messages_by_status import PeriodMessagesByStatus # noqa: PLC0415
        from ..models.session_messages import SessionMessages # noqa: PLC0415
        used = self.used

        included: int | None
        included = self.included

        overage = self.overage

        overage_allowed = self.overage_allowed

        test_mode = self.test_mode

        by_status = self.by_status.to_dict()

        by_session = []
        for by_session_item_data in self.by_session:
            by_session_item = by_session_item_data.to_dict()
            by_session.append(by_session_item)



        by_day = []
        for by_day_item_data in self.by_day:
            by_day_item = by_day_item_data.to_dict()
            by_day.append(by_day_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "used": used,
            "included": included,
            "overage": overage,
            "overage_allowed": overage_allowed,
            "test_mode": test_mode,
            "by_status": by_status,
            "by_session": by_session,
            "by_day": by_day,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.day_messages import DayMessages # noqa: PLC0415
        from ..models.period_messages_by_status import PeriodMessagesByStatus # noqa: PLC0415
        from ..models.session_messages import SessionMessages # noqa: PLC0415
        d = dict(src_dict)
        used = d.pop("used")

        def _parse_included(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        included = _parse_included(d.pop("included"))


        overage = d.pop("overage")

        overage_allowed = d.pop("overage_allowed")

        test_mode = d.pop("test_mode")

        by_status = PeriodMessagesByStatus.from_dict(d.pop("by_status"))




        by_session = []
        _by_session = d.pop("by_session")
        for by_session_item_data in (_by_session):
            by_session_item = SessionMessages.from_dict(by_session_item_data)



            by_session.append(by_session_item)


        by_day = []
        _by_day = d.pop("by_day")
        for by_day_item_data in (_by_day):
            by_day_item = DayMessages.from_dict(by_day_item_data)



            by_day.append(by_day_item)


        period_messages = cls(
            used=used,
            included=included,
            overage=overage,
            overage_allowed=overage_allowed,
            test_mode=test_mode,
            by_status=by_status,
            by_session=by_session,
            by_day=by_day,
        )


        period_messages.additional_properties = d
        return period_messages

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
