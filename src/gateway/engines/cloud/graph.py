"""Meta's Graph API, the calls the cloud engine and the templates API make.

One pooled ``httpx.AsyncClient`` per process serves every number (the access token goes
in each request's header, never in a URL, so no error message or log line can carry it).
Graph answers errors in one envelope, ``{"error": {"message", "type", "code",
"error_subcode", "error_data": {"details"}, "fbtrace_id"}}``: it becomes ``GraphError``;
a timeout, a dropped connection or a 5xx without that envelope becomes
``GraphUnavailable``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

TIMEOUT = httpx.Timeout(30.0, connect=10.0)
MAX_DOWNLOAD_BYTES = 100 * 1024 * 1024  # Meta's largest file (documents)


def create_http_client() -> httpx.AsyncClient:
    """The process's client for Graph: kept-alive connections, no redirects followed
    (Graph does not redirect API calls; a redirect would carry the token elsewhere)."""
    return httpx.AsyncClient(
        timeout=TIMEOUT,
        follow_redirects=False,
        limits=httpx.Limits(max_connections=200, max_keepalive_connections=50),
        headers={"User-Agent": "gateway/1"},
    )


class GraphUnavailable(Exception):
    """Graph could not be reached or failed on its side: try again later."""


@dataclass
class GraphError(Exception):
    """An error Graph answered, as its envelope says."""

    status: int
    code: int | None
    message: str
    subcode: int | None = None
    details: str | None = None
    type: str | None = None
    fbtrace_id: str | None = None
    # Meta's words for a person (template reviews and creation errors have them).
    user_message: str | None = None

    def __str__(self) -> str:
        return f"Graph error {self.code}: {self.message}"

    @classmethod
    def from_response(cls, response: httpx.Response) -> GraphError | None:
        try:
            body = response.json()
        except ValueError:
            return None
        error = body.get("error") if isinstance(body, dict) else None
        if not isinstance(error, dict):
            return None
        data = error.get("error_data")
        details = data.get("details") if isinstance(data, dict) else None
        return cls(
            status=response.status_code,
            code=_int(error.get("code")),
            message=str(error.get("message") or "unknown error")[:400],
            subcode=_int(error.get("error_subcode")),
            details=str(details)[:400] if details else None,
            type=error.get("type"),
            fbtrace_id=error.get("fbtrace_id"),
            user_message=_user_message(error),
        )


def _user_message(error: dict[str, Any]) -> str | None:
    title, text = error.get("error_user_title"), error.get("error_user_msg")
    if not text:
        return None
    return (f"{title}: {text}" if title else str(text))[:400]


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class Graph:
    """The Graph API at ``base_url``/``version`` with one number's access token."""

    def __init__(self, http: httpx.AsyncClient, base_url: str, version: str, token: str) -> None:
        self.http = http
        self.root = f"{base_url.rstrip('/')}/{version}"
        self._headers = {"Authorization": f"Bearer {token}"}

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
        files: dict[str, Any] | None = None,
        data: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        try:
            response = await self.http.request(
                method, f"{self.root}/{path.lstrip('/')}", json=json, params=params,
                files=files, data=data, headers=self._headers,
            )  # fmt: skip
        except httpx.HTTPError as exc:
            raise GraphUnavailable(f"Graph API unreachable: {type(exc).__name__}") from None
        return _answer(response)

    async def phone_number(self, phone_number_id: str) -> dict[str, Any]:
        return await self.request(
            "GET", phone_number_id,
            params={"fields": "display_phone_number,verified_name,quality_rating"},
        )  # fmt: skip

    async def send_message(self, phone_number_id: str, payload: dict[str, Any]) -> dict[str, Any]:
        return await self.request("POST", f"{phone_number_id}/messages", json=payload)

    async def upload_media(
        self, phone_number_id: str, content: bytes, mime_type: str, filename: str
    ) -> str:
        answer = await self.request(
            "POST", f"{phone_number_id}/media",
            data={"messaging_product": "whatsapp", "type": mime_type},
            files={"file": (filename, content, mime_type)},
        )  # fmt: skip
        return str(answer["id"])

    async def download_media(self, media_id: str) -> tuple[bytes, str]:
        """A received file's bytes and type: Graph names a short-lived URL, fetched with
        the same token."""
        info = await self.request("GET", media_id)
        url = info.get("url")
        if not isinstance(url, str):
            raise GraphUnavailable("Graph gave no download URL")
        try:
            async with self.http.stream("GET", url, headers=self._headers) as response:
                if response.status_code != 200:
                    await response.aread()
                    _answer(response)
                    raise GraphUnavailable(f"media download answered {response.status_code}")
                chunks: list[bytes] = []
                size = 0
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > MAX_DOWNLOAD_BYTES:
                        raise GraphUnavailable("media larger than Meta's limit")
                    chunks.append(chunk)
        except httpx.HTTPError as exc:
            raise GraphUnavailable(f"media download failed: {type(exc).__name__}") from None
        return b"".join(chunks), str(info.get("mime_type") or "application/octet-stream")


def _answer(response: httpx.Response) -> dict[str, Any]:
    if response.is_success:
        try:
            body = response.json()
        except ValueError:
            raise GraphUnavailable("Graph answered something that is not JSON") from None
        return body if isinstance(body, dict) else {"data": body}
    error = GraphError.from_response(response)
    if error is None:
        raise GraphUnavailable(f"Graph API answered {response.status_code}")
    raise error
