"""The drill badge in the navigation: cards due and minutes, kept briefly in the session."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from courses.learners import learner_for_request
from quizzes import drills

SESSION_KEY = "drill_badge"
FRESH_FOR = timedelta(minutes=5)


def badge_store(request: HttpRequest, counts: drills.QueueCounts) -> dict:
    badge = {
        "total": counts.total,
        "minutes": counts.minutes,
        "at": timezone.now().isoformat(),
    }
    request.session[SESSION_KEY] = badge
    return badge


def _badge(request: HttpRequest) -> dict | None:
    cached = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if (
        cached
        and timezone.now() - timezone.datetime.fromisoformat(cached["at"]) < FRESH_FOR
    ):
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
