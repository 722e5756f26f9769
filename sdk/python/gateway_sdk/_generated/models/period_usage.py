from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.period_messages import PeriodMessages





T = TypeVar("T", bound="PeriodUsage")



@_attrs_define
class PeriodUsage:
    """ 
        Attributes:
            period (str): A calendar month in UTC.
            starts_at (datetime.datetime):
            ends_at (datetime.datetime):
            messages (PeriodMessages):
     """

    period: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    messages: PeriodMessages
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.period_messages import PeriodMessages # noqa: PLC0415
        period = self.period

        starts_at = self.starts_at.isoformat()

        ends_at = self.ends_at.isoformat()

        messages = self.messages.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "period": period,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "messages": messages,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.period_messages import PeriodMessages # noqa: PLC0415
        d = dict(src_dict)
        period = d.pop("period")

        starts_at = datetime.datetime.fromisoformat(d.pop("starts_at"))




        ends_at = datetime.datetime.fromisoformat(d.pop("ends_at"))




        messages = PeriodMessages.from_dict(d.pop("messages"))




        period_usage = cls(
            period=period,
            starts_at=starts_at,
            ends_at=ends_at,
            messages=messages,
        )


        period_usage.additional_properties = d
        return period_usage

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
