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
  from ..models.buttons_interactive import ButtonsInteractive
  from ..models.cta_url_interactive import CtaUrlInteractive
  from ..models.list_interactive import ListInteractive





T = TypeVar("T", bound="InteractiveSend")



@_attrs_define
class InteractiveSend:
    """ Reply buttons, a list or a call-to-action URL (cloud engine).

        Attributes:
            chat_id (str): A phone number in international format (`+12025550123`, normalised to E.164) or a chat id
                (`12025550123@c.us`, a group's `…@g.us`).
            type_ (Literal['interactive']):
            interactive (ButtonsInteractive | CtaUrlInteractive | ListInteractive):
            reply_to (None | str | Unset): Quote this message (`msg_…`) of the chat.
            send_at (datetime.datetime | None | Unset): Send later, at this time (the message is `scheduled`).
            expires_at (datetime.datetime | None | Unset): Give up retrying after this; default 24 hours after sending.
     """

    chat_id: str
    type_: Literal['interactive']
    interactive: ButtonsInteractive | CtaUrlInteractive | ListInteractive
    reply_to: None | str | Unset = UNSET
    send_at: datetime.datetime | None | Unset = UNSET
    expires_at: datetime.datetime | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.buttons_interactive import ButtonsInteractive # noqa: PLC0415
        from ..models.cta_url_interactive import CtaUrlInteractive # noqa: PLC0415
        from ..models.list_interactive import ListInteractive # noqa: PLC0415
        chat_id = self.chat_id

        type_ = self.type_

        interactive: dict[str, Any]
        if isinstance(self.interactive, ButtonsInteractive):
            interactive = self.interactive.to_dict()
        elif isinstance(self.interactive, ListInteractive):
            interactive = self.interactive.to_dict()
        else:
            interactive = self.interactive.to_dict()


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


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "chat_id": chat_id,
            "type": type_,
            "interactive": interactive,
        })
        if reply_to is not UNSET:
            field_dict["reply_to"] = reply_to
        if send_at is not UNSET:
            field_dict["send_at"] = send_at
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.buttons_interactive import ButtonsInteractive # noqa: PLC0415
        from ..models.cta_url_interactive import CtaUrlInteractive # noqa: PLC0415
        from ..models.list_interactive import ListInteractive # noqa: PLC0415
        d = dict(src_dict)
        chat_id = d.pop("chat_id")

        type_ = cast(Literal['interactive'] , d.pop("type"))
        if type_ != 'interactive':
            raise ValueError(f"type must match const 'interactive', got '{type_}'")

        def _parse_interactive(data: object) -> ButtonsInteractive | CtaUrlInteractive | ListInteractive:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                interactive_type_0 = ButtonsInteractive.from_dict(data)



                return interactive_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                interactive_type_1 = ListInteractive.from_dict(data)



                return interactive_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            interactive_type_2 = CtaUrlInteractive.from_dict(data)



            return interactive_type_2

        interactive = _parse_interactive(d.pop("interactive"))


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


        interactive_send = cls(
            chat_id=chat_id,
            type_=type_,
            interactive=interactive,
            reply_to=reply_to,
            send_at=send_at,
            expires_at=expires_at,
        )

        return interactive_send

