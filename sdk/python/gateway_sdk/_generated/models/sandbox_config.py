from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.capability import Capability
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="SandboxConfig")



@_attrs_define
class SandboxConfig:
    """ Behaviour of the simulated network (sandbox engine only).

        Attributes:
            auto_link (bool | Unset): Link as if the QR code were scanned, right after it shows. Default: False.
            qr_ttl_seconds (float | Unset):  Default: 20.0.
            qr_max_renewals (int | Unset): New QR codes before the session FAILs. Default: 5.
            ack_delivered_ms (int | Unset): A sent message is delivered after this. Default: 200.
            ack_read_ms (int | Unset): …and read (or played) this long after. Default: 800.
            unsupported (list[Capability] | Unset): Operations to refuse with 501, to test how a client copes with engines
                that lack them.
     """

    auto_link: bool | Unset = False
    qr_ttl_seconds: float | Unset = 20.0
    qr_max_renewals: int | Unset = 5
    ack_delivered_ms: int | Unset = 200
    ack_read_ms: int | Unset = 800
    unsupported: list[Capability] | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        auto_link = self.auto_link

        qr_ttl_seconds = self.qr_ttl_seconds

        qr_max_renewals = self.qr_max_renewals

        ack_delivered_ms = self.ack_delivered_ms

        ack_read_ms = self.ack_read_ms

        unsupported: list[str] | Unset = UNSET
        if not isinstance(self.unsupported, Unset):
            unsupported = []
            for unsupported_item_data in self.unsupported:
                unsupported_item = unsupported_item_data.value
                unsupported.append(unsupported_item)




        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if auto_link is not UNSET:
            field_dict["auto_link"] = auto_link
        if qr_ttl_seconds is not UNSET:
            field_dict["qr_ttl_seconds"] = qr_ttl_seconds
        if qr_max_renewals is not UNSET:
            field_dict["qr_max_renewals"] = qr_max_renewals
        if ack_delivered_ms is not UNSET:
            field_dict["ack_delivered_ms"] = ack_delivered_ms
        if ack_read_ms is not UNSET:
            field_dict["ack_read_ms"] = ack_read_ms
        if unsupported is not UNSET:
            field_dict["unsupported"] = unsupported

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        auto_link = d.pop("auto_link", UNSET)

        qr_ttl_seconds = d.pop("qr_ttl_seconds", UNSET)

        qr_max_renewals = d.pop("qr_max_renewals", UNSET)

        ack_delivered_ms = d.pop("ack_delivered_ms", UNSET)

        ack_read_ms = d.pop("ack_read_ms", UNSET)

        _unsupported = d.pop("unsupported", UNSET)
        unsupported: list[Capability] | Unset = UNSET
        if _unsupported is not UNSET:
            unsupported = []
            for unsupported_item_data in _unsupported:
                unsupported_item = Capability(unsupported_item_data)



                unsupported.append(unsupported_item)


        sandbox_config = cls(
            auto_link=auto_link,
            qr_ttl_seconds=qr_ttl_seconds,
            qr_max_renewals=qr_max_renewals,
            ack_delivered_ms=ack_delivered_ms,
            ack_read_ms=ack_read_ms,
            unsupported=unsupported,
        )

        return sandbox_config

