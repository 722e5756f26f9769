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






T = TypeVar("T", bound="TextSend")



@_attrs_define
class TextSend:
    """ 
        Attributes:
            chat_id (str): A phone number in international format (`+12025550123`, normalised to E.164) or a chat id
                (`12025550123@c.us`, a group's `…@g.us`).
            type_ (Literal['text']):
            text (str):
            reply_to (None | str | Unset): Quote this message (`msg_…`) of the chat.
            send_at (datetime.datetime | None | Unset): Send later, at this time (the message is `scheduled`).
            expires_at (datetime.datetime | None | Unset): Give up retrying after this; default 24 hours after sending.
            link_preview (bool | Unset): Show a preview of the first link. Default: True.
            mentions (list[str] | Unset): Phone numbers or ids to mention.
     """

    chat_id: str
    type_: Literal['text']
    text: str
    reply_to: None | str | Unset = UNSET
    send_at: datetime.datetime | None | Unset = UNSET
    expires_at: datetime.datetime | None | Unset = UNSET
    link_preview: bool | Unset = True
    mentions: list[str] | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        chat_id = self.chat_id

        type_ = self.type_

        text = self.text

        reply_to: None | str | Unset
        if isinstance(self.reply_to, Unset):
            reply_to = UNSET
        else:
            reply_to = self.reply_to

        send_at: None | str | Unset
        if isinstance(self.send_at, Unset):
            send_at = UNSET
        elif isinstance(self.send_at, datetime.datetime):
            send_at = self.send_at.isoformat()
        else:
            send_at = self.send_at

        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        link_preview = self.link_preview

        mentions: list[str] | Unset = UNSET
        if not isinstance(self.mentions, Unset):
            mentions = self.mentions




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "chat_id": chat_id,
            "type": type_,
            "text": text,
        })
        if reply_to is not UNSET:
            field_dict["reply_to"] = reply_to
        if send_at is not UNSET:
            field_dict["send_at"] = send_at
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if link_preview is not UNSET:
            field_dict["link_preview"] = link_preview
        if mentions is not UNSET:
            field_dict["mentions"] = mentions

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        chat_id = d.pop("chat_id")

        type_ = cast(Literal['text'] , d.pop("type"))
        if type_ != 'text':
            raise ValueError(f"type must match const 'text', got '{type_}'")

        text = d.pop("text")

        def _parse_reply_to(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reply_to = _parse_reply_to(d.pop("reply_to", UNSET))


        def _parse_send_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                send_at_type_0 = datetime.datetime.fromisoformat(data)



                return send_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        send_at = _parse_send_at(d.pop("send_at", UNSET))


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


        link_preview = d.pop("link_preview", UNSET)

        mentions = cast(list[str], d.pop("mentions", UNSET))


        text_send = cls(
            chat_id=chat_id,
            type_=type_,
            text=text,
            reply_to=reply_to,
            send_at=send_at,
            expires_at=expires_at,
            link_preview=link_preview,
            mentions=mentions,
        )

        return text_send

