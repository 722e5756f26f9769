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





T = TypeVar("T", bound="AccountUpdate")



@_attrs_define
class AccountUpdate:
    """ 
        Attributes:
            name (None | str | Unset):
            email (None | str | Unset):
            default_rate_limit (None | str | Unset): Requests allowed per window, e.g. `100/second`, `5000/hour`, `1000 per
                10 minutes`. Unset: the account's default, else the server's. `null` clears it.
            plan_id (None | str | Unset): Move the account to this plan; it applies at once. A lower plan deletes nothing:
                what is over its limits keeps working, only creating more is refused.
            retention (None | RetentionUpdate | Unset): Change how long the account's records are kept.
     """

    name: None | str | Unset = UNSET
    email: None | str | Unset = UNSET
    default_rate_limit: None | str | Unset = UNSET
    plan_id: None | str | Unset = UNSET
    retention: None | RetentionUpdate | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.retention_update import RetentionUpdate # noqa: PLC0415
        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        email: None | str | Unset
        if isinstance(self.email, Unset):
            email = UNSET
        else:
            email = self.email

        default_rate_limit: None | str | Unset
        if isinstance(self.default_rate_limit, Unset):
            default_rate_limit = UNSET
        else:
            default_rate_limit = self.default_rate_limit

        plan_id: None | str | Unset
        if isinstance(self.plan_id, Unset):
            plan_id = UNSET
        else:
            plan_id = self.plan_id

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
        if name is not UNSET:
            field_dict["name"] = name
        if email is not UNSET:
            field_dict["email"] = email
        if default_rate_limit is not UNSET:
            field_dict["default_rate_limit"] = default_rate_limit
        if plan_id is not UNSET:
            field_dict["plan_id"] = plan_id
        if retention is not UNSET:
            field_dict["retention"] = retention

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.retention_update import RetentionUpdate # noqa: PLC0415
        d = dict(src_dict)
        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))


        def _parse_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email = _parse_email(d.pop("email", UNSET))


        def _parse_default_rate_limit(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        default_rate_limit = _parse_default_rate_limit(d.pop("default_rate_limit", UNSET))


        def _parse_plan_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        plan_id = _parse_plan_id(d.pop("plan_id", UNSET))


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


        account_update = cls(
            name=name,
            email=email,
            default_rate_limit=default_rate_limit,
            plan_id=plan_id,
            retention=retention,
        )

        return account_update

