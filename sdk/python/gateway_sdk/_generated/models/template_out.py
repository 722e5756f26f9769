from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from typing import Literal, cast
import datetime

if TYPE_CHECKING:
  from ..models.template_out_components_item import TemplateOutComponentsItem
  from ..models.template_parameters import TemplateParameters





T = TypeVar("T", bound="TemplateOut")



@_attrs_define
class TemplateOut:
    """ A message template of the session's WhatsApp Business Account, as Meta has it.

        Attributes:
            id (str):
            session_id (str):
            engine_template_id (str): Meta's id of the template.
            name (str):
            language (str):
            category (str): `MARKETING`, `UTILITY` or `AUTHENTICATION`.
            status (str): Meta's review status: `PENDING` until reviewed, then `APPROVED` or `REJECTED`; later `PAUSED`,
                `DISABLED` …. Only `APPROVED` templates can be sent.
            components (list[TemplateOutComponentsItem]): The components, as Meta returns them.
            parameters (TemplateParameters): What a send of the template must give, per component.
            created_at (datetime.datetime):
            updated_at (datetime.datetime):
            object_ (Literal['template'] | Unset):  Default: 'template'.
            rejected_reason (None | str | Unset): Why Meta rejected, paused or disabled it, when it says.
     """

    id: str
    session_id: str
    engine_template_id: str
    name: str
    language: str
    category: str
    status: str
    components: list[TemplateOutComponentsItem]
    parameters: TemplateParameters
    created_at: datetime.datetime
    updated_at: datetime.datetime
    object_: Literal['template'] | Unset = 'template'
    rejected_reason: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.template_out_components_item import TemplateOutComponentsItem # noqa: PLC0415
        from ..models.template_parameters import TemplateParameters # noqa: PLC0415
        id = self.id

        session_id = self.session_id

        engine_template_id = self.engine_template_id

        name = self.name

        language = self.language

        category = self.category

        status = self.status

        components = []
        for components_item_data in self.components:
            components_item = components_item_data.to_dict()
            components.append(components_item)



        parameters = self.parameters.to_dict()

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        object_ = self.object_

        rejected_reason: None | str | Unset
        if isinstance(self.rejected_reason, Unset):
            rejected_reason = UNSET
        else:
            rejected_reason = self.rejected_reason


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "session_id": session_id,
            "engine_template_id": engine_template_id,
            "name": name,
            "language": language,
            "category": category,
            "status": status,
            "components": components,
            "parameters": parameters,
            "created_at": created_at,
            "updated_at": updated_at,
        })
        if object_ is not UNSET:
            field_dict["object"] = object_
        if rejected_reason is not UNSET:
            field_dict["rejected_reason"] = rejected_reason

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.template_out_components_item import TemplateOutComponentsItem # noqa: PLC0415
        from ..models.template_parameters import TemplateParameters # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        session_id = d.pop("session_id")

        engine_template_id = d.pop("engine_template_id")

        name = d.pop("name")

        language = d.pop("language")

        category = d.pop("category")

        status = d.pop("status")

        components = []
        _components = d.pop("components")
        for components_item_data in (_components):
            components_item = TemplateOutComponentsItem.from_dict(components_item_data)



            components.append(components_item)


        parameters = TemplateParameters.from_dict(d.pop("parameters"))




        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))




        object_ = cast(Literal['template'] | Unset , d.pop("object", UNSET))
        if object_ != 'template'and not isinstance(object_, Unset):
            raise ValueError(f"object must match const 'template', got '{object_}'")

        def _parse_rejected_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        rejected_reason = _parse_rejected_reason(d.pop("rejected_reason", UNSET))


        template_out = cls(
            id=id,
            session_id=session_id,
            engine_template_id=engine_template_id,
            name=name,
            language=language,
            category=category,
            status=status,
            components=components,
            parameters=parameters,
            created_at=created_at,
            updated_at=updated_at,
            object_=object_,
            rejected_reason=rejected_reason,
        )


        template_out.additional_properties = d
        return template_out

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
