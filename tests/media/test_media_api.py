from __future__ import annotations

import hashlib
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.app import create_app
from gateway.config import Settings
from tests.conftest import running
from tests.factories import TestAccount, create_account, create_api_key, create_session
from tests.media import samples


async def upload(
    client: httpx.AsyncClient,
    account: TestAccount,
    content: bytes,
    *,
    filename: str = "file.bin",
    content_type: str | None = None,
    data: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    file: Any = (filename, content, content_type) if content_type else (filename, content)
    return await client.post(
        "/v1/media",
        headers={**account.headers, **(headers or {})},
        files={"file": file},
        data=data,
    )


async def test_upload_and_download_round_trip(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    response = await upload(client, account, samples.PNG, filename="chart.png")
    assert response.status_code == 201, response.text
    media = response.json()
    assert media["id"].startswith("med_")
    assert media["object"] == "media"
    assert media["mime_type"] == "image/png"
    assert media["size"] == len(samples.PNG)
    assert media["filename"] == "chart.png"
    assert media["sha256"] == hashlib.sha256(samples.PNG).hexdigest()
    assert media["source"] == "upload"
    assert media["url"].endswith(f"/v1/media/{media['id']}/content")
    assert media["created_at"]

    retrieved = await client.get(f"/v1/media/{media['id']}", headers=account.headers)
    assert retrieved.status_code == 200
    assert retrieved.json() == media

    download = await client.get(f"/v1/media/{media['id']}/content", headers=account.headers)
    assert download.status_code == 200
    assert download.content == samples.PNG
    assert download.headers["content-type"] == "image/png"
    assert download.headers["content-length"] == str(len(samples.PNG))
    assert download.headers["content-disposition"] == 'attachment; filename="chart.png"'
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["etag"] == f'"{media["sha256"]}"'


async def test_upload_names_and_types(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    # A client that labels everything application/octet-stream: the bytes decide.
    generic = await upload(
        client, account, samples.JPEG, filename="IMG_1.jpg", content_type="application/octet-stream"
    )
    assert generic.json()["mime_type"] == "image/jpeg"

    # A name given as a field wins over the part's, and leaves no directory in it.
    renamed = await upload(
        client, account, samples.PDF, filename="x.pdf", data={"filename": "../../Résumé 2024.pdf"}
    )
    assert renamed.status_code == 201, renamed.text
    assert renamed.json()["filename"] == "Résumé 2024.pdf"
    assert renamed.json()["mime_type"] == "application/pdf"
    download = await client.get(renamed.json()["url"], headers=account.headers)
    assert download.headers["content-disposition"] == (
        "attachment; filename=\"R_sum_ 2024.pdf\"; filename*=UTF-8''R%C3%A9sum%C3%A9%202024.pdf"
    )

    text = await upload(
        client, account, samples.TEXT, filename="notes.txt", content_type="text/plain"
    )
    assert text.json()["mime_type"] == "text/plain"


async def test_upload_refuses_a_type_its_bytes_contradict(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    for content, declared in (
        (samples.JPEG, "image/png"),
        (samples.HTML, "image/jpeg"),
        (samples.HTML, "text/html"),
    ):
        response = await upload(client, account, content, content_type=declared)
        assert response.status_code == 422, response.text
        error = response.json()["error"]
        assert error["code"] == "media_type_unsupported"
        assert error["param"] == "file"
    listed = await client.get("/v1/media", headers=account.headers)
    assert listed.json()["data"] == []


async def test_upload_needs_a_multipart_file(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    as_json = await client.post("/v1/media", headers=account.headers, json={"file": "abc"})
    assert as_json.status_code == 415
    assert as_json.json()["error"]["code"] == "unsupported_media_type"

    no_file = await client.post(
        "/v1/media", headers=account.headers, data={"filename": "x"}, files={"other": ("a", b"b")}
    )
    assert no_file.status_code == 422
    assert no_file.json()["error"]["code"] == "parameter_missing"
    assert no_file.json()["error"]["param"] == "file"

    empty = await upload(client, account, b"", filename="empty.txt")
    assert empty.status_code == 422
    assert empty.json()["error"]["param"] == "file"


async def test_size_limits(
    client: httpx.AsyncClient, settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    small = settings.model_copy(update={"media_max_bytes": 4096})
    account = await create_account(sessionmaker)
    async with running(create_app(small)) as small_client:
        fits = await upload(small_client, account, samples.PNG[:4096])
        assert fits.status_code == 201, fits.text

        too_large = await upload(small_client, account, samples.PNG + samples.PAD * 3)
        assert too_large.status_code == 413
        assert too_large.json()["error"]["code"] == "media_too_large"
        assert too_large.json()["error"]["param"] == "file"

        # Far past the file limit and its multipart allowance: refused before it is read.
        huge = await upload(small_client, account, samples.PNG + b"\x00" * 200_000)
        assert huge.status_code == 413
        assert huge.json()["error"]["code"] == "request_too_large"

    # Other requests keep the default limit; those under a session may carry a file.
    padding = "x" * (settings.max_body_bytes + 1)
    keys = await client.post("/v1/api-keys", headers=account.headers, json={"name": padding})
    assert keys.status_code == 413
    assert keys.json()["error"]["code"] == "request_too_large"
    session_post = await client.post(
        "/v1/sessions/ses_01JA2B3C4D5E6F7G8H9J0KMNPQ/messages",
        headers=account.headers,
        json={"padding": padding},
    )
    assert session_post.status_code != 413


async def test_another_accounts_media_is_not_found(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    owner = await create_account(sessionmaker, name="Owner")
    stranger = await create_account(sessionmaker, name="Stranger")
    media = (await upload(client, owner, samples.PDF)).json()

    for path in (f"/v1/media/{media['id']}", f"/v1/media/{media['id']}/content"):
        response = await client.get(path, headers=stranger.headers)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "resource_missing"
    assert (await client.get("/v1/media", headers=stranger.headers)).json()["data"] == []
    unknown = await client.get("/v1/media/med_01JA2B3C4D5E6F7G8H9J0KMNPQ", headers=owner.headers)
    assert unknown.status_code == 404


async def test_media_scopes(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    media = (await upload(client, account, samples.GIF)).json()
    reader = await create_api_key(sessionmaker, account.id, scopes={"media": "read"})
    outsider = await create_api_key(sessionmaker, account.id, scopes={"sessions": "write"})

    assert (await client.get("/v1/media", headers=reader.headers)).status_code == 200
    assert (await client.get(media["url"], headers=reader.headers)).content == samples.GIF
    refused = await upload(client, reader, samples.GIF)
    assert refused.status_code == 403
    assert "media: write" in refused.json()["error"]["message"]

    for path in ("/v1/media", f"/v1/media/{media['id']}", f"/v1/media/{media['id']}/content"):
        response = await client.get(path, headers=outsider.headers)
        assert response.status_code == 403
        assert "media: read" in response.json()["error"]["message"]
    assert (await client.get(media["url"])).status_code == 401


async def test_list_pages_newest_first(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    ids = [
        (await upload(client, account, content)).json()["id"]
        for content in (samples.PNG, samples.JPEG, samples.PDF)
    ]

    first = (await client.get("/v1/media?limit=2", headers=account.headers)).json()
    assert first["object"] == "list"
    assert [m["id"] for m in first["data"]] == [ids[2], ids[1]]
    assert first["has_more"] is True
    second = (
        await client.get(f"/v1/media?limit=2&starting_after={ids[1]}", headers=account.headers)
    ).json()
    assert [m["id"] for m in second["data"]] == [ids[0]]
    assert second["has_more"] is False
    back = (
        await client.get(f"/v1/media?limit=2&ending_before={ids[0]}", headers=account.headers)
    ).json()
    assert [m["id"] for m in back["data"]] == [ids[2], ids[1]]


async def test_upload_with_an_idempotency_key_is_replayed(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    boundary = "gateway-test-boundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n'
        f"Content-Type: image/png\r\n\r\n".encode()
        + samples.PNG
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {
        **account.headers,
        "Idempotency-Key": "upload-1",
        "Content-Type": f"multipart/form-data; boundary={boundary}",
    }
    first = await client.post("/v1/media", headers=headers, content=body)
    assert first.status_code == 201, first.text
    again = await client.post("/v1/media", headers=headers, content=body)
    assert again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    listed = await client.get("/v1/media", headers=account.headers)
    assert len(listed.json()["data"]) == 1


async def test_a_session_restricted_key_sees_its_own_and_shared_files(
    client: httpx.AsyncClient, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    shared = (await upload(client, account, samples.PNG)).json()
    sessions = [
        (await create_session(client, account, name=name, start=False))["id"]
        for name in ("first", "second")
    ]
    first, second = [
        await create_api_key(sessionmaker, account.id, session_id=session_id)
        for session_id in sessions
    ]
    own = (await upload(client, first, samples.JPEG)).json()
    assert own["session_id"] == sessions[0]

    seen_by_first = (await client.get("/v1/media", headers=first.headers)).json()["data"]
    assert [m["id"] for m in seen_by_first] == [own["id"], shared["id"]]
    seen_by_second = (await client.get("/v1/media", headers=second.headers)).json()["data"]
    assert [m["id"] for m in seen_by_second] == [shared["id"]]
    assert (await client.get(own["url"], headers=second.headers)).status_code == 404
    seen_by_account = (await client.get("/v1/media", headers=account.headers)).json()["data"]
    assert len(seen_by_account) == 2
