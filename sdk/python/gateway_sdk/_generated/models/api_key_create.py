from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.key_mode import KeyMode
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.scopes_in import ScopesIn





T = TypeVar("T", bound="ApiKeyCreate")



@_attrs_define
class ApiKeyCreate:
    """ 
        Attributes:
            name (str | Unset):  Default: 'API key'.
            mode (KeyMode | None | Unset): `live` or `test`; defaults to the calling key's mode.
            scopes (None | ScopesIn | Unset):
            session_id (None | str | Unset): Restrict the key to one session (`ses_…`).
            rate_limit (None | str | Unset): Requests allowed per window, e.g. `100/second`, `5000/hour`, `1000 per 10
                minutes`. Unset: the account's default, else the server's.
            allowed_ips (list[str] | None | Unset): IPv4/IPv6 addresses or CIDRs (`203.0.113.7`, `10.0.0.0/8`,
                `2001:db8::/32`) the key may be used from, at most 100; from anywhere else a request gets 403 `ip_not_allowed`.
                `null`: any address.
            expires_at (datetime.datetime | None | Unset): When the key stops working (401 `api_key_expired`), in the
                future, with a timezone. `null`: never.
     """

    name: str | Unset = 'API key'
    mode: KeyMode | None | Unset = UNSET
    scopes: None | ScopesIn | Unset = UNSET
    session_id: None | str | Unset = UNSET
    rate_limit: None | str | Unset = UNSET
    allowed_ips: list[str] | None | Unset = UNSET
    expires_at: datetime.datetime | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.scopes_in import ScopesIn # noqa: PLC0415
        name = self.name

        mode: None | str | Unset
        if isinstance(self.mode, Unset):
            mode = UNSET
        elif isinstance(self.mode, KeyMode):
            mode = self.mode.value
        else:
            mode = self.mode

        scopes: dict[str, Any] | None | Unset
        if isinstance(self.scopes, Unset):
            scopes = UNSET
        elif isinstance(self.scopes, ScopesIn):
            scopes = self.scopes.to_dict()
        else:
            scopes = self.scopes

        session_id: None | str | Unset
        if isinstance(self.session_id, Unset):
            session_id = UNSET
        else:
            session_id = self.session_id

        rate_limit: None | str | Unset
        if isinstance(self.rate_limit, Unset):
            rate_limit = UNSET
        else:
            rate_limit = self.rate_limit

        allowed_ips: list[str] | None | Unset
        if isinstance(self.allowed_ips, Unset):
            allowed_ips = UNSET
        elif isinstance(self.allowed_ips, list):
            allowed_ips = self.allowed_ips


        else:
            allowed_ips = self.allowed_ips

        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if name is not UNSET:
            field_dict["name"] = name
        if mode is not UNSET:
            field_dict["mode"] = mode
        if scopes is not UNSET:
            field_dict["scopes"] = scopes
        if session_id is not UNSET:
            field_dict["session_id"] = session_id
        if rate_limit is not UNSET:
            field_dict["rate_limit"] = rate_limit
        if allowed_ips is not UNSET:
            field_dict["allowed_ips"] = allowed_ips
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.scopes_in import ScopesIn # noqa: PLC0415
        d = dict(src_dict)
        name = d.pop("name", UNSET)

        def _parse_mode(data: object) -> KeyMode | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                mode_type_0 = KeyMode(data)



                return mode_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(KeyMode | None | Unset, data)

        mode = _parse_mode(d.pop("mode", UNSET))


        def _parse_scopes(data: object) -> None | ScopesIn | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                scopes_type_0 = ScopesIn.from_dict(data)



                return scopes_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ScopesIn | Unset, data)

        scopes = _parse_scopes(d.pop("scopes", UNSET))


        def _parse_session_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        session_id = _parse_session_id(d.pop("session_id", UNSET))


        def _parse_rate_limit(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        rate_limit = _parse_rate_limit(d.pop("rate_limit", UNSET))


        def _parse_allowed_ips(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                allowed_ips_type_0 = cast(list[str], data)

                return allowed_ips_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        allowed_ips = _parse_allowed_ips(d.pop("allowed_ips", UNSET))


        def _parse_expires_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)



                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        expires_at = _parse_expires_at(d.pop("expires_at", UNSET))


        api_key_create = cls(
            name=name,
            mode=mode,
            scopes=scopes,
            session_id=session_id,
            rate_limit=rate_limit,
            allowed_ips=allowed_ips,
            expires_at=expires_at,
        )

        return api_key_create

