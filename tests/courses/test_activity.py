from __future__ import annotations

from datetime import date

import pytest

from courses.activity import activity_record
from courses.models import StudyDay
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
    client.get(section.get_absolute_url())
    assert StudyDay.objects.get().actions == 2
