from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.template_create_category import TemplateCreateCategory
from ..models.template_create_parameter_format_type_0 import TemplateCreateParameterFormatType0
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.template_component_in import TemplateComponentIn





T = TypeVar("T", bound="TemplateCreate")



@_attrs_define
class TemplateCreate:
    """ A template to submit for Meta's review; it is `PENDING` until Meta decides (a
    `template.status` event tells).

        Attributes:
            name (str): Lowercase, digits and `_`.
            language (str):
            category (TemplateCreateCategory):
            components (list[TemplateComponentIn]):
            parameter_format (None | TemplateCreateParameterFormatType0 | Unset): Inferred from the placeholders when
                omitted.
            allow_category_change (bool | None | Unset): Let Meta recategorise it instead of rejecting it.
     """

    name: str
    language: str
    category: TemplateCreateCategory
    components: list[TemplateComponentIn]
    parameter_format: None | TemplateCreateParameterFormatType0 | Unset = UNSET
    allow_category_change: bool | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.template_component_in import TemplateComponentIn # noqa: PLC0415
        name = self.name

        language = self.language

        category = self.category.value

        components = []
        for components_item_data in self.components:
            components_item = components_item_data.to_dict()
            components.append(components_item)



        parameter_format: None | str | Unset
        if isinstance(self.parameter_format, Unset):
            parameter_format = UNSET
        elif isinstance(self.parameter_format, TemplateCreateParameterFormatType0):
            parameter_format = self.parameter_format.value
        else:
            parameter_format = self.parameter_format

        allow_category_change: bool | None | Unset
        if isinstance(self.allow_category_change, Unset):
            allow_category_change = UNSET
        else:
            allow_category_change = self.allow_category_change


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "name": name,
            "language": language,
            "category": category,
            "components": components,
        })
        if parameter_format is not UNSET:
            field_dict["parameter_format"] = parameter_format
        if allow_category_change is not UNSET:
            field_dict["allow_category_change"] = allow_category_change

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.template_component_in import TemplateComponentIn # noqa: PLC0415
        d = dict(src_dict)
        name = d.pop("name")

        language = d.pop("language")

        category = TemplateCreateCategory(d.pop("category"))




        components = []
        _components = d.pop("components")
        for components_item_data in (_components):
            components_item = TemplateComponentIn.from_dict(components_item_data)



            components.append(components_item)


        def _parse_parameter_format(data: object) -> None | TemplateCreateParameterFormatType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                parameter_format_type_0 = TemplateCreateParameterFormatType0(data)



                return parameter_format_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TemplateCreateParameterFormatType0 | Unset, data)

        parameter_format = _parse_parameter_format(d.pop("parameter_format", UNSET))


        def _parse_allow_category_change(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        allow_category_change = _parse_allow_category_change(d.pop("allow_category_change", UNSET))


        template_create = cls(
            name=name,
            language=language,
            category=category,
            components=components,
            parameter_format=parameter_format,
            allow_category_change=allow_category_change,
        )

        return template_create

