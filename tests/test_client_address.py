"""REMOTE_ADDR behind trusted reverse proxies (config.middleware)."""

from __future__ import annotations

import pytest
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpResponse
from django.test import RequestFactory

from config.middleware import ProxiedClientAddressMiddleware


def client_address(settings, *, peer: str, forwarded: str | None) -> str:
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "::1"]
    seen = {}

    def view(request):
        seen["address"] = request.META["REMOTE_ADDR"]
        return HttpResponse()

    headers = {} if forwarded is None else {"X-Forwarded-For": forwarded}
    request = RequestFactory(REMOTE_ADDR=peer).get("/", headers=headers)
    ProxiedClientAddressMiddleware(view)(request)
    return seen["address"]


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        # Through our proxy: the address it appended.
        ("10.0.0.5", "203.0.113.7", "203.0.113.7"),
        # A client's own X-Forwarded-For is left of what the proxy appended: ignored.
        ("10.0.0.5", "1.2.3.4, 203.0.113.7", "203.0.113.7"),
        # Two of our proxies in a row: the client is the last untrusted hop.
        ("10.0.0.5", "203.0.113.7, 10.0.0.9", "203.0.113.7"),
        ("::1", "2001:db8::1", "2001:db8::1"),
        # Straight from a client: its header is not believed.
        ("198.51.100.2", "1.2.3.4", "198.51.100.2"),
        # Nothing usable: the proxy's own address stays.
        ("10.0.0.5", None, "10.0.0.5"),
        ("10.0.0.5", "not-an-address", "10.0.0.5"),
    ],
)
def test_client_address_behind_trusted_proxies(settings, peer, forwarded, expected):
    assert client_address(settings, peer=peer, forwarded=forwarded) == expected


def test_not_installed_without_trusted_proxies(settings):
    settings.TRUSTED_PROXIES = []
    with pytest.raises(MiddlewareNotUsed):
        ProxiedClientAddressMiddleware(lambda request: HttpResponse())
