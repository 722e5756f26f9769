from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from typing import Literal, cast

if TYPE_CHECKING:
  from ..models.account_deleted_counts import AccountDeletedCounts





T = TypeVar("T", bound="AccountDeleted")



@_attrs_define
class AccountDeleted:
    """ 
        Attributes:
            id (str):
            counts (AccountDeletedCounts):
            object_ (Literal['account'] | Unset):  Default: 'account'.
            deleted (bool | Unset):  Default: True.
     """

    id: str
    counts: AccountDeletedCounts
    object_: Literal['account'] | Unset = 'account'
    deleted: bool | Unset = True
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.account_deleted_counts import AccountDeletedCounts # noqa: PLC0415
        id = self.id

        counts = self.counts.to_dict()

        object_ = self.object_

        deleted = self.deleted


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "counts": counts,
        })
        if object_ is not UNSET:
            field_dict["object"] = object_
        if deleted is not UNSET:
            field_dict["deleted"] = deleted

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.account_deleted_counts import AccountDeletedCounts # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        counts = AccountDeletedCounts.from_dict(d.pop("counts"))




        object_ = cast(Literal['account'] | Unset , d.pop("object", UNSET))
        if object_ != 'account'and not isinstance(object_, Unset):
            raise ValueError(f"object must match const 'account', got '{object_}'")

        deleted = d.pop("deleted", UNSET)

        account_deleted = cls(
            id=id,
            counts=counts,
            object_=object_,
            deleted=deleted,
        )


        account_deleted.additional_properties = d
        return account_deleted

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
