from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="SessionQrData")



@_attrs_define
class SessionQrData:
    """ A new QR code to link the session: show it to the person holding the phone, who
    scans it in WhatsApp under *Linked devices*. Each code replaces the previous one.

        Attributes:
            qr (str): The raw value to encode as a QR code; render it as is.
            expires_at (datetime.datetime): When WhatsApp stops accepting this code.
     """

    qr: str
    expires_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        qr = self.qr

        expires_at = self.expires_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "qr": qr,
            "expires_at": expires_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        qr = d.pop("qr")

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))




        session_qr_data = cls(
            qr=qr,
            expires_at=expires_at,
        )


        session_qr_data.additional_properties = d
        return session_qr_data

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
