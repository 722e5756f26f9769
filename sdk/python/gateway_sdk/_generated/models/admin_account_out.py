from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from typing import Literal, cast
import datetime

if TYPE_CHECKING:
  from ..models.retention import Retention





T = TypeVar("T", bound="AdminAccountOut")



@_attrs_define
class AdminAccountOut:
    """ The account as the operator sees it: with its plan.

        Attributes:
            id (str):
            name (str):
            email (None | str):
            default_rate_limit (None | str): Requests allowed per window, e.g. `100/second`, `5000/hour`, `1000 per 10
                minutes`. Unset: the account's default, else the server's.
            created_at (datetime.datetime):
            retention (Retention): How long the account's records are kept before the purge deletes them: what the
                account chose, else the operator's default, within the operator's maximum.
            plan_id (str):
            object_ (Literal['account'] | Unset):  Default: 'account'.
     """

    id: str
    name: str
    email: None | str
    default_rate_limit: None | str
    created_at: datetime.datetime
    retention: Retention
    plan_id: str
    object_: Literal['account'] | Unset = 'account'
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.retention import Retention # noqa: PLC0415
        id = self.id

        name = self.name

        email: None | str
        email = self.email

        default_rate_limit: None | str
        default_rate_limit = self.default_rate_limit

        created_at = self.created_at.isoformat()

        retention = self.retention.to_dict()

        plan_id = self.plan_id

        object_ = self.object_


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "name": name,
            "email": email,
            "default_rate_limit": default_rate_limit,
            "created_at": created_at,
            "retention": retention,
            "plan_id": plan_id,
        })
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.retention import Retention # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        def _parse_email(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        email = _parse_email(d.pop("email"))


        def _parse_default_rate_limit(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        default_rate_limit = _parse_default_rate_limit(d.pop("default_rate_limit"))


        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        retention = Retention.from_dict(d.pop("retention"))




        plan_id = d.pop("plan_id")

        object_ = cast(Literal['account'] | Unset , d.pop("object", UNSET))
        if object_ != 'account'and not isinstance(object_, Unset):
            raise ValueError(f"object must match const 'account', got '{object_}'")

        admin_account_out = cls(
            id=id,
            name=name,
            email=email,
            default_rate_limit=default_rate_limit,
            created_at=created_at,
            retention=retention,
            plan_id=plan_id,
            object_=object_,
        )


        admin_account_out.additional_properties = d
        return admin_account_out

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
