"""The drill badge in the navigation: cards due and minutes, kept briefly in the cache.

In the cache, not the session: the drill page stores a fresh badge after every review,
and a session write is a write transaction per review. Each learner has one entry,
kept ``FRESH_FOR``; with per-process memory caches (no Redis) each app server process
keeps its own, so a badge can be that much behind on another process.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from courses.learners import SESSION_KEY as LEARNER_SESSION_KEY
from courses.learners import learner_for_request
from quizzes import drills

FRESH_FOR = timedelta(minutes=5)


def _key(request: HttpRequest) -> str | None:
    """The badge's cache key: the account's, or the anonymous learner's (None: none)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"drill-badge:user:{user.pk}"
    session = getattr(request, "session", None)
    learner_id = session.get(LEARNER_SESSION_KEY) if session is not None else None
    return f"drill-badge:learner:{learner_id}" if learner_id else None


def badge_store(request: HttpRequest, counts: drills.QueueCounts) -> dict:
    badge = {"total": counts.total, "minutes": counts.minutes}
    key = _key(request)
    if key is not None:
        cache.set(key, badge, FRESH_FOR.total_seconds())
    return badge


def badge_forget(request: HttpRequest) -> None:
    """After the learner's cards changed other than by a review: a section opened for
    the first time, other drill sections chosen, a login that merged them."""
    key = _key(request)
    if key is not None:
        cache.delete(key)


def _badge(request: HttpRequest) -> dict | None:
    key = _key(request)
    if key is None:
        return None
    cached = cache.get(key)
    if cached is not None:
        return cached
    learner = learner_for_request(request)
    if learner is None:
        return None
    settings = drills.settings_or_defaults(learner)  # a page view never writes settings
    section_ids = drills.drill_section_ids(learner=learner, settings=settings)
    counts = drills.queue_counts(
        learner=learner, settings=settings, section_ids=section_ids, now=timezone.now()
    )
    return badge_store(request, counts)


def drill_badge(request: HttpRequest) -> dict:
    """``drill_badge`` for templates: computed only if a template reads it."""
    return {"drill_badge": SimpleLazyObject(lambda: _badge(request))}
