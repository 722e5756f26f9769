"""The address a request comes from, as far as the gateway can trust it.

The peer of the connection is the client, unless it is one of the operator's trusted
proxies (``GATEWAY_TRUSTED_PROXIES``); then the client is the rightmost
``X-Forwarded-For`` entry that is not itself a trusted proxy. Entries left of it were
written by whoever sent the request and prove nothing, so a client cannot pick its own
address by sending the header: from an untrusted peer it is ignored altogether.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network

from starlette.types import Scope

IPAddress = IPv4Address | IPv6Address
IPNetwork = IPv4Network | IPv6Network

_FORWARDED_FOR = b"x-forwarded-for"


def parse_address(text: str) -> IPAddress | None:
    """An address as a peer or a proxy writes it (``[::1]`` and ``1.2.3.4:5678`` too), an
    IPv4-mapped IPv6 address as the IPv4 address it is; ``None`` when it is not one."""
    text = text.strip()
    if text.startswith("["):
        text = text[1 : text.find("]")] if "]" in text else text
    elif text.count(":") == 1:
        text = text.partition(":")[0]  # IPv4 with a port
    try:
        address = ip_address(text)
    except ValueError:
        return None
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def parse_networks(entries: Iterable[str]) -> tuple[IPNetwork, ...]:
    """Networks from addresses or CIDRs; a bare address is a network of one. Raises
    ``ValueError`` for anything else (host bits set included)."""
    return tuple(ip_network(entry.strip()) for entry in entries if entry.strip())


def within(address: IPAddress, networks: Sequence[IPNetwork]) -> bool:
    # Comparing across versions is always False in ipaddress; no need to filter first.
    return any(address in network for network in networks)


def client_address(scope: Scope, trusted_proxies: Sequence[IPNetwork]) -> IPAddress | None:
    """The client's address for an HTTP or WebSocket ``scope``, or ``None`` when it cannot
    be told (no peer address, or a trusted proxy forwarding one that is not an address)."""
    client = scope.get("client")
    if not client:
        return None
    peer = parse_address(str(client[0]))
    if peer is None or not trusted_proxies or not within(peer, trusted_proxies):
        return peer
    hops: list[str] = []
    for name, value in scope.get("headers", ()):
        if name == _FORWARDED_FOR:
            hops.extend(value.decode("latin-1").split(","))
    found = peer
    for hop in reversed(hops):
        if not hop.strip():
            continue
        address = parse_address(hop)
        if address is None:
            # A trusted proxy passed on something that is not an address: the client is
            # unknown, which an allowlist must refuse rather than guess past.
            return None
        found = address
        if not within(address, trusted_proxies):
            return address
    # Every hop is a trusted proxy: the farthest one is the best that is known.
    return found
