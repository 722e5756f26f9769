from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.message_status_data_previous_status import MessageStatusDataPreviousStatus
from typing import cast

if TYPE_CHECKING:
  from ..models.message_out import MessageOut





T = TypeVar("T", bound="MessageStatusData")



@_attrs_define
class MessageStatusData:
    """ A message the session sends changed status: `queued`, `sending`, `sent`,
    `delivered`, `read` or `played`, or `failed` (with `error`), `scheduled`, `cancelled`.
    Sent on every transition.

        Attributes:
            message (MessageOut):
            previous_status (MessageStatusDataPreviousStatus):
     """

    message: MessageOut
    previous_status: MessageStatusDataPreviousStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.message_out import MessageOut # noqa: PLC0415
        message = self.message.to_dict()

        previous_status = self.previous_status.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "message": message,
            "previous_status": previous_status,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.message_out import MessageOut # noqa: PLC0415
        d = dict(src_dict)
        message = MessageOut.from_dict(d.pop("message"))




        previous_status = MessageStatusDataPreviousStatus(d.pop("previous_status"))




        message_status_data = cls(
            message=message,
            previous_status=previous_status,
        )


        message_status_data.additional_properties = d
        return message_status_data

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
