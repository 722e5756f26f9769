from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.group_settings_update import GroupSettingsUpdate
  from ..models.picture_source import PictureSource





T = TypeVar("T", bound="GroupUpdate")



@_attrs_define
class GroupUpdate:
    """ What to change; what is left out stays. `picture: null` removes the picture.

        Attributes:
            subject (None | str | Unset):
            description (None | str | Unset): An empty string clears it.
            picture (None | PictureSource | Unset):
            settings (GroupSettingsUpdate | None | Unset):
     """

    subject: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    picture: None | PictureSource | Unset = UNSET
    settings: GroupSettingsUpdate | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.group_settings_update import GroupSettingsUpdate # noqa: PLC0415
        from ..models.picture_source import PictureSource # noqa: PLC0415
        subject: None | str | Unset
        if isinstance(self.subject, Unset):
            subject = UNSET
        else:
            subject = self.subject

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        picture: dict[str, Any] | None | Unset
        if isinstance(self.picture, Unset):
            picture = UNSET
        elif isinstance(self.picture, PictureSource):
            picture = self.picture.to_dict()
        else:
            picture = self.picture

        settings: dict[str, Any] | None | Unset
        if isinstance(self.settings, Unset):
            settings = UNSET
        elif isinstance(self.settings, GroupSettingsUpdate):
            settings = self.settings.to_dict()
        else:
            settings = self.settings


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if subject is not UNSET:
            field_dict["subject"] = subject
        if description is not UNSET:
            field_dict["description"] = description
        if picture is not UNSET:
            field_dict["picture"] = picture
        if settings is not UNSET:
            field_dict["settings"] = settings

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.group_settings_update import GroupSettingsUpdate # noqa: PLC0415
        from ..models.picture_source import PictureSource # noqa: PLC0415
        d = dict(src_dict)
        def _parse_subject(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        subject = _parse_subject(d.pop("subject", UNSET))


        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))


        def _parse_picture(data: object) -> None | PictureSource | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                picture_type_0 = PictureSource.from_dict(data)



                return picture_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PictureSource | Unset, data)

        picture = _parse_picture(d.pop("picture", UNSET))


        def _parse_settings(data: object) -> GroupSettingsUpdate | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                settings_type_0 = GroupSettingsUpdate.from_dict(data)



                return settings_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(GroupSettingsUpdate | None | Unset, data)

        settings = _parse_settings(d.pop("settings", UNSET))


        group_update = cls(
            subject=subject,
            description=description,
            picture=picture,
            settings=settings,
        )

        return group_update

