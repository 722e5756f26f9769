from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="WatchdogConfig")



@_attrs_define
class WatchdogConfig:
    """ 
        Attributes:
            enabled (bool | Unset):  Default: True.
            idle_seconds (float | Unset): Silence from WhatsApp, while a send waits for its receipt, worth a probe. Default:
                120.0.
            ack_seconds (float | Unset): How long a send may go without any receipt before it is outstanding. Default: 60.0.
            probe_timeout_seconds (float | Unset): How long a probe may take before the connection is dead. Default: 10.0.
            check_interval_seconds (float | Unset): How often the rules are checked. Default: 15.0.
     """

    enabled: bool | Unset = True
    idle_seconds: float | Unset = 120.0
    ack_seconds: float | Unset = 60.0
    probe_timeout_seconds: float | Unset = 10.0
    check_interval_seconds: float | Unset = 15.0





    def to_dict(self) -> dict[str, Any]:
        enabled = self.enabled

        idle_seconds = self.idle_seconds

        ack_seconds = self.ack_seconds

        probe_timeout_seconds = self.probe_timeout_seconds

        check_interval_seconds = self.check_interval_seconds


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if idle_seconds is not UNSET:
            field_dict["idle_seconds"] = idle_seconds
        if ack_seconds is not UNSET:
            field_dict["ack_seconds"] = ack_seconds
        if probe_timeout_seconds is not UNSET:
            field_dict["probe_timeout_seconds"] = probe_timeout_seconds
        if check_interval_seconds is not UNSET:
            field_dict["check_interval_seconds"] = check_interval_seconds

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        enabled = d.pop("enabled", UNSET)

        idle_seconds = d.pop("idle_seconds", UNSET)

        ack_seconds = d.pop("ack_seconds", UNSET)

        probe_timeout_seconds = d.pop("probe_timeout_seconds", UNSET)

        check_interval_seconds = d.pop("check_interval_seconds", UNSET)

        watchdog_config = cls(
            enabled=enabled,
            idle_seconds=idle_seconds,
            ack_seconds=ack_seconds,
            probe_timeout_seconds=probe_timeout_seconds,
            check_interval_seconds=check_interval_seconds,
        )

        return watchdog_config

