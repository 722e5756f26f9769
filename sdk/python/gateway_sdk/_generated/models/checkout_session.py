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

if TYPE_CHECKING:
  from ..models.plan_ref import PlanRef





T = TypeVar("T", bound="CheckoutSession")



@_attrs_define
class CheckoutSession:
    """ 
        Attributes:
            id (str): Stripe's Checkout Session id (`cs_…`).
            url (str): The Stripe-hosted page to send the customer to.
            plan (PlanRef):
            expires_at (datetime.datetime | None): When the page stops accepting payment.
            object_ (Literal['checkout_session'] | Unset):  Default: 'checkout_session'.
     """

    id: str
    url: str
    plan: PlanRef
    expires_at: datetime.datetime | None
    object_: Literal['checkout_session'] | Unset = 'checkout_session'
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.plan_ref import PlanRef # noqa: PLC0415
        id = self.id

        url = self.url

        plan = self.plan.to_dict()

        expires_at: None | str
        if isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        object_ = self.object_


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "url": url,
            "plan": plan,
            "expires_at": expires_at,
        })
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.plan_ref import PlanRef # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        url = d.pop("url")

        plan = PlanRef.from_dict(d.pop("plan"))




        def _parse_expires_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)



                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        expires_at = _parse_expires_at(d.pop("expires_at"))


        object_ = cast(Literal['checkout_session'] | Unset , d.pop("object", UNSET))
        if object_ != 'checkout_session'and not isinstance(object_, Unset):
            raise ValueError(f"object must match const 'checkout_session', got '{object_}'")

        checkout_session = cls(
            id=id,
            url=url,
            plan=plan,
            expires_at=expires_at,
            object_=object_,
        )


        checkout_session.additional_properties = d
        return checkout_session

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
