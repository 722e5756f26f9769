from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import Literal, cast






T = TypeVar("T", bound="PortalSession")



@_attrs_define
class PortalSession:
    """ 
        Attributes:
            id (str): Stripe's portal session id (`bps_…`).
            url (str): The Stripe-hosted Customer Portal, where the customer changes plan, updates the card, sees invoices
                or cancels. Short-lived: open it at once.
            object_ (Literal['billing_portal_session'] | Unset):  Default: 'billing_portal_session'.
     """

    id: str
    url: str
    object_: Literal['billing_portal_session'] | Unset = 'billing_portal_session'
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        url = self.url

        object_ = self.object_


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "url": url,
        })
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        url = d.pop("url")

        object_ = cast(Literal['billing_portal_session'] | Unset , d.pop("object", UNSET))
        if object_ != 'billing_portal_session'and not isinstance(object_, Unset):
            raise ValueError(f"object must match const 'billing_portal_session', got '{object_}'")

        portal_session = cls(
            id=id,
            url=url,
            object_=object_,
        )


        portal_session.additional_properties = d
        return portal_session

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
