"""The section page's cached HTML and the version that keys it.

The rendered content of a section (everything but the learner's own state) is cached with
Django's cache framework (``{% cache %}`` fragments in lessons/section_detail.html, the
default cache: Redis when ``REDIS_URL`` is set, else per-process memory). Every key holds
the section's id and ``content_version``, read from the database on every request, so an
edit never needs to find and delete cache entries: bumping the version makes every
server miss at once, and the old entries expire.

The version is bumped by signal receivers (lessons/signals.py) whenever a section, one of
its parts, its quiz (questions and choices), chapter or course is saved or deleted. Bulk
writes (``QuerySet.update``, ``bulk_create``) send no signals: whoever does one calls
``sections_changed``. The course loader batches the receivers' bumps with
``changes_batched`` into one bump of the whole course at the end.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache
from django.db.models import F, Q

from lessons.models import Flashcard, Section

# Old versions are never read again; they only wait to expire (or be culled by locmem).
TIMEOUT = 60 * 60 * 24

# Inside changes_batched: a list that records the bumps asked for instead of making them.
_batched: ContextVar[list[Q] | None] = ContextVar("lessons_cache_batched", default=None)


def sections_changed(condition: Q) -> None:
    """Bump the content version of the sections matching ``condition``."""
    pending = _batched.get()
    if pending is not None:
        pending.append(condition)
        return
    Section.objects.filter(condition).update(content_version=F("content_version") + 1)


@contextmanager
def changes_batched(condition: Q) -> Iterator[None]:
    """Inside the block, the receivers' bumps give way to one bump of ``condition`` at
    its end, if any was asked for (the course loader: one query, not one per row)."""
    pending: list[Q] = []
    token = _batched.set(pending)
    try:
        yield
    finally:
        _batched.reset(token)
    if pending:
        sections_changed(condition)


def flashcards(*, section_id: int, version: int) -> list[Flashcard]:
    """The section's flashcards in order, for the per-request flashcard panel."""
    key = f"lessons:section:{section_id}:v{version}:flashcards"
    cards = cache.get(key)
    if cards is None:
        cards = list(Flashcard.objects.filter(section_id=section_id))
        cache.set(key, cards, TIMEOUT)
    return cards
