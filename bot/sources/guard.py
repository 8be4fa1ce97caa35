"""The private-address guard: a feed URL must not make the bot fetch its own network.

A chat user who can add a source could otherwise point the bot at the cloud metadata address, the Redis port
or an admin page on loopback. Checking a URL once is not enough (DNS can answer differently a second later),
so the check happens where the connection is made: ``GuardedResolver`` is the resolver of the fetcher's
aiohttp connector, it resolves the host itself and hands aiohttp only addresses that passed, so aiohttp
connects to exactly the address that was checked. IP literals never reach a resolver in aiohttp, so
``check_literal`` covers them before every request and every redirect.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

# Addresses that are not "the public internet" even where the stdlib flags miss them.
_EXTRA_FORBIDDEN = (
    ipaddress.ip_network("100.64.0.0/10"),  # carrier-grade NAT, also used by cloud metadata services
    ipaddress.ip_network("fd00:ec2::254/128"),  # AWS metadata over IPv6
)


Policy = Callable[[str], "str | None"] | None  # address -> why it is forbidden, or None


class ForbiddenAddress(Exception):
    """The URL's host is (or resolves to) a loopback, private, link-local or otherwise internal address."""


class BadSourceURL(ValueError):
    """The URL is not an http(s) URL with a host."""


def forbidden_reason(address: str) -> str | None:
    """Why ``address`` must not be fetched, or None for a public address."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return "loopback"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_link_local:
        return "link-local (cloud metadata)"
    if ip.is_private:
        return "private"
    if ip.is_multicast or ip.is_reserved:
        return "reserved"
    if any(ip in net for net in _EXTRA_FORBIDDEN):
        return "internal"
    return None


def split_url(url: str) -> tuple[str, int]:
    """(host, port) of an http(s) URL; ``BadSourceURL`` otherwise."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise BadSourceURL(f"not a valid URL: {url!r} ({error})") from error
    if parts.scheme.lower() not in ("http", "https"):
        raise BadSourceURL(f"only http and https URLs can be fetched, not {url!r}")
    if not parts.hostname:
        raise BadSourceURL(f"the URL has no host: {url!r}")
    return parts.hostname, port or (443 if parts.scheme.lower() == "https" else 80)


def check_literal(url: str, allow_private: bool, policy: Policy = None) -> None:
    """Refuse a URL whose host is an internal IP literal (aiohttp connects to literals without resolving)."""
    policy = policy or forbidden_reason
    host, _ = split_url(url)
    if allow_private:
        return
    try:
        ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        if host.rstrip(".").lower() in ("localhost",) or host.lower().endswith(".localhost"):
            raise ForbiddenAddress(f"{host} is a loopback name (set BRIEFBOT_ALLOW_PRIVATE_SOURCES=true)") from None
        return
    reason = policy(host.strip("[]"))
    if reason:
        raise ForbiddenAddress(f"{host} is a {reason} address (set BRIEFBOT_ALLOW_PRIVATE_SOURCES=true)")


async def resolve(host: str, port: int = 0) -> list[tuple[int, str]]:
    """(family, address) pairs for ``host``, via the system resolver in a thread."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise BadSourceURL(f"the host {host} cannot be resolved ({error})") from error
    seen: list[tuple[int, str]] = []
    for family, _, _, _, sockaddr in infos:
        pair = (int(family), str(sockaddr[0]))
        if pair not in seen:
            seen.append(pair)
    return seen


async def check_url(url: str, allow_private: bool) -> list[str]:
    """Validate a source URL now: scheme, resolvable host, no internal address. Returns the addresses."""
    host, port = split_url(url)
    check_literal(url, allow_private)
    addresses = await resolve(host, port)
    if not addresses:
        raise BadSourceURL(f"the host {host} has no address")
    if not allow_private:
        for _, address in addresses:
            reason = forbidden_reason(address)
            if reason:
                raise ForbiddenAddress(
                    f"{host} resolves to {address}, a {reason} address (set BRIEFBOT_ALLOW_PRIVATE_SOURCES=true)"
                )
    return [a for _, a in addresses]


def guarded_resolver(allow_private: bool, resolver: Any = None, policy: Policy = None) -> Any:
    """An aiohttp resolver that refuses a host when any of its addresses is internal.

    ``resolver`` is the aiohttp resolver that asks DNS (default: the threaded system resolver); ``policy``
    decides which addresses are internal (default ``forbidden_reason``)."""
    policy = policy or forbidden_reason
    from aiohttp.abc import AbstractResolver

    class GuardedResolver(AbstractResolver):
        def __init__(self) -> None:
            self._inner = resolver

        async def resolve(self, host: str, port: int = 0, family: int = socket.AF_INET) -> list[dict[str, Any]]:
            if self._inner is None:
                from aiohttp.resolver import ThreadedResolver

                self._inner = ThreadedResolver()
            results = await self._inner.resolve(host, port, family)
            if not allow_private:
                for result in results:
                    reason = policy(result["host"])
                    if reason:
                        # refuse the host outright: connecting to "the other address" of a host that
                        # also names an internal one would still let it choose where we connect
                        raise ForbiddenAddress(f"{host} resolves to {result['host']}, a {reason} address")
            return results

        async def close(self) -> None:
            if self._inner is not None:
                await self._inner.close()

    return GuardedResolver()
