from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from typing import Literal, cast






T = TypeVar("T", bound="Contact")



@_attrs_define
class Contact:
    """ Someone the session can reach: from the address book, or met in a chat or group.

        Attributes:
            id (str): The contact's id: the phone-number id when the number is known, otherwise the LID.
            phone_number (None | str): E.164, when known.
            phone_id (None | str): The phone-number id (`…@c.us`), when the number is known.
            lid (None | str): The LID (`…@lid`), WhatsApp's id that hides the number, when known.
            object_ (Literal['contact'] | Unset):  Default: 'contact'.
            name (None | str | Unset): The name in the phone's address book.
            push_name (None | str | Unset): The name the contact chose.
            is_business (bool | Unset):  Default: False.
            blocked (bool | Unset): Whether the session blocked the contact. Default: False.
     """

    id: str
    phone_number: None | str
    phone_id: None | str
    lid: None | str
    object_: Literal['contact'] | Unset = 'contact'
    name: None | str | Unset = UNSET
    push_name: None | str | Unset = UNSET
    is_business: bool | Unset = False
    blocked: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        phone_number: None | str
        phone_number = self.phone_number

        phone_id: None | str
        phone_id = self.phone_id

        lid: None | str
        lid = self.lid

        object_ = self.object_

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        push_name: None | str | Unset
        if isinstance(self.push_name, Unset):
            push_name = UNSET
        else:
            push_name = self.push_name

        is_business = self.is_business

        blocked = self.blocked


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "phone_number": phone_number,
            "phone_id": phone_id,
            "lid": lid,
        })
        if object_ is not UNSET:
            field_dict["object"] = object_
        if name is not UNSET:
            field_dict["name"] = name
        if push_name is not UNSET:
            field_dict["push_name"] = push_name
        if is_business is not UNSET:
            field_dict["is_business"] = is_business
        if blocked is not UNSET:
            field_dict["blocked"] = blocked

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        def _parse_phone_number(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        phone_number = _parse_phone_number(d.pop("phone_number"))


        def _parse_phone_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        phone_id = _parse_phone_id(d.pop("phone_id"))


        def _parse_lid(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        lid = _parse_lid(d.pop("lid"))


        object_ = cast(Literal['contact'] | Unset , d.pop("object", UNSET))
        if object_ != 'contact'and not isinstance(object_, Unset):
            raise ValueError(f"object must match const 'contact', got '{object_}'")

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))


        def _parse_push_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        push_name = _parse_push_name(d.pop("push_name", UNSET))


        is_business = d.pop("is_business", UNSET)

        blocked = d.pop("blocked", UNSET)

        contact = cls(
            id=id,
            phone_number=phone_number,
            phone_id=phone_id,
            lid=lid,
            object_=object_,
            name=name,
            push_name=push_name,
            is_business=is_business,
            blocked=blocked,
        )


        contact.additional_properties = d
        return contact

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
