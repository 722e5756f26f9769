from __future__ import annotations

from ipaddress import ip_address
from typing import Any

import pytest

from gateway.kit.client_address import client_address, parse_address, parse_networks

PROXIES = parse_networks(["10.0.0.0/8", "2001:db8:ffff::/48"])


def scope(peer: str | None, *forwarded_for: str) -> dict[str, Any]:
    return {
        "type": "http",
        "client": None if peer is None else (peer, 40_000),
        "headers": [(b"x-forwarded-for", v.encode()) for v in forwarded_for],
    }


def test_the_peer_is_the_client_when_no_proxy_is_trusted() -> None:
    assert client_address(scope("203.0.113.7", "198.51.100.1"), ()) == ip_address("203.0.113.7")


def test_a_spoofed_header_from_an_untrusted_peer_is_ignored() -> None:
    got = client_address(scope("203.0.113.7", "198.51.100.1"), PROXIES)
    assert got == ip_address("203.0.113.7")


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client() -> None:
    got = client_address(scope("10.1.2.3", "198.51.100.1"), PROXIES)
    assert got == ip_address("198.51.100.1")


def test_entries_the_client_wrote_before_the_proxy_appended_are_not_believed() -> None:
    # The client sent "X-Forwarded-For: 1.1.1.1"; the proxy appended the real peer.
    got = client_address(scope("10.1.2.3", "1.1.1.1, 198.51.100.1"), PROXIES)
    assert got == ip_address("198.51.100.1")


def test_a_chain_of_trusted_proxies_is_walked_from_the_right() -> None:
    got = client_address(scope("10.1.2.3", "1.1.1.1, 198.51.100.1, 10.9.9.9"), PROXIES)
    assert got == ip_address("198.51.100.1")
    # Several headers read as one list, in order.
    got = client_address(scope("10.1.2.3", "1.1.1.1, 198.51.100.1", "10.9.9.9"), PROXIES)
    assert got == ip_address("198.51.100.1")


def test_only_trusted_proxies_in_the_chain_gives_the_farthest() -> None:
    assert client_address(scope("10.1.2.3", "10.0.0.1, 10.0.0.2"), PROXIES) == ip_address(
        "10.0.0.1"
    )
    assert client_address(scope("10.1.2.3"), PROXIES) == ip_address("10.1.2.3")


def test_ipv6_ports_and_mapped_addresses() -> None:
    assert client_address(scope("2001:db8:ffff::1", "[2001:db8::5]:443"), PROXIES) == ip_address(
        "2001:db8::5"
    )
    assert client_address(scope("10.0.0.1", "198.51.100.1:5678"), PROXIES) == ip_address(
        "198.51.100.1"
    )
    assert client_address(scope("::ffff:203.0.113.7"), PROXIES) == ip_address("203.0.113.7")


def test_an_unknown_client_is_none_never_a_guess() -> None:
    assert client_address(scope(None), PROXIES) is None
    assert client_address(scope("testclient"), PROXIES) is None
    # A trusted proxy forwarding garbage: not the garbage, not the entry left of it.
    assert client_address(scope("10.1.2.3", "198.51.100.1, not-an-ip"), PROXIES) is None


@pytest.mark.parametrize("text", ["", "host", "1.2.3", "[::1", "999.1.1.1"])
def test_what_is_not_an_address(text: str) -> None:
    assert parse_address(text) is None


def test_networks_refuse_host_bits() -> None:
    with pytest.raises(ValueError, match="host bits"):
        parse_networks(["10.0.0.1/8"])
    assert parse_networks([" 10.0.0.0/8 ", ""]) == (PROXIES[0],)
