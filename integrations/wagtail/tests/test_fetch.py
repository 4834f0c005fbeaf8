"""Fetching a delivery link, over real HTTP from a delivery host of the tests' own: one deadline
from connect to the last byte, and no private address reached through an IPv6 address that
carries an IPv4 one."""

import ipaddress
import socket
import time

import pytest
from support import png_bytes

from getty_picker.conf import ImportSettings
from getty_picker.fetch import FetchError, fetch, is_public


def config(*origins, total=1.5, read=1.0):
    return ImportSettings(
        delivery_hosts=tuple(origins),
        collection=None,
        max_bytes=1024 * 1024,
        max_pixels=10_000_000,
        connect_timeout=1.0,
        read_timeout=read,
        total_timeout=total,
        max_redirects=5,
    )


@pytest.mark.parametrize("interval", [0.2, 0.6])
def test_headers_sent_one_byte_at_a_time_end_at_the_total_timeout(delivery_host, interval):
    # Each byte comes within the read timeout; the whole would take a minute.
    delivery_host.answers["/d/42"] = ("trickle", interval)
    started = time.monotonic()
    with pytest.raises(FetchError) as failure:
        fetch(delivery_host.url("/d/42"), config(delivery_host.origin, total=1.5))
    elapsed = time.monotonic() - started
    assert failure.value.code == "timeout", failure.value
    assert elapsed < 1.5 + 1.0, f"held for {elapsed:.1f} s with a total timeout of 1.5 s"


def test_a_body_trickling_in_ends_at_the_total_timeout(delivery_host):
    # A file whose bytes arrive slower than the deadline allows, each within the read timeout.
    delivery_host.answers["/d/42"] = ("slow", 2.5, ("file", png_bytes(), "image/png"))
    started = time.monotonic()
    with pytest.raises(FetchError) as failure:
        fetch(delivery_host.url("/d/42"), config(delivery_host.origin, total=1.0, read=5.0))
    assert failure.value.code == "timeout" and time.monotonic() - started < 2.0


def test_a_file_within_the_deadline_is_fetched(delivery_host):
    body = png_bytes()
    delivery_host.answers["/d/42"] = ("file", body, "image/png", "GettyImages-42.png")
    fetched = fetch(delivery_host.url("/d/42"), config(delivery_host.origin))
    with fetched.file:
        assert fetched.file.read() == body and fetched.file_name == "GettyImages-42.png"


# Addresses a name on the allow-list could resolve to, each reaching a private IPv4 address
# through a translator or relay, or unjudgeable.
CARRYING_PRIVATE = [
    "::ffff:127.0.0.1",  # IPv4-mapped loopback
    "::ffff:10.0.0.1",
    "64:ff9b::7f00:1",  # NAT64 (well-known prefix) to 127.0.0.1
    "64:ff9b::a00:1",  # NAT64 to 10.0.0.1
    "64:ff9b::a9fe:a9fe",  # NAT64 to 169.254.169.254, the cloud metadata service
    "64:ff9b:1::a00:1",  # NAT64, local-use prefix
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "2002:c0a8:101::1",  # 6to4 of 192.168.1.1
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
    "::127.0.0.1",  # IPv4-compatible
]


@pytest.mark.parametrize("address", CARRYING_PRIVATE)
def test_an_ipv6_address_carrying_a_private_ipv4_address_is_refused(delivery_host, monkeypatch, address):
    port = int(delivery_host.origin.rsplit(":", 1)[1])
    real = socket.getaddrinfo

    def resolve(host, *args, **kwargs):
        if host == "delivery.test":
            return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with pytest.raises(FetchError) as failure:
        fetch(f"http://delivery.test:{port}/d/42", config(f"http://delivery.test:{port}"))
    assert failure.value.code == "address" and address in str(failure.value)
    assert not is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "address",
    ["8.8.8.8", "2a00:1450:4001:80b::200e", "64:ff9b::808:808", "2002:808:808::1", "::ffff:8.8.8.8"],
)
def test_a_public_address_is_public_however_written(address):
    assert is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "169.254.169.254", "::1", "fe80::1", "fd00::1"])
def test_private_addresses_are_not_public(address):
    assert not is_public(ipaddress.ip_address(address))
