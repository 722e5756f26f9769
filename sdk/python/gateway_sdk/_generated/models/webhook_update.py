from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.webhook_update_headers_type_0 import WebhookUpdateHeadersType0





T = TypeVar("T", bound="WebhookUpdate")



@_attrs_define
class WebhookUpdate:
    """ 
        Attributes:
            url (None | str | Unset):
            event_types (list[str] | None | Unset):
            session_ids (list[str] | None | Unset):
            headers (None | Unset | WebhookUpdateHeadersType0):
            description (None | str | Unset):
            waha_hmac (bool | None | Unset):
            enabled (bool | None | Unset): `true` re-enables an endpoint the gateway disabled.
     """

    url: None | str | Unset = UNSET
    event_types: list[str] | None | Unset = UNSET
    session_ids: list[str] | None | Unset = UNSET
    headers: None | Unset | WebhookUpdateHeadersType0 = UNSET
    description: None | str | Unset = UNSET
    waha_hmac: bool | None | Unset = UNSET
    enabled: bool | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.webhook_update_headers_type_0 import WebhookUpdateHeadersType0 # noqa: PLC0415
        url: None | str | Unset
        if isinstance(self.url, Unset):
            url = UNSET
        else:
            url = self.url

        event_types: list[str] | None | Unset
        if isinstance(self.event_types, Unset):
            event_types = UNSET
        elif isinstance(self.event_types, list):
            event_types = self.event_types


        else:
            event_types = self.event_types

        session_ids: list[str] | None | Unset
        if isinstance(self.session_ids, Unset):
            session_ids = UNSET
        elif isinstance(self.session_ids, list):
            session_ids = self.session_ids


        else:
            session_ids = self.session_ids

        headers: dict[str, Any] | None | Unset
        if isinstance(self.headers, Unset):
            headers = UNSET
        elif isinstance(self.headers, WebhookUpdateHeadersType0):
            headers = self.headers.to_dict()
        else:
            headers = self.headers

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        waha_hmac: bool | None | Unset
        if isinstance(self.waha_hmac, Unset):
            waha_hmac = UNSET
        else:
            waha_hmac = self.waha_hmac

        enabled: bool | None | Unset
        if isinstance(self.enabled, Unset):
            enabled = UNSET
        else:
            enabled = self.enabled


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if url is not UNSET:
            field_dict["url"] = url
        if event_types is not UNSET:
            field_dict["event_types"] = event_types
        if session_ids is not UNSET:
            field_dict["session_ids"] = session_ids
        if headers is not UNSET:
            field_dict["headers"] = headers
        if description is not UNSET:
            field_dict["description"] = description
        if waha_hmac is not UNSET:
            field_dict["waha_hmac"] = waha_hmac
        if enabled is not UNSET:
            field_dict["enabled"] = enabled

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.webhook_update_headers_type_0 import WebhookUpdateHeadersType0 # noqa: PLC0415
        d = dict(src_dict)
        def _parse_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        url = _parse_url(d.pop("url", UNSET))


        def _parse_event_types(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                event_types_type_0 = cast(list[str], data)

                return event_types_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        event_types = _parse_event_types(d.pop("event_types", UNSET))


        def _parse_session_ids(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                session_ids_type_0 = cast(list[str], data)

                return session_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        session_ids = _parse_session_ids(d.pop("session_ids", UNSET))


        def _parse_headers(data: object) -> None | Unset | WebhookUpdateHeadersType0:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                headers_type_0 = WebhookUpdateHeadersType0.from_dict(data)



                return headers_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | WebhookUpdateHeadersType0, data)

        headers = _parse_headers(d.pop("headers", UNSET))


        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))


        def _parse_waha_hmac(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        waha_hmac = _parse_waha_hmac(d.pop("waha_hmac", UNSET))


        def _parse_enabled(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        enabled = _parse_enabled(d.pop("enabled", UNSET))


        webhook_update = cls(
            url=url,
            event_types=event_types,
            session_ids=session_ids,
            headers=headers,
            description=description,
            waha_hmac=waha_hmac,
            enabled=enabled,
        )

        return webhook_update

