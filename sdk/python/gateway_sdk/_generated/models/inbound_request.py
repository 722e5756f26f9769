from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.inbound_media_in import InboundMediaIn





T = TypeVar("T", bound="InboundRequest")



@_attrs_define
class InboundRequest:
    """ A message from someone to the session, as the simulated network delivers it.

        Attributes:
            from_ (str):
            from_lid (None | str | Unset): Send as a LID-only contact (`…@lid`), whose number stays hidden.
            from_name (None | str | Unset):
            text (None | str | Unset):
            media (InboundMediaIn | None | Unset):
            group_id (None | str | Unset): Send to a group the session and the sender are in.
     """

    from_: str
    from_lid: None | str | Unset = UNSET
    from_name: None | str | Unset = UNSET
    text: None | str | Unset = UNSET
    media: InboundMediaIn | None | Unset = UNSET
    group_id: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.inbound_media_in import InboundMediaIn # noqa: PLC0415
        from_ = self.from_

        from_lid: None | str | Unset
        if isinstance(self.from_lid, Unset):
            from_lid = UNSET
        else:
            from_lid = self.from_lid

        from_name: None | str | Unset
        if isinstance(self.from_name, Unset):
            from_name = UNSET
        else:
            from_name = self.from_name

        text: None | str | Unset
        if isinstance(self.text, Unset):
            text = UNSET
        else:
            text = self.text

        media: dict[str, Any] | None | Unset
        if isinstance(self.media, Unset):
            media = UNSET
        elif isinstance(self.media, InboundMediaIn):
            media = self.media.to_dict()
        else:
            media = self.media

        group_id: None | str | Unset
        if isinstance(self.group_id, Unset):
            group_id = UNSET
        else:
            group_id = self.group_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "from": from_,
        })
        if from_lid is not UNSET:
            field_dict["from_lid"] = from_lid
        if from_name is not UNSET:
            field_dict["from_name"] = from_name
        if text is not UNSET:
            field_dict["text"] = text
        if media is not UNSET:
            field_dict["media"] = media
        if group_id is not UNSET:
            field_dict["group_id"] = group_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.inbound_media_in import InboundMediaIn # noqa: PLC0415
        d = dict(src_dict)
        from_ = d.pop("from")

        def _parse_from_lid(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        from_lid = _parse_from_lid(d.pop("from_lid", UNSET))


        def _parse_from_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        from_name = _parse_from_name(d.pop("from_name", UNSET))


        def _parse_text(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        text = _parse_text(d.pop("text", UNSET))


        def _parse_media(data: object) -> InboundMediaIn | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                media_type_0 = InboundMediaIn.from_dict(data)



                return media_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(InboundMediaIn | None | Unset, data)

        media = _parse_media(d.pop("media", UNSET))


        def _parse_group_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        group_id = _parse_group_id(d.pop("group_id", UNSET))


        inbound_request = cls(
            from_=from_,
            from_lid=from_lid,
            from_name=from_name,
            text=text,
            media=media,
            group_id=group_id,
        )

        return inbound_request

