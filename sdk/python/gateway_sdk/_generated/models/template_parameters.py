from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.template_parameters_format import TemplateParametersFormat
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.button_parameters import ButtonParameters
  from ..models.header_parameters import HeaderParameters
  from ..models.placeholder_spec import PlaceholderSpec





T = TypeVar("T", bound="TemplateParameters")



@_attrs_define
class TemplateParameters:
    """ What a send of the template must give, per component.

        Attributes:
            format_ (TemplateParametersFormat): Positional (`{{1}}`) or named placeholders.
            header (HeaderParameters | None | Unset):
            body (None | PlaceholderSpec | Unset):
            buttons (list[ButtonParameters] | Unset):
     """

    format_: TemplateParametersFormat
    header: HeaderParameters | None | Unset = UNSET
    body: None | PlaceholderSpec | Unset = UNSET
    buttons: list[ButtonParameters] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.button_parameters import ButtonParameters # noqa: PLC0415
        from ..models.header_parameters import HeaderParameters # noqa: PLC0415
        from ..models.placeholder_spec import PlaceholderSpec # noqa: PLC0415
        format_ = self.format_.value

        header: dict[str, Any] | None | Unset
        if isinstance(self.header, Unset):
            header = UNSET
        elif isinstance(self.header, HeaderParameters):
            header = self.header.to_dict()
        else:
            header = self.header

        body: dict[str, Any] | None | Unset
        if isinstance(self.body, Unset):
            body = UNSET
        elif isinstance(self.body, PlaceholderSpec):
            body = self.body.to_dict()
        else:
            body = self.body

        buttons: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.buttons, Unset):
            buttons = []
            for buttons_item_data in self.buttons:
                buttons_item = buttons_item_data.to_dict()
                buttons.append(buttons_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "format": format_,
        })
        if header is not UNSET:
            field_dict["header"] = header
        if body is not UNSET:
            field_dict["body"] = body
        if buttons is not UNSET:
            field_dict["buttons"] = buttons

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.button_parameters import ButtonParameters # noqa: PLC0415
        from ..models.header_parameters import HeaderParameters # noqa: PLC0415
        from ..models.placeholder_spec import PlaceholderSpec # noqa: PLC0415
        d = dict(src_dict)
        format_ = TemplateParametersFormat(d.pop("format"))




        def _parse_header(data: object) -> HeaderParameters | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                header_type_0 = HeaderParameters.from_dict(data)



                return header_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(HeaderParameters | None | Unset, data)

        header = _parse_header(d.pop("header", UNSET))


        def _parse_body(data: object) -> None | PlaceholderSpec | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                body_type_0 = PlaceholderSpec.from_dict(data)



                return body_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PlaceholderSpec | Unset, data)

        body = _parse_body(d.pop("body", UNSET))


        _buttons = d.pop("buttons", UNSET)
        buttons: list[ButtonParameters] | Unset = UNSET
        if _buttons is not UNSET:
            buttons = []
            for buttons_item_data in _buttons:
                buttons_item = ButtonParameters.from_dict(buttons_item_data)



                buttons.append(buttons_item)


        template_parameters = cls(
            format_=format_,
            header=header,
            body=body,
            buttons=buttons,
        )


        template_parameters.additional_properties = d
        return template_parameters

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
