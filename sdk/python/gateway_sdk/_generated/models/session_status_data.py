from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.session_status import SessionStatus
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.me import Me





T = TypeVar("T", bound="SessionStatusData")



@_attrs_define
class SessionStatusData:
    """ The session's status changed. Sent on every transition, so the events of a session
    are its status history.

        Attributes:
            status (SessionStatus): WAHA's names, so their users feel at home.
            previous_status (None | SessionStatus | Unset): The status before (`STOPPED` for a new session's first).
            reason (None | str | Unset): Why it changed, when known (set for `FAILED`).
            me (Me | None | Unset): The WhatsApp account the session is linked to, once known.
     """

    status: SessionStatus
    previous_status: None | SessionStatus | Unset = UNSET
    reason: None | str | Unset = UNSET
    me: Me | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.me import Me # noqa: PLC0415
        status = self.status.value

        previous_status: None | str | Unset
        if isinstance(self.previous_status, Unset):
            previous_status = UNSET
        elif isinstance(self.previous_status, SessionStatus):
            previous_status = self.previous_status.value
        else:
            previous_status = self.previous_status

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        me: dict[str, Any] | None | Unset
        if isinstance(self.me, Unset):
            me = UNSET
        elif isinstance(self.me, Me):
            me = self.me.to_dict()
        else:
            me = self.me


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "status": status,
        })
        if previous_status is not UNSET:
            field_dict["previous_status"] = previous_status
        if reason is not UNSET:
            field_dict["reason"] = reason
        if me is not UNSET:
            field_dict["me"] = me

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.me import Me # noqa: PLC0415
        d = dict(src_dict)
        status = SessionStatus(d.pop("status"))




        def _parse_previous_status(data: object) -> None | SessionStatus | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                previous_status_type_0 = SessionStatus(data)



                return previous_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SessionStatus | Unset, data)

        previous_status = _parse_previous_status(d.pop("previous_status", UNSET))


        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))


        def _parse_me(data: object) -> Me | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                me_type_0 = Me.from_dict(data)



                return me_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Me | None | Unset, data)

        me = _parse_me(d.pop("me", UNSET))


        session_status_data = cls(
            status=status,
            previous_status=previous_status,
            reason=reason,
            me=me,
        )


        session_status_data.additional_properties = d
        return session_status_data

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
