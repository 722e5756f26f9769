from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="CloudConfig")



@_attrs_define
class CloudConfig:
    """ A Meta WhatsApp Cloud API number (``cloud`` engine only). The secrets are stored
    encrypted and never returned; leave them out of an update to keep them.

        Attributes:
            phone_number_id (str): The business phone number's id in Meta's WhatsApp Manager.
            waba_id (str): The WhatsApp Business Account the number belongs to (its templates).
            graph_base_url (str | Unset): Meta's Graph API, or a fake of it for local trials (`gateway fake-graph`).
                Default: 'https://graph.facebook.com'.
            graph_version (str | Unset):  Default: 'v21.0'.
            messages_per_second (int | Unset): The number's send rate across every worker; Meta's default is 80/s. Default:
                80.
            access_token (None | str | Unset): A system-user access token with whatsapp_business_messaging and
                whatsapp_business_management. Required when the session is created.
            app_secret (None | str | Unset): The Meta app's secret: Meta signs its webhooks with it.
            verify_token (None | str | Unset): Any string you choose; Meta sends it back when you subscribe the webhook URL
                `/v1/cloud/webhook`.
            access_token_hint (None | str | Unset):
            app_secret_hint (None | str | Unset):
            verify_token_hint (None | str | Unset):
     """

    phone_number_id: str
    waba_id: str
    graph_base_url: str | Unset = 'https://graph.facebook.com'
    graph_version: str | Unset = 'v21.0'
    messages_per_second: int | Unset = 80
    access_token: None | str | Unset = UNSET
    app_secret: None | str | Unset = UNSET
    verify_token: None | str | Unset = UNSET
    access_token_hint: None | str | Unset = UNSET
    app_secret_hint: None | str | Unset = UNSET
    verify_token_hint: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        phone_number_id = self.phone_number_id

        waba_id = self.waba_id

        graph_base_url = self.graph_base_url

        graph_version = self.graph_version

        messages_per_second = self.messages_per_second

        access_token: None | str | Unset
        if isinstance(self.access_token, Unset):
            access_token = UNSET
        else:
            access_token = self.access_token

        app_secret: None | str | Unset
        if isinstance(self.app_secret, Unset):
            app_secret = UNSET
        else:
            app_secret = self.app_secret

        verify_token: None | str | Unset
        if isinstance(self.verify_token, Unset):
            verify_token = UNSET
        else:
            verify_token = self.verify_token

        access_token_hint: None | str | Unset
        if isinstance(self.access_token_hint, Unset):
            access_token_hint = UNSET
        else:
            access_token_hint = self.access_token_hint

        app_secret_hint: None | str | Unset
        if isinstance(self.app_secret_hint, Unset):
            app_secret_hint = UNSET
        else:
            app_secret_hint = self.app_secret_hint

        verify_token_hint: None | str | Unset
        if isinstance(self.verify_token_hint, Unset):
            verify_token_hint = UNSET
        else:
            verify_token_hint = self.verify_token_hint


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "phone_number_id": phone_number_id,
            "waba_id": waba_id,
        })
        if graph_base_url is not UNSET:
            field_dict["graph_base_url"] = graph_base_url
        if graph_version is not UNSET:
            field_dict["graph_version"] = graph_version
        if messages_per_second is not UNSET:
            field_dict["messages_per_second"] = messages_per_second
        if access_token is not UNSET:
            field_dict["access_token"] = access_token
        if app_secret is not UNSET:
            field_dict["app_secret"] = app_secret
        if verify_token is not UNSET:
            field_dict["verify_token"] = verify_token
        if access_token_hint is not UNSET:
            field_dict["access_token_hint"] = access_token_hint
        if app_secret_hint is not UNSET:
            field_dict["app_secret_hint"] = app_secret_hint
        if verify_token_hint is not UNSET:
            field_dict["verify_token_hint"] = verify_token_hint

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        phone_number_id = d.pop("phone_number_id")

        waba_id = d.pop("waba_id")

        graph_base_url = d.pop("graph_base_url", UNSET)

        graph_version = d.pop("graph_version", UNSET)

        messages_per_second = d.pop("messages_per_second", UNSET)

        def _parse_access_token(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        access_token = _parse_access_token(d.pop("access_token", UNSET))


        def _parse_app_secret(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        app_secret = _parse_app_secret(d.pop("app_secret", UNSET))


        def _parse_verify_token(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        verify_token = _parse_verify_token(d.pop("verify_token", UNSET))


        def _parse_access_token_hint(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        access_token_hint = _parse_access_token_hint(d.pop("access_token_hint", UNSET))


        def _parse_app_secret_hint(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        app_secret_hint = _parse_app_secret_hint(d.pop("app_secret_hint", UNSET))


        def _parse_verify_token_hint(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        verify_token_hint = _parse_verify_token_hint(d.pop("verify_token_hint", UNSET))


        cloud_config = cls(
            phone_number_id=phone_number_id,
            waba_id=waba_id,
            graph_base_url=graph_base_url,
            graph_version=graph_version,
            messages_per_second=messages_per_second,
            access_token=access_token,
            app_secret=app_secret,
            verify_token=verify_token,
            access_token_hint=access_token_hint,
            app_secret_hint=app_secret_hint,
            verify_token_hint=verify_token_hint,
        )

        return cloud_config

