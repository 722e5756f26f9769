from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.contact_erasure_identifier import ContactErasureIdentifier
from ..types import UNSET, Unset
from typing import cast
from typing import Literal, cast
import datetime

if TYPE_CHECKING:
  from ..models.contact_erasure_counts import ContactErasureCounts





T = TypeVar("T", bound="ContactErasure")



@_attrs_define
class ContactErasure:
    """ What an erasure removed, per kind. `messages_anonymised` counts the messages kept
    for billing, emptied of the contact and the content.

        Attributes:
            identifier (ContactErasureIdentifier):
            counts (ContactErasureCounts):
            erased_at (datetime.datetime):
            object_ (Literal['contact_erasure'] | Unset):  Default: 'contact_erasure'.
     """

    identifier: ContactErasureIdentifier
    counts: ContactErasureCounts
    erased_at: datetime.datetime
    object_: Literal['contact_erasure'] | Unset = 'contact_erasure'
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.contact_erasure_counts import ContactErasureCounts # noqa: PLC0415
        identifier = self.identifier.value

        counts = self.counts.to_dict()

        erased_at = self.erased_at.isoformat()

        object_ = self.object_


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "identifier": identifier,
            "counts": counts,
            "erased_at": erased_at,
        })
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.contact_erasure_counts import ContactErasureCounts # noqa: PLC0415
        d = dict(src_dict)
        identifier = ContactErasureIdentifier(d.pop("identifier"))




        counts = ContactErasureCounts.from_dict(d.pop("counts"))




        erased_at = datetime.datetime.fromisoformat(d.pop("erased_at"))




        object_ = cast(Literal['contact_erasure'] | Unset , d.pop("object", UNSET))
        if object_ != 'contact_erasure'and not isinstance(object_, Unset):
            raise ValueError(f"object must match const 'contact_erasure', got '{object_}'")

        contact_erasure = cls(
            identifier=identifier,
            counts=counts,
            erased_at=erased_at,
            object_=object_,
        )


        contact_erasure.additional_properties = d
        return contact_erasure

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
