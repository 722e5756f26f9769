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
  from ..models.audit_actor import AuditActor
  from ..models.audit_entry_out_changes import AuditEntryOutChanges
  from ..models.audit_resource import AuditResource





T = TypeVar("T", bound="AuditEntryOut")



@_attrs_define
class AuditEntryOut:
    """ 
        Attributes:
            id (str):
            account_id (None | str): The account changed; `null` for a deployment-wide change (a plan).
            action (str):
            actor (AuditActor):
            resource (AuditResource):
            changes (AuditEntryOutChanges): Non-secret fields: their values for a creation or deletion, `{"field": {"from":
                …, "to": …}}` for a change.
            livemode (bool): `false` when a test-mode key made the change; test keys see only those.
            request_id (None | str): The request that made the change.
            ip_address (None | str): The address the request came from.
            created_at (datetime.datetime):
            object_ (Literal['audit_entry'] | Unset):  Default: 'audit_entry'.
     """

    id: str
    account_id: None | str
    action: str
    actor: AuditActor
    resource: AuditResource
    changes: AuditEntryOutChanges
    livemode: bool
    request_id: None | str
    ip_address: None | str
    created_at: datetime.datetime
    object_: Literal['audit_entry'] | Unset = 'audit_entry'
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.audit_actor import AuditActor # noqa: PLC0415
        from ..models.audit_entry_out_changes import AuditEntryOutChanges # noqa: PLC0415
        from ..models.audit_resource import AuditResource # noqa: PLC0415
        id = self.id

        account_id: None | str
        account_id = self.account_id

        action = self.action

        actor = self.actor.to_dict()

        resource = self.resource.to_dict()

        changes = self.changes.to_dict()

        livemode = self.livemode

        request_id: None | str
        request_id = self.request_id

        ip_address: None | str
        ip_address = self.ip_address

        created_at = self.created_at.isoformat()

        object_ = self.object_


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "account_id": account_id,
            "action": action,
            "actor": actor,
            "resource": resource,
            "changes": changes,
            "livemode": livemode,
            "request_id": request_id,
            "ip_address": ip_address,
            "created_at": created_at,
        })
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.audit_actor import AuditActor # noqa: PLC0415
        from ..models.audit_entry_out_changes import AuditEntryOutChanges # noqa: PLC0415
        from ..models.audit_resource import AuditResource # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        def _parse_account_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        account_id = _parse_account_id(d.pop("account_id"))


        action = d.pop("action")

        actor = AuditActor.from_dict(d.pop("actor"))




        resource = AuditResource.from_dict(d.pop("resource"))




        changes = AuditEntryOutChanges.from_dict(d.pop("changes"))




        livemode = d.pop("livemode")

        def _parse_request_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        request_id = _parse_request_id(d.pop("request_id"))


        def _parse_ip_address(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        ip_address = _parse_ip_address(d.pop("ip_address"))


        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        object_ = cast(Literal['audit_entry'] | Unset , d.pop("object", UNSET))
        if object_ != 'audit_entry'and not isinstance(object_, Unset):
            raise ValueError(f"object must match const 'audit_entry', got '{object_}'")

        audit_entry_out = cls(
            id=id,
            account_id=account_id,
            action=action,
            actor=actor,
            resource=resource,
            changes=changes,
            livemode=livemode,
            request_id=request_id,
            ip_address=ip_address,
            created_at=created_at,
            object_=object_,
        )


        audit_entry_out.additional_properties = d
        return audit_entry_out

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
