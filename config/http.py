"""Request typing and the one helper that picks an HTMX fragment of a page template."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def fragment_template(
    request: HtmxHttpRequest, template: str, fragments: frozenset[str]
) -> str:
    """Return "template#fragment" when htmx asked to swap one known fragment.

    Boosted and history-restore requests need the whole page, and the whitelist means a
    request can never pull an arbitrary block of the template.
    """
    htmx = request.htmx
    if not htmx or htmx.boosted or htmx.history_restore_request:
        return template
    return f"{template}#{htmx.target}" if htmx.target in fragments else template
