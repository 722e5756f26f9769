from __future__ import annotations

import asyncio
import datetime as dt
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from ipaddress import ip_address
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from gateway.config import Settings
from gateway.kit.safehttp import (
    MediaTooLarge,
    UrlInvalid,
    UrlNotAllowed,
    UrlUnreachable,
    check_url,
    embedded_ipv4,
    fetch,
    is_public_address,
    refusal,
)
from tests.local_http import Recorded, Reply, serving

PUBLIC = [
    "8.8.8.8",
    "1.1.1.1",
    "93.184.215.14",
    "2606:4700:4700::1111",
    "2a00:1450:4001:80b::200e",
    "::ffff:8.8.8.8",  # IPv4-mapped form of a public address
    "2002:808:808::1",  # 6to4 of 8.8.8.8
]

NOT_PUBLIC = [
    "10.0.0.1",
    "10.255.255.255",
    "172.16.5.4",
    "172.31.255.255",
    "192.168.1.1",
    "127.0.0.1",
    "127.1.2.3",
    "0.0.0.0",  # noqa: S104
    "0.1.2.3",
    "169.254.1.1",
    "169.254.169.254",
    "100.64.0.1",  # carrier-grade NAT
    "100.127.255.254",
    "192.0.0.8",
    "192.0.2.10",
    "198.18.0.1",
    "198.51.100.7",
    "203.0.113.9",
    "224.0.0.1",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    "::",
    "::1",
    "fe80::1",
    "fec0::1",
    "fc00::1",
    "fd12:3456::1",
    "fd00:ec2::254",
    "ff02::1",
    "2001:db8::1",
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
    "100::1",
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "::ffff:0.0.0.0",
    "::127.0.0.1",  # IPv4-compatible
    "::10.1.2.3",
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    "64:ff9b:1::1",
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "2002:a9fe:a9fe::",  # 6to4 of 169.254.169.254
]


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_allowed(address: str) -> None:
    assert is_public_address(ip_address(address))
    assert refusal(ip_address(address), allow_private=False) is None


@pytest.mark.parametrize("address", NOT_PUBLIC)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert not is_public_address(ip_address(address))
    assert refusal(ip_address(address), allow_private=False) is not None


@pytest.mark.parametrize(
    "address", ["169.254.169.254", "fd00:ec2::254", "::ffff:169.254.169.254", "100.100.100.200"]
)
def test_metadata_addresses_are_refused_even_where_private_targets_are_allowed(
    address: str,
) -> None:
    assert refusal(ip_address(address), allow_private=True) == "a cloud metadata address"


def test_private_targets_are_allowed_where_the_operator_allows_them() -> None:
    for address in ("127.0.0.1", "10.0.0.1", "::1", "::ffff:192.168.0.1"):
        assert refusal(ip_address(address), allow_private=True) is None


def test_embedded_ipv4_forms() -> None:
    expected = ip_address("127.0.0.1")
    for form in ("::ffff:127.0.0.1", "::127.0.0.1", "64:ff9b::7f00:1", "2002:7f00:1::"):
        assert embedded_ipv4(ip_address(form)) == expected  # type: ignore[arg-type]
    assert embedded_ipv4(ip_address("::1")) is None  # type: ignore[arg-type]
    assert embedded_ipv4(ip_address("2606:4700::1")) is None  # type: ignore[arg-type]


