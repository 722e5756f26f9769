from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.template_button_in import TemplateButtonIn
  from ..models.template_component_in_example_type_0 import TemplateComponentInExampleType0





T = TypeVar("T", bound="TemplateComponentIn")



@_attrs_define
class TemplateComponentIn:
    """ A component, as Meta's template creation takes it: ``HEADER`` (``format`` TEXT,
    IMAGE, VIDEO, DOCUMENT or LOCATION), ``BODY``, ``FOOTER``, ``BUTTONS``; ``example``
    carries sample values for placeholders (``header_text``, ``body_text``,
    ``header_handle``, ``…_named_params``). Other Meta fields pass through.

        Attributes:
            type_ (str):
            format_ (None | str | Unset):
            text (None | str | Unset):
            example (None | TemplateComponentInExampleType0 | Unset):
            buttons (list[TemplateButtonIn] | None | Unset):
     """

    type_: str
    format_: None | str | Unset = UNSET
    text: None | str | Unset = UNSET
    example: None | TemplateComponentInExampleType0 | Unset = UNSET
    buttons: list[TemplateButtonIn] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.template_button_in import TemplateButtonIn # noqa: PLC0415
        from ..models.template_component_in_example_type_0 import TemplateComponentInExampleType0 # noqa: PLC0415
        type_ = self.type_

        format_: None | str | Unset
        if isinstance(self.format_, Unset):
            format_ = UNSET
        else:
            format_ = self.format_

        text: None | str | Unset
        if isinstance(self.text, Unset):
            text = UNSET
        else:
            text = self.text

        example: dict[str, Any] | None | Unset
        if isinstance(self.example, Unset):
            example = UNSET
        elif isinstance(self.example, TemplateComponentInExampleType0):
            example = self.example.to_dict()
        else:
            example = self.example

        buttons: list[dict[str, Any]] | None | Unset
        if isinstance(self.buttons, Unset):
            buttons = UNSET
        elif isinstance(self.buttons, list):
            buttons = []
            for buttons_type_0_item_data in self.buttons:
                buttons_type_0_item = buttons_type_0_item_data.to_dict()
                buttons.append(buttons_type_0_item)


        else:
            buttons = self.buttons


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "type": type_,
        })
        if format_ is not UNSET:
            field_dict["format"] = format_
        if text is not UNSET:
            field_dict["text"] = text
        if example is not UNSET:
            field_dict["example"] = example
        if buttons is not UNSET:
            field_dict["buttons"] = buttons

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.template_button_in import TemplateButtonIn # noqa: PLC0415
        from ..models.template_component_in_example_type_0 import TemplateComponentInExampleType0 # noqa: PLC0415
        d = dict(src_dict)
        type_ = d.pop("type")

        def _parse_format_(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        format_ = _parse_format_(d.pop("format", UNSET))


        def _parse_text(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        text = _parse_text(d.pop("text", UNSET))


        def _parse_example(data: object) -> None | TemplateComponentInExampleType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                example_type_0 = TemplateComponentInExampleType0.from_dict(data)



                return example_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TemplateComponentInExampleType0 | Unset, data)

        example = _parse_example(d.pop("example", UNSET))


        def _parse_buttons(data: object) -> list[TemplateButtonIn] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                buttons_type_0 = []
                _buttons_type_0 = data
                for buttons_type_0_item_data in (_buttons_type_0):
                    buttons_type_0_item = TemplateButtonIn.from_dict(buttons_type_0_item_data)



                    buttons_type_0.append(buttons_type_0_item)

                return buttons_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[TemplateButtonIn] | None | Unset, data)

        buttons = _parse_buttons(d.pop("buttons", UNSET))


        template_component_in = cls(
            type_=type_,
            format_=format_,
            text=text,
            example=example,
            buttons=buttons,
        )


        template_component_in.additional_properties = d
        return template_component_in

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
