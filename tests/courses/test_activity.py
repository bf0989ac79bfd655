from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from courses.activity import activity_record
from courses.models import SectionProgress, StudyDay
from courses.progress import VISIT_INTERVAL, progress_record_visit
from tests.courses.factories import LearnerFactory
from tests.lessons.factories import SectionFactory

pytestmark = pytest.mark.django_db


def test_actions_are_counted_per_learner_and_day():
    learner, other = LearnerFactory(), LearnerFactory()
    for _ in range(3):
        activity_record(learner_id=learner.pk, on=date(2026, 11, 2))
    activity_record(learner_id=learner.pk, on=date(2026, 11, 3))
    activity_record(learner_id=other.pk, on=date(2026, 11, 2))
    counts = {(row.learner_id, row.day): row.actions for row in StudyDay.objects.all()}
    assert counts == {
        (learner.pk, date(2026, 11, 2)): 3,
        (learner.pk, date(2026, 11, 3)): 1,
        (other.pk, date(2026, 11, 2)): 1,
    }


def test_opening_a_section_counts_as_studying(client):
    section = SectionFactory()
    client.get(section.get_absolute_url())
    assert StudyDay.objects.get().actions == 1


def _visit(learner, section, at: datetime) -> bool:
    progress, first = progress_record_visit(learner=learner, section=section, now=at)
    return first


def test_a_visit_counts_once_however_often_the_page_is_reloaded():
    learner, section = LearnerFactory(), SectionFactory()
    start = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
    assert _visit(learner, section, start) is True
    for seconds in (1, 30, 59):
        assert _visit(learner, section, start + timedelta(seconds=seconds)) is False
    assert StudyDay.objects.get().actions == 1
    progress = SectionProgress.objects.get()
    assert progress.last_opened_at == start  # a reload writes nothing

    later = start + VISIT_INTERVAL
    _visit(learner, section, later)
    assert StudyDay.objects.get().actions == 2
    progress.refresh_from_db()
    assert (progress.first_opened_at, progress.last_opened_at) == (start, later)


def test_a_new_day_counts_even_within_the_interval():
    learner, section = LearnerFactory(), SectionFactory()
    late = datetime(2026, 11, 2, 23, 59, 50, tzinfo=UTC)
    _visit(learner, section, late)
    _visit(learner, section, late + timedelta(seconds=20))
    counts = dict(StudyDay.objects.values_list("day", "actions"))
    assert counts == {date(2026, 11, 2): 1, date(2026, 11, 3): 1}
