from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from typing import Literal, cast

if TYPE_CHECKING:
  from ..models.metered import Metered
  from ..models.period_usage import PeriodUsage
  from ..models.plan_ref import PlanRef





T = TypeVar("T", bound="Usage")



@_attrs_define
class Usage:
    """ The account's usage: messages of the current and previous billing periods, and
    what it holds now, each against its plan's limit.

        Attributes:
            account_id (str):
            plan (PlanRef):
            current_period (PeriodUsage):
            previous_period (PeriodUsage):
            sessions (Metered):
            webhook_endpoints (Metered):
            api_keys (Metered):
            media_storage_bytes (Metered):
            object_ (Literal['usage'] | Unset):  Default: 'usage'.
     """

    account_id: str
    plan: PlanRef
    current_period: PeriodUsage
    previous_period: PeriodUsage
    sessions: Metered
    webhook_endpoints: Metered
    api_keys: Metered
    media_storage_bytes: Metered
    object_: Literal['usage'] | Unset = 'usage'
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.metered import Metered # noqa: PLC0415
        from ..models.period_usage import PeriodUsage # noqa: PLC0415
        from ..models.plan_ref import PlanRef # noqa: PLC0415
        account_id = self.account_id

        plan = self.plan.to_dict()

        current_period = self.current_period.to_dict()

        previous_period = self.previous_period.to_dict()

        sessions = self.sessions.to_dict()

        webhook_endpoints = self.webhook_endpoints.to_dict()

        api_keys = self.api_keys.to_dict()

        media_storage_bytes = self.media_storage_bytes.to_dict()

        object_ = self.object_


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "account_id": account_id,
            "plan": plan,
            "current_period": current_period,
            "previous_period": previous_period,
            "sessions": sessions,
            "webhook_endpoints": webhook_endpoints,
            "api_keys": api_keys,
            "media_storage_bytes": media_storage_bytes,
        })
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.metered import Metered # noqa: PLC0415
        from ..models.period_usage import PeriodUsage # noqa: PLC0415
        from ..models.plan_ref import PlanRef # noqa: PLC0415
        d = dict(src_dict)
        account_id = d.pop("account_id")

        plan = PlanRef.from_dict(d.pop("plan"))




        current_period = PeriodUsage.from_dict(d.pop("current_period"))




        previous_period = PeriodUsage.from_dict(d.pop("previous_period"))




        sessions = Metered.from_dict(d.pop("sessions"))




        webhook_endpoints = Metered.from_dict(d.pop("webhook_endpoints"))




        api_keys = Metered.from_dict(d.pop("api_keys"))




        media_storage_bytes = Metered.from_dict(d.pop("media_storage_bytes"))




        object_ = cast(Literal['usage'] | Unset , d.pop("object", UNSET))
        if object_ != 'usage'and not isinstance(object_, Unset):
            raise ValueError(f"object must match const 'usage', got '{object_}'")

        usage = cls(
            account_id=account_id,
            plan=plan,
            current_period=current_period,
            previous_period=previous_period,
            sessions=sessions,
            webhook_endpoints=webhook_endpoints,
            api_keys=api_keys,
            media_storage_bytes=media_storage_bytes,
            object_=object_,
        )


        usage.additional_properties = d
        return usage

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
