from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="RetentionUpdate")



@_attrs_define
class RetentionUpdate:
    """ Days to keep each kind of record; omitted kinds keep their setting.

        Attributes:
            messages_days (int | None | Unset): Days finished messages are kept. `null`: back to the operator's default.
            events_days (int | None | Unset): Days events are kept. `null`: back to the operator's default.
            webhook_deliveries_days (int | None | Unset): Days finished webhook deliveries are kept. `null`: back to the
                operator's default.
     """

    messages_days: int | None | Unset = UNSET
    events_days: int | None | Unset = UNSET
    webhook_deliveries_days: int | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        messages_days: int | None | Unset
        if isinstance(self.messages_days, Unset):
            messages_days = UNSET
        else:
            messages_days = self.messages_days

        events_days: int | None | Unset
        if isinstance(self.events_days, Unset):
            events_days = UNSET
        else:
            events_days = self.events_days

        webhook_deliveries_days: int | None | Unset
        if isinstance(self.webhook_deliveries_days, Unset):
            webhook_deliveries_days = UNSET
        else:
            webhook_deliveries_days = self.webhook_deliveries_days


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if messages_days is not UNSET:
            field_dict["messages_days"] = messages_days
        if events_days is not UNSET:
            field_dict["events_days"] = events_days
        if webhook_deliveries_days is not UNSET:
            field_dict["webhook_deliveries_days"] = webhook_deliveries_days

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_messages_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        messages_days = _parse_messages_days(d.pop("messages_days", UNSET))


        def _parse_events_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        events_days = _parse_events_days(d.pop("events_days", UNSET))


        def _parse_webhook_deliveries_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        webhook_deliveries_days = _parse_webhook_deliveries_days(d.pop("webhook_deliveries_days", UNSET))


        retention_update = cls(
            messages_days=messages_days,
            events_days=events_days,
            webhook_deliveries_days=webhook_deliveries_days,
        )

        return retention_update

