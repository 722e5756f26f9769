from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.message_out_direction import MessageOutDirection
from ..models.message_out_status import MessageOutStatus
from ..types import UNSET, Unset
from typing import cast
from typing import Literal, cast
import datetime

if TYPE_CHECKING:
  from ..models.message_error import MessageError
  from ..models.message_out_content import MessageOutContent





T = TypeVar("T", bound="MessageOut")



@_attrs_define
class MessageOut:
    """ 
        Attributes:
            id (str):
            session_id (str):
            direction (MessageOutDirection):
            chat_id (str):
            type_ (str):
            content (MessageOutContent): The type's fields, as sent or received.
            reply_to (None | str):
            status (MessageOutStatus):
            error (MessageError | None):
            engine_message_id (None | str):
            attempts (int):
            send_at (datetime.datetime | None):
            expires_at (datetime.datetime | None):
            sent_at (datetime.datetime | None):
            delivered_at (datetime.datetime | None):
            read_at (datetime.datetime | None):
            edited_at (datetime.datetime | None): When the sent text was last edited.
            revoked_at (datetime.datetime | None): When it was deleted for everyone.
            created_at (datetime.datetime):
            updated_at (datetime.datetime):
            object_ (Literal['message'] | Unset):  Default: 'message'.
     """

    id: str
    session_id: str
    direction: MessageOutDirection
    chat_id: str
    type_: str
    content: MessageOutContent
    reply_to: None | str
    status: MessageOutStatus
    error: MessageError | None
    engine_message_id: None | str
    attempts: int
    send_at: datetime.datetime | None
    expires_at: datetime.datetime | None
    sent_at: datetime.datetime | None
    delivered_at: datetime.datetime | None
    read_at: datetime.datetime | None
    edited_at: datetime.datetime | None
    revoked_at: datetime.datetime | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    object_: Literal['message'] | Unset = 'message'
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.message_error import MessageError # noqa: PLC0415
        from ..models.message_out_content import MessageOutContent # noqa: PLC0415
        id = self.id

        session_id = self.session_id

        direction = self.direction.value

        chat_id = self.chat_id

        type_ = self.type_

        content = self.content.to_dict()

        reply_to: None | str
        reply_to = self.reply_to

        status = self.status.value

        error: dict[str, Any] | None
        if isinstance(self.error, MessageError):
            error = self.error.to_dict()
        else:
            error = self.error

        engine_message_id: None | str
        engine_message_id = self.engine_message_id

        attempts = self.attempts

        send_at: None | str
        if isinstance(self.send_at, datetime.datetime):
            send_at = self.send_at.isoformat()
        else:
            send_at = self.send_at

        expires_at: None | str
        if isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        sent_at: None | str
        if isinstance(self.sent_at, datetime.datetime):
            sent_at = self.sent_at.isoformat()
        else:
            sent_at = self.sent_at

        delivered_at: None | str
        if isinstance(self.delivered_at, datetime.datetime):
            delivered_at = self.delivered_at.isoformat()
        else:
            delivered_at = self.delivered_at

        read_at: None | str
        if isinstance(self.read_at, datetime.datetime):
            read_at = self.read_at.isoformat()
        else:
            read_at = self.read_at

        edited_at: None | str
        if isinstance(self.edited_at, datetime.datetime):
            edited_at = self.edited_at.isoformat()
        else:
            edited_at = self.edited_at

        revoked_at: None | str
        if isinstance(self.revoked_at, datetime.datetime):
            revoked_at = self.revoked_at.isoformat()
        else:
            revoked_at = self.revoked_at

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        object_ = self.object_


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "session_id": session_id,
            "direction": direction,
            "chat_id": chat_id,
            "type": type_,
            "content": content,
            "reply_to": reply_to,
            "status": status,
            "error": error,
            "engine_message_id": engine_message_id,
            "attempts": attempts,
            "send_at": send_at,
            "expires_at": expires_at,
            "sent_at": sent_at,
            "delivered_at": delivered_at,
            "read_at": read_at,
            "edited_at": edited_at,
            "revoked_at": revoked_at,
            "created_at": created_at,
            "updated_at": updated_at,
        })
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.message_error import MessageError # noqa: PLC0415
        from ..models.message_out_content import MessageOutContent # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        session_id = d.pop("session_id")

        direction = MessageOutDirection(d.pop("direction"))




        chat_id = d.pop("chat_id")

        type_ = d.pop("type")

        content = MessageOutContent.from_dict(d.pop("content"))




        def _parse_reply_to(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reply_to = _parse_reply_to(d.pop("reply_to"))


        status = MessageOutStatus(d.pop("status"))




        def _parse_error(data: object) -> MessageError | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_0 = MessageError.from_dict(data)



                return error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MessageError | None, data)

        error = _parse_error(d.pop("error"))


        def _parse_engine_message_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        engine_message_id = _parse_engine_message_id(d.pop("engine_message_id"))


        attempts = d.pop("attempts")

        def _parse_send_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                send_at_type_0 = datetime.datetime.fromisoformat(data)



                return send_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        send_at = _parse_send_at(d.pop("send_at"))


        def _parse_expires_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)



                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        expires_at = _parse_expires_at(d.pop("expires_at"))


        def _parse_sent_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sent_at_type_0 = datetime.datetime.fromisoformat(data)



                return sent_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        sent_at = _parse_sent_at(d.pop("sent_at"))


        def _parse_delivered_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                delivered_at_type_0 = datetime.datetime.fromisoformat(data)



                return delivered_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        delivered_at = _parse_delivered_at(d.pop("delivered_at"))


        def _parse_read_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                read_at_type_0 = datetime.datetime.fromisoformat(data)



                return read_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        read_at = _parse_read_at(d.pop("read_at"))


        def _parse_edited_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                edited_at_type_0 = datetime.datetime.fromisoformat(data)



                return edited_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        edited_at = _parse_edited_at(d.pop("edited_at"))


        def _parse_revoked_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                revoked_at_type_0 = datetime.datetime.fromisoformat(data)



                return revoked_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        revoked_at = _parse_revoked_at(d.pop("revoked_at"))


        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))




        object_ = cast(Literal['message'] | Unset , d.pop("object", UNSET))
        if object_ != 'message'and not isinstance(object_, Unset):
            raise ValueError(f"object must match const 'message', got '{object_}'")

        message_out = cls(
            id=id,
            session_id=session_id,
            direction=direction,
            chat_id=chat_id,
            type_=type_,
            content=content,
            reply_to=reply_to,
            status=status,
            error=error,
            engine_message_id=engine_message_id,
            attempts=attempts,
            send_at=send_at,
            expires_at=expires_at,
            sent_at=sent_at,
            delivered_at=delivered_at,
            read_at=read_at,
            edited_at=edited_at,
            revoked_at=revoked_at,
            created_at=created_at,
            updated_at=updated_at,
            object_=object_,
        )


        message_out.additional_properties = d
        return message_out

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
