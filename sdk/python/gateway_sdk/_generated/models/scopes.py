from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.access import Access
from ..types import UNSET, Unset






T = TypeVar("T", bound="Scopes")



@_attrs_define
class Scopes:
    """ 
        Attributes:
            account (Access | Unset):
            api_keys (Access | Unset):
            sessions (Access | Unset):
            messages (Access | Unset):
            contacts (Access | Unset):
            groups (Access | Unset):
            events (Access | Unset):
            webhooks (Access | Unset):
            media (Access | Unset):
     """

    account: Access | Unset = UNSET
    api_keys: Access | Unset = UNSET
    sessions: Access | Unset = UNSET
    messages: Access | Unset = UNSET
    contacts: Access | Unset = UNSET
    groups: Access | Unset = UNSET
    events: Access | Unset = UNSET
    webhooks: Access | Unset = UNSET
    media: Access | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        account: str | Unset = UNSET
        if not isinstance(self.account, Unset):
            account = self.account.value


        api_keys: str | Unset = UNSET
        if not isinstance(self.api_keys, Unset):
            api_keys = self.api_keys.value


        sessions: str | Unset = UNSET
        if not isinstance(self.sessions, Unset):
            sessions = self.sessions.value


        messages: str | Unset = UNSET
        if not isinstance(self.messages, Unset):
            messages = self.messages.value


        contacts: str | Unset = UNSET
        if not isinstance(self.contacts, Unset):
            contacts = self.contacts.value


        groups: str | Unset = UNSET
        if not isinstance(self.groups, Unset):
            groups = self.groups.value


        events: str | Unset = UNSET
        if not isinstance(self.events, Unset):
            events = self.events.value


        webhooks: str | Unset = UNSET
        if not isinstance(self.webhooks, Unset):
            webhooks = self.webhooks.value


        media: str | Unset = UNSET
        if not isinstance(self.media, Unset):
            media = self.media.value



        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if account is not UNSET:
            field_dict["account"] = account
        if api_keys is not UNSET:
            field_dict["api_keys"] = api_keys
        if sessions is not UNSET:
            field_dict["sessions"] = sessions
        if messages is not UNSET:
            field_dict["messages"] = messages
        if contacts is not UNSET:
            field_dict["contacts"] = contacts
        if groups is not UNSET:
            field_dict["groups"] = groups
        if events is not UNSET:
            field_dict["events"] = events
        if webhooks is not UNSET:
            field_dict["webhooks"] = webhooks
        if media is not UNSET:
            field_dict["media"] = media

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _account = d.pop("account", UNSET)
        account: Access | Unset
        if isinstance(_account,  Unset):
            account = UNSET
        else:
            account = Access(_account)




        _api_keys = d.pop("api_keys", UNSET)
        api_keys: Access | Unset
        if isinstance(_api_keys,  Unset):
            api_keys = UNSET
        else:
            api_keys = Access(_api_keys)




        _sessions = d.pop("sessions", UNSET)
        sessions: Access | Unset
        if isinstance(_sessions,  Unset):
            sessions = UNSET
        else:
            sessions = Access(_sessions)




        _messages = d.pop("messages", UNSET)
        messages: Access | Unset
        if isinstance(_messages,  Unset):
            messages = UNSET
        else:
            messages = Access(_messages)




        _contacts = d.pop("contacts", UNSET)
        contacts: Access | Unset
        if isinstance(_contacts,  Unset):
            contacts = UNSET
        else:
            contacts = Access(_contacts)




        _groups = d.pop("groups", UNSET)
        groups: Access | Unset
        if isinstance(_groups,  Unset):
            groups = UNSET
        else:
            groups = Access(_groups)




        _events = d.pop("events", UNSET)
        events: Access | Unset
        if isinstance(_events,  Unset):
            events = UNSET
        else:
            events = Access(_events)




        _webhooks = d.pop("webhooks", UNSET)
        webhooks: Access | Unset
        if isinstance(_webhooks,  Unset):
            webhooks = UNSET
        else:
            webhooks = Access(_webhooks)




        _media = d.pop("media", UNSET)
        media: Access | Unset
        if isinstance(_media,  Unset):
            media = UNSET
        else:
            media = Access(_media)




        scopes = cls(
            account=account,
            api_keys=api_keys,
            sessions=sessions,
            messages=messages,
            contacts=contacts,
            groups=groups,
            events=events,
            webhooks=webhooks,
            media=media,
        )


        scopes.additional_properties = d
        return scopes

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
