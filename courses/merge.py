"""Bringing what an anonymous learner did into their account when they sign up or log in.

Nothing is lost and nothing is counted twice. Where both learners have something on the
same thing, the better of each is kept: the later "done", every quiz attempt (so the best
one stays the best), every drill review in time order (the card's schedule replayed from
them), every study day added up.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.http import HttpRequest

from courses.learners import SESSION_KEY
from courses.models import Learner, SectionProgress, StudyDay
from quizzes.attempts import attempts_merge
from quizzes.context_processors import badge_forget
from quizzes.drills import review_cards_merge


def _merge_progress(source: Learner, target: Learner) -> None:
    theirs = {
        row.section_id: row for row in SectionProgress.objects.filter(learner=target)
    }
    for row in SectionProgress.objects.filter(learner=source):
        kept = theirs.get(row.section_id)
        if kept is None:
            row.learner = target
            row.save(update_fields=["learner"])
            continue
        kept.first_opened_at = min(kept.first_opened_at, row.first_opened_at)
        kept.last_opened_at = max(kept.last_opened_at, row.last_opened_at)
        done = [at for at in (kept.done_at, row.done_at) if at is not None]
        kept.done_at = max(done) if done else None
        kept.save(update_fields=["first_opened_at", "last_opened_at", "done_at"])
        row.delete()


def _merge_study_days(source: Learner, target: Learner) -> None:
    days = set(StudyDay.objects.filter(learner=target).values_list("day", flat=True))
    for row in StudyDay.objects.filter(learner=source):
        if row.day in days:
            StudyDay.objects.filter(learner=target, day=row.day).update(
                actions=F("actions") + row.actions
            )
            row.delete()
        else:
            row.learner = target
            row.save(update_fields=["learner"])


def learner_merge(*, source: Learner, target: Learner) -> Learner:
    """Move everything of ``source`` (anonymous) into ``target`` and delete ``source``."""
    if source.pk == target.pk:
        return target
    with transaction.atomic():
        if source.summary_level:  # chosen just now, so the learner's latest preference
            target.summary_level = source.summary_level
            target.save(update_fields=["summary_level"])
        _merge_progress(source, target)
        _merge_study_days(source, target)
        attempts_merge(source=source, target=target)
        review_cards_merge(source=source, target=target)
        source.delete()
    return target


def learner_adopt_session(request: HttpRequest) -> Learner | None:
    """After a login or sign-up: the session's anonymous learner becomes (or joins) the
    account's learner. Call it right after ``django.contrib.auth.login``, which keeps the
    session's data for a visitor who was anonymous."""
    user = request.user
    learner_id = request.session.pop(SESSION_KEY, None)
    badge_forget(request)  # the account's count, before it adopts these cards
    if not user.is_authenticated or learner_id is None:
        return None
    anonymous = Learner.objects.filter(pk=learner_id, user=None).first()
    if anonymous is None:
        return None
    with transaction.atomic():
        account = Learner.objects.select_for_update().filter(user=user).first()
        if account is None:  # the first account learner: simply adopt the anonymous one
            anonymous.user = user
            anonymous.save(update_fields=["user"])
            return anonymous
        return learner_merge(source=anonymous, target=account)
