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
  from ..models.media_source import MediaSource





T = TypeVar("T", bound="VideoSend")



@_attrs_define
class VideoSend:
    """ 
        Attributes:
            chat_id (str): A phone number in international format (`+12025550123`, normalised to E.164) or a chat id
                (`12025550123@c.us`, a group's `…@g.us`).
            media (MediaSource): Where a message's file comes from: exactly one of ``media_id``, ``url``, ``base64``.
            type_ (Literal['video']):
            reply_to (None | str | Unset): Quote this message (`msg_…`) of the chat.
            send_at (datetime.datetime | None | Unset): Send later, at this time (the message is `scheduled`).
            expires_at (datetime.datetime | None | Unset): Give up retrying after this; default 24 hours after sending.
            caption (None | str | Unset):
     """

    chat_id: str
    media: MediaSource
    type_: Literal['video']
    reply_to: None | str | Unset = UNSET
    send_at: datetime.datetime | None | Unset = UNSET
    expires_at: datetime.datetime | None | Unset = UNSET
    caption: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.media_source import MediaSource # noqa: PLC0415
        chat_id = self.chat_id

        media = self.media.to_dict()

        type_ = self.type_

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

        caption: None | str | Unset
        if isinstance(self.caption, Unset):
            caption = UNSET
        else:
            caption = self.caption


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "chat_id": chat_id,
            "media": media,
            "type": type_,
        })
        if reply_to is not UNSET:
            field_dict["reply_to"] = reply_to
        if send_at is not UNSET:
            field_dict["send_at"] = send_at
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if caption is not UNSET:
            field_dict["caption"] = caption

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.media_source import MediaSource # noqa: PLC0415
        d = dict(src_dict)
        chat_id = d.pop("chat_id")

        media = MediaSource.from_dict(d.pop("media"))




        type_ = cast(Literal['video'] , d.pop("type"))
        if type_ != 'video':
            raise ValueError(f"type must match const 'video', got '{type_}'")

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


        def _parse_caption(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        caption = _parse_caption(d.pop("caption", UNSET))


        video_send = cls(
            chat_id=chat_id,
            media=media,
            type_=type_,
            reply_to=reply_to,
            send_at=send_at,
            expires_at=expires_at,
            caption=caption,
        )

        return video_send

