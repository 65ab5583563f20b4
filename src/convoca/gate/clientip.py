"""The client's address, read safely, and its keyed hash: the only form in which it is kept.

`X-Forwarded-For` is believed only when the request arrives from a proxy listed in
`CONVOCA_TRUSTED_PROXIES`, and then only up to the first address that is not a trusted proxy
(the right-most untrusted hop): anything further left was written by the client.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from datetime import date

from django.conf import settings
from django.utils import timezone


def _parse(value: str):
    try:
        return ipaddress.ip_address(value.strip().split("%", 1)[0])
    except ValueError:
        return None


def _trusted(address) -> bool:
    return any(address in network for network in settings.CONVOCA.trusted_proxies)


def client_ip(request) -> str:
    remote = _parse(request.META.get("REMOTE_ADDR", "")) or ipaddress.ip_address("0.0.0.0")  # noqa: S104
    if not _trusted(remote):
        return str(remote)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [_parse(part) for part in forwarded.split(",")[-20:] if part.strip()]
    for hop in reversed(hops):
        if hop is None:
            break  # a garbled header: stop at the last address we could trust
        if not _trusted(hop):
            return str(hop)
        remote = hop
    return str(remote)


def _network(ip: str) -> str:
    """IPv6 hosts get a /64 each, so one person holds a whole /64: key on it."""
    address = ipaddress.ip_address(ip)
    if address.version == 4:
        return str(address)
    if address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(ipaddress.ip_network(f"{address}/64", strict=False))


def day_key(day: date) -> bytes:
    """The same on every app server (derived from the secret and the date), useless a day later."""
    return hmac.new(
        settings.SECRET_KEY.encode(), f"convoca.gate.ip:{day.isoformat()}".encode(), hashlib.sha256
    ).digest()


def ip_hash(ip: str, day: date | None = None) -> str:
    day = day or timezone.now().date()
    return hmac.new(day_key(day), _network(ip).encode(), hashlib.sha256).hexdigest()[:32]
