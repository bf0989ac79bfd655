"""The section page's one-statement read of the learner's state (lessons/page_state.py),
checked against the ORM functions it stands in for."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from lessons.page_state import section_page_state
from quizzes.queries import best_attempts
from tests.courses.factories import (
    LearnerFactory,
    SectionProgressFactory,
    StaffUserFactory,
    UserFactory,
)
from tests.lessons.factories import DraftSectionFactory, SectionFactory
from tests.quizzes.factories import AttemptFactory, QuizFactory

pytestmark = pytest.mark.django_db


def _state(section, user=None, learner_id=None):
    return section_page_state(
        course_slug=section.course.slug,
        number=section.number,
        user=user or AnonymousUser(),
        learner_id=learner_id,
    )


def test_the_section_row_is_read_with_its_version_and_quiz(
    django_assert_num_queries,
):
    section = SectionFactory()
    quiz = QuizFactory(section=section)
    section.refresh_from_db(fields=["content_version"])  # the quiz bumped it
    with django_assert_num_queries(1):
        state = _state(section)
    ref = state.ref
    assert (ref.pk, ref.number, ref.title, ref.content_version, ref.quiz_pk) == (
        section.pk,
        section.number,
        section.title,
        section.content_version,
        quiz.pk,
    )
    assert ref.get_absolute_url() == section.get_absolute_url()
    assert ref.course.title == section.course.title
    assert ref.is_published
    assert (state.learner, state.progress, state.best_attempt) == (None, None, None)


def test_unknown_sections_and_drafts_are_404_except_drafts_for_staff():
    draft = DraftSectionFactory()
    with pytest.raises(Http404):
        _state(draft)
    with pytest.raises(Http404):
        _state(draft, user=UserFactory())
    assert _state(draft, user=StaffUserFactory()).ref.pk == draft.pk
    with pytest.raises(Http404):
        section_page_state(
            course_slug=draft.course.slug,
            number="99.9",
            user=StaffUserFactory(),
            learner_id=None,
        )


def test_the_learner_comes_from_the_session_or_the_account():
    section = SectionFactory()
    anonymous = LearnerFactory(summary_level="detailed")
    user = UserFactory()
    account = LearnerFactory(user=user, summary_level="medium")
    assert _state(section, learner_id=anonymous.pk).learner.summary_level == "detailed"
    assert _state(section, user=user).learner.pk == account.pk
    # A session can never name an account's learner.
    assert _state(section, learner_id=account.pk).learner is None


def test_fields_not_read_are_deferred_not_defaulted(django_assert_num_queries):
    section = SectionFactory()
    learner = LearnerFactory(weekly_goal=6)
    state = _state(section, learner_id=learner.pk)
    with django_assert_num_queries(1):
        assert state.learner.weekly_goal == 6


def test_progress_is_the_learners_on_this_section_with_aware_times():
    section, other = SectionFactory(), SectionFactory()
    learner = LearnerFactory()
    opened = timezone.now() - timedelta(days=2)
    SectionProgressFactory(learner=learner, section=other)
    row = SectionProgressFactory(
        learner=learner,
        section=section,
        first_opened_at=opened,
        last_opened_at=opened + timedelta(hours=1),
        done_at=opened + timedelta(hours=2),
    )
    progress = _state(section, learner_id=learner.pk).progress
    assert progress.pk == row.pk
    assert (progress.first_opened_at, progress.last_opened_at, progress.done_at) == (
        row.first_opened_at,
        row.last_opened_at,
        row.done_at,
    )
    assert progress.is_done
    assert _state(section, learner_id=LearnerFactory().pk).progress is None


def test_the_best_attempt_is_the_one_best_attempts_picks():
    section = SectionFactory()
    quiz = QuizFactory(section=section, pass_mark=70)
    learner = LearnerFactory()
    first = AttemptFactory(learner=learner, quiz=quiz, score=6, total=10)
    AttemptFactory(learner=learner, quiz=quiz, score=13, total=20)
    AttemptFactory(learner=learner, quiz=quiz, score=None, finished_at=None)
    AttemptFactory(learner=learner, quiz=quiz, score=2, total=2, retry_of=first)
    AttemptFactory(quiz=quiz, score=10, total=10)  # someone else's

    best = _state(section, learner_id=learner.pk).best_attempt
    expected = best_attempts(learner=learner, section_ids=[section.pk])[section.pk]
    assert (best.pk, best.percent, best.passed) == (expected.pk, 65, False)

    AttemptFactory(learner=learner, quiz=quiz, score=3, total=4)
    best = _state(section, learner_id=learner.pk).best_attempt
    assert (best.percent, best.passed) == (75, True)
