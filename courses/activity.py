"""Study activity: one row per learner and day, counted as they study."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from courses.models import StudyDay


def activity_record(*, learner_id: int, on: date | None = None) -> None:
    """Count one study action (a section opened, an answer checked, a card reviewed)."""
    day = on or timezone.now().date()
    if StudyDay.objects.filter(learner_id=learner_id, day=day).update(
        actions=F("actions") + 1
    ):
        return
    try:
        with transaction.atomic():
            StudyDay.objects.create(learner_id=learner_id, day=day, actions=1)
    except IntegrityError:  # another request created today's row first
        StudyDay.objects.filter(learner_id=learner_id, day=day).update(
            actions=F("actions") + 1
        )
