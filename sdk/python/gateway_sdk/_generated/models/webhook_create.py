from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.webhook_create_headers import WebhookCreateHeaders





T = TypeVar("T", bound="WebhookCreate")



@_attrs_define
class WebhookCreate:
    """ 
        Attributes:
            url (str):
            event_types (list[str] | Unset): Event types to deliver, or `['*']` for every type.
            session_ids (list[str] | None | Unset): Only these sessions' events; null: all.
            headers (WebhookCreateHeaders | Unset): Extra headers sent with every delivery.
            description (None | str | Unset):
            waha_hmac (bool | Unset): Also send `X-Webhook-Hmac` (SHA-512 hex of the body), as WAHA does. Default: False.
     """

    url: str
    event_types: list[str] | Unset = UNSET
    session_ids: list[str] | None | Unset = UNSET
    headers: WebhookCreateHeaders | Unset = UNSET
    description: None | str | Unset = UNSET
    waha_hmac: bool | Unset = False





    def to_dict(self) -> dict[str, Any]:
        from ..models.webhook_create_headers import WebhookCreateHeaders # noqa: PLC0415
        url = self.url

        event_types: list[str] | Unset = UNSET
        if not isinstance(self.event_types, Unset):
            event_types = self.event_types



        session_ids: list[str] | None | Unset
        if isinstance(self.session_ids, Unset):
            session_ids = UNSET
        elif isinstance(self.session_ids, list):
            session_ids = self.session_ids


        else:
            session_ids = self.session_ids

        headers: dict[str, Any] | Unset = UNSET
        if not isinstance(self.headers, Unset):
            headers = self.headers.to_dict()

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        waha_hmac = self.waha_hmac


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "url": url,
        })
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

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.webhook_create_headers import WebhookCreateHeaders # noqa: PLC0415
        d = dict(src_dict)
        url = d.pop("url")

        event_types = cast(list[str], d.pop("event_types", UNSET))


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


        _headers = d.pop("headers", UNSET)
        headers: WebhookCreateHeaders | Unset
        if isinstance(_headers,  Unset):
            headers = UNSET
        else:
            headers = WebhookCreateHeaders.from_dict(_headers)




        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))


        waha_hmac = d.pop("waha_hmac", UNSET)

        webhook_create = cls(
            url=url,
            event_types=event_types,
            session_ids=session_ids,
            headers=headers,
            description=description,
            waha_hmac=waha_hmac,
        )

        return webhook_create

