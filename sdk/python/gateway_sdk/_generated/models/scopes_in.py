from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.access import Access
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ScopesIn")



@_attrs_define
class ScopesIn:
    """ Access per resource. Omitted resources get `none`; omit `scopes` for full access.

        Attributes:
            account (Access | None | Unset):
            api_keys (Access | None | Unset):
            sessions (Access | None | Unset):
            messages (Access | None | Unset):
            contacts (Access | None | Unset):
            groups (Access | None | Unset):
            events (Access | None | Unset):
            webhooks (Access | None | Unset):
            media (Access | None | Unset):
     """

    account: Access | None | Unset = UNSET
    api_keys: Access | None | Unset = UNSET
    sessions: Access | None | Unset = UNSET
    messages: Access | None | Unset = UNSET
    contacts: Access | None | Unset = UNSET
    groups: Access | None | Unset = UNSET
    events: Access | None | Unset = UNSET
    webhooks: Access | None | Unset = UNSET
    media: Access | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        account: None | str | Unset
        if isinstance(self.account, Unset):
            account = UNSET
        elif isinstance(self.account, Access):
            account = self.account.value
        else:
            account = self.account

        api_keys: None | str | Unset
        if isinstance(self.api_keys, Unset):
            api_keys = UNSET
        elif isinstance(self.api_keys, Access):
            api_keys = self.api_keys.value
        else:
            api_keys = self.api_keys

        sessions: None | str | Unset
        if isinstance(self.sessions, Unset):
            sessions = UNSET
        elif isinstance(self.sessions, Access):
            sessions = self.sessions.value
        else:
            sessions = self.sessions

        messages: None | str | Unset
        if isinstance(self.messages, Unset):
            messages = UNSET
        elif isinstance(self.messages, Access):
            messages = self.messages.value
        else:
            messages = self.messages

        contacts: None | str | Unset
        if isinstance(self.contacts, Unset):
            contacts = UNSET
        elif isinstance(self.contacts, Access):
            contacts = self.contacts.value
        else:
            contacts = self.contacts

        groups: None | str | Unset
        if isinstance(self.groups, Unset):
            groups = UNSET
        elif isinstance(self.groups, Access):
            groups = self.groups.value
        else:
            groups = self.groups

        events: None | str | Unset
        if isinstance(self.events, Unset):
            events = UNSET
        elif isinstance(self.events, Access):
            events = self.events.value
        else:
            events = self.events

        webhooks: None | str | Unset
        if isinstance(self.webhooks, Unset):
            webhooks = UNSET
        elif isinstance(self.webhooks, Access):
            webhooks = self.webhooks.value
        else:
            webhooks = self.webhooks

        media: None | str | Unset
        if isinstance(self.media, Unset):
            media = UNSET
        elif isinstance(self.media, Access):
            media = self.media.value
        else:
            media = self.media


        field_dict: dict[str, Any] = {}

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
        def _parse_account(data: object) -> Access | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                account_type_0 = Access(data)



                return account_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Access | None | Unset, data)

        account = _parse_account(d.pop("account", UNSET))


        def _parse_api_keys(data: object) -> Access | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                api_keys_type_0 = Access(data)



                return api_keys_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Access | None | Unset, data)

        api_keys = _parse_api_keys(d.pop("api_keys", UNSET))


        def _parse_sessions(data: object) -> Access | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sessions_type_0 = Access(data)



                return sessions_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Access | None | Unset, data)

        sessions = _parse_sessions(d.pop("sessions", UNSET))


        def _parse_messages(data: object) -> Access | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                messages_type_0 = Access(data)



                return messages_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Access | None | Unset, data)

        messages = _parse_messages(d.pop("messages", UNSET))


        def _parse_contacts(data: object) -> Access | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                contacts_type_0 = Access(data)



                return contacts_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Access | None | Unset, data)

        contacts = _parse_contacts(d.pop("contacts", UNSET))


        def _parse_groups(data: object) -> Access | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                groups_type_0 = Access(data)



                return groups_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Access | None | Unset, data)

        groups = _parse_groups(d.pop("groups", UNSET))


        def _parse_events(data: object) -> Access | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                events_type_0 = Access(data)



                return events_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Access | None | Unset, data)

        events = _parse_events(d.pop("events", UNSET))


        def _parse_webhooks(data: object) -> Access | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                webhooks_type_0 = Access(data)



                return webhooks_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Access | None | Unset, data)

        webhooks = _parse_webhooks(d.pop("webhooks", UNSET))


        def _parse_media(data: object) -> Access | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                media_type_0 = Access(data)



                return media_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Access | None | Unset, data)

        media = _parse_media(d.pop("media", UNSET))


        scopes_in = cls(
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

        return scopes_in

