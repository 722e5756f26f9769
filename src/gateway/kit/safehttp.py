"""Outbound HTTP to URLs customers give (files to fetch, webhook endpoints): the SSRF guard.

A customer's URL must not reach the gateway's own network: the database, Redis, a cloud
metadata service. So the host is resolved once, every address it resolves to is checked,
and the request then connects to a checked address (the Host header and TLS SNI keep the
name), because resolving again at connect time would let a DNS answer change in between
(DNS rebinding). Redirects are re-checked hop by hop, bodies are capped while streaming,
and the whole exchange has one deadline. POSTs (webhook deliveries) are made on the
same checks by ``safepost``, on kept-alive connections.
"""

from __future__ import annotations

import asyncio
import re
import socket
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from email.message import Message
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address
from urllib.parse import unquote

import httpx

from gateway.kit.errors import InvalidRequest

IPAddress = IPv4Address | IPv6Address

USER_AGENT = "gateway/1"
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_DEFAULT_PORTS = {"http": 80, "https": 443}
# Names after IDNA encoding, and IP literals (no IPv6 zone: that would be a local link).
_HOST = re.compile(r"[A-Za-z0-9._:-]+")


class UrlInvalid(InvalidRequest):
    code = "url_invalid"


class UrlNotAllowed(InvalidRequest):
    code = "url_not_allowed"


class UrlUnreachable(InvalidRequest):
    code = "url_unreachable"


class MediaTooLarge(InvalidRequest):
    code = "media_too_large"


# Everything that is not plain public unicast. The standard library's flags cover most of
# it, but their exact ranges changed between Python patch releases, so the list is spelled
# out and both must agree that an address is public.
_NON_PUBLIC_V4 = tuple(
    IPv4Network(net)
    for net in (
        "0.0.0.0/8",  # "this network"; 0.0.0.0 reaches the local host on Linux
        "10.0.0.0/8",
        "100.64.0.0/10",  # carrier-grade NAT, also Alibaba's metadata service
        "127.0.0.0/8",
        "169.254.0.0/16",  # link-local, the cloud metadata services
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.0.2.0/24",
        "192.88.99.0/24",  # deprecated 6to4 relay anycast
        "192.168.0.0/16",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, and the broadcast address
    )
)
_NON_PUBLIC_V6 = tuple(
    IPv6Network(net)
    for net in (
        "::/128",
        "::1/128",
        "64:ff9b:1::/48",  # local-use NAT64
        "100::/64",  # discard-only
        "2001::/23",  # IETF protocol assignments, Teredo among them
        "2001:db8::/32",
        "fc00::/7",  # unique local, AWS's fd00:ec2::254 among them
        "fe80::/10",
        "fec0::/10",  # deprecated site-local
        "ff00::/8",
    )
)
# Refused even where private targets are allowed: nothing legitimate is fetched from or
# delivered to a cloud metadata service, and it hands out credentials.
METADATA_ADDRESSES = frozenset(
    ip_address(a) for a in ("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254")
)
_NAT64 = IPv6Network("64:ff9b::/96")
_IPV4_COMPATIBLE = IPv6Network("::/96")


