from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="CloudConfigOut")



@_attrs_define
class CloudConfigOut:
    """ The number as stored: the secrets show as hints only.

        Attributes:
            phone_number_id (str): The business phone number's id in Meta's WhatsApp Manager.
            waba_id (str): The WhatsApp Business Account the number belongs to (its templates).
            access_token_hint (str):
            app_secret_hint (str):
            verify_token_hint (str):
            graph_base_url (str | Unset): Meta's Graph API, or a fake of it for local trials (`gateway fake-graph`).
                Default: 'https://graph.facebook.com'.
            graph_version (str | Unset):  Default: 'v21.0'.
            messages_per_second (int | Unset): The number's send rate across every worker; Meta's default is 80/s. Default:
                80.
     """

    phone_number_id: str
    waba_id: str
    access_token_hint: str
    app_secret_hint: str
    verify_token_hint: str
    graph_base_url: str | Unset = 'https://graph.facebook.com'
    graph_version: str | Unset = 'v21.0'
    messages_per_second: int | Unset = 80





    def to_dict(self) -> dict[str, Any]:
        phone_number_id = self.phone_number_id

        waba_id = self.waba_id

        access_token_hint = self.access_token_hint

        app_secret_hint = self.app_secret_hint

        verify_token_hint = self.verify_token_hint

        graph_base_url = self.graph_base_url

        graph_version = self.graph_version

        messages_per_second = self.messages_per_second


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "phone_number_id": phone_number_id,
            "waba_id": waba_id,
            "access_token_hint": access_token_hint,
            "app_secret_hint": app_secret_hint,
            "verify_token_hint": verify_token_hint,
        })
        if graph_base_url is not UNSET:
            field_dict["graph_base_url"] = graph_base_url
        if graph_version is not UNSET:
            field_dict["graph_version"] = graph_version
        if messages_per_second is not UNSET:
            field_dict["messages_per_second"] = messages_per_second

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        phone_number_id = d.pop("phone_number_id")

        waba_id = d.pop("waba_id")

        access_token_hint = d.pop("access_token_hint")

        app_secret_hint = d.pop("app_secret_hint")

        verify_token_hint = d.pop("verify_token_hint")

        graph_base_url = d.pop("graph_base_url", UNSET)

        graph_version = d.pop("graph_version", UNSET)

        messages_per_second = d.pop("messages_per_second", UNSET)

        cloud_config_out = cls(
            phone_number_id=phone_number_id,
            waba_id=waba_id,
            access_token_hint=access_token_hint,
            app_secret_hint=app_secret_hint,
            verify_token_hint=verify_token_hint,
            graph_base_url=graph_base_url,
            graph_version=graph_version,
            messages_per_second=messages_per_second,
        )

        return cloud_config_out

