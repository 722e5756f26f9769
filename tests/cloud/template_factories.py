"""Cloud sessions and stored templates for the templates tests, written through the ORM
(no engine host runs: templates are an API-side feature)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.config import Settings
from gateway.fakes.graph import FakeNumber
from gateway.kit.ids import new_id
from gateway.kit.time import utcnow
from gateway.models import CloudTemplate
from tests.cloud.factories import store_cloud_session


async def create_cloud_session(
    sessionmaker: async_sessionmaker[AsyncSession],
    settings: Settings,
    account_id: str,
    graph_base_url: str,
    number: FakeNumber,
    *,
    name: str = "cloud",
) -> str:
    """A stopped cloud session of the fake's ``number`` whose Graph is at ``graph_base_url``."""
    session = await store_cloud_session(
        sessionmaker, settings, account_id,
        phone_number_id=number.phone_number_id, waba_id=number.waba_id,
        access_token=number.access_token, app_secret=number.app_secret,
        verify_token=number.verify_token, graph_base_url=graph_base_url, name=name,
    )  # fmt: skip
    return session.id


def fake_number(**fields: Any) -> FakeNumber:
    """A number for a Graph that is not the fake (a local server scripted per test)."""
    values: dict[str, Any] = {
        "phone_number_id": "106540352242922",
        "waba_id": "102290129340398",
        "display_phone_number": "15550001234",
        "verified_name": "Acme",
        "quality_rating": "GREEN",
        "access_token": "EAAG-test-token-not-real",
        "app_secret": "app-secret",
        "verify_token": "verify-token",
        **fields,
    }
    return FakeNumber(**values)


async def add_template(
    sessionmaker: async_sessionmaker[AsyncSession],
    session_id: str,
    account_id: str,
    name: str,
    components: list[dict[str, Any]],
    *,
    language: str = "en_US",
    status: str = "APPROVED",
    parameter_format: str = "POSITIONAL",
    category: str = "UTILITY",
) -> str:
    """A stored template, as a sync would have left it; returns its id."""
    template_id = new_id("tpl")
    async with sessionmaker() as db:
        db.add(
            CloudTemplate(
                id=template_id,
                session_id=session_id,
                account_id=account_id,
                waba_id="102290129340398",
                graph_id=str(abs(hash(name)) % 10**15),
                name=name,
                language=language,
                category=category,
                parameter_format=parameter_format,
                status=status,
                components=components,
                synced_at=utcnow(),
            )
        )
        await db.commit()
    return template_id
