from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.template_component import TemplateComponent





T = TypeVar("T", bound="TemplateMessage")



@_attrs_define
class TemplateMessage:
    """ 
        Attributes:
            name (str):
            language (str): The template's language code.
            components (list[TemplateComponent] | Unset):
     """

    name: str
    language: str
    components: list[TemplateComponent] | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.template_component import TemplateComponent # noqa: PLC0415
        name = self.name

        language = self.language

        components: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.components, Unset):
            components = []
            for components_item_data in self.components:
                components_item = components_item_data.to_dict()
                components.append(components_item)




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "name": name,
            "language": language,
        })
        if components is not UNSET:
            field_dict["components"] = components

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.template_component import TemplateComponent # noqa: PLC0415
        d = dict(src_dict)
        name = d.pop("name")

        language = d.pop("language")

        _components = d.pop("components", UNSET)
        components: list[TemplateComponent] | Unset = UNSET
        if _components is not UNSET:
            components = []
            for components_item_data in _components:
                components_item = TemplateComponent.from_dict(components_item_data)



                components.append(components_item)


        template_message = cls(
            name=name,
            language=language,
            components=components,
        )

        return template_message