def test_private_targets_follow_the_environment_unless_set(tmp_path: Path) -> None:
    assert Settings(env="development").private_targets_allowed
    production = {"env": "production", "secret_key": "s" * 48, "data_dir": tmp_path}
    assert not Settings(**production).private_targets_allowed  # type: ignore[arg-type]
    assert Settings(**production, allow_private_targets=True).private_targets_allowed  # type: ignore[arg-type]
    assert not Settings(allow_private_targets=False).private_targets_allowed


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/file",
        "file:///etc/passwd",
        "gopher://127.0.0.1:6379/_INFO",
        "http://user:secret@example.com/",
        "http:///nohost",
        "not a url",
        "http://exa mple.com/",
    ],
)
async def test_check_url_refuses_malformed_urls(url: str) -> None:
    with pytest.raises(UrlInvalid) as caught:
        await check_url(url, allow_private=True, param="media.url")
    assert caught.value.param == "media.url"
    assert caught.value.status_code == 422
    assert caught.value.code == "url_invalid"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost:6379/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://10.1.2.3/file.jpg",
        "https://169.254.169.254/latest/meta-data/",
        "http://0x7f000001/",  # 127.0.0.1 in hexadecimal
        "http://2130706433/",  # 127.0.0.1 as one number
        "http://0/",
    ],
)
async def test_check_url_refuses_private_targets(url: str) -> None:
    with pytest.raises(UrlNotAllowed) as caught:
        await check_url(url, allow_private=False, param="url")
    assert caught.value.code == "url_not_allowed"
    assert caught.value.param == "url"
    assert "public addresses" in caught.value.message


async def test_check_url_resolves_and_keeps_the_addresses() -> None:
    target = await check_url("http://LOCALHOST:8080/a/b?c=1", allow_private=True)
    assert target.host == "localhost"
    assert target.port == 8080
    assert ip_address("127.0.0.1") in target.addresses
    public = await check_url("https://93.184.215.14/x", allow_private=False)
    assert public.addresses == (ip_address("93.184.215.14"),)
    assert public.port == 443


@contextmanager
def fake_dns(answers: dict[str, list[list[str]]]) -> Iterator[list[str]]:
    """Answer name lookups for the given hosts from ``answers`` (one list of addresses per
    lookup, in turn; a lookup past the last fails) and record the names looked up."""
    loop = asyncio.get_running_loop()
    real = loop.getaddrinfo
    looked_up: list[str] = []
    remaining = {host: list(turns) for host, turns in answers.items()}

    async def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if name not in remaining:
            return await real(host, port, *args, **kwargs)
        looked_up.append(name)
        if not remaining[name]:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
            for a in remaining[name].pop(0)
        ]

    loop.getaddrinfo = getaddrinfo  # type: ignore[method-assign]
    try:
        yield looked_up
    finally:
        loop.getaddrinfo = real  # type: ignore[method-assign]


async def test_one_bad_address_among_good_ones_refuses_the_url() -> None:
    with (
        fake_dns({"mixed.test": [["93.184.215.14", "10.0.0.7"]]}),
        pytest.raises(UrlNotAllowed, match=r"10\.0\.0\.7"),
    ):
        await check_url("http://mixed.test/", allow_private=False)


async def test_an_unresolvable_host_is_unreachable() -> None:
    with fake_dns({"nowhere.test": []}), pytest.raises(UrlUnreachable) as caught:
        await check_url("https://nowhere.test/file.pdf", allow_private=False, param="p")
    assert caught.value.code == "url_unreachable"
    assert caught.value.param == "p"


async def test_fetch_from_a_local_server_only_where_private_targets_are_allowed() -> None:
    routes = {
        "/files/photo.jpg": Reply(
            body=b"\xff\xd8\xff" + b"j" * 100, headers={"Content-Type": "image/jpeg"}
        ),
        "/download": Reply(
            body=b"%PDF-1.7 ...",
            headers={
                "Content-Type": "application/pdf; charset=binary",
                "Content-Disposition": "attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf",
            },
        ),
    }
    with serving(routes) as server:
        photo = await fetch(
            server.url("/files/photo.jpg"), allow_private=True, max_bytes=1000, timeout=5
        )
        assert photo.content == routes["/files/photo.jpg"].body  # type: ignore[union-attr]
        assert photo.content_type == "image/jpeg"
        assert photo.filename == "photo.jpg"

        pdf = await fetch(server.url("/download"), allow_private=True, max_bytes=1000, timeout=5)
        assert pdf.content_type == "application/pdf"
        assert pdf.filename == "résumé.pdf"

        request = server.requests[0]
        assert request.headers["host"] == f"127.0.0.1:{server.port}"
        assert request.headers["accept-encoding"] == "identity"

        with pytest.raises(UrlNotAllowed):
            await fetch(
                server.url("/files/photo.jpg"), allow_private=False, max_bytes=1000, timeout=5
            )
        assert len(server.requests) == 2  # the refused fetch never connected


