"""Concurrent submissions against a real PostgreSQL server (row locks and constraints)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from courses.models import Learner
from quizzes.attempts import attempt_answer, attempt_finish, attempt_open
from quizzes.models import Answer, Attempt
from tests.quizzes.factories import QuestionFactory, QuizFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (set DATABASE_URL); SQLite serialises writers",
    ),
]


def run_together(*jobs):
    """Run each job in its own thread with its own connection, released at the same moment."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)
    errors: list = []

    def run(index, job):
        try:
            barrier.wait()
            results[index] = job()
        except Exception as exc:  # surfaced below, with the thread's traceback lost
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return results


def test_the_same_answer_posted_twice_at_once_is_recorded_once_with_the_same_feedback():
    question = QuestionFactory(quiz=QuizFactory())
    attempt = attempt_open(learner=Learner.objects.create(), quiz=question.quiz)
    item = attempt.items.get()
    right = question.choices.get(is_correct=True)
    wrong = question.choices.get(is_correct=False)

    def answer(choice):
        def job():
            fresh = (
                type(item).objects.select_related("attempt", "question").get(pk=item.pk)
            )
            recorded, grade = attempt_answer(item=fresh, response={"choice": choice.pk})
            return recorded.pk, grade.correct, grade.message

        return job

    first, second = run_together(answer(right), answer(wrong))
    assert Answer.objects.count() == 1
    assert first == second


def test_two_tabs_opening_the_quiz_at_once_share_one_attempt():
    quiz = QuizFactory()
    QuestionFactory.create_batch(3, quiz=quiz)
    learner = Learner.objects.create()
    a, b = run_together(
        lambda: attempt_open(learner=learner, quiz=quiz).pk,
        lambda: attempt_open(learner=learner, quiz=quiz).pk,
    )
    assert a == b
    assert Attempt.objects.count() == 1


def test_an_answer_racing_the_finish_is_either_counted_or_refused():
    question = QuestionFactory(quiz=QuizFactory())
    attempt = attempt_open(learner=Learner.objects.create(), quiz=question.quiz)
    item = attempt.items.get()
    right = question.choices.get(is_correct=True)

    def answer():
        fresh = type(item).objects.select_related("attempt", "question").get(pk=item.pk)
        try:
            attempt_answer(item=fresh, response={"choice": right.pk})
        except Exception as exc:
            return type(exc).__name__
        return "answered"

    outcome, finished = run_together(
        answer, lambda: attempt_finish(attempt=Attempt.objects.get(pk=attempt.pk))
    )
    finished.refresh_from_db()
    answers = Answer.objects.filter(attempt=attempt, is_correct=True).count()
    assert finished.score == answers  # the score counts exactly what was recorded
    assert outcome in {"answered", "AttemptClosed"}


def test_a_drill_review_posted_twice_at_once_is_recorded_once():
    from datetime import timedelta

    from django.utils import timezone

    from quizzes import drills, reviewing, scheduling
    from quizzes.models import ReviewCard, ReviewLog
    from tests.lessons.factories import FlashcardFactory

    flashcard = FlashcardFactory()
    learner = Learner.objects.create()
    drills.cards_ensure(learner=learner, section_ids=[flashcard.section_id])
    card = ReviewCard.objects.get()
    now = timezone.now()
    same = drills.card_token(card, shown_at=now - timedelta(seconds=3))
    other = drills.card_token(card, shown_at=now - timedelta(seconds=2))

    def review(token, rating):
        def job():
            done = reviewing.review_submit(
                user_id=None,
                learner_id=learner.pk,
                token=token,
                payload=drills.token_payload(token),
                rating=rating,
                now=timezone.now(),
            )
            return done.log.pk, done.created

        return job

    # The same showing twice (a double click): one log, the first's, for both.
    (first, created_a), (second, created_b) = run_together(
        review(same, 3), review(same, 1)
    )
    assert first == second
    assert {created_a, created_b} == {True, False}
    # Two showings of one card at once: both count, one after the other (the lock).
    run_together(review(other, 4), review(drills.card_token(card, shown_at=now), 2))
    logs = list(ReviewLog.objects.order_by("reviewed_at", "pk"))
    assert len(logs) == 3
    card.refresh_from_db()
    assert scheduling.card_replay(card, logs).due == card.due
