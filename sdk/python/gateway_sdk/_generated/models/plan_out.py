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






T = TypeVar("T", bound="PlanOut")



@_attrs_define
class PlanOut:
    """ 
        Attributes:
            id (str):
            name (str):
            stripe_price_id (None | str): The Stripe price of the subscription; `null` for a free plan.
            stripe_overage_price_id (None | str): The metered Stripe price that messages past the included ones are billed
                at.
            rate_limit (None | str): Requests allowed per window, e.g. `100/second`, `5000/hour`, `1000 per 10 minutes`.
                Unset: the account's default, else the server's. For keys without a limit of their own.
            messages_per_month (int | None): Messages included per month. `null`: unlimited.
            overage_allowed (bool): Whether sends past the included messages go on, billed as overage.
            sessions (int | None): Sessions on real engines (sandbox ones do not count). `null`: unlimited.
            webhook_endpoints (int | None): Webhook endpoints. `null`: unlimited.
            api_keys (int | None): Unrevoked live-mode keys (test-mode ones do not count). `null`: unlimited.
            media_storage_bytes (int | None): Stored media, in bytes. `null`: unlimited.
            is_default (bool): The plan new accounts get; exactly one plan is.
            created_at (datetime.datetime):
            object_ (Literal['plan'] | Unset):  Default: 'plan'.
     """

    id: str
    name: str
    stripe_price_id: None | str
    stripe_overage_price_id: None | str
    rate_limit: None | str
    messages_per_month: int | None
    overage_allowed: bool
    sessions: int | None
    webhook_endpoints: int | None
    api_keys: int | None
    media_storage_bytes: int | None
    is_default: bool
    created_at: datetime.datetime
    object_: Literal['plan'] | Unset = 'plan'
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        stripe_price_id: None | str
        stripe_price_id = self.stripe_price_id

        stripe_overage_price_id: None | str
        stripe_overage_price_id = self.stripe_overage_price_id

        rate_limit: None | str
        rate_limit = self.rate_limit

        messages_per_month: int | None
        messages_per_month = self.messages_per_month

        overage_allowed = self.overage_allowed

        sessions: int | None
        sessions = self.sessions

        webhook_endpoints: int | None
        webhook_endpoints = self.webhook_endpoints

        api_keys: int | None
        api_keys = self.api_keys

        media_storage_bytes: int | None
        media_storage_bytes = self.media_storage_bytes

        is_default = self.is_default

        created_at = self.created_at.isoformat()

        object_ = self.object_


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "name": name,
            "stripe_price_id": stripe_price_id,
            "stripe_overage_price_id": stripe_overage_price_id,
            "rate_limit": rate_limit,
            "messages_per_month": messages_per_month,
            "overage_allowed": overage_allowed,
            "sessions": sessions,
            "webhook_endpoints": webhook_endpoints,
            "api_keys": api_keys,
            "media_storage_bytes": media_storage_bytes,
            "is_default": is_default,
            "created_at": created_at,
        })
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        def _parse_stripe_price_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        stripe_price_id = _parse_stripe_price_id(d.pop("stripe_price_id"))


        def _parse_stripe_overage_price_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        stripe_overage_price_id = _parse_stripe_overage_price_id(d.pop("stripe_overage_price_id"))


        def _parse_rate_limit(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        rate_limit = _parse_rate_limit(d.pop("rate_limit"))


        def _parse_messages_per_month(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        messages_per_month = _parse_messages_per_month(d.pop("messages_per_month"))


        overage_allowed = d.pop("overage_allowed")

        def _parse_sessions(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        sessions = _parse_sessions(d.pop("sessions"))


        def _parse_webhook_endpoints(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        webhook_endpoints = _parse_webhook_endpoints(d.pop("webhook_endpoints"))


        def _parse_api_keys(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        api_keys = _parse_api_keys(d.pop("api_keys"))


        def _parse_media_storage_bytes(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        media_storage_bytes = _parse_media_storage_bytes(d.pop("media_storage_bytes"))


        is_default = d.pop("is_default")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        object_ = cast(Literal['plan'] | Unset , d.pop("object", UNSET))
        if object_ != 'plan'and not isinstance(object_, Unset):
            raise ValueError(f"object must match const 'plan', got '{object_}'")

        plan_out = cls(
            id=id,
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
            created_at=created_at,
            object_=object_,
        )


        plan_out.additional_properties = d
        return plan_out

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
