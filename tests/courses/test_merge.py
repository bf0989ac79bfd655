"""What an anonymous learner did joins their account: nothing lost, nothing twice."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth import login
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import timezone

from courses.learners import SESSION_KEY
from courses.merge import learner_adopt_session, learner_merge
from courses.models import Learner, SectionProgress, StudyDay
from quizzes.attempts import attempt_answer, attempt_finish, attempt_open
from quizzes.models import Answer, Attempt
from tests.courses.factories import LearnerFactory, SectionProgressFactory, UserFactory
from tests.lessons.factories import SectionFactory
from tests.quizzes.factories import QuestionFactory, QuizFactory

pytestmark = pytest.mark.django_db

T0 = timezone.now() - timedelta(days=10)


def at(days: int):
    return T0 + timedelta(days=days)


def test_anonymous_only_the_account_adopts_the_learner(client):
    section = SectionFactory()
    client.get(section.get_absolute_url())
    anonymous = Learner.objects.get()
    user = UserFactory()
    request = RequestFactory().get("/")
    request.session = client.session
    request.user = AnonymousUser()
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    adopted = learner_adopt_session(request)
    assert adopted.pk == anonymous.pk
    assert adopted.user == user
    assert SESSION_KEY not in request.session
    assert SectionProgress.objects.get().learner_id == anonymous.pk


def test_account_only_nothing_to_merge():
    user = UserFactory()
    account = LearnerFactory(user=user)
    request = RequestFactory().get("/")
    request.user = user
    request.session = {}
    assert learner_adopt_session(request) is None
    assert Learner.objects.get() == account


def test_both_on_the_same_section_keep_the_later_done_and_the_widest_visits():
    account, anonymous = LearnerFactory(user=UserFactory()), LearnerFactory()
    section, other = SectionFactory(), SectionFactory()
    SectionProgressFactory(
        learner=account,
        section=section,
        first_opened_at=at(0),
        last_opened_at=at(2),
        done_at=at(1),
    )
    SectionProgressFactory(
        learner=anonymous,
        section=section,
        first_opened_at=at(3),
        last_opened_at=at(5),
        done_at=at(4),
    )
    SectionProgressFactory(
        learner=anonymous, section=other, first_opened_at=at(6), last_opened_at=at(6)
    )
    learner_merge(source=anonymous, target=account)
    rows = {row.section_id: row for row in SectionProgress.objects.all()}
    assert set(rows) == {section.pk, other.pk}
    assert all(row.learner_id == account.pk for row in rows.values())
    merged = rows[section.pk]
    assert (merged.first_opened_at, merged.last_opened_at, merged.done_at) == (
        at(0),
        at(5),
        at(4),
    )
    assert not Learner.objects.filter(pk=anonymous.pk).exists()


def test_done_on_one_side_only_stays_done():
    account, anonymous = LearnerFactory(user=UserFactory()), LearnerFactory()
    section = SectionFactory()
    SectionProgressFactory(
        learner=account,
        section=section,
        first_opened_at=at(0),
        last_opened_at=at(0),
        done_at=at(0),
    )
    SectionProgressFactory(
        learner=anonymous, section=section, first_opened_at=at(1), last_opened_at=at(1)
    )
    learner_merge(source=anonymous, target=account)
    assert SectionProgress.objects.get().done_at == at(0)


def test_both_with_attempts_on_the_same_quiz_keep_every_attempt_and_the_best_stays_best():
    account, anonymous = LearnerFactory(user=UserFactory()), LearnerFactory()
    quiz = QuizFactory()
    questions = QuestionFactory.create_batch(3, quiz=quiz)

    def answer_right(attempt, n):
        for item in attempt.items.order_by("position")[:n]:
            right = item.question.choices.get(is_correct=True)
            attempt_answer(item=item, response={"choice": right.pk})

    finished_theirs = attempt_open(learner=account, quiz=quiz)
    answer_right(finished_theirs, 1)
    attempt_finish(attempt=finished_theirs)
    finished_mine = attempt_open(learner=anonymous, quiz=quiz)
    answer_right(finished_mine, 3)
    attempt_finish(attempt=finished_mine)
    open_theirs = attempt_open(learner=account, quiz=quiz)
    answer_right(open_theirs, 1)
    open_mine = attempt_open(learner=anonymous, quiz=quiz)
    answer_right(open_mine, 2)

    learner_merge(source=anonymous, target=account)

    attempts = {a.pk: a for a in Attempt.objects.all()}
    assert set(attempts) == {
        finished_theirs.pk,
        finished_mine.pk,
        open_theirs.pk,
        open_mine.pk,
    }
    assert all(a.learner_id == account.pk for a in attempts.values())
    assert Answer.objects.count() == 1 + 3 + 1 + 2  # every answer kept
    assert (
        attempts[open_mine.pk].finished_at is None
    )  # the open one with more answers stays open
    assert (
        attempts[open_theirs.pk].finished_at is not None
    )  # the other is finished and scored
    assert attempts[open_theirs.pk].score == 1
    best = max((a for a in attempts.values() if a.finished_at), key=lambda a: a.percent)
    assert best.pk == finished_mine.pk
    assert len(questions) == attempts[finished_mine.pk].score


def test_study_days_add_up_and_the_latest_level_wins():
    account = LearnerFactory(user=UserFactory(), summary_level="basic", weekly_goal=5)
    anonymous = LearnerFactory(summary_level="detailed")
    StudyDay.objects.create(learner=account, day=date(2026, 11, 2), actions=3)
    StudyDay.objects.create(learner=anonymous, day=date(2026, 11, 2), actions=2)
    StudyDay.objects.create(learner=anonymous, day=date(2026, 11, 3), actions=1)
    learner_merge(source=anonymous, target=account)
    assert {(d.day, d.actions) for d in StudyDay.objects.filter(learner=account)} == {
        (date(2026, 11, 2), 5),
        (date(2026, 11, 3), 1),
    }
    account.refresh_from_db()
    assert (account.summary_level, account.weekly_goal) == ("detailed", 5)
    assert StudyDay.objects.count() == 2


def test_another_account_learner_is_never_merged(client):
    victim = LearnerFactory(user=UserFactory())
    user = UserFactory()
    request = RequestFactory().get("/")
    request.session = {
        SESSION_KEY: victim.pk
    }  # a forged session pointing at an account's learner
    request.user = user
    assert learner_adopt_session(request) is None
    victim.refresh_from_db()
    assert victim.user_id != user.pk


def test_drill_reviews_on_the_same_card_are_kept_in_time_order_and_replayed():
    from quizzes import scheduling
    from quizzes.models import ReviewCard, ReviewLog
    from tests.lessons.factories import FlashcardFactory

    account, anonymous = LearnerFactory(user=UserFactory()), LearnerFactory()
    flashcard, only_mine = FlashcardFactory(), FlashcardFactory()

    def card_with(learner, card, ratings_at):
        review_card = ReviewCard.objects.create(
            learner=learner, flashcard=card, due=T0, created_at=T0
        )
        for index, (rating, when) in enumerate(ratings_at):
            state = scheduling.review(
                review_card, rating, at=when, desired_retention=0.9
            )
            ReviewLog.objects.create(
                card=review_card,
                rating=rating,
                reviewed_at=when,
                duration_ms=1000,
                desired_retention=0.9,
                token=f"{learner.pk}-{card.pk}-{index}",
            )
            scheduling.apply_fsrs(review_card, state)
            review_card.save()
        return review_card

    theirs = card_with(account, flashcard, [(3, at(0)), (3, at(4))])
    card_with(anonymous, flashcard, [(1, at(1)), (3, at(2))])
    card_with(anonymous, only_mine, [(4, at(3))])
    learner_merge(source=anonymous, target=account)

    assert ReviewCard.objects.filter(learner=account).count() == 2
    assert not ReviewCard.objects.exclude(learner=account).exists()
    merged = ReviewCard.objects.get(pk=theirs.pk)
    logs = list(merged.logs.order_by("reviewed_at"))
    assert [(log.rating, log.reviewed_at) for log in logs] == [
        (3, at(0)),
        (1, at(1)),
        (3, at(2)),
        (3, at(4)),
    ]
    replayed = scheduling.card_replay(merged, logs)
    assert (merged.due, merged.stability) == (
        replayed.due,
        pytest.approx(replayed.stability),
    )
    assert ReviewLog.objects.count() == 5
