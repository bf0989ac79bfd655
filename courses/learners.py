"""Who is studying: the learner of a request, for accounts and anonymous sessions alike."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.http import HttpRequest

from courses.models import Learner

SESSION_KEY = "learner_id"


def learner_for_request(request: HttpRequest) -> Learner | None:
    """The request's learner if there is one yet; never writes."""
    user = request.user
    if user.is_authenticated:
        return Learner.objects.filter(user=user).first()
    learner_id = request.session.get(SESSION_KEY)
    if learner_id is None:
        return None
    return Learner.objects.filter(pk=learner_id, user=None).first()


def learner_get_or_create(request: HttpRequest) -> Learner:
    """The request's learner, created on the learner's first action.

    Anonymous learners are remembered by their session, which holds only the learner's id.
    """
    user = request.user
    if user.is_authenticated:
        try:
            with transaction.atomic():
                learner, _ = Learner.objects.get_or_create(user=user)
        except IntegrityError:  # a concurrent request created it first
            learner = Learner.objects.get(user=user)
        return learner
    learner = learner_for_request(request)
    if learner is None:
        learner = Learner.objects.create()
        request.session[SESSION_KEY] = learner.pk
    return learner


def learner_set_summary_level(*, learner: Learner, level: str) -> None:
    if learner.summary_level != level:
        learner.summary_level = level
        learner.save(update_fields=["summary_level"])
