from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="CheckoutCreate")



@_attrs_define
class CheckoutCreate:
    """ 
        Attributes:
            plan (str): The plan to subscribe to (`plan_…`).
            success_url (str): Where Stripe sends the customer after paying. Stripe replaces `{CHECKOUT_SESSION_ID}` in it
                with the Checkout Session's id.
            cancel_url (None | str | Unset): Where Stripe sends the customer who goes back without paying.
     """

    plan: str
    success_url: str
    cancel_url: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        plan = self.plan

        success_url = self.success_url

        cancel_url: None | str | Unset
        if isinstance(self.cancel_url, Unset):
            cancel_url = UNSET
        else:
            cancel_url = self.cancel_url


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "plan": plan,
            "success_url": success_url,
        })
        if cancel_url is not UNSET:
            field_dict["cancel_url"] = cancel_url

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        plan = d.pop("plan")

        success_url = d.pop("success_url")

        def _parse_cancel_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        cancel_url = _parse_cancel_url(d.pop("cancel_url", UNSET))


        checkout_create = cls(
            plan=plan,
            success_url=success_url,
            cancel_url=cancel_url,
        )

        return checkout_create

