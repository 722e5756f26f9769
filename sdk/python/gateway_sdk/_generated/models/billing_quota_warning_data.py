from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.billing_quota_warning_data_threshold_percent import BillingQuotaWarningDataThresholdPercent
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.billing_quota_warning_data_plan import BillingQuotaWarningDataPlan





T = TypeVar("T", bound="BillingQuotaWarningData")



@_attrs_define
class BillingQuotaWarningData:
    """ The account's live messages this billing period reached 80 % or 100 % of what its
    plan includes. Sent once per threshold and period (a calendar month in UTC); an
    account-level event, so `session` is null.

        Attributes:
            period (str): The billing period, `YYYY-MM` (UTC).
            threshold_percent (BillingQuotaWarningDataThresholdPercent): The threshold reached.
            messages (int): Live messages counted in the period when it was sent.
            included_messages (int): The messages the plan includes per period.
            overage_allowed (bool): Whether sends go on past the included messages (billed as overage); if not, they are
                refused with 402 `quota_exceeded` until `resets_at`.
            plan (BillingQuotaWarningDataPlan): The account's plan: `id` and `name`.
            resets_at (datetime.datetime): When the next period begins.
     """

    period: str
    threshold_percent: BillingQuotaWarningDataThresholdPercent
    messages: int
    included_messages: int
    overage_allowed: bool
    plan: BillingQuotaWarningDataPlan
    resets_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.billing_quota_warning_data_plan import BillingQuotaWarningDataPlan # noqa: PLC0415
        period = self.period

        threshold_percent = self.threshold_percent.value

        messages = self.messages

        included_messages = self.included_messages

        overage_allowed = self.overage_allowed

        plan = self.plan.to_dict()

        resets_at = self.resets_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "period": period,
            "threshold_percent": threshold_percent,
            "messages": messages,
            "included_messages": included_messages,
            "overage_allowed": overage_allowed,
            "plan": plan,
            "resets_at": resets_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.billing_quota_warning_data_plan import BillingQuotaWarningDataPlan # noqa: PLC0415
        d = dict(src_dict)
        period = d.pop("period")

        threshold_percent = BillingQuotaWarningDataThresholdPercent(d.pop("threshold_percent"))




        messages = d.pop("messages")

        included_messages = d.pop("included_messages")

        overage_allowed = d.pop("overage_allowed")

        plan = BillingQuotaWarningDataPlan.from_dict(d.pop("plan"))




        resets_at = datetime.datetime.fromisoformat(d.pop("resets_at"))




        billing_quota_warning_data = cls(
            period=period,
            threshold_percent=threshold_percent,
            messages=messages,
            included_messages=included_messages,
            overage_allowed=overage_allowed,
            plan=plan,
            resets_at=resets_at,
        )


        billing_quota_warning_data.additional_properties = d
        return billing_quota_warning_data

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