def embedded_ipv4(address: IPv6Address) -> IPv4Address | None:
    """The IPv4 address an IPv6 address stands for, if any: IPv4-mapped (``::ffff:a.b.c.d``),
    IPv4-compatible (``::a.b.c.d``), NAT64 (``64:ff9b::a.b.c.d``) and 6to4 (``2002::/16``).
    A connection to such an address can end up at the IPv4 one, so that is the one to judge."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64 or (address in _IPV4_COMPATIBLE and int(address) > 1):
        return IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public_address(address: IPAddress) -> bool:
    """Whether ``address`` is public unicast: not private, loopback, link-local, CGNAT,
    multicast, reserved, unspecified or documentation, nor an IPv6 form of such an IPv4."""
    if isinstance(address, IPv6Address):
        if (v4 := embedded_ipv4(address)) is not None:
            return is_public_address(v4)
        blocked: tuple[IPv4Network | IPv6Network, ...] = _NON_PUBLIC_V6
    else:
        blocked = _NON_PUBLIC_V4
    if any(address in network for network in blocked):
        return False
    return address.is_global and not (
        address.is_multicast or address.is_reserved or address.is_unspecified
    )


def is_metadata_address(address: IPAddress) -> bool:
    """Whether ``address`` is (an IPv6 form of) a cloud metadata service."""
    if isinstance(address, IPv6Address) and (v4 := embedded_ipv4(address)) is not None:
        address = v4
    return address in METADATA_ADDRESSES


def refusal(address: IPAddress, *, allow_private: bool) -> str | None:
    """Why the guard refuses to connect to ``address``, or ``None`` when it may."""
    if is_metadata_address(address):
        return "a cloud metadata address"
    if not allow_private and not is_public_address(address):
        return "a private or reserved address"
    return None


@dataclass(frozen=True)
class ResolvedTarget:
    """A URL that passed the guard, and the addresses it may be reached at."""

    url: httpx.URL
    host: str  # ASCII (IDNA) form, as resolved and as sent in Host and SNI
    port: int
    addresses: tuple[IPAddress, ...]


@dataclass(frozen=True)
class FetchedFile:
    content: bytes
    content_type: str | None  # the essence, lower case, without parameters
    filename: str | None


async def check_url(url: str, *, allow_private: bool, param: str | None = "url") -> ResolvedTarget:
    """Parse and resolve ``url`` and check every address its host resolves to.

    Raises ``UrlInvalid`` (not http/https, credentials in the URL, no host),
    ``UrlUnreachable`` (the host does not resolve) or ``UrlNotAllowed`` (an address is not
    public and ``allow_private`` is false, or it is a cloud metadata address), all 422 with
    ``param``. One bad address refuses the URL: the client library may pick any of them.
    """
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise UrlInvalid(f"Invalid URL: {exc}", param=param) from exc
    if parsed.scheme not in _DEFAULT_PORTS:
        raise UrlInvalid("The URL must start with http:// or https://.", param=param)
    if parsed.userinfo:
        raise UrlInvalid("The URL must not contain a user name or password.", param=param)
    host = parsed.raw_host.decode("ascii")
    if not host:
        raise UrlInvalid("The URL has no host.", param=param)
    if not _HOST.fullmatch(host):
        raise UrlInvalid(f"The URL's host {host!r} is not a valid host name.", param=param)
    port = parsed.port or _DEFAULT_PORTS[parsed.scheme]
    addresses = await _resolve(host, port, param=param)
    for address in addresses:
        if (reason := refusal(address, allow_private=allow_private)) is not None:
            raise UrlNotAllowed(
                f"The URL's host {host} resolves to {address}, {reason}; "
                "the gateway only connects to public addresses.",
                param=param,
            )
    return ResolvedTarget(parsed, host, port, addresses)


async def _resolve(host: str, port: int, *, param: str | None) -> tuple[IPAddress, ...]:
    try:
        # An address needs no lookup (getaddrinfo would answer it as is, from a thread).
        return (ip_address(host),)
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise UrlUnreachable(f"The host {host} could not be resolved.", param=param) from exc
    addresses: list[IPAddress] = []
    for family, _, _, _, sockaddr in infos:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        address = ip_address(str(sockaddr[0]))
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise UrlUnreachable(f"The host {host} has no IP address.", param=param)
    return tuple(addresses)


async def fetch(
    url: str,
    *,
    allow_private: bool,
    max_bytes: int,
    # A parameter rather than the caller's asyncio.timeout: expiry must become a 422
    # naming the URL, and httpx's own per-operation timeouts take the same value.
    timeout: float,  # noqa: ASYNC109
    param: str | None = "url",
    max_redirects: int = 3,
    verify: ssl.SSLContext | bool = True,
) -> FetchedFile:
    """GET ``url`` through the guard and return its body, at most ``max_bytes`` of it.

    Every hop (at most ``max_redirects`` redirects) passes ``check_url`` and the connection
    goes to the checked address. A non-2xx answer, a connection or TLS failure, or running
    past ``timeout`` seconds in total raise ``UrlUnreachable``; a body larger than
    ``max_bytes`` raises ``MediaTooLarge`` as soon as that is known. ``verify`` is httpx's
    TLS verification setting (a context trusting a private CA, in tests).
    """
    try:
        async with (
            asyncio.timeout(timeout),
            httpx.AsyncClient(
                trust_env=False,  # a proxy from the environment would bypass the check
                follow_redirects=False,
                timeout=timeout,
                verify=verify,
            ) as client,
        ):
            current = url
            for _ in range(max_redirects + 1):
                target = await check_url(current, allow_private=allow_private, param=param)
                async with _connect(client, target, param=param) as response:
                    location = response.headers.get("location")
                    if response.status_code in _REDIRECT_STATUSES and location:
                        current = str(target.url.join(location))
                        continue
                    if not response.is_success:
                        raise UrlUnreachable(
                            f"The URL answered HTTP {response.status_code}.", param=param
                        )
                    content = await _read_capped(response, max_bytes, param=param)
                    return FetchedFile(
                        content=content,
                        content_type=_essence(response.headers.get("content-type")),
                        filename=_filename(response, target.url),
                    )
            raise UrlUnreachable(
                f"The URL redirected more than {max_redirects} times.", param=param
            )
    except TimeoutError as exc:
        raise UrlUnreachable(
            f"The URL did not answer within {timeout:g} seconds.", param=param
        ) from exc
    except httpx.HTTPError as exc:
        raise UrlUnreachable(f"Fetching the URL failed: {exc}", param=param) from exc


@asynccontextmanager
async def _connect(
    client: httpx.AsyncClient,
    target: ResolvedTarget,
    *,
    param: str | None,
    method: str = "GET",
    content: bytes | None = None,
    extra_headers: dict[str, str] | None = None,
) -> AsyncIterator[httpx.Response]:
    """Open a streamed request to the first of the target's checked addresses that accepts
    a connection, with the URL's own name in Host and SNI (so virtual hosts and TLS
    certificate checks see the name, never the address)."""
    headers = {
        **(extra_headers or {}),
        "Host": target.url.netloc.decode("ascii"),
        "User-Agent": USER_AGENT,
        # Media is compressed already; refusing transfer compression keeps a small
        # compressed body from expanding past the cap in a single decoding step.
        "Accept-Encoding": "identity",
    }
    extensions = {"sni_hostname": target.host} if target.url.scheme == "https" else {}
    failure: httpx.TransportError | None = None
    for address in target.addresses:
        request = client.build_request(
            method,
            target.url.copy_with(host=str(address), port=target.port),
            headers=headers,
            content=content,
            extensions=extensions,
        )
        try:
            response = await client.send(request, stream=True)
        except httpx.ConnectError as exc:
            failure = exc
            continue
        try:
            yield response
        finally:
            await response.aclose()
        return
    raise UrlUnreachable(f"Could not connect to {target.host}: {failure}", param=param) from failure


async def _read_capped(response: httpx.Response, max_bytes: int, *, param: str | None) -> bytes:
    too_large = MediaTooLarge(f"The file is larger than {max_bytes} bytes.", param=param)
    declared = response.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_bytes:
        raise too_large
    chunks: list[bytes] = []
    received = 0
    async for chunk in response.aiter_bytes():
        received += len(chunk)
        if received > max_bytes:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _essence(content_type: str | None) -> str | None:
    if not content_type:
        return None
    essence = content_type.split(";", 1)[0].strip().lower()
    return essence or None


def _filename(response: httpx.Response, url: httpx.URL) -> str | None:
    disposition = response.headers.get("content-disposition")
    if disposition:
        message = Message()
        message["content-disposition"] = disposition
        if name := message.get_filename():
            return name
    last = unquote(url.path.rsplit("/", 1)[-1])
    return last or None
