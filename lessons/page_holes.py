"""The section page's holes (lessons/page_shell.py), rendered from plain values.

A page served from its shell still renders its holes on every request: the account
links, the drill badge, the quiz score and the mark-done form. That was a third of the
cached page's cost, and most visitors share what the holes show (every anonymous
visitor's account links are the same, most badges and scores repeat), so each hole is
rendered from a tuple of exactly the values it shows, and its text is kept per process:
equal values, equal text. The partials see those values and nothing else, so a hole
cannot come to depend on something its key leaves out; a value missing from the tuple
renders empty, which the tests comparing shell pages with plain renders catch.

The CSRF token is different on every response: a hole is rendered with a placeholder,
which is replaced by the request's token afterwards.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple

from django.template.loader import get_template

# Letters and digits, as a token is: nothing escapes it, and no content can guess it.
CSRF_PLACEHOLDER = f"csrf{secrets.token_hex(16)}"
# Distinct hole values kept per process (a few hundred bytes each).
MEMO_SIZE = 4096


class CourseRef(NamedTuple):
    slug: str


class SectionRef(NamedTuple):
    """The section as the holes use it: its links."""

    pk: int
    number: str
    course: CourseRef


class Visitor(NamedTuple):
    """``user`` as the account links use it."""

    is_authenticated: bool
    is_staff: bool
    get_username: str


class Progress(NamedTuple):
    is_done: bool
    done_at: datetime | None


class Score(NamedTuple):
    """The best attempt as the quiz score and the mark-done form show it."""

    percent: int | None
    passed: bool


class Badge(NamedTuple):
    total: int
    minutes: int


@lru_cache(maxsize=MEMO_SIZE)
def _text(template_name: str, values: tuple[tuple[str, object], ...]) -> str:
    return get_template(template_name).render(dict(values))


def render(template_name: str, *, csrf_token: str, **values: object) -> str:
    """The partial rendered with only ``values`` (hashable: tuples, numbers, text,
    datetimes, None) and the request's CSRF token."""
    key = (*sorted(values.items()), ("csrf_token", CSRF_PLACEHOLDER))
    text = _text(template_name, key)
    if CSRF_PLACEHOLDER in text:
        return text.replace(CSRF_PLACEHOLDER, csrf_token)
    return text


def memo_clear() -> None:
    """Forget the kept texts (tests; templates do not change under a running server)."""
    _text.cache_clear()
