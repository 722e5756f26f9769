from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.number_check_error import NumberCheckError





T = TypeVar("T", bound="NumberCheck")



@_attrs_define
class NumberCheck:
    """ Whether one number is on WhatsApp.

        Attributes:
            input_ (str): The number as it was given.
            phone_number (None | str): E.164; null when the input is malformed.
            on_whatsapp (bool | None): Null when the input is malformed.
            id (None | str): The phone-number id, when on WhatsApp.
            lid (None | str): The LID (`…@lid`), WhatsApp's id that hides the number, when known.
            error (None | NumberCheckError | Unset): Why this number could not be checked.
     """

    input_: str
    phone_number: None | str
    on_whatsapp: bool | None
    id: None | str
    lid: None | str
    error: None | NumberCheckError | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.number_check_error import NumberCheckError # noqa: PLC0415
        input_ = self.input_

        phone_number: None | str
        phone_number = self.phone_number

        on_whatsapp: bool | None
        on_whatsapp = self.on_whatsapp

        id: None | str
        id = self.id

        lid: None | str
        lid = self.lid

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
            "input": input_,
            "phone_number": phone_number,
            "on_whatsapp": on_whatsapp,
            "id": id,
            "lid": lid,
        })
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.number_check_error import NumberCheckError # noqa: PLC0415
        d = dict(src_dict)
        input_ = d.pop("input")

        def _parse_phone_number(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        phone_number = _parse_phone_number(d.pop("phone_number"))


        def _parse_on_whatsapp(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        on_whatsapp = _parse_on_whatsapp(d.pop("on_whatsapp"))


        def _parse_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        id = _parse_id(d.pop("id"))


        def _parse_lid(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        lid = _parse_lid(d.pop("lid"))


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


        number_check = cls(
            input_=input_,
            phone_number=phone_number,
            on_whatsapp=on_whatsapp,
            id=id,
            lid=lid,
            error=error,
        )


        number_check.additional_properties = d
        return number_check

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
