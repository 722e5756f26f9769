from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.media_out_source import MediaOutSource
from ..types import UNSET, Unset
from typing import cast
from typing import Literal, cast
import datetime






T = TypeVar("T", bound="MediaOut")



@_attrs_define
class MediaOut:
    """ A stored file. Its bytes are at `GET /v1/media/{id}/content`.

        Attributes:
            id (str):
            mime_type (str): Checked against the content.
            size (int): In bytes.
            filename (None | str):
            sha256 (str): Hex SHA-256 of the content.
            source (MediaOutSource): How the file arrived: uploaded, fetched or decoded for a message, or received by a
                session.
            session_id (None | str): The session that sent or received it.
            url (str): Where to download the content (with the API key).
            created_at (datetime.datetime):
            object_ (Literal['media'] | Unset):  Default: 'media'.
     """

    id: str
    mime_type: str
    size: int
    filename: None | str
    sha256: str
    source: MediaOutSource
    session_id: None | str
    url: str
    created_at: datetime.datetime
    object_: Literal['media'] | Unset = 'media'
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        mime_type = self.mime_type

        size = self.size

        filename: None | str
        filename = self.filename

        sha256 = self.sha256

        source = self.source.value

        session_id: None | str
        session_id = self.session_id

        url = self.url

        created_at = self.created_at.isoformat()

        object_ = self.object_


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "mime_type": mime_type,
            "size": size,
            "filename": filename,
            "sha256": sha256,
            "source": source,
            "session_id": session_id,
            "url": url,
            "created_at": created_at,
        })
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        mime_type = d.pop("mime_type")

        size = d.pop("size")

        def _parse_filename(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        filename = _parse_filename(d.pop("filename"))


        sha256 = d.pop("sha256")

        source = MediaOutSource(d.pop("source"))




        def _parse_session_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        session_id = _parse_session_id(d.pop("session_id"))


        url = d.pop("url")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        object_ = cast(Literal['media'] | Unset , d.pop("object", UNSET))
        if object_ != 'media'and not isinstance(object_, Unset):
            raise ValueError(f"object must match const 'media', got '{object_}'")

        media_out = cls(
            id=id,
            mime_type=mime_type,
            size=size,
            filename=filename,
            sha256=sha256,
            source=source,
            session_id=session_id,
            url=url,
            created_at=created_at,
            object_=object_,
        )


        media_out.additional_properties = d
        return media_out

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
