"""Where a webhook may be sent: HTTPS (plain HTTP in development only), to a public address
(server-side request forgery: never to a private, loopback, link-local or reserved one in
production). Checked when an administrator subscribes AND when the worker sends, after DNS
resolution; the worker then connects to the address it checked (``Target.address``), so a name
that resolves differently the second time (DNS rebinding) cannot reach an inside address."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit


class UnsafeUrlError(Exception):
    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


@dataclass(frozen=True)
class Policy:
    allow_http: bool  # development only
    allow_private: bool  # never in production


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # with the query string
    address: str  # the checked IP address the worker connects to


def _parts(url: str, policy: Policy) -> tuple[str, str, int, str]:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise UnsafeUrlError("the address is not a valid URL") from None
    scheme = parts.scheme.lower()
    if scheme not in {"https", "http"} or not parts.hostname:
        raise UnsafeUrlError("the address must start with https:// and name a host")
    if scheme == "http" and not policy.allow_http:
        raise UnsafeUrlError("the address must use HTTPS (plain HTTP only in development)")
    if parts.username or parts.password:
        raise UnsafeUrlError("the address may not carry a user name or password")
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80), path


def address_problem(address: str) -> str:
    """Why an IP address is not a public one ("" when it is)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for test, words in (
        (ip.is_loopback, "loopback"),
        (ip.is_link_local, "link-local"),
        (ip.is_private, "private"),
        (ip.is_multicast, "multicast"),
        (ip.is_unspecified, "unspecified"),
        (ip.is_reserved, "reserved"),
        (not ip.is_global, "not public"),
    ):
        if test:
            return f"{address} is a {words} address"
    return ""


def resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise UnsafeUrlError(f"the host name {host!r} does not resolve") from None
    return sorted({str(info[4][0]) for info in infos})


def check(url: str, policy: Policy) -> Target:
    """The URL's target, every address it resolves to checked; ``UnsafeUrlError`` says why not."""
    scheme, host, port, path = _parts(url, policy)
    addresses = resolve(host, port)
    if not policy.allow_private:
        for address in addresses:
            problem = address_problem(address)
            if problem:
                raise UnsafeUrlError(f"the host resolves to {problem}")
    return Target(scheme, host, port, path, addresses[0])
