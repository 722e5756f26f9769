from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.participant_result_status import ParticipantResultStatus
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.number_check_error import NumberCheckError





T = TypeVar("T", bound="ParticipantResult")



@_attrs_define
class ParticipantResult:
    """ 
        Attributes:
            participant (str): The participant as it was given.
            id (None | str): The participant's id; null when the input is malformed.
            status (ParticipantResultStatus):
            error (None | NumberCheckError | Unset):
     """

    participant: str
    id: None | str
    status: ParticipantResultStatus
    error: None | NumberCheckError | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.number_check_error import NumberCheckError # noqa: PLC0415
        participant = self.participant

        id: None | str
        id = self.id

        status = self.status.value

        error: dict[str, Any] | None | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        elif isinstance(self.error, NumberCheckError):
            error = self.error.to_dict()
        else:
            error = self.error


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "participant": participant,
            "id": id,
            "status": status,
        })
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.number_check_error import NumberCheckError # noqa: PLC0415
        d = dict(src_dict)
        participant = d.pop("participant")

        def _parse_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        id = _parse_id(d.pop("id"))


        status = ParticipantResultStatus(d.pop("status"))




        def _parse_error(data: object) -> None | NumberCheckError | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_0 = NumberCheckError.from_dict(data)



                return error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | NumberCheckError | Unset, data)

        error = _parse_error(d.pop("error", UNSET))


        participant_result = cls(
            participant=participant,
            id=id,
            status=status,
            error=error,
        )


        participant_result.additional_properties = d
        return participant_result

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
