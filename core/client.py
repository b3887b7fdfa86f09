"""Which client a request came from, as the proxies in front of the portal saw it."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

# IPv6 hands every connection a whole /64 network, so one client is one /64: otherwise an
# attacker could take a fresh address for every guess.
IPV6_CLIENT_PREFIX = 64


def client_address(request: HttpRequest) -> str:
    """The client's address: an IPv4 address, or an IPv6 /64 network.

    Each of the TRUSTED_PROXY_COUNT proxies in front of gunicorn appends the address it
    received the request from to X-Forwarded-For, so the client is the entry the outermost one
    wrote: the count-th from the right. Whatever stands further left came from the client
    itself and is never believed. Without proxies it is the address that connected.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    candidate = remote
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
        elif forwarded:
            # Fewer entries than proxies: the request skipped the outer ones, so the first
            # entry is what the innermost proxy saw connect to it.
            candidate = forwarded[0]
    return normalise_address(candidate) or normalise_address(remote) or "unknown"


def normalise_address(value: str) -> str:
    """An address as the lockout counts it, or "" if it is not an IP address."""
    address = _parse(value)
    if address is None:
        return ""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        network = ipaddress.IPv6Network(f"{address}/{IPV6_CLIENT_PREFIX}", strict=False)
        return str(network)
    return str(address)


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    # Some proxies add the port: "203.0.113.7:51234" or "[2001:db8::1]:443".
    if value.startswith("[") and "]" in value:
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


# Most specific first: Edge and Opera also say "Chrome", Chrome also says "Safari".
_BROWSERS = [
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
]
_SYSTEMS = [
    ("Windows", "Windows"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Mac OS X", "Mac"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
]


def browser_summary(user_agent: str) -> str:
    """A browser as its owner would name it, "Edge on Windows", from its User-Agent header;
    "" when it is not one we know. Only this short name is kept, never the header."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), "")
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), "")
    if browser and system:
        return f"{browser} on {system}"
    return browser or system
