from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.session_config import SessionConfig
  from ..models.session_create_metadata import SessionCreateMetadata





T = TypeVar("T", bound="SessionCreate")



@_attrs_define
class SessionCreate:
    """ 
        Attributes:
            name (str): Unique per account.
            engine (str | Unset):  Default: 'sandbox'.
            metadata (SessionCreateMetadata | Unset): Your key-value pairs, echoed in every event.
            config (SessionConfig | Unset):
            start (bool | Unset): Start connecting right away. Default: True.
     """

    name: str
    engine: str | Unset = 'sandbox'
    metadata: SessionCreateMetadata | Unset = UNSET
    config: SessionConfig | Unset = UNSET
    start: bool | Unset = True





    def to_dict(self) -> dict[str, Any]:
        from ..models.session_config import SessionConfig # noqa: PLC0415
        from ..models.session_create_metadata import SessionCreateMetadata # noqa: PLC0415
        name = self.name

        engine = self.engine

        metadata: dict[str, Any] | Unset = UNSET
        if not isinstance(self.metadata, Unset):
            metadata = self.metadata.to_dict()

        config: dict[str, Any] | Unset = UNSET
        if not isinstance(self.config, Unset):
            config = self.config.to_dict()

        start = self.start


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "name": name,
        })
        if engine is not UNSET:
            field_dict["engine"] = engine
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if config is not UNSET:
            field_dict["config"] = config
        if start is not UNSET:
            field_dict["start"] = start

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.session_config import SessionConfig # noqa: PLC0415
        from ..models.session_create_metadata import SessionCreateMetadata # noqa: PLC0415
        d = dict(src_dict)
        name = d.pop("name")

        engine = d.pop("engine", UNSET)

        _metadata = d.pop("metadata", UNSET)
        metadata: SessionCreateMetadata | Unset
        if isinstance(_metadata,  Unset):
            metadata = UNSET
        else:
            metadata = SessionCreateMetadata.from_dict(_metadata)




        _config = d.pop("config", UNSET)
        config: SessionConfig | Unset
        if isinstance(_config,  Unset):
            config = UNSET
        else:
            config = SessionConfig.from_dict(_config)




        start = d.pop("start", UNSET)

        session_create = cls(
            name=name,
            engine=engine,
            metadata=metadata,
            config=config,
            start=start,
        )

        return session_create

