from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.app import create_app
from gateway.config import Settings
from gateway.media.storage import LocalStorage, S3Storage, StorageError, sign_v4, storage_for
from tests.conftest import running
from tests.factories import create_account
from tests.local_http import Recorded, Reply, serving

ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def test_signature_matches_the_aws_documentation_example() -> None:
    # "Example: GET Object" of AWS's Signature Version 4 header-based authentication page.
    headers = sign_v4(
        "GET",
        httpx.URL("https://examplebucket.s3.amazonaws.com/test.txt"),
        {"Range": "bytes=0-9"},
        payload_sha256=EMPTY_SHA256,
        access_key_id=ACCESS_KEY,
        secret_access_key=SECRET_KEY,
        region="us-east-1",
        service="s3",
        now=datetime(2013, 5, 24, tzinfo=UTC),
    )
    assert headers["authorization"] == (
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
        "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
        "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
    )


async def test_local_storage_round_trip(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path / "media")
    await storage.put("acct_1/med_1", b"\x00bytes\xff", content_type="application/octet-stream")
    assert await storage.get("acct_1/med_1") == b"\x00bytes\xff"
    assert (tmp_path / "media" / "acct_1" / "med_1").read_bytes() == b"\x00bytes\xff"
    assert [p.name for p in (tmp_path / "media" / "acct_1").iterdir()] == ["med_1"]
    with pytest.raises(StorageError):
        await storage.get("acct_1/med_2")
    with pytest.raises(StorageError):
        await storage.put("../outside", b"x", content_type="text/plain")


class FakeS3:
    """Path-style PUT and GET of one bucket, checking that requests are signed for it and
    that the declared payload hash is the payload's."""

    def __init__(self, bucket: str) -> None:
        self.bucket = bucket
        self.objects: dict[str, tuple[bytes, str]] = {}

    def __call__(self, request: Recorded) -> Reply:
        authorization = request.headers.get("authorization", "")
        if not re.fullmatch(
            rf"AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/\d{{8}}/eu-west-1/s3/aws4_request, "
            r"SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*x-amz-date, Signature=[0-9a-f]{64}",
            authorization,
        ):
            return Reply(403, b"<Error><Code>AccessDenied</Code></Error>")
        bucket, _, key = request.path.lstrip("/").partition("/")
        if bucket != self.bucket or not key:
            return Reply(404, b"<Error><Code>NoSuchBucket</Code></Error>")
        if request.method == "PUT":
            if request.headers["x-amz-content-sha256"] != hashlib.sha256(request.body).hexdigest():
                return Reply(400, b"<Error><Code>XAmzContentSHA256Mismatch</Code></Error>")
            self.objects[key] = (request.body, request.headers["content-type"])
            return Reply(200)
        if key not in self.objects:
            return Reply(404, b"<Error><Code>NoSuchKey</Code></Error>")
        body, content_type = self.objects[key]
        return Reply(200, body, {"Content-Type": content_type})


async def test_s3_storage_against_a_local_s3() -> None:
    s3 = FakeS3("gateway-media")
    with serving(fallback=s3) as server:
        storage = S3Storage(
            bucket="gateway-media",
            region="eu-west-1",
            access_key_id=ACCESS_KEY,
            secret_access_key=SECRET_KEY,
            endpoint_url=server.url("/"),
        )
        await storage.put("acct_1/med_1", b"\x89PNG...", content_type="image/png")
        assert s3.objects["acct_1/med_1"] == (b"\x89PNG...", "image/png")
        assert await storage.get("acct_1/med_1") == b"\x89PNG..."
        with pytest.raises(StorageError, match="404"):
            await storage.get("acct_1/med_2")

        wrong = S3Storage(
            bucket="gateway-media",
            region="us-east-1",
            access_key_id=ACCESS_KEY,
            secret_access_key=SECRET_KEY,
            endpoint_url=server.url("/"),
        )
        with pytest.raises(StorageError, match="403"):
            await wrong.put("acct_1/med_3", b"x", content_type="text/plain")
    assert [(r.method, r.path) for r in server.requests[:3]] == [
        ("PUT", "/gateway-media/acct_1/med_1"),
        ("GET", "/gateway-media/acct_1/med_1"),
        ("GET", "/gateway-media/acct_1/med_2"),
    ]


def test_s3_addressing() -> None:
    aws = S3Storage(bucket="b", region="eu-west-1", access_key_id="a", secret_access_key="s")
    assert aws.object_url("acct_1/med_1") == "https://b.s3.eu-west-1.amazonaws.com/acct_1/med_1"
    minio = S3Storage(
        bucket="b",
        region="us-east-1",
        access_key_id="a",
        secret_access_key="s",
        endpoint_url="http://127.0.0.1:9000/",
    )
    assert minio.object_url("acct_1/med_1") == "http://127.0.0.1:9000/b/acct_1/med_1"


def test_s3_storage_needs_a_bucket_and_credentials() -> None:
    with pytest.raises(ValidationError, match="GATEWAY_MEDIA_S3_BUCKET"):
        Settings(media_storage="s3", media_s3_access_key_id="a", media_s3_secret_access_key="s")
    configured = Settings(
        media_storage="s3",
        media_s3_bucket="b",
        media_s3_access_key_id="a",
        media_s3_secret_access_key="s",
    )
    assert isinstance(storage_for(configured), S3Storage)
    assert isinstance(storage_for(Settings()), LocalStorage)


async def test_the_api_stores_files_in_s3_when_configured(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    account = await create_account(sessionmaker)
    s3 = FakeS3("gateway-media")
    with serving(fallback=s3) as server:
        on_s3 = settings.model_copy(
            update={
                "media_storage": "s3",
                "media_s3_bucket": "gateway-media",
                "media_s3_region": "eu-west-1",
                "media_s3_endpoint_url": server.url("/"),
                "media_s3_access_key_id": ACCESS_KEY,
                "media_s3_secret_access_key": SECRET_KEY,
            }
        )
        async with running(create_app(on_s3)) as client:
            uploaded = await client.post(
                "/v1/media",
                headers=account.headers,
                files={"file": ("scan.pdf", b"%PDF-1.7 scanned", "application/pdf")},
            )
            assert uploaded.status_code == 201, uploaded.text
            media_id = uploaded.json()["id"]
            assert s3.objects[f"{account.id}/{media_id}"] == (
                b"%PDF-1.7 scanned",
                "application/pdf",
            )
            download = await client.get(uploaded.json()["url"], headers=account.headers)
            assert download.content == b"%PDF-1.7 scanned"
