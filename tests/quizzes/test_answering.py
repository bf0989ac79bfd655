"""The check's hand-written read (quizzes.answering) and write (attempts.attempt_answer),
against the ORM reads they replace: on SQLite and, with DATABASE_URL, PostgreSQL."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from courses.models import Learner, StudyDay
from quizzes import queries
from quizzes.answering import item_to_answer
from quizzes.attempts import (
    AttemptClosed,
    attempt_answer,
    attempt_finish,
    attempt_open,
)
from quizzes.models import Answer, AttemptQuestion
from tests.quizzes.factories import QuestionFactory, QuizFactory
from tests.quizzes.test_views import question_of_every_kind

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz():
    quiz = QuizFactory()
    question_of_every_kind(quiz)
    return quiz


def read(quiz, item_id, *, user=None, learner_id=None):
    section = quiz.section
    return item_to_answer(
        course_slug=section.course.slug,
        number=section.number,
        user=user or AnonymousUser(),
        learner_id=learner_id,
        item_id=item_id,
    )


def test_every_kind_reads_as_the_orm_loads_it(quiz):
    learner = Learner.objects.create()
    attempt = attempt_open(learner=learner, quiz=quiz)
    for item in AttemptQuestion.objects.filter(attempt=attempt):
        orm = queries.item_of_learner(item_id=item.pk, learner=learner, quiz=quiz)
        target = read(quiz, item.pk, learner_id=learner.pk)
        assert target is not None
        got = target.item
        assert (got.pk, got.attempt_id, got.question_id, got.position) == (
            orm.pk,
            orm.attempt_id,
            orm.question_id,
            orm.position,
        )
        assert got.choice_order == orm.choice_order
        assert got.match_order == orm.match_order
        assert got.hints_shown == orm.hints_shown
        assert got.attempt.learner_id == learner.pk
        question, expected = got.question, orm.question
        for name in [
            "kind",
            "explanation_html",
            "accepted_answers",
            "case_sensitive",
            "numeric_answer",
            "tolerance",
        ]:
            assert getattr(question, name) == getattr(expected, name), name
        fields = ["pk", "position", "text", "text_html", "is_correct", "match"]
        fields.append("feedback_html")
        assert [[getattr(c, f) for f in fields] for c in target.choices] == [
            [getattr(c, f) for f in fields] for c in expected.choices.all()
        ]
        assert all(type(c.is_correct) is bool for c in target.choices)
        assert type(question.case_sensitive) is bool
        assert (target.finished, target.total, target.learner_id) == (
            False,
            7,
            learner.pk,
        )


def test_the_counts_are_the_attempts(quiz):
    learner = Learner.objects.create()
    attempt = attempt_open(learner=learner, quiz=quiz)
    first, second = attempt.items.order_by("position")[:2]
    right = first.question.choices.get(is_correct=True)
    attempt_answer(item=first, response={"choice": right.pk})
    target = read(quiz, first.pk, learner_id=learner.pk)
    assert (target.answered, target.already_answered) == (1, True)
    target = read(quiz, second.pk, learner_id=learner.pk)
    assert (target.answered, target.already_answered) == (1, False)


def test_someone_elses_item_or_another_quizs_reads_as_none(quiz):
    mine, theirs = Learner.objects.create(), Learner.objects.create()
    item = attempt_open(learner=mine, quiz=quiz).items.first()
    other_quiz = QuizFactory(section__course=quiz.section.course)
    QuestionFactory(quiz=other_quiz)
    elsewhere = attempt_open(learner=mine, quiz=other_quiz).items.get()
    assert read(quiz, item.pk, learner_id=mine.pk) is not None
    assert read(quiz, item.pk, learner_id=theirs.pk) is None
    assert read(quiz, item.pk, learner_id=None) is None  # no learner yet
    assert read(quiz, elsewhere.pk, learner_id=mine.pk) is None
    assert read(quiz, None, learner_id=mine.pk) is None
    assert read(quiz, 10**30, learner_id=mine.pk) is None  # no overflow
    assert read(quiz, -1, learner_id=mine.pk) is None


def test_the_learner_is_the_accounts_or_the_anonymous_sessions(quiz, user):
    """As courses.learners.learner_for_request: a session may only name an anonymous
    learner; a signed-in user's learner is the account's, whatever the session holds."""
    own = Learner.objects.create(user=user)
    anonymous = Learner.objects.create()
    own_item = attempt_open(learner=own, quiz=quiz).items.first()
    anonymous_item = attempt_open(learner=anonymous, quiz=quiz).items.first()
    assert read(quiz, own_item.pk, learner_id=own.pk) is None
    assert read(quiz, own_item.pk, user=user) is not None
    assert read(quiz, anonymous_item.pk, user=user, learner_id=anonymous.pk) is None
    assert read(quiz, anonymous_item.pk, learner_id=anonymous.pk) is not None


def test_an_unknown_section_a_draft_or_no_quiz_is_not_found(quiz, staff_user):
    learner = Learner.objects.create()
    item = attempt_open(learner=learner, quiz=quiz).items.first()
    section = quiz.section
    with pytest.raises(Http404):
        item_to_answer(
            course_slug=section.course.slug,
            number="99.99",
            user=AnonymousUser(),
            learner_id=learner.pk,
            item_id=item.pk,
        )
    section.status = section.Status.DRAFT
    section.save()
    with pytest.raises(Http404):
        read(quiz, item.pk, learner_id=learner.pk)
    staff_learner = Learner.objects.create(user=staff_user)
    staff_item = attempt_open(learner=staff_learner, quiz=quiz).items.first()
    assert read(quiz, staff_item.pk, user=staff_user) is not None  # staff see drafts
    section.status = section.Status.PUBLISHED
    section.save()
    quiz.delete()
    with pytest.raises(Http404):
        read(quiz, item.pk, learner_id=learner.pk)


def test_a_finished_attempt_reads_as_finished(quiz):
    learner = Learner.objects.create()
    attempt = attempt_open(learner=learner, quiz=quiz)
    item = attempt.items.first()
    attempt_finish(attempt=attempt)
    assert read(quiz, item.pk, learner_id=learner.pk).finished


def test_the_write_records_once_counts_the_day_once_and_keeps_the_first(quiz):
    learner = Learner.objects.create()
    attempt = attempt_open(learner=learner, quiz=quiz)
    target = read(
        quiz,
        attempt.items.get(question__kind="multiple_choice").pk,
        learner_id=learner.pk,
    )
    alpha, beta, _gamma = (c.pk for c in target.choices)
    answer, grade = attempt_answer(
        item=target.item, response={"choices": [alpha]}, choices=target.choices
    )
    stored = Answer.objects.get()
    assert (stored.pk, stored.response, stored.is_correct, stored.partial) == (
        answer.pk,
        {"choices": [alpha]},
        False,
        grade.partial,
    )
    assert 0 < grade.partial < 1  # partly right: the fraction is stored as graded
    assert stored.hints_used == 0
    assert stored.answered_at == answer.answered_at
    again, regrade = attempt_answer(
        item=target.item, response={"choices": [alpha, beta]}, choices=target.choices
    )
    assert again.pk == answer.pk
    assert again.response == {"choices": [alpha]}
    assert regrade == grade
    assert Answer.objects.count() == 1
    assert StudyDay.objects.get(learner=learner).actions == 1


def test_the_write_refuses_a_finished_attempt(quiz):
    learner = Learner.objects.create()
    attempt = attempt_open(learner=learner, quiz=quiz)
    item = AttemptQuestion.objects.select_related("attempt", "question").get(
        attempt=attempt, question__kind="numeric"
    )
    attempt_finish(attempt=attempt)
    with pytest.raises(AttemptClosed):
        attempt_answer(item=item, response={"text": "175.375"})
    assert not Answer.objects.exists()
    assert not StudyDay.objects.exists()


def test_the_hints_shown_are_recorded_with_the_answer(quiz):
    learner = Learner.objects.create()
    attempt = attempt_open(learner=learner, quiz=quiz)
    AttemptQuestion.objects.filter(attempt=attempt).update(hints_shown=2)
    item = attempt.items.get(question__kind="numeric")
    target = read(quiz, item.pk, learner_id=learner.pk)
    answer, _ = attempt_answer(
        item=target.item, response={"text": "175.375"}, choices=target.choices
    )
    assert answer.hints_used == 2
    assert Answer.objects.get().hints_used == 2


def test_a_finish_between_the_read_and_the_write_refuses_the_answer(quiz):
    """The read is outside the write's transaction: the write checks again."""
    learner = Learner.objects.create()
    attempt = attempt_open(learner=learner, quiz=quiz)
    item = attempt.items.get(question__kind="numeric")
    target = read(quiz, item.pk, learner_id=learner.pk)
    assert not target.finished
    attempt_finish(attempt=attempt)
    with pytest.raises(AttemptClosed):
        attempt_answer(
            item=target.item, response={"text": "175.375"}, choices=target.choices
        )
    assert not Answer.objects.exists()
    assert not StudyDay.objects.exists()