async def test_fetch_connects_to_the_checked_address_without_resolving_again() -> None:
    # The second lookup would fail: only the address checked by the first may be used
    # (a DNS answer that changes in between is how rebinding attacks get in).
    with (
        serving({"/f.txt": Reply(body=b"hello")}) as server,
        fake_dns({"files.test": [["127.0.0.1"]]}) as looked_up,
    ):
        fetched = await fetch(
            server.url("/f.txt", host="files.test"), allow_private=True, max_bytes=100, timeout=5
        )
    assert fetched.content == b"hello"
    assert looked_up == ["files.test"]
    assert server.requests[0].headers["host"] == f"files.test:{server.port}"


async def test_fetch_tries_the_next_checked_address_when_one_refuses() -> None:
    with (
        serving({"/f": Reply(body=b"ok")}) as server,
        fake_dns({"two.test": [["127.0.0.2", "127.0.0.1"]]}),
    ):
        # Nothing listens on 127.0.0.2 at that port; 127.0.0.1 answers.
        fetched = await fetch(
            server.url("/f", host="two.test"), allow_private=True, max_bytes=10, timeout=5
        )
    assert fetched.content == b"ok"


async def test_fetch_caps_the_size_declared_or_streamed() -> None:
    chunk = b"x" * 65536
    routes = {
        "/declared": Reply(body=b"y" * 5000),
        "/streamed": Reply(body=chunk, repeat=1024, content_length=False),  # 64 MiB
    }
    with serving(routes) as server:
        with pytest.raises(MediaTooLarge) as caught:
            await fetch(
                server.url("/declared"), allow_private=True, max_bytes=4999, timeout=5, param="m"
            )
        assert caught.value.code == "media_too_large"
        assert caught.value.param == "m"
        assert (
            await fetch(server.url("/declared"), allow_private=True, max_bytes=5000, timeout=5)
        ).content == b"y" * 5000

        with pytest.raises(MediaTooLarge):
            await fetch(server.url("/streamed"), allow_private=True, max_bytes=200_000, timeout=10)
    # The reader stopped soon after the cap instead of draining the 64 MiB.
    assert server.bytes_sent < 16 * 1024 * 1024


async def test_fetch_refuses_non_2xx_answers() -> None:
    routes = {"/gone": Reply(410, b"gone"), "/error": Reply(500, b"oops")}
    with serving(routes) as server:
        for path, status in (("/gone", 410), ("/error", 500), ("/missing", 404)):
            with pytest.raises(UrlUnreachable, match=f"HTTP {status}"):
                await fetch(server.url(path), allow_private=True, max_bytes=100, timeout=5)


async def test_fetch_follows_a_few_redirects_checking_each_hop() -> None:
    routes: dict[str, Any] = {
        "/start": Reply(302, headers={"Location": "/middle"}),
        "/middle": Reply(301, headers={"Location": "end.bin"}),
        "/end.bin": Reply(body=b"arrived"),
        "/loop": Reply(302, headers={"Location": "/loop"}),
        "/to-metadata": Reply(307, headers={"Location": "http://169.254.169.254/latest/"}),
        "/to-ftp": Reply(302, headers={"Location": "ftp://example.com/x"}),
    }
    with serving(routes) as server:
        fetched = await fetch(server.url("/start"), allow_private=True, max_bytes=100, timeout=5)
        assert fetched.content == b"arrived"
        assert fetched.filename == "end.bin"

        with pytest.raises(UrlUnreachable, match="redirected more than 3 times"):
            await fetch(server.url("/loop"), allow_private=True, max_bytes=100, timeout=5)
        assert sum(r.path == "/loop" for r in server.requests) == 4

        with pytest.raises(UrlNotAllowed, match="metadata"):
            await fetch(server.url("/to-metadata"), allow_private=True, max_bytes=100, timeout=5)
        with pytest.raises(UrlInvalid):
            await fetch(server.url("/to-ftp"), allow_private=True, max_bytes=100, timeout=5)


