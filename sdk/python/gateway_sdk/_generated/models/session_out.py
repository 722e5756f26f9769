from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.capability import Capability
from ..models.session_out_desired_state import SessionOutDesiredState
from ..models.session_status import SessionStatus
from ..types import UNSET, Unset
from typing import cast
from typing import Literal, cast
import datetime

if TYPE_CHECKING:
  from ..models.me import Me
  from ..models.session_config_out import SessionConfigOut
  from ..models.session_out_metadata import SessionOutMetadata
  from ..models.status_change import StatusChange





T = TypeVar("T", bound="SessionOut")



@_attrs_define
class SessionOut:
    """ 
        Attributes:
            id (str):
            name (str):
            engine (str):
            status (SessionStatus): WAHA's names, so their users feel at home.
            status_reason (None | str):
            status_history (list[StatusChange]): The latest changes, oldest first.
            desired_state (SessionOutDesiredState): What was asked for: `running` after create/start/restart, else
                `stopped`.
            metadata (SessionOutMetadata):
            config (SessionConfigOut):
            capabilities (list[Capability]): What the session's engine, as configured, can do; the rest answers 501.
            me (Me | None): The linked account, once WORKING.
            created_at (datetime.datetime):
            updated_at (datetime.datetime):
            object_ (Literal['session'] | Unset):  Default: 'session'.
     """

    id: str
    name: str
    engine: str
    status: SessionStatus
    status_reason: None | str
    status_history: list[StatusChange]
    desired_state: SessionOutDesiredState
    metadata: SessionOutMetadata
    config: SessionConfigOut
    capabilities: list[Capability]
    me: Me | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    object_: Literal['session'] | Unset = 'session'
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.me import Me # noqa: PLC0415
        from ..models.session_config_out import SessionConfigOut # noqa: PLC0415
        from ..models.session_out_metadata import SessionOutMetadata # noqa: PLC0415
        from ..models.status_change import StatusChange # noqa: PLC0415
        id = self.id

        name = self.name

        engine = self.engine

        status = self.status.value

        status_reason: None | str
        status_reason = self.status_reason

        status_history = []
        for status_history_item_data in self.status_history:
            status_history_item = status_history_item_data.to_dict()
            status_history.append(status_history_item)



        desired_state = self.desired_state.value

        metadata = self.metadata.to_dict()

        config = self.config.to_dict()

        capabilities = []
        for capabilities_item_data in self.capabilities:
            capabilities_item = capabilities_item_data.value
            capabilities.append(capabilities_item)



        me: dict[str, Any] | None
        if isinstance(self.me, Me):
            me = self.me.to_dict()
        else:
            me = self.me

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        object_ = self.object_


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "name": name,
            "engine": engine,
            "status": status,
            "status_reason": status_reason,
            "status_history": status_history,
            "desired_state": desired_state,
            "metadata": metadata,
            "config": config,
            "capabilities": capabilities,
            "me": me,
            "created_at": created_at,
            "updated_at": updated_at,
        })
        if object_ is not UNSET:
            field_dict["object"] = object_

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.me import Me # noqa: PLC0415
        from ..models.session_config_out import SessionConfigOut # noqa: PLC0415
        from ..models.session_out_metadata import SessionOutMetadata # noqa: PLC0415
        from ..models.status_change import StatusChange # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        engine = d.pop("engine")

        status = SessionStatus(d.pop("status"))




        def _parse_status_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        status_reason = _parse_status_reason(d.pop("status_reason"))


        status_history = []
        _status_history = d.pop("status_history")
        for status_history_item_data in (_status_history):
            status_history_item = StatusChange.from_dict(status_history_item_data)



            status_history.append(status_history_item)


        desired_state = SessionOutDesiredState(d.pop("desired_state"))




        metadata = SessionOutMetadata.from_dict(d.pop("metadata"))




        config = SessionConfigOut.from_dict(d.pop("config"))




        capabilities = []
        _capabilities = d.pop("capabilities")
        for capabilities_item_data in (_capabilities):
            capabilities_item = Capability(capabilities_item_data)



            capabilities.append(capabilities_item)


        def _parse_me(data: object) -> Me | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                me_type_0 = Me.from_dict(data)



                return me_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Me | None, data)

        me = _parse_me(d.pop("me"))


        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))




        object_ = cast(Literal['session'] | Unset , d.pop("object", UNSET))
        if object_ != 'session'and not isinstance(object_, Unset):
            raise ValueError(f"object must match const 'session', got '{object_}'")

        session_out = cls(
            id=id,
            name=name,
            engine=engine,
            status=status,
            status_reason=status_reason,
            status_history=status_history,
            desired_state=desired_state,
            metadata=metadata,
            config=config,
            capabilities=capabilities,
            me=me,
            created_at=created_at,
            updated_at=updated_at,
            object_=object_,
        )


        session_out.additional_properties = d
        return session_out

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
