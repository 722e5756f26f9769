from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.factories import create_account, create_api_key


async def test_pages_cover_everything_once_in_order(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    for _ in range(24):
        await create_api_key(sessionmaker, account.id)
    headers = account.headers

    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params = {"limit": 10, **({"starting_after": cursor} if cursor else {})}
        page = (await client.get("/v1/api-keys", headers=headers, params=params)).json()
        assert page["object"] == "list"
        seen += [item["id"] for item in page["data"]]
        pages += 1
        if not page["has_more"]:
            break
        cursor = page["data"][-1]["id"]
    assert pages == 3
    assert len(seen) == 25
    assert len(set(seen)) == 25
    assert seen == sorted(seen, reverse=True)  # newest first

    # Backwards from the oldest: the page just before it, in the same order.
    back = (
        await client.get(
            "/v1/api-keys", headers=headers, params={"limit": 10, "ending_before": seen[-1]}
        )
    ).json()
    assert [item["id"] for item in back["data"]] == seen[-11:-1]
    assert back["has_more"] is True

    default = (await client.get("/v1/api-keys", headers=headers)).json()
    assert len(default["data"]) == 20


async def test_both_cursors_is_422(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    response = await client.get(
        "/v1/api-keys",
        headers=account.headers,
        params={"starting_after": account.key_id, "ending_before": account.key_id},
    )
    assert response.status_code == 422
    assert response.json()["error"]["param"] == "ending_before"
