from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="PlanCreate")



@_attrs_define
class PlanCreate:
    """ 
        Attributes:
            name (str):
            stripe_price_id (None | str | Unset):
            stripe_overage_price_id (None | str | Unset):
            rate_limit (None | str | Unset): Requests allowed per window, e.g. `100/second`, `5000/hour`, `1000 per 10
                minutes`. Unset: the account's default, else the server's.
            messages_per_month (int | None | Unset): Omitted: unlimited.
            overage_allowed (bool | Unset):  Default: False.
            sessions (int | None | Unset): Omitted: unlimited.
            webhook_endpoints (int | None | Unset): Omitted: unlimited.
            api_keys (int | None | Unset): Omitted: unlimited.
            media_storage_bytes (int | None | Unset): Omitted: unlimited.
            is_default (bool | Unset): Make it the default (the previous default no longer is). Default: False.
     """

    name: str
    stripe_price_id: None | str | Unset = UNSET
    stripe_overage_price_id: None | str | Unset = UNSET
    rate_limit: None | str | Unset = UNSET
    messages_per_month: int | None | Unset = UNSET
    overage_allowed: bool | Unset = False
    sessions: int | None | Unset = UNSET
    webhook_endpoints: int | None | Unset = UNSET
    api_keys: int | None | Unset = UNSET
    media_storage_bytes: int | None | Unset = UNSET
    is_default: bool | Unset = False





    def to_dict(self) -> dict[str, Any]:
        name = self.name

        stripe_price_id: None | str | Unset
        if isinstance(self.stripe_price_id, Unset):
            stripe_price_id = UNSET
        else:
            stripe_price_id = self.stripe_price_id

        stripe_overage_price_id: None | str | Unset
        if isinstance(self.stripe_overage_price_id, Unset):
            stripe_overage_price_id = UNSET
        else:
            stripe_overage_price_id = self.stripe_overage_price_id

        rate_limit: None | str | Unset
        if isinstance(self.rate_limit, Unset):
            rate_limit = UNSET
        else:
            rate_limit = self.rate_limit

        messages_per_month: int | None | Unset
        if isinstance(self.messages_per_month, Unset):
            messages_per_month = UNSET
        else:
            messages_per_month = self.messages_per_month

        overage_allowed = self.overage_allowed

        sessions: int | None | Unset
        if isinstance(self.sessions, Unset):
            sessions = UNSET
        else:
            sessions = self.sessions

        webhook_endpoints: int | None | Unset
        if isinstance(self.webhook_endpoints, Unset):
            webhook_endpoints = UNSET
        else:
            webhook_endpoints = self.webhook_endpoints

        api_keys: int | None | Unset
        if isinstance(self.api_keys, Unset):
            api_keys = UNSET
        else:
            api_keys = self.api_keys

        media_storage_bytes: int | None | Unset
        if isinstance(self.media_storage_bytes, Unset):
            media_storage_bytes = UNSET
        else:
            media_storage_bytes = self.media_storage_bytes

        is_default = self.is_default


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "name": name,
        })
        if stripe_price_id is not UNSET:
            field_dict["stripe_price_id"] = stripe_price_id
        if stripe_overage_price_id is not UNSET:
            field_dict["stripe_overage_price_id"] = stripe_overage_price_id
        if rate_limit is not UNSET:
            field_dict["rate_limit"] = rate_limit
        if messages_per_month is not UNSET:
            field_dict["messages_per_month"] = messages_per_month
        if overage_allowed is not UNSET:
            field_dict["overage_allowed"] = overage_allowed
        if sessions is not UNSET:
            field_dict["sessions"] = sessions
        if webhook_endpoints is not UNSET:
            field_dict["webhook_endpoints"] = webhook_endpoints
        if api_keys is not UNSET:
            field_dict["api_keys"] = api_keys
        if media_storage_bytes is not UNSET:
            field_dict["media_storage_bytes"] = media_storage_bytes
        if is_default is not UNSET:
            field_dict["is_default"] = is_default

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        def _parse_stripe_price_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        stripe_price_id = _parse_stripe_price_id(d.pop("stripe_price_id", UNSET))


        def _parse_stripe_overage_price_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        stripe_overage_price_id = _parse_stripe_overage_price_id(d.pop("stripe_overage_price_id", UNSET))


        def _parse_rate_limit(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        rate_limit = _parse_rate_limit(d.pop("rate_limit", UNSET))


        def _parse_messages_per_month(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        messages_per_month = _parse_messages_per_month(d.pop("messages_per_month", UNSET))


        overage_allowed = d.pop("overage_allowed", UNSET)

        def _parse_sessions(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        sessions = _parse_sessions(d.pop("sessions", UNSET))


        def _parse_webhook_endpoints(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        webhook_endpoints = _parse_webhook_endpoints(d.pop("webhook_endpoints", UNSET))


        def _parse_api_keys(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        api_keys = _parse_api_keys(d.pop("api_keys", UNSET))


        def _parse_media_storage_bytes(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        media_storage_bytes = _parse_media_storage_bytes(d.pop("media_storage_bytes", UNSET))


        is_default = d.pop("is_default", UNSET)

        plan_create = cls(
            name=name,
            stripe_price_id=stripe_price_id,
            stripe_overage_price_id=stripe_overage_price_id,
            rate_limit=rate_limit,
            messages_per_month=messages_per_month,
            overage_allowed=overage_allowed,
            sessions=sessions,
            webhook_endpoints=webhook_endpoints,
            api_keys=api_keys,
            media_storage_bytes=media_storage_bytes,
            is_default=is_default,
        )

        return plan_create

