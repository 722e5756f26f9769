"""Fixtures of the dashboard's tests: a browser-like client per test (its own cookie jar)
over the app, and signing in through the sign-in form as a person would."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.factories import TestAccount, create_account

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token of the page's forms."""
    found = _TOKEN.search(html)
    assert found is not None, "no form with a CSRF token on the page"
    return found[1]


async def sign_in(web: httpx.AsyncClient, key: str) -> httpx.Response:
    """Fill in the sign-in form with ``key``; the answer to the form's POST."""
    page = await web.get("/dashboard/sign-in")
    assert page.status_code == 200
    return await web.post(
        "/dashboard/sign-in", data={"csrf_token": csrf_of(page.text), "api_key": key}
    )


async def signed_in(web: httpx.AsyncClient, key: str) -> None:
    response = await sign_in(web, key)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/dashboard/sessions"


async def form_token(web: httpx.AsyncClient, path: str = "/dashboard/sessions") -> str:
    page = await web.get(path)
    assert page.status_code == 200, page.text
    return csrf_of(page.text)


@pytest.fixture
async def web(client: httpx.AsyncClient, app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A client with its own cookies, like one browser (``client`` keeps the app running)."""
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as web:
        yield web


@pytest.fixture
async def other_web(client: httpx.AsyncClient, app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as web:
        yield web


@pytest.fixture
async def account(sessionmaker: async_sessionmaker[AsyncSession]) -> TestAccount:
    return await create_account(sessionmaker, name="Acme Dashboard")
