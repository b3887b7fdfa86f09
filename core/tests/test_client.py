"""Which client a request came from, behind none, one or two proxies."""

import pytest
from django.test import RequestFactory

from core.client import client_address


def request(remote="192.0.2.10", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "client"),
    [
        # No proxies: what connected, whatever the header says.
        (0, "198.51.100.7", None, "198.51.100.7"),
        (0, "198.51.100.7", "203.0.113.1", "198.51.100.7"),
        # One proxy appends what connected to it; anything further left is the client's own.
        (1, "10.0.0.2", "198.51.100.7", "198.51.100.7"),
        (1, "10.0.0.2", "203.0.113.1, 198.51.100.7", "198.51.100.7"),
        (1, "10.0.0.2", "203.0.113.1,198.51.100.7", "198.51.100.7"),
        # Two proxies: the outer one wrote the client, the inner one wrote the outer.
        (2, "10.0.0.2", "203.0.113.1, 198.51.100.7, 10.0.0.1", "198.51.100.7"),
        (2, "10.0.0.2", "198.51.100.7, 10.0.0.1", "198.51.100.7"),
        # A request that came in past the outer proxy: the inner one saw the client connect.
        (2, "10.0.0.2", "198.51.100.7", "198.51.100.7"),
        # The proxy wrote nothing, or something that is not an address.
        (1, "10.0.0.2", None, "10.0.0.2"),
        (1, "10.0.0.2", "", "10.0.0.2"),
        (1, "10.0.0.2", "unknown", "10.0.0.2"),
        (1, "10.0.0.2", "198.51.100.7\x00", "10.0.0.2"),
        # Ports some proxies add.
        (1, "10.0.0.2", "198.51.100.7:51234", "198.51.100.7"),
        (1, "10.0.0.2", "[2001:db8::7]:443", "2001:db8::/64"),
        # IPv6: one client is one /64; an IPv4 address in IPv6 dress is IPv4.
        (0, "2001:db8:1:2:3:4:5:6", None, "2001:db8:1:2::/64"),
        (0, "::ffff:198.51.100.7", None, "198.51.100.7"),
    ],
)
def test_client_address(settings, proxies, remote, forwarded, client):
    settings.TRUSTED_PROXY_COUNT = proxies

    assert client_address(request(remote, forwarded)) == client


def test_no_address_at_all_is_one_client(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_address(request(remote="")) == "unknown"
