from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.key_mode import KeyMode
from ..types import UNSET, Unset
from typing import cast
from typing import Literal, cast
import datetime

if TYPE_CHECKING:
  from ..models.scopes import Scopes





T = TypeVar("T", bound="ApiKeyOut")



@_attrs_define
class ApiKeyOut:
    """ 
        Attributes:
            id (str):
            name (str):
            mode (KeyMode):
            redacted (str): The key with all but 4 chars hidden.
            scopes (Scopes):
            session_id (None | str):
            rate_limit (None | str):
            allowed_ips (list[str] | None): Addresses and CIDRs the key may be used from; `null`: any.
            expires_at (datetime.datetime | None): When the key stops working; `null`: never.
            created_at (datetime.datetime):
            last_used_at (datetime.datetime | None): Accurate to about a minute.
            revoked_at (datetime.datetime | None):
            object_ (Literal['api_key'] | Unset):  Default: 'api_key'.
     """

    id: str
    name: str
    mode: KeyMode
    redacted: str
    scopes: Scopes
    session_id: None | str
    rate_limit: None | str
    allowed_ips: list[str] | None
    expires_at: datetime.datetime | None
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None
    revoked_at: datetime.datetime | None
    object_: Literal['api_key'] | Unset = 'api_key'
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.scopes import Scopes # noqa: PLC0415
        id = self.id

        name = self.name

        mode = self.mode.value

        redacted = self.redacted

        scopes = self.scopes.to_dict()

        session_id: None | str
        session_id = self.session_id

        rate_limit: None | str
        rate_limit = self.rate_limit

        allowed_ips: list[str] | None
        if isinstance(self.allowed_ips, list):
            allowed_ips = self.allowed_ips


        else:
            allowed_ips = self.allowed_ips

        expires_at: None | str
        if isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        created_at = self.created_at.isoformat()

        last_used_at: None | str
        if isinstance(self.last_used_at, datetime.datetime):
            last_used_at = self.last_used_at.isoformat()
        else:
            last_used_at = self.last_used_at

        revoked_at: None | str
        if isinstance(self.revoked_at, datetime.datetime):
            revoked_at = self.revoked_at.isoformat()
        else:
            revoked_at = self.revoked_at

        object_ = self.object_


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "name": name,
            "mode": mode,
            "redacted": redacted,
            "scopes": scopes,
            "session_id": session_id,
            "rate_limit": rate_limit,
            "allowed_ips": allowed_ips,
            "expires_at": expires_at,
            "created_at": created_at,
            "last_used_at": last_used_at,
            "revoked_at": revoked_at,
        })
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.scopes import Scopes # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        mode = KeyMode(d.pop("mode"))




        redacted = d.pop("redacted")

        scopes = Scopes.from_dict(d.pop("scopes"))




        def _parse_session_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        session_id = _parse_session_id(d.pop("session_id"))


        def _parse_rate_limit(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        rate_limit = _parse_rate_limit(d.pop("rate_limit"))


        def _parse_allowed_ips(data: object) -> list[str] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                allowed_ips_type_0 = cast(list[str], data)

                return allowed_ips_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None, data)

        allowed_ips = _parse_allowed_ips(d.pop("allowed_ips"))


        def _parse_expires_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)



                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        expires_at = _parse_expires_at(d.pop("expires_at"))


        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        def _parse_last_used_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_used_at_type_0 = datetime.datetime.fromisoformat(data)



                return last_used_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        last_used_at = _parse_last_used_at(d.pop("last_used_at"))


        def _parse_revoked_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                revoked_at_type_0 = datetime.datetime.fromisoformat(data)



                return revoked_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        revoked_at = _parse_revoked_at(d.pop("revoked_at"))


        object_ = cast(Literal['api_key'] | Unset , d.pop("object", UNSET))
        if object_ != 'api_key'and not isinstance(object_, Unset):
            raise ValueError(f"object must match const 'api_key', got '{object_}'")

        api_key_out = cls(
            id=id,
            name=name,
            mode=mode,
            redacted=redacted,
            scopes=scopes,
            session_id=session_id,
            rate_limit=rate_limit,
            allowed_ips=allowed_ips,
            expires_at=expires_at,
            created_at=created_at,
            last_used_at=last_used_at,
            revoked_at=revoked_at,
            object_=object_,
        )


        api_key_out.additional_properties = d
        return api_key_out

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
