"""Project-wide middleware."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpRequest, HttpResponse


class ProxiedClientAddressMiddleware:
    """Behind trusted reverse proxies, make ``REMOTE_ADDR`` the client's address.

    Login throttling counts failures per ``REMOTE_ADDR``; behind a proxy that is the
    proxy's, so every visitor would share one count. When (and only when) the request comes
    straight from one of ``TRUSTED_PROXIES`` (addresses or networks), the client is the
    right-most address in ``X-Forwarded-For`` that is not itself a trusted proxy: proxies
    append the address they saw, so whatever a client wrote further left is ignored.
    Not installed when ``TRUSTED_PROXIES`` is empty.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.proxies = [
            ipaddress.ip_network(p, strict=False) for p in settings.TRUSTED_PROXIES
        ]
        if not self.proxies:
            raise MiddlewareNotUsed

    def _trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.proxies)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._trusted(request.META.get("REMOTE_ADDR", "")):
            hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            for hop in reversed([h.strip() for h in hops if h.strip()]):
                if not self._trusted(hop):
                    try:
                        ipaddress.ip_address(hop)
                    except ValueError:
                        break  # garbage: keep the proxy's address
                    request.META["REMOTE_ADDR"] = hop
                    break
        return self.get_response(request)
