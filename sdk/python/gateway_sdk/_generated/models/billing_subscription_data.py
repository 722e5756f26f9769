from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.billing_subscription_data_status import BillingSubscriptionDataStatus
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.billing_subscription_data_plan import BillingSubscriptionDataPlan
  from ..models.billing_subscription_data_subscribed_plan_type_0 import BillingSubscriptionDataSubscribedPlanType0





T = TypeVar("T", bound="BillingSubscriptionData")



@_attrs_define
class BillingSubscriptionData:
    """ The account's subscription changed: it started, changed plan, was set to cancel,
    renewed, fell past due, or ended (and the account is back on the default plan). An
    account-level event, so `session` is null.

        Attributes:
            status (BillingSubscriptionDataStatus): Stripe's status of the subscription; `none` before the first one.
            plan (BillingSubscriptionDataPlan): The plan in force (`id`, `name`): the subscribed plan while the subscription
                is live or within its grace period, the default plan otherwise.
            subscribed_plan (BillingSubscriptionDataSubscribedPlanType0 | None): The plan the subscription pays for; null
                without one.
            cancel_at_period_end (bool): The subscription ends at `current_period_end` (the account then moves to the
                default plan).
            current_period_end (datetime.datetime | None): When the paid period ends.
            grace_ends_at (datetime.datetime | None): While `past_due` or `unpaid`: when the account falls back to the
                default plan's limits unless the invoice is paid.
            stripe_customer_id (None | str):
            stripe_subscription_id (None | str):
     """

    status: BillingSubscriptionDataStatus
    plan: BillingSubscriptionDataPlan
    subscribed_plan: BillingSubscriptionDataSubscribedPlanType0 | None
    cancel_at_period_end: bool
    current_period_end: datetime.datetime | None
    grace_ends_at: datetime.datetime | None
    stripe_customer_id: None | str
    stripe_subscription_id: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.billing_subscription_data_plan import BillingSubscriptionDataPlan # noqa: PLC0415
        from ..models.billing_subscription_data_subscribed_plan_type_0 import BillingSubscriptionDataSubscribedPlanType0 # noqa: PLC0415
        status = self.status.value

        plan = self.plan.to_dict()

        subscribed_plan: dict[str, Any] | None
        if isinstance(self.subscribed_plan, BillingSubscriptionDataSubscribedPlanType0):
            subscribed_plan = self.subscribed_plan.to_dict()
        else:
            subscribed_plan = self.subscribed_plan

        cancel_at_period_end = self.cancel_at_period_end

        current_period_end: None | str
        if isinstance(self.current_period_end, datetime.datetime):
            current_period_end = self.current_period_end.isoformat()
        else:
            current_period_end = self.current_period_end

        grace_ends_at: None | str
        if isinstance(self.grace_ends_at, datetime.datetime):
            grace_ends_at = self.grace_ends_at.isoformat()
        else:
            grace_ends_at = self.grace_ends_at

        stripe_customer_id: None | str
        stripe_customer_id = self.stripe_customer_id

        stripe_subscription_id: None | str
        stripe_subscription_id = self.stripe_subscription_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "status": status,
            "plan": plan,
            "subscribed_plan": subscribed_plan,
            "cancel_at_period_end": cancel_at_period_end,
            "current_period_end": current_period_end,
            "grace_ends_at": grace_ends_at,
            "stripe_customer_id": stripe_customer_id,
            "stripe_subscription_id": stripe_subscription_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.billing_subscription_data_plan import BillingSubscriptionDataPlan # noqa: PLC0415
        from ..models.billing_subscription_data_subscribed_plan_type_0 import BillingSubscriptionDataSubscribedPlanType0 # noqa: PLC0415
        d = dict(src_dict)
        status = BillingSubscriptionDataStatus(d.pop("status"))




        plan = BillingSubscriptionDataPlan.from_dict(d.pop("plan"))




        def _parse_subscribed_plan(data: object) -> BillingSubscriptionDataSubscribedPlanType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                subscribed_plan_type_0 = BillingSubscriptionDataSubscribedPlanType0.from_dict(data)



                return subscribed_plan_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BillingSubscriptionDataSubscribedPlanType0 | None, data)

        subscribed_plan = _parse_subscribed_plan(d.pop("subscribed_plan"))


        cancel_at_period_end = d.pop("cancel_at_period_end")

        def _parse_current_period_end(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                current_period_end_type_0 = datetime.datetime.fromisoformat(data)



                return current_period_end_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        current_period_end = _parse_current_period_end(d.pop("current_period_end"))


        def _parse_grace_ends_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                grace_ends_at_type_0 = datetime.datetime.fromisoformat(data)



                return grace_ends_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        grace_ends_at = _parse_grace_ends_at(d.pop("grace_ends_at"))


        def _parse_stripe_customer_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        stripe_customer_id = _parse_stripe_customer_id(d.pop("stripe_customer_id"))


        def _parse_stripe_subscription_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        stripe_subscription_id = _parse_stripe_subscription_id(d.pop("stripe_subscription_id"))


        billing_subscription_data = cls(
            status=status,
            plan=plan,
            subscribed_plan=subscribed_plan,
            cancel_at_period_end=cancel_at_period_end,
            current_period_end=current_period_end,
            grace_ends_at=grace_ends_at,
            stripe_customer_id=stripe_customer_id,
            stripe_subscription_id=stripe_subscription_id,
        )


        billing_subscription_data.additional_properties = d
        return billing_subscription_data

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
