from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.retention_update import RetentionUpdate





T = TypeVar("T", bound="AccountSelfUpdate")



@_attrs_define
class AccountSelfUpdate:
    """ What an account may change about itself.

        Attributes:
            retention (None | RetentionUpdate | Unset): Change how long the account's records are kept: shorter than the
                operator's default, or longer up to `retention.maximum_days`.
     """

    retention: None | RetentionUpdate | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.retention_update import RetentionUpdate # noqa: PLC0415
        retention: dict[str, Any] | None | Unset
        if isinstance(self.retention, Unset):
            retention = UNSET
        elif isinstance(self.retention, RetentionUpdate):
            retention = self.retention.to_dict()
        else:
            retention = self.retention


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if retention is not UNSET:
            field_dict["retention"] = retention

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.retention_update import RetentionUpdate # noqa: PLC0415
        d = dict(src_dict)
        def _parse_retention(data: object) -> None | RetentionUpdate | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                retention_type_0 = RetentionUpdate.from_dict(data)



                return retention_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RetentionUpdate | Unset, data)

        retention = _parse_retention(d.pop("retention", UNSET))


        account_self_update = cls(
            retention=retention,
        )

        return account_self_update

