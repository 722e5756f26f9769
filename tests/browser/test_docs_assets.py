"""The docs pages over HTTP, without a browser: headers, assets, and the OpenAPI document."""

from __future__ import annotations

import re

import httpx

from gateway.kit.docs_pages import ASSETS


async def test_pages_name_no_other_host_and_send_a_nonce_policy(client: httpx.AsyncClient) -> None:
    for path in ("/docs", "/redoc"):
        response = await client.get(path)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/html")
        assert re.findall(r"(?:https?:)?//", response.text) == [], path
        policy = response.headers["content-security-policy"]
        nonce = re.search(r"'nonce-([\w-]+)'", policy)
        assert nonce is not None
        assert f'nonce="{nonce[1]}"' in response.text
        assert "default-src 'none'" in policy
        assert "unsafe" not in policy
        assert response.headers["cache-control"] == "no-store"
        # A new nonce for every response.
        again = await client.get(path)
        assert again.headers["content-security-policy"] != policy

    swagger = (await client.get("/docs")).text
    for option in (
        '"persistAuthorization": true',
        '"displayRequestDuration": true',
        '"requestSnippetsEnabled": true',
        '"validatorUrl": null',
        '"url": "/openapi.json"',
    ):
        assert option in swagger


async def test_assets_are_served_and_revalidated(client: httpx.AsyncClient) -> None:
    for name, media_type in ASSETS.items():
        response = await client.get(f"/docs/assets/{name}")
        assert response.status_code == 200, name
        assert response.headers["content-type"] == media_type
        assert response.headers["x-content-type-options"] == "nosniff"
        etag = response.headers["etag"]
        cached = await client.get(f"/docs/assets/{name}", headers={"If-None-Match": etag})
        assert cached.status_code == 304
        assert cached.content == b""

    redoc = (await client.get("/docs/assets/redoc.standalone.js")).content
    assert b"cdn.redoc.ly" not in redoc
    assert b"document.currentScript.nonce" in redoc


async def test_only_the_listed_assets_are_served(client: httpx.AsyncClient) -> None:
    for name in ("core.py", "..%2F__init__.py", "swagger-ui-bundle.js.LICENSE.txt"):
        response = await client.get(f"/docs/assets/{name}")
        assert response.status_code == 404, name
        assert response.json()["error"]["type"] == "invalid_request_error"


async def test_the_pages_are_not_operations(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    assert not [p for p in document["paths"] if p.startswith(("/docs", "/redoc"))]
