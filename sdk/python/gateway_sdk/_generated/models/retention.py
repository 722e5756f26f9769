from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="Retention")



@_attrs_define
class Retention:
    """ How long the account's records are kept before the purge deletes them: what the
    account chose, else the operator's default, within the operator's maximum.

        Attributes:
            messages_days (int | None): Days a finished message (sent, delivered, read, failed, cancelled, received) is kept
                after it was created; `null`: forever. Queued, sending and scheduled messages are never deleted.
            events_days (int | None): Days an event is kept (`/v1/events`, replays); `null`: forever. Deleting an event
                deletes its webhook deliveries; one with a delivery pending is kept.
            webhook_deliveries_days (int | None): Days a finished webhook delivery and its attempts are kept; `null`:
                forever. Pending deliveries are never deleted.
            maximum_days (int | None): The longest the operator allows for any of them; `null`: no maximum.
     """

    messages_days: int | None
    events_days: int | None
    webhook_deliveries_days: int | None
    maximum_days: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        messages_days: int | None
        messages_days = self.messages_days

        events_days: int | None
        events_days = self.events_days

        webhook_deliveries_days: int | None
        webhook_deliveries_days = self.webhook_deliveries_days

        maximum_days: int | None
        maximum_days = self.maximum_days


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "messages_days": messages_days,
            "events_days": events_days,
            "webhook_deliveries_days": webhook_deliveries_days,
            "maximum_days": maximum_days,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_messages_days(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        messages_days = _parse_messages_days(d.pop("messages_days"))


        def _parse_events_days(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        events_days = _parse_events_days(d.pop("events_days"))


        def _parse_webhook_deliveries_days(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        webhook_deliveries_days = _parse_webhook_deliveries_days(d.pop("webhook_deliveries_days"))


        def _parse_maximum_days(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        maximum_days = _parse_maximum_days(d.pop("maximum_days"))


        retention = cls(
            messages_days=messages_days,
            events_days=events_days,
            webhook_deliveries_days=webhook_deliveries_days,
            maximum_days=maximum_days,
        )


        retention.additional_properties = d
        return retention

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
