"""Login throttling: repeated failed logins lock out the account, or the client address.

After ``USERNAME_LIMIT`` failures for one username, or ``ADDRESS_LIMIT`` failures from one
client address, within ``WINDOW`` seconds, every login for that username (from anywhere) or
from that address (for any username) is refused for ``LOCKOUT`` seconds, even with the right
password. A refused attempt is not counted, so it does not prolong the lockout. A successful
login clears the username's count, never the address's: otherwise one valid account would let
an address keep guessing the passwords of others.

Counts live in Django's default cache with an expiry, so they cost no database writes. The
default cache (locmem) is per process: with several worker processes set ``REDIS_URL`` so
that they share the counts. The address is ``REMOTE_ADDR``: behind a reverse proxy, the proxy
(or the WSGI server) must set it to the real client's address, or every client shares the
proxy's address and its lockout. IPv6 clients are counted per /64 network, the block a single
subscriber usually gets.

Times come from ``clock()`` and are stored in the values, so a lockout ends when the clock
says so (and tests can move the clock); the cache's own expiry only cleans up.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import ngettext

USERNAME_LIMIT = 5
ADDRESS_LIMIT = 20
WINDOW = 15 * 60  # seconds in which failures add up
LOCKOUT = 15 * 60  # seconds for which logins are then refused

KEY_PREFIX = "login-throttle"


def clock() -> float:
    """Now, in seconds since the epoch (a function, so tests can replace it)."""
    return time.time()


def client_address(request: HttpRequest | None) -> str:
    """The address failures are counted against: REMOTE_ADDR, IPv6 cut to its /64."""
    if request is None:
        return ""
    address = request.META.get("REMOTE_ADDR") or ""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def _subjects(*, username: str, address: str) -> list[tuple[str, int]]:
    """(cache key prefix, failure limit) for each non-empty subject of an attempt."""
    subjects = []
    for kind, value, limit in (
        ("username", username.strip().casefold(), USERNAME_LIMIT),
        ("address", address, ADDRESS_LIMIT),
    ):
        if value:
            # Hashed: cache keys stay short and safe whatever the username holds.
            digest = hashlib.sha256(value.encode()).hexdigest()[:40]
            subjects.append((f"{KEY_PREFIX}:{kind}:{digest}", limit))
    return subjects


def login_lockout_seconds(*, username: str, address: str) -> int:
    """Seconds until a login for ``username`` from ``address`` is allowed (0: now)."""
    now = clock()
    keys = [
        f"{key}:locked-until"
        for key, _ in _subjects(username=username, address=address)
    ]
    until = max(cache.get_many(keys).values(), default=now)
    return max(0, math.ceil(until - now))


def login_lockout_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many failed attempts. Try again in %(minutes)d minute.",
        "Too many failed attempts. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def login_failure_record(*, username: str, address: str) -> None:
    """Count a failed login against the username and the address; lock out at the limit."""
    now = clock()
    for key, limit in _subjects(username=username, address=address):
        start_key, count_key = f"{key}:start", f"{key}:count"
        start = cache.get(start_key)
        if start is not None and now - start >= WINDOW:  # that window is over
            cache.delete_many([start_key, count_key])
        cache.add(start_key, now, WINDOW)
        cache.add(count_key, 0, WINDOW)
        try:
            failures = cache.incr(count_key)  # atomic: parallel guesses all count
        except ValueError:  # reset by a concurrent request between add and incr
            cache.add(count_key, 1, WINDOW)
            failures = 1
        if failures >= limit:
            cache.set(f"{key}:locked-until", now + LOCKOUT, LOCKOUT)
            # Counting starts afresh after the lockout.
            cache.delete_many([start_key, count_key])


def login_success_record(*, username: str) -> None:
    """A successful login clears the failures counted against its username."""
    for key, _ in _subjects(username=username, address=""):
        cache.delete_many([f"{key}:start", f"{key}:count"])
