from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.export_out_status import ExportOutStatus
from ..types import UNSET, Unset
from typing import cast
from typing import Literal, cast
import datetime

if TYPE_CHECKING:
  from ..models.export_out_counts import ExportOutCounts





T = TypeVar("T", bound="ExportOut")



@_attrs_define
class ExportOut:
    """ 
        Attributes:
            id (str):
            status (ExportOutStatus):
            progress (float): Share of the rows written so far, 0 to 1.
            counts (ExportOutCounts): Objects in the archive per kind (`sessions`, `messages` …), once ready.
            size (int | None): The zip's size in bytes, once ready.
            download_url (None | str): Where the zip is downloaded (with the API key) while it is ready.
            error (None | str):
            created_at (datetime.datetime):
            completed_at (datetime.datetime | None):
            expires_at (datetime.datetime | None): When the archive is deleted.
            object_ (Literal['export'] | Unset):  Default: 'export'.
     """

    id: str
    status: ExportOutStatus
    progress: float
    counts: ExportOutCounts
    size: int | None
    download_url: None | str
    error: None | str
    created_at: datetime.datetime
    completed_at: datetime.datetime | None
    expires_at: datetime.datetime | None
    object_: Literal['export'] | Unset = 'export'
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.export_out_counts import ExportOutCounts # noqa: PLC0415
        id = self.id

        status = self.status.value

        progress = self.progress

        counts = self.counts.to_dict()

        size: int | None
        size = self.size

        download_url: None | str
        download_url = self.download_url

        error: None | str
        error = self.error

        created_at = self.created_at.isoformat()

        completed_at: None | str
        if isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        expires_at: None | str
        if isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        object_ = self.object_


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "status": status,
            "progress": progress,
            "counts": counts,
            "size": size,
            "download_url": download_url,
            "error": error,
            "created_at": created_at,
            "completed_at": completed_at,
            "expires_at": expires_at,
        })
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.export_out_counts import ExportOutCounts # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        status = ExportOutStatus(d.pop("status"))




        progress = d.pop("progress")

        counts = ExportOutCounts.from_dict(d.pop("counts"))




        def _parse_size(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        size = _parse_size(d.pop("size"))


        def _parse_download_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        download_url = _parse_download_url(d.pop("download_url"))


        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))


        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        def _parse_completed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completed_at_type_0 = datetime.datetime.fromisoformat(data)



                return completed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        completed_at = _parse_completed_at(d.pop("completed_at"))


        def _parse_expires_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)



                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        expires_at = _parse_expires_at(d.pop("expires_at"))


        object_ = cast(Literal['export'] | Unset , d.pop("object", UNSET))
        if object_ != 'export'and not isinstance(object_, Unset):
            raise ValueError(f"object must match const 'export', got '{object_}'")

        export_out = cls(
            id=id,
            status=status,
            progress=progress,
            counts=counts,
            size=size,
            download_url=download_url,
            error=error,
            created_at=created_at,
            completed_at=completed_at,
            expires_at=expires_at,
            object_=object_,
        )


        export_out.additional_properties = d
        return export_out

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
