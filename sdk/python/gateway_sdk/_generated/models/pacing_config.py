from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="PacingConfig")



@_attrs_define
class PacingConfig:
    """ Server-side pacing of outbound messages, so bulk sends look human.

        Attributes:
            enabled (bool | None | Unset): Unset: on for engines that risk bans by sending like a machine (WhatsApp Web),
                off for the sandbox and the Cloud API (Meta meters throughput).
            min_gap_ms (int | Unset):  Default: 1500.
            jitter_ms (int | Unset):  Default: 1500.
            typing (bool | Unset): Show 'typing…' before text messages. Default: True.
            typing_ms_per_char (int | Unset):  Default: 40.
     """

    enabled: bool | None | Unset = UNSET
    min_gap_ms: int | Unset = 1500
    jitter_ms: int | Unset = 1500
    typing: bool | Unset = True
    typing_ms_per_char: int | Unset = 40





    def to_dict(self) -> dict[str, Any]:
        enabled: bool | None | Unset
        if isinstance(self.enabled, Unset):
            enabled = UNSET
        else:
            enabled = self.enabled

        min_gap_ms = self.min_gap_ms

        jitter_ms = self.jitter_ms

        typing = self.typing

        typing_ms_per_char = self.typing_ms_per_char


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if min_gap_ms is not UNSET:
            field_dict["min_gap_ms"] = min_gap_ms
        if jitter_ms is not UNSET:
            field_dict["jitter_ms"] = jitter_ms
        if typing is not UNSET:
            field_dict["typing"] = typing
        if typing_ms_per_char is not UNSET:
            field_dict["typing_ms_per_char"] = typing_ms_per_char

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_enabled(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        enabled = _parse_enabled(d.pop("enabled", UNSET))


        min_gap_ms = d.pop("min_gap_ms", UNSET)

        jitter_ms = d.pop("jitter_ms", UNSET)

        typing = d.pop("typing", UNSET)

        typing_ms_per_char = d.pop("typing_ms_per_char", UNSET)

        pacing_config = cls(
            enabled=enabled,
            min_gap_ms=min_gap_ms,
            jitter_ms=jitter_ms,
            typing=typing,
            typing_ms_per_char=typing_ms_per_char,
        )

        return pacing_config

