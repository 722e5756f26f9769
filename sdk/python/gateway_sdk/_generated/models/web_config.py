from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.watchdog_config import WatchdogConfig





T = TypeVar("T", bound="WebConfig")



@_attrs_define
class WebConfig:
    """ A linked device on WhatsApp Web (``web`` engine only).

        Attributes:
            qr_timeout_seconds (float | Unset): Not linked by then (QR code not scanned, pairing code not typed): the
                session FAILs with `qr_timeout`; starting it again shows new codes. Default: 180.0.
            watchdog (WatchdogConfig | Unset):
     """

    qr_timeout_seconds: float | Unset = 180.0
    watchdog: WatchdogConfig | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.watchdog_config import WatchdogConfig # noqa: PLC0415
        qr_timeout_seconds = self.qr_timeout_seconds

        watchdog: dict[str, Any] | Unset = UNSET
        if not isinstance(self.watchdog, Unset):
            watchdog = self.watchdog.to_dict()


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if qr_timeout_seconds is not UNSET:
            field_dict["qr_timeout_seconds"] = qr_timeout_seconds
        if watchdog is not UNSET:
            field_dict["watchdog"] = watchdog

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.watchdog_config import WatchdogConfig # noqa: PLC0415
        d = dict(src_dict)
        qr_timeout_seconds = d.pop("qr_timeout_seconds", UNSET)

        _watchdog = d.pop("watchdog", UNSET)
        watchdog: WatchdogConfig | Unset
        if isinstance(_watchdog,  Unset):
            watchdog = UNSET
        else:
            watchdog = WatchdogConfig.from_dict(_watchdog)




        web_config = cls(
            qr_timeout_seconds=qr_timeout_seconds,
            watchdog=watchdog,
        )

        return web_config

