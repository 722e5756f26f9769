"""A cloud session's number, as the sessions feature stores it: the config without its
secrets (hints instead), and the sealed credentials in ``cloud_numbers``."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.cloud import credentials, repository
from gateway.cloud.credentials import CloudCredentials
from gateway.config import Settings
from gateway.engines.cloud.graph import Graph
from gateway.kit.errors import InvalidRequest
from gateway.kit.safehttp import check_url
from gateway.models import CloudNumber, Session
from gateway.sessions.schemas import CloudConfig, CloudConfigOut, SessionConfig

DEFAULT_GRAPH_BASE_URL = "https://graph.facebook.com"
_SECRETS = ("access_token", "app_secret", "verify_token")


async def stored_config(
    db: AsyncSession,
    settings: Settings,
    *,
    engine: str,
    config: SessionConfig,
    session_id: str,
    account_id: str,
    creating: bool,
) -> dict[str, Any]:
    """The config to store for a session of ``engine``; for ``cloud`` its credentials are
    sealed into ``cloud_numbers`` (call once the session row is flushed)."""
    stored = config.model_dump(mode="json", exclude={"cloud"})
    if engine != "cloud":
        if config.cloud is not None:
            raise InvalidRequest(
                "`config.cloud` is for sessions of the cloud engine.", param="config.cloud"
            )
        return stored
    cloud = config.cloud
    if cloud is None:
        raise InvalidRequest(
            "A cloud session needs `config.cloud`: phone_number_id, waba_id, access_token, "
            "app_secret and verify_token.",
            param="config.cloud",
        )
    if cloud.graph_base_url.rstrip("/") != DEFAULT_GRAPH_BASE_URL:
        # The engine will send the access token there: the SSRF guard's rules apply.
        await check_url(
            cloud.graph_base_url,
            allow_private=settings.private_targets_allowed,
            param="config.cloud.graph_base_url",
        )
    sealed = await _credentials(db, settings, cloud, session_id, creating=creating)
    await repository.save_number(
        db,
        session_id=session_id,
        account_id=account_id,
        phone_number_id=cloud.phone_number_id,
        waba_id=cloud.waba_id,
        verify_token_digest=credentials.verify_token_digest(settings.secret, sealed.verify_token),
        credentials=credentials.seal(settings.secret, sealed),
    )
    shown = CloudConfigOut(
        **cloud.model_dump(exclude=set(_SECRETS)),
        access_token_hint=credentials.hint(sealed.access_token),
        app_secret_hint=credentials.hint(sealed.app_secret),
        verify_token_hint=credentials.hint(sealed.verify_token),
    )
    stored["cloud"] = shown.model_dump(mode="json")
    return stored


async def _credentials(
    db: AsyncSession, settings: Settings, cloud: CloudConfig, session_id: str, *, creating: bool
) -> CloudCredentials:
    """The given secrets; on an update, the stored ones where none is given."""
    given = {name: getattr(cloud, name) for name in _SECRETS}
    if not creating and any(value is None for value in given.values()):
        existing = await repository.get_number(db, session_id)
        if existing is not None:
            kept = credentials.unseal(settings.secrets, existing.credentials)
            given = {name: value or getattr(kept, name) for name, value in given.items()}
    for name, value in given.items():
        if value is None:
            raise InvalidRequest(
                f"`config.cloud.{name}` is required.", param=f"config.cloud.{name}"
            )
    return CloudCredentials(**given)


async def graph_for(
    db: AsyncSession, settings: Settings, http: httpx.AsyncClient, session: Session
) -> tuple[Graph, CloudNumber]:
    """The Graph API as the cloud session ``session`` reaches it, and its number."""
    number = await repository.get_number(db, session.id)
    if number is None:
        raise InvalidRequest("The session has no cloud number.", param="session_id")
    return graph_of(settings, http, session.config, number), number


def graph_of(
    settings: Settings, http: httpx.AsyncClient, config: dict[str, Any], number: CloudNumber
) -> Graph:
    cloud = config.get("cloud") or {}
    token = credentials.unseal(settings.secrets, number.credentials).access_token
    return Graph(
        http,
        cloud.get("graph_base_url", DEFAULT_GRAPH_BASE_URL),
        cloud.get("graph_version", "v21.0"),
        token,
    )
