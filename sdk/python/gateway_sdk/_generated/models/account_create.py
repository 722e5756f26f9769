from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.first_key import FirstKey





T = TypeVar("T", bound="AccountCreate")



@_attrs_define
class AccountCreate:
    """ 
        Attributes:
            name (str):
            email (None | str | Unset):
            default_rate_limit (None | str | Unset): Requests allowed per window, e.g. `100/second`, `5000/hour`, `1000 per
                10 minutes`. Unset: the account's default, else the server's.
            api_key (FirstKey | Unset):
            plan_id (None | str | Unset): The account's plan; omitted: the default plan.
     """

    name: str
    email: None | str | Unset = UNSET
    default_rate_limit: None | str | Unset = UNSET
    api_key: FirstKey | Unset = UNSET
    plan_id: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.first_key import FirstKey # noqa: PLC0415
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

        api_key: dict[str, Any] | Unset = UNSET
        if not isinstance(self.api_key, Unset):
            api_key = self.api_key.to_dict()

        plan_id: None | str | Unset
        if isinstance(self.plan_id, Unset):
            plan_id = UNSET
        else:
            plan_id = self.plan_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "name": name,
        })
        if email is not UNSET:
            field_dict["email"] = email
        if default_rate_limit is not UNSET:
            field_dict["default_rate_limit"] = default_rate_limit
        if api_key is not UNSET:
            field_dict["api_key"] = api_key
        if plan_id is not UNSET:
            field_dict["plan_id"] = plan_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.first_key import FirstKey # noqa: PLC0415
        d = dict(src_dict)
        name = d.pop("name")

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


        _api_key = d.pop("api_key", UNSET)
        api_key: FirstKey | Unset
        if isinstance(_api_key,  Unset):
            api_key = UNSET
        else:
            api_key = FirstKey.from_dict(_api_key)




        def _parse_plan_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        plan_id = _parse_plan_id(d.pop("plan_id", UNSET))


        account_create = cls(
            name=name,
            email=email,
            default_rate_limit=default_rate_limit,
            api_key=api_key,
            plan_id=plan_id,
        )

        return account_create

