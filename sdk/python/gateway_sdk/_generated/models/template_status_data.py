from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.template_out import TemplateOut





T = TypeVar("T", bound="TemplateStatusData")



@_attrs_define
class TemplateStatusData:
    """ Meta reviewed a template of a cloud session, or changed its status later
    (`APPROVED`, `REJECTED` with a reason, `PAUSED`, `DISABLED` …).

        Attributes:
            template (TemplateOut): A message template of the session's WhatsApp Business Account, as Meta has it.
            previous_status (None | str): The status before; null for a template this gateway had not seen.
            reason (None | str | Unset): Why, as Meta says (set for rejections, pauses …).
     """

    template: TemplateOut
    previous_status: None | str
    reason: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.template_out import TemplateOut # noqa: PLC0415
        template = self.template.to_dict()

        previous_status: None | str
        previous_status = self.previous_status

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "template": template,
            "previous_status": previous_status,
        })
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.template_out import TemplateOut # noqa: PLC0415
        d = dict(src_dict)
        template = TemplateOut.from_dict(d.pop("template"))




        def _parse_previous_status(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        previous_status = _parse_previous_status(d.pop("previous_status"))


        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))


        template_status_data = cls(
            template=template,
            previous_status=previous_status,
            reason=reason,
        )


        template_status_data.additional_properties = d
        return template_status_data

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
