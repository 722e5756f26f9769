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
  from ..models.webhook_out_headers import WebhookOutHeaders





T = TypeVar("T", bound="WebhookOut")



@_attrs_define
class WebhookOut:
    """ 
        Attributes:
            id (str):
            url (str):
            event_types (list[str]):
            session_ids (list[str] | None):
            headers (WebhookOutHeaders):
            description (None | str):
            waha_hmac (bool):
            enabled (bool):
            disabled_reason (None | str):
            previous_secret_expires_at (datetime.datetime | None): Until then deliveries carry two signatures: new and old
                secret.
            created_at (datetime.datetime):
            updated_at (datetime.datetime):
            object_ (Literal['webhook_endpoint'] | Unset):  Default: 'webhook_endpoint'.
     """

    id: str
    url: str
    event_types: list[str]
    session_ids: list[str] | None
    headers: WebhookOutHeaders
    description: None | str
    waha_hmac: bool
    enabled: bool
    disabled_reason: None | str
    previous_secret_expires_at: datetime.datetime | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    object_: Literal['webhook_endpoint'] | Unset = 'webhook_endpoint'
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.webhook_out_headers import WebhookOutHeaders # noqa: PLC0415
        id = self.id

        url = self.url

        event_types = self.event_types



        session_ids: list[str] | None
        if isinstance(self.session_ids, list):
            session_ids = self.session_ids


        else:
            session_ids = self.session_ids

        headers = self.headers.to_dict()

        description: None | str
        description = self.description

        waha_hmac = self.waha_hmac

        enabled = self.enabled

        disabled_reason: None | str
        disabled_reason = self.disabled_reason

        previous_secret_expires_at: None | str
        if isinstance(self.previous_secret_expires_at, datetime.datetime):
            previous_secret_expires_at = self.previous_secret_expires_at.isoformat()
        else:
            previous_secret_expires_at = self.previous_secret_expires_at

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        object_ = self.object_


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "url": url,
            "event_types": event_types,
            "session_ids": session_ids,
            "headers": headers,
            "description": description,
            "waha_hmac": waha_hmac,
            "enabled": enabled,
            "disabled_reason": disabled_reason,
            "previous_secret_expires_at": previous_secret_expires_at,
            "created_at": created_at,
            "updated_at": updated_at,
        })
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.webhook_out_headers import WebhookOutHeaders # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        url = d.pop("url")

        event_types = cast(list[str], d.pop("event_types"))


        def _parse_session_ids(data: object) -> list[str] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                session_ids_type_0 = cast(list[str], data)

                return session_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None, data)

        session_ids = _parse_session_ids(d.pop("session_ids"))


        headers = WebhookOutHeaders.from_dict(d.pop("headers"))




        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))


        waha_hmac = d.pop("waha_hmac")

        enabled = d.pop("enabled")

        def _parse_disabled_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        disabled_reason = _parse_disabled_reason(d.pop("disabled_reason"))


        def _parse_previous_secret_expires_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                previous_secret_expires_at_type_0 = datetime.datetime.fromisoformat(data)



                return previous_secret_expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        previous_secret_expires_at = _parse_previous_secret_expires_at(d.pop("previous_secret_expires_at"))


        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))




        object_ = cast(Literal['webhook_endpoint'] | Unset , d.pop("object", UNSET))
        if object_ != 'webhook_endpoint'and not isinstance(object_, Unset):
            raise ValueError(f"object must match const 'webhook_endpoint', got '{object_}'")

        webhook_out = cls(
            id=id,
            url=url,
            event_types=event_types,
            session_ids=session_ids,
            headers=headers,
            description=description,
            waha_hmac=waha_hmac,
            enabled=enabled,
            disabled_reason=disabled_reason,
            previous_secret_expires_at=previous_secret_expires_at,
            created_at=created_at,
            updated_at=updated_at,
            object_=object_,
        )


        webhook_out.additional_properties = d
        return webhook_out

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