async def test_fetch_gives_up_after_the_total_timeout() -> None:
    with serving() as server:

        def stall(_: Recorded) -> Reply:
            server.release.wait(10)
            return Reply(body=b"late")

        server.routes["/slow"] = stall
        with pytest.raises(UrlUnreachable, match=r"within 0\.3 seconds"):
            await fetch(server.url("/slow"), allow_private=True, max_bytes=100, timeout=0.3)


async def test_fetch_reports_a_refused_connection() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(UrlUnreachable, match="connect"):
        await fetch(f"http://127.0.0.1:{port}/", allow_private=True, max_bytes=100, timeout=5)


def _tls_contexts(hostname: str, directory: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A server context with a certificate for ``hostname`` from a throwaway CA, and a
    client context trusting only that CA."""
    now = dt.datetime.now(dt.UTC)

    def certificate(
        subject: str, key: ec.EllipticCurvePrivateKey, issuer: str, signer: Any, ca: bool
    ) -> x509.Certificate:
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(hours=1))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        if not ca:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.DNSName(subject)]), critical=False
            )
        else:
            builder = builder.add_extension(
                x509.KeyUsage(
                    digital_signature=True, content_commitment=False, key_encipherment=False,
                    data_encipherment=False, key_agreement=False, key_cert_sign=True,
                    crl_sign=True, encipher_only=False, decipher_only=False,
                ),
                critical=True,
            )  # fmt: skip
        return builder.sign(signer, hashes.SHA256())

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = certificate("Test CA", ca_key, "Test CA", ca_key, ca=True)
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf_cert = certificate(hostname, leaf_key, "Test CA", ca_key, ca=False)

    pem = serialization.Encoding.PEM
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    (directory / "cert.pem").write_bytes(leaf_cert.public_bytes(pem))
    (directory / "key.pem").write_bytes(
        leaf_key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    server.load_cert_chain(directory / "cert.pem", directory / "key.pem")
    client = ssl.create_default_context(cadata=ca_cert.public_bytes(pem).decode())
    return server, client


async def test_https_keeps_the_name_for_sni_and_certificate_checks(tmp_path: Path) -> None:
    server_tls, client_tls = _tls_contexts("files.test", tmp_path)
    names: list[str | None] = []
    lock = threading.Lock()

    def record_sni(_: Any, name: str | None, __: Any) -> None:
        with lock:
            names.append(name)

    server_tls.sni_callback = record_sni
    with (
        serving({"/doc.pdf": Reply(body=b"%PDF-1.4")}, tls=server_tls) as server,
        fake_dns({"files.test": [["127.0.0.1"]], "other.test": [["127.0.0.1"]]}),
    ):
        fetched = await fetch(
            server.url("/doc.pdf", host="files.test"),
            allow_private=True,
            max_bytes=100,
            timeout=5,
            verify=client_tls,
        )
        assert fetched.content == b"%PDF-1.4"
        assert names == ["files.test"]
        assert server.requests[0].headers["host"] == f"files.test:{server.port}"

        # The certificate is checked against the URL's name, not the address connected to.
        with pytest.raises(UrlUnreachable):
            await fetch(
                server.url("/doc.pdf", host="other.test"),
                allow_private=True,
                max_bytes=100,
                timeout=5,
                verify=client_tls,
            )
