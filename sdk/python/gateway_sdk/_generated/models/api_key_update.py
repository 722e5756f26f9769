from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.scopes_in import ScopesIn





T = TypeVar("T", bound="ApiKeyUpdate")



@_attrs_define
class ApiKeyUpdate:
    """ 
        Attributes:
            name (None | str | Unset):
            scopes (None | ScopesIn | Unset):
            rate_limit (None | str | Unset): Requests allowed per window, e.g. `100/second`, `5000/hour`, `1000 per 10
                minutes`. Unset: the account's default, else the server's. `null` clears it.
     """

    name: None | str | Unset = UNSET
    scopes: None | ScopesIn | Unset = UNSET
    rate_limit: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.scopes_in import ScopesIn # noqa: PLC0415
        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        scopes: dict[str, Any] | None | Unset
        if isinstance(self.scopes, Unset):
            scopes = UNSET
        elif isinstance(self.scopes, ScopesIn):
            scopes = self.scopes.to_dict()
        else:
            scopes = self.scopes

        rate_limit: None | str | Unset
        if isinstance(self.rate_limit, Unset):
            rate_limit = UNSET
        else:
            rate_limit = self.rate_limit


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if name is not UNSET:
            field_dict["name"] = name
        if scopes is not UNSET:
            field_dict["scopes"] = scopes
        if rate_limit is not UNSET:
            field_dict["rate_limit"] = rate_limit

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.scopes_in import ScopesIn # noqa: PLC0415
        d = dict(src_dict)
        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))


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


        def _parse_rate_limit(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        rate_limit = _parse_rate_limit(d.pop("rate_limit", UNSET))


        api_key_update = cls(
            name=name,
            scopes=scopes,
            rate_limit=rate_limit,
        )

        return api_key_update

