"""Where files' bytes live: a directory on disk, or an S3-compatible bucket.

Rows in ``media`` say what a file is; storage only maps a key to bytes. Keys are
``<account id>/<media id>``, so one account's files can be listed or removed together.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Protocol
from urllib.parse import quote

import httpx

from gateway.config import Settings
from gateway.kit.time import utcnow


class StorageError(Exception):
    """The storage backend failed to store or return a file."""


class Storage(Protocol):
    async def put(self, key: str, content: bytes, *, content_type: str) -> None: ...

    async def get(self, key: str) -> bytes:
        """The file's bytes; raises ``StorageError`` if it is not there."""
        ...

    async def delete(self, key: str) -> None:
        """Remove the file; a key with no file is no error (deletions are retried)."""
        ...


def storage_for(settings: Settings) -> Storage:
    if settings.media_storage == "s3":
        return S3Storage.from_settings(settings)
    return LocalStorage(settings.media_dir)


class LocalStorage:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        # Keys are built from ids, never from input; this only guards against a bug.
        if not path.is_relative_to(self.root.resolve()):
            raise StorageError(f"storage key {key!r} leaves the media directory")
        return path

    async def put(self, key: str, content: bytes, *, content_type: str) -> None:
        await asyncio.to_thread(self._write, self._path(key), content)

    async def get(self, key: str) -> bytes:
        try:
            return await asyncio.to_thread(self._path(key).read_bytes)
        except FileNotFoundError as exc:
            raise StorageError(f"no stored file under {key!r}") from exc

    async def stored_before(self, before: datetime) -> list[str]:
        """Keys of the files last written before ``before``, with the temporary files of
        writes that never finished (a crash mid-write)."""
        return await asyncio.to_thread(self._stored_before, before.timestamp())

    def _stored_before(self, before: float) -> list[str]:
        keys: list[str] = []
        if not self.root.is_dir():
            return keys
        # Two levels, as keys are made: ``<account id>/<media id>``.
        for folder in os.scandir(self.root):
            if not folder.is_dir(follow_symlinks=False):
                continue
            for entry in os.scandir(folder.path):
                if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < before:
                    keys.append(f"{folder.name}/{entry.name}")
        return keys

    async def delete(self, key: str) -> None:
        """Remove the file under ``key``; one already gone is no error."""
        await asyncio.to_thread(self._path(key).unlink, missing_ok=True)

    @staticmethod
    def _write(path: Path, content: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write aside and rename, so a reader never sees half a file, not even after a
        # crash in the middle of the write.
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(content)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


class S3Storage:
    """An S3 bucket over plain HTTPS, requests signed with AWS Signature Version 4.

    With an endpoint URL (MinIO, R2, Ceph …) objects are addressed path-style
    (``<endpoint>/<bucket>/<key>``), which every S3-compatible server understands; without
    one, AWS virtual-hosted style (``https://<bucket>.s3.<region>.amazonaws.com/<key>``).
    """

    def __init__(
        self,
        *,
        bucket: str,
        region: str,
        access_key_id: str,
        secret_access_key: str,
        endpoint_url: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.bucket = bucket
        self.region = region
        self.access_key_id = access_key_id
        self.secret_access_key = secret_access_key
        self.endpoint_url = endpoint_url.rstrip("/") if endpoint_url else None
        self.timeout = timeout

    @classmethod
    def from_settings(cls, settings: Settings) -> S3Storage:
        # The settings validator guarantees these for media_storage="s3".
        assert settings.media_s3_bucket is not None
        assert settings.media_s3_access_key_id is not None
        assert settings.media_s3_secret_access_key is not None
        return cls(
            bucket=settings.media_s3_bucket,
            region=settings.media_s3_region,
            access_key_id=settings.media_s3_access_key_id,
            secret_access_key=settings.media_s3_secret_access_key,
            endpoint_url=settings.media_s3_endpoint_url,
        )

    def object_url(self, key: str) -> str:
        path = quote(key, safe="/-_.~")
        if self.endpoint_url:
            return f"{self.endpoint_url}/{quote(self.bucket, safe='')}/{path}"
        return f"https://{self.bucket}.s3.{self.region}.amazonaws.com/{path}"

    async def put(self, key: str, content: bytes, *, content_type: str) -> None:
        response = await self._send("PUT", key, content, {"content-type": content_type})
        if not response.is_success:
            raise StorageError(f"S3 PUT {key!r} answered {response.status_code}")

    async def get(self, key: str) -> bytes:
        response = await self._send("GET", key, b"", {})
        if not response.is_success:
            raise StorageError(f"S3 GET {key!r} answered {response.status_code}")
        return response.content

    async def delete(self, key: str) -> None:
        response = await self._send("DELETE", key, b"", {})
        # S3 answers 204 whether or not the object existed; some compatible servers 404.
        if not response.is_success and response.status_code != 404:
            raise StorageError(f"S3 DELETE {key!r} answered {response.status_code}")

    async def _send(
        self, method: str, key: str, content: bytes, headers: dict[str, str]
    ) -> httpx.Response:
        url = httpx.URL(self.object_url(key))
        signed = sign_v4(
            method,
            url,
            headers,
            payload_sha256=hashlib.sha256(content).hexdigest(),
            access_key_id=self.access_key_id,
            secret_access_key=self.secret_access_key,
            region=self.region,
            service="s3",
            now=utcnow(),
        )
        # A client per call: files move rarely next to messages, and a long-lived client
        # would tie this object to one event loop.
        async with httpx.AsyncClient(timeout=self.timeout) as client:
            try:
                return await client.request(method, url, content=content, headers=signed)
            except httpx.HTTPError as exc:
                raise StorageError(f"S3 {method} {key!r} failed: {exc}") from exc


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode(), hashlib.sha256).digest()


def sign_v4(
    method: str,
    url: httpx.URL,
    headers: dict[str, str],
    *,
    payload_sha256: str,
    access_key_id: str,
    secret_access_key: str,
    region: str,
    service: str,
    now: datetime,
) -> dict[str, str]:
    """``headers`` plus ``host``, ``x-amz-date``, ``x-amz-content-sha256`` and the
    ``authorization`` of AWS Signature Version 4, signing every header given."""
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    date = amz_date[:8]
    signed = {name.lower(): " ".join(value.split()) for name, value in headers.items()}
    signed["host"] = url.netloc.decode("ascii")
    signed["x-amz-date"] = amz_date
    signed["x-amz-content-sha256"] = payload_sha256
    names = sorted(signed)
    query = "&".join(
        f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}"
        for k, v in sorted(url.params.multi_items())
    )
    canonical_request = "\n".join(
        [
            method,
            url.raw_path.split(b"?", 1)[0].decode("ascii") or "/",
            query,
            "".join(f"{name}:{signed[name]}\n" for name in names),
            ";".join(names),
            payload_sha256,
        ]
    )
    scope = f"{date}/{region}/{service}/aws4_request"
    string_to_sign = "\n".join(
        [
            "AWS4-HMAC-SHA256",
            amz_date,
            scope,
            hashlib.sha256(canonical_request.encode()).hexdigest(),
        ]
    )
    key = _hmac(f"AWS4{secret_access_key}".encode(), date)
    for part in (region, service, "aws4_request"):
        key = _hmac(key, part)
    signature = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
    signed["authorization"] = (
        f"AWS4-HMAC-SHA256 Credential={access_key_id}/{scope}, "
        f"SignedHeaders={';'.join(names)}, Signature={signature}"
    )
    return signed
