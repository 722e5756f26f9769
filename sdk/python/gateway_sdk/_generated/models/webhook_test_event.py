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
  from ..models.event_session import EventSession
  from ..models.webhook_test_data import WebhookTestData





T = TypeVar("T", bound="WebhookTestEvent")



@_attrs_define
class WebhookTestEvent:
    """ Sent on request to check that a webhook endpoint receives and verifies events.

        Attributes:
            id (str):
            type_ (Literal['webhook.test']):
            created_at (datetime.datetime):
            livemode (bool): False for sandbox sessions' events, the only ones test-mode keys see.
            session (EventSession | None): Null for account-level events.
            data (WebhookTestData): Sent on request to check that a webhook endpoint receives and verifies events.
            object_ (Literal['event'] | Unset):  Default: 'event'.
     """

    id: str
    type_: Literal['webhook.test']
    created_at: datetime.datetime
    livemode: bool
    session: EventSession | None
    data: WebhookTestData
    object_: Literal['event'] | Unset = 'event'
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.event_session import EventSession # noqa: PLC0415
        from ..models.webhook_test_data import WebhookTestData # noqa: PLC0415
        id = self.id

        type_ = self.type_

        created_at = self.created_at.isoformat()

        livemode = self.livemode

        session: dict[str, Any] | None
        if isinstance(self.session, EventSession):
            session = self.session.to_dict()
        else:
            session = self.session

        data = self.data.to_dict()

        object_ = self.object_


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "type": type_,
            "created_at": created_at,
            "livemode": livemode,
            "session": session,
            "data": data,
        })
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_session import EventSession # noqa: PLC0415
        from ..models.webhook_test_data import WebhookTestData # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        type_ = cast(Literal['webhook.test'] , d.pop("type"))
        if type_ != 'webhook.test':
            raise ValueError(f"type must match const 'webhook.test', got '{type_}'")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        livemode = d.pop("livemode")

        def _parse_session(data: object) -> EventSession | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                session_type_0 = EventSession.from_dict(data)



                return session_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EventSession | None, data)

        session = _parse_session(d.pop("session"))


        data = WebhookTestData.from_dict(d.pop("data"))




        object_ = cast(Literal['event'] | Unset , d.pop("object", UNSET))
        if object_ != 'event'and not isinstance(object_, Unset):
            raise ValueError(f"object must match const 'event', got '{object_}'")

        webhook_test_event = cls(
            id=id,
            type_=type_,
            created_at=created_at,
            livemode=livemode,
            session=session,
            data=data,
            object_=object_,
        )


        webhook_test_event.additional_properties = d
        return webhook_test_event

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
