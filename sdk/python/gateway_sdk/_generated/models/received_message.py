from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.inbound_media import InboundMedia
  from ..models.received_message_contacts_type_0_item import ReceivedMessageContactsType0Item
  from ..models.received_message_interactive_type_0 import ReceivedMessageInteractiveType0
  from ..models.received_message_location_type_0 import ReceivedMessageLocationType0
  from ..models.received_message_raw_type_0 import ReceivedMessageRawType0
  from ..models.received_message_reaction_type_0 import ReceivedMessageReactionType0





T = TypeVar("T", bound="ReceivedMessage")



@_attrs_define
class ReceivedMessage:
    """ A message the session received.

        Attributes:
            engine_message_id (str): The engine's id of the message.
            chat_id (str): The chat: the sender's id, or the group's.
            from_id (str): Who sent it (`…@c.us`, or `…@lid` for LID-only senders).
            type_ (str):
            timestamp (datetime.datetime):
            id (str): The gateway's id of the message (`msg_…`): `GET /v1/messages/{id}`.
            from_phone_number (None | str | Unset): E.164, when known.
            from_lid (None | str | Unset): The sender's LID, when known.
            from_name (None | str | Unset):
            group_id (None | str | Unset): Set for group messages.
            text (None | str | Unset):
            media (InboundMedia | None | Unset):
            voice (bool | None | Unset): An audio message that is a voice note.
            location (None | ReceivedMessageLocationType0 | Unset): `latitude`, `longitude`, and `name`, `address`, `url` if
                given.
            contacts (list[ReceivedMessageContactsType0Item] | None | Unset): Shared contact cards (`name`, `phones`,
                `emails` …).
            reaction (None | ReceivedMessageReactionType0 | Unset): `message_id` and `emoji` of a reaction to a message.
            interactive (None | ReceivedMessageInteractiveType0 | Unset): What a tap on a button or list answered: `kind`,
                `id`, `title`, `description` (cloud engine).
            raw (None | ReceivedMessageRawType0 | Unset): The engine's own object of the message (Meta's, on cloud).
     """

    engine_message_id: str
    chat_id: str
    from_id: str
    type_: str
    timestamp: datetime.datetime
    id: str
    from_phone_number: None | str | Unset = UNSET
    from_lid: None | str | Unset = UNSET
    from_name: None | str | Unset = UNSET
    group_id: None | str | Unset = UNSET
    text: None | str | Unset = UNSET
    media: InboundMedia | None | Unset = UNSET
    voice: bool | None | Unset = UNSET
    location: None | ReceivedMessageLocationType0 | Unset = UNSET
    contacts: list[ReceivedMessageContactsType0Item] | None | Unset = UNSET
    reaction: None | ReceivedMessageReactionType0 | Unset = UNSET
    interactive: None | ReceivedMessageInteractiveType0 | Unset = UNSET
    raw: None | ReceivedMessageRawType0 | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.inbound_media import InboundMedia # noqa: PLC0415
        from ..models.received_message_contacts_type_0_item import ReceivedMessageContactsType0Item # noqa: PLC0415
        from ..models.received_message_interactive_type_0 import ReceivedMessageInteractiveType0 # noqa: PLC0415
        from ..models.received_message_location_type_0 import ReceivedMessageLocationType0 # noqa: PLC0415
        from ..models.received_message_raw_type_0 import ReceivedMessageRawType0 # noqa: PLC0415
        from ..models.received_message_reaction_type_0 import ReceivedMessageReactionType0 # noqa: PLC0415
        engine_message_id = self.engine_message_id

        chat_id = self.chat_id

        from_id = self.from_id

        type_ = self.type_

        timestamp = self.timestamp.isoformat()

        id = self.id

        from_phone_number: None | str | Unset
        if isinstance(self.from_phone_number, Unset):
            from_phone_number = UNSET
        else:
            from_phone_number = self.from_phone_number

        from_lid: None | str | Unset
        if isinstance(self.from_lid, Unset):
            from_lid = UNSET
        else:
            from_lid = self.from_lid

        from_name: None | str | Unset
        if isinstance(self.from_name, Unset):
            from_name = UNSET
        else:
            from_name = self.from_name

        group_id: None | str | Unset
        if isinstance(self.group_id, Unset):
            group_id = UNSET
        else:
            group_id = self.group_id

        text: None | str | Unset
        if isinstance(self.text, Unset):
            text = UNSET
        else:
            text = self.text

        media: dict[str, Any] | None | Unset
        if isinstance(self.media, Unset):
            media = UNSET
        elif isinstance(self.media, InboundMedia):
            media = self.media.to_dict()
        else:
            media = self.media

        voice: bool | None | Unset
        if isinstance(self.voice, Unset):
            voice = UNSET
        else:
            voice = self.voice

        location: dict[str, Any] | None | Unset
        if isinstance(self.location, Unset):
            location = UNSET
        elif isinstance(self.location, ReceivedMessageLocationType0):
            location = self.location.to_dict()
        else:
            location = self.location

        contacts: list[dict[str, Any]] | None | Unset
        if isinstance(self.contacts, Unset):
            contacts = UNSET
        elif isinstance(self.contacts, list):
            contacts = []
            for contacts_type_0_item_data in self.contacts:
                contacts_type_0_item = contacts_type_0_item_data.to_dict()
                contacts.append(contacts_type_0_item)


        else:
            contacts = self.contacts

        reaction: dict[str, Any] | None | Unset
        if isinstance(self.reaction, Unset):
            reaction = UNSET
        elif isinstance(self.reaction, ReceivedMessageReactionType0):
            reaction = self.reaction.to_dict()
        else:
            reaction = self.reaction

        interactive: dict[str, Any] | None | Unset
        if isinstance(self.interactive, Unset):
            interactive = UNSET
        elif isinstance(self.interactive, ReceivedMessageInteractiveType0):
            interactive = self.interactive.to_dict()
        else:
            interactive = self.interactive

        raw: dict[str, Any] | None | Unset
        if isinstance(self.raw, Unset):
            raw = UNSET
        elif isinstance(self.raw, ReceivedMessageRawType0):
            raw = self.raw.to_dict()
        else:
            raw = self.raw


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "engine_message_id": engine_message_id,
            "chat_id": chat_id,
            "from_id": from_id,
            "type": type_,
            "timestamp": timestamp,
            "id": id,
        })
        if from_phone_number is not UNSET:
            field_dict["from_phone_number"] = from_phone_number
        if from_lid is not UNSET:
            field_dict["from_lid"] = from_lid
        if from_name is not UNSET:
            field_dict["from_name"] = from_name
        if group_id is not UNSET:
            field_dict["group_id"] = group_id
        if text is not UNSET:
            field_dict["text"] = text
        if media is not UNSET:
            field_dict["media"] = media
        if voice is not UNSET:
            field_dict["voice"] = voice
        if location is not UNSET:
            field_dict["location"] = location
        if contacts is not UNSET:
            field_dict["contacts"] = contacts
        if reaction is not UNSET:
            field_dict["reaction"] = reaction
        if interactive is not UNSET:
            field_dict["interactive"] = interactive
        if raw is not UNSET:
            field_dict["raw"] = raw

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.inbound_media import InboundMedia # noqa: PLC0415
        from ..models.received_message_contacts_type_0_item import ReceivedMessageContactsType0Item # noqa: PLC0415
        from ..models.received_message_interactive_type_0 import ReceivedMessageInteractiveType0 # noqa: PLC0415
        from ..models.received_message_location_type_0 import ReceivedMessageLocationType0 # noqa: PLC0415
        from ..models.received_message_raw_type_0 import ReceivedMessageRawType0 # noqa: PLC0415
        from ..models.received_message_reaction_type_0 import ReceivedMessageReactionType0 # noqa: PLC0415
        d = dict(src_dict)
        engine_message_id = d.pop("engine_message_id")

        chat_id = d.pop("chat_id")

        from_id = d.pop("from_id")

        type_ = d.pop("type")

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))




        id = d.pop("id")

        def _parse_from_phone_number(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        from_phone_number = _parse_from_phone_number(d.pop("from_phone_number", UNSET))


        def _parse_from_lid(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        from_lid = _parse_from_lid(d.pop("from_lid", UNSET))


        def _parse_from_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        from_name = _parse_from_name(d.pop("from_name", UNSET))


        def _parse_group_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        group_id = _parse_group_id(d.pop("group_id", UNSET))


        def _parse_text(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        text = _parse_text(d.pop("text", UNSET))


        def _parse_media(data: object) -> InboundMedia | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                media_type_0 = InboundMedia.from_dict(data)



                return media_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(InboundMedia | None | Unset, data)

        media = _parse_media(d.pop("media", UNSET))


        def _parse_voice(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        voice = _parse_voice(d.pop("voice", UNSET))


        def _parse_location(data: object) -> None | ReceivedMessageLocationType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                location_type_0 = ReceivedMessageLocationType0.from_dict(data)



                return location_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ReceivedMessageLocationType0 | Unset, data)

        location = _parse_location(d.pop("location", UNSET))


        def _parse_contacts(data: object) -> list[ReceivedMessageContactsType0Item] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                contacts_type_0 = []
                _contacts_type_0 = data
                for contacts_type_0_item_data in (_contacts_type_0):
                    contacts_type_0_item = ReceivedMessageContactsType0Item.from_dict(contacts_type_0_item_data)



                    contacts_type_0.append(contacts_type_0_item)

                return contacts_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ReceivedMessageContactsType0Item] | None | Unset, data)

        contacts = _parse_contacts(d.pop("contacts", UNSET))


        def _parse_reaction(data: object) -> None | ReceivedMessageReactionType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                reaction_type_0 = ReceivedMessageReactionType0.from_dict(data)



                return reaction_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ReceivedMessageReactionType0 | Unset, data)

        reaction = _parse_reaction(d.pop("reaction", UNSET))


        def _parse_interactive(data: object) -> None | ReceivedMessageInteractiveType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                interactive_type_0 = ReceivedMessageInteractiveType0.from_dict(data)



                return interactive_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ReceivedMessageInteractiveType0 | Unset, data)

        interactive = _parse_interactive(d.pop("interactive", UNSET))


        def _parse_raw(data: object) -> None | ReceivedMessageRawType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                raw_type_0 = ReceivedMessageRawType0.from_dict(data)



                return raw_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ReceivedMessageRawType0 | Unset, data)

        raw = _parse_raw(d.pop("raw", UNSET))


        received_message = cls(
            engine_message_id=engine_message_id,
            chat_id=chat_id,
            from_id=from_id,
            type_=type_,
            timestamp=timestamp,
            id=id,
            from_phone_number=from_phone_number,
            from_lid=from_lid,
            from_name=from_name,
            group_id=group_id,
            text=text,
            media=media,
            voice=voice,
            location=location,
            contacts=contacts,
            reaction=reaction,
            interactive=interactive,
            raw=raw,
        )


        received_message.additional_properties = d
        return received_message

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
