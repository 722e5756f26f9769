from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.template_component_sub_type_type_0 import TemplateComponentSubTypeType0
from ..models.template_component_type import TemplateComponentType
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.template_parameter import TemplateParameter





T = TypeVar("T", bound="TemplateComponent")



@_attrs_define
class TemplateComponent:
    """ 
        Attributes:
            type_ (TemplateComponentType):
            sub_type (None | TemplateComponentSubTypeType0 | Unset): For buttons.
            index (int | None | Unset): For buttons: which one.
            parameters (list[TemplateParameter] | Unset):
     """

    type_: TemplateComponentType
    sub_type: None | TemplateComponentSubTypeType0 | Unset = UNSET
    index: int | None | Unset = UNSET
    parameters: list[TemplateParameter] | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.template_parameter import TemplateParameter # noqa: PLC0415
        type_ = self.type_.value

        sub_type: None | str | Unset
        if isinstance(self.sub_type, Unset):
            sub_type = UNSET
        elif isinstance(self.sub_type, TemplateComponentSubTypeType0):
            sub_type = self.sub_type.value
        else:
            sub_type = self.sub_type

        index: int | None | Unset
        if isinstance(self.index, Unset):
            index = UNSET
        else:
            index = self.index

        parameters: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.parameters, Unset):
            parameters = []
            for parameters_item_data in self.parameters:
                parameters_item = parameters_item_data.to_dict()
                parameters.append(parameters_item)




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "type": type_,
        })
        if sub_type is not UNSET:
            field_dict["sub_type"] = sub_type
        if index is not UNSET:
            field_dict["index"] = index
        if parameters is not UNSET:
            field_dict["parameters"] = parameters

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.template_parameter import TemplateParameter # noqa: PLC0415
        d = dict(src_dict)
        type_ = TemplateComponentType(d.pop("type"))




        def _parse_sub_type(data: object) -> None | TemplateComponentSubTypeType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sub_type_type_0 = TemplateComponentSubTypeType0(data)



                return sub_type_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TemplateComponentSubTypeType0 | Unset, data)

        sub_type = _parse_sub_type(d.pop("sub_type", UNSET))


        def _parse_index(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        index = _parse_index(d.pop("index", UNSET))


        _parameters = d.pop("parameters", UNSET)
        parameters: list[TemplateParameter] | Unset = UNSET
        if _parameters is not UNSET:
            parameters = []
            for parameters_item_data in _parameters:
                parameters_item = TemplateParameter.from_dict(parameters_item_data)



                parameters.append(parameters_item)


        template_component = cls(
            type_=type_,
            sub_type=sub_type,
            index=index,
            parameters=parameters,
        )

        return template_component

