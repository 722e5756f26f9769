from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.cloud_config_out import CloudConfigOut
  from ..models.pacing_config import PacingConfig
  from ..models.sandbox_config import SandboxConfig
  from ..models.web_config import WebConfig





T = TypeVar("T", bound="SessionConfigOut")



@_attrs_define
class SessionConfigOut:
    """ 
        Attributes:
            pacing (PacingConfig | Unset): Server-side pacing of outbound messages, so bulk sends look human.
            proxy (None | str | Unset): Engine proxy URL.
            sandbox (SandboxConfig | Unset): Behaviour of the simulated network (sandbox engine only).
            cloud (CloudConfigOut | None | Unset):
            web (WebConfig | Unset): A linked device on WhatsApp Web (``web`` engine only).
     """

    pacing: PacingConfig | Unset = UNSET
    proxy: None | str | Unset = UNSET
    sandbox: SandboxConfig | Unset = UNSET
    cloud: CloudConfigOut | None | Unset = UNSET
    web: WebConfig | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.cloud_config_out import CloudConfigOut # noqa: PLC0415
        from ..models.pacing_config import PacingConfig # noqa: PLC0415
        from ..models.sandbox_config import SandboxConfig # noqa: PLC0415
        from ..models.web_config import WebConfig # noqa: PLC0415
        pacing: dict[str, Any] | Unset = UNSET
        if not isinstance(self.pacing, Unset):
            pacing = self.pacing.to_dict()

        proxy: None | str | Unset
        if isinstance(self.proxy, Unset):
            proxy = UNSET
        else:
            proxy = self.proxy

        sandbox: dict[str, Any] | Unset = UNSET
        if not isinstance(self.sandbox, Unset):
            sandbox = self.sandbox.to_dict()

        cloud: dict[str, Any] | None | Unset
        if isinstance(self.cloud, Unset):
            cloud = UNSET
        elif isinstance(self.cloud, CloudConfigOut):
            cloud = self.cloud.to_dict()
        else:
            cloud = self.cloud

        web: dict[str, Any] | Unset = UNSET
        if not isinstance(self.web, Unset):
            web = self.web.to_dict()


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if pacing is not UNSET:
            field_dict["pacing"] = pacing
        if proxy is not UNSET:
            field_dict["proxy"] = proxy
        if sandbox is not UNSET:
            field_dict["sandbox"] = sandbox
        if cloud is not UNSET:
            field_dict["cloud"] = cloud
        if web is not UNSET:
            field_dict["web"] = web

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cloud_config_out import CloudConfigOut # noqa: PLC0415
        from ..models.pacing_config import PacingConfig # noqa: PLC0415
        from ..models.sandbox_config import SandboxConfig # noqa: PLC0415
        from ..models.web_config import WebConfig # noqa: PLC0415
        d = dict(src_dict)
        _pacing = d.pop("pacing", UNSET)
        pacing: PacingConfig | Unset
        if isinstance(_pacing,  Unset):
            pacing = UNSET
        else:
            pacing = PacingConfig.from_dict(_pacing)




        def _parse_proxy(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        proxy = _parse_proxy(d.pop("proxy", UNSET))


        _sandbox = d.pop("sandbox", UNSET)
        sandbox: SandboxConfig | Unset
        if isinstance(_sandbox,  Unset):
            sandbox = UNSET
        else:
            sandbox = SandboxConfig.from_dict(_sandbox)




        def _parse_cloud(data: object) -> CloudConfigOut | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                cloud_type_0 = CloudConfigOut.from_dict(data)



                return cloud_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CloudConfigOut | None | Unset, data)

        cloud = _parse_cloud(d.pop("cloud", UNSET))


        _web = d.pop("web", UNSET)
        web: WebConfig | Unset
        if isinstance(_web,  Unset):
            web = UNSET
        else:
            web = WebConfig.from_dict(_web)




        session_config_out = cls(
            pacing=pacing,
            proxy=proxy,
            sandbox=sandbox,
            cloud=cloud,
            web=web,
        )

        return session_config_out

