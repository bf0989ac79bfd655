"""Taking a practice quiz: open or resume an attempt, reveal hints, answer, finish, retry.

Every write here is safe to repeat: a double click, a retried request or a second tab
records nothing twice. Database constraints back each rule (one open attempt per learner
and quiz, one answer per question per attempt), and the attempt row is locked while an
answer or the finish is written, so an answer can't slip in after the score is counted.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from functools import cache

from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone

from config.raw_rows import load_only
from courses.activity import activity_record
from courses.models import Learner, StudyDay
from quizzes.answering import quoted
from quizzes.grading import Grade, grade
from quizzes.models import Answer, Attempt, AttemptQuestion, Choice, Question, Quiz

ATTEMPT_FINISHED = "This attempt is finished, so answers can no longer change. Start a new attempt to try again."
ATTEMPT_NOT_FINISHED = "Finish this attempt before starting another."


class AttemptClosed(Exception):
    """An answer or a hint for an attempt that is already finished."""


def _shuffled(
    ids: list[int], rng: random.Random, *, avoid_identity: bool = False
) -> list[int]:
    order = ids[:]
    rng.shuffle(order)
    if avoid_identity and len(ids) > 1:
        while order == ids:  # an ordering question must not start solved
            rng.shuffle(order)
    return order


def option_orders(
    question: Question, rng: random.Random
) -> tuple[list[int], list[int]]:
    """The order a question's options are shown in: (choices, matching right sides)."""
    ids = [choice.pk for choice in question.choices.all()]
    if question.kind == Question.Kind.TRUE_FALSE:
        return ids, []  # True, then False, as everyone expects
    if question.kind in {Question.Kind.SINGLE_CHOICE, Question.Kind.MULTIPLE_CHOICE}:
        return _shuffled(ids, rng), []
    if question.kind == Question.Kind.ORDERING:
        return _shuffled(ids, rng, avoid_identity=True), []
    if question.kind == Question.Kind.MATCHING:
        return _shuffled(ids, rng), _shuffled(ids, rng, avoid_identity=True)
    return [], []


def _items_for(
    attempt: Attempt, questions: Sequence[Question], rng: random.Random
) -> list[AttemptQuestion]:
    items = []
    for position, question in enumerate(questions):
        choice_order, match_order = option_orders(question, rng)
        items.append(
            AttemptQuestion(
                attempt=attempt,
                question=question,
                position=position,
                choice_order=choice_order,
                match_order=match_order,
            )
        )
    return items


def attempt_open(
    *,
    learner: Learner,
    quiz: Quiz,
    question_ids: Iterable[int] | None = None,
    retry_of: Attempt | None = None,
) -> Attempt:
    """The learner's open attempt at ``quiz``, or a new one with its options shuffled once."""
    current = Attempt.objects.filter(
        learner=learner, quiz=quiz, finished_at__isnull=True
    ).first()
    if current is not None:
        return current
    questions = list(quiz.questions.prefetch_related("choices"))
    if question_ids is not None:
        wanted = set(question_ids)
        questions = [question for question in questions if question.pk in wanted]
    rng = random.Random()
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                learner=learner, quiz=quiz, total=len(questions), retry_of=retry_of
            )
            AttemptQuestion.objects.bulk_create(_items_for(attempt, questions, rng))
    except IntegrityError:  # another request opened one first: resume that one
        return Attempt.objects.get(learner=learner, quiz=quiz, finished_at__isnull=True)
    return attempt


def _locked(attempt: Attempt) -> Attempt:
    return Attempt.objects.select_for_update().get(pk=attempt.pk)


def attempt_reveal_hint(*, item: AttemptQuestion, seen: int) -> AttemptQuestion:
    """Show one more hint. ``seen`` is how many the student had when they asked, so a
    repeated request reveals one hint, not two."""
    with transaction.atomic():
        if _locked(item.attempt).is_finished:
            raise AttemptClosed(ATTEMPT_FINISHED)
        answered = Answer.objects.filter(
            attempt_id=item.attempt_id, question_id=item.question_id
        ).exists()
        hints = len(item.question.hints)
        updated = AttemptQuestion.objects.filter(
            pk=item.pk, hints_shown=seen, hints_shown__lt=hints
        )
        if not answered:
            updated.update(hints_shown=seen + 1)
    item.refresh_from_db(fields=["hints_shown"])
    return item


@cache
def _answer_sql(alias: str) -> tuple[str, bool]:
    """The answer's write, and whether it counts the day's activity too."""
    connection = connections[alias]
    answer, *columns = quoted(
        connection,
        Answer,
        "attempt",
        "question",
        "response",
        "is_correct",
        "partial",
        "hints_used",
        "answered_at",
    )
    attempt, finished = quoted(connection, Attempt, "finished_at")
    # PostgreSQL: the open attempt's row is locked to the end of the transaction, so a
    # finish waits for this answer (and counts it), or this waits for the finish and then
    # finds the attempt closed and inserts nothing. SQLite has no row locks: the write
    # lock that BEGIN IMMEDIATE takes serialises the two. (The WHERE clause also keeps
    # SQLite from reading ON CONFLICT as a join's ON.)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    insert = (
        f"INSERT INTO {answer} ({', '.join(columns)}) "
        f"SELECT a.id, %s, %s, %s, %s, %s, %s FROM {attempt} a "
        f"WHERE a.id = %s AND a.{finished} IS NULL{lock} "
        f"ON CONFLICT ({columns[0]}, {columns[1]}) DO NOTHING RETURNING id"
    )
    if connection.vendor != "postgresql":
        return insert, False
    # PostgreSQL: with the day's activity (courses.activity's upsert) in a data-modifying
    # CTE, one statement that is a transaction of its own: no BEGIN, no COMMIT, no second
    # statement, three round trips fewer. SQLite has no data-modifying CTEs.
    day, learner, date, actions = quoted(
        connection, StudyDay, "learner", "day", "actions"
    )
    return (
        f"WITH answered AS ({insert}), counted AS ("
        f"INSERT INTO {day} AS studied ({learner}, {date}, {actions}) "
        f"SELECT %s, %s, 1 FROM answered ON CONFLICT ({learner}, {date}) "
        f"DO UPDATE SET {actions} = studied.{actions} + 1) "
        "SELECT id FROM answered"
    ), True


def attempt_answer(
    *, item: AttemptQuestion, response: dict, choices: list[Choice] | None = None
) -> tuple[Answer, Grade]:
    """Record the answer to ``item``'s question once and grade it. ``item`` comes with its
    question and attempt (``learner_id`` at least); ``choices`` are the question's, in
    position order, when the caller has them.

    A repeated or concurrent submission gets back the answer recorded first, with the same
    feedback; what it sent is ignored. AttemptClosed when the attempt is finished.

    The write is one statement that locks the open attempt and inserts the answer unless
    it exists, and the day's activity (on PostgreSQL in the same statement): through the
    ORM it was the lock, a look for the answer and a savepoint around the insert.
    """
    question = item.question
    if choices is None:
        choices = list(question.choices.all())
    result = grade(question, choices, response)
    alias = router.db_for_write(Answer)
    connection = connections[alias]
    now = timezone.now()
    params = [
        question.pk,
        connection.ops.adapt_json_value(response, None),  # as JSONField saves it
        result.correct,
        result.partial,
        item.hints_shown,
        connection.ops.adapt_datetimefield_value(now),
        item.attempt_id,
    ]
    learner_id = item.attempt.learner_id
    sql, counts_activity = _answer_sql(alias)
    if counts_activity:
        today = connection.ops.adapt_datefield_value(timezone.now().date())
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, learner_id, today])
            row = cursor.fetchone()
    else:
        with transaction.atomic(using=alias):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                row = cursor.fetchone()
            if row is not None:
                activity_record(learner_id=learner_id)
    if row is None:  # the attempt is finished, or the question was answered first
        return _answered_before(item, choices)
    answer = load_only(
        Answer,
        alias,
        id=row[0],
        attempt_id=item.attempt_id,
        question_id=question.pk,
        response=response,
        is_correct=result.correct,
        partial=result.partial,
        hints_used=item.hints_shown,
        answered_at=now,
    )
    return answer, result


def _answered_before(
    item: AttemptQuestion, choices: list[Choice]
) -> tuple[Answer, Grade]:
    """The answer recorded first, with its feedback; AttemptClosed if it is finished."""
    with transaction.atomic():
        if _locked(item.attempt).is_finished:
            raise AttemptClosed(ATTEMPT_FINISHED)
        answer = Answer.objects.get(
            attempt_id=item.attempt_id, question_id=item.question_id
        )
    return answer, grade(item.question, choices, answer.response)


def attempt_finish(*, attempt: Attempt) -> Attempt:
    """Score and close the attempt; unanswered questions count as wrong. Finishing twice
    finishes once."""
    with transaction.atomic():
        locked = _locked(attempt)
        if not locked.is_finished:
            locked.score = Answer.objects.filter(
                attempt=locked, is_correct=True
            ).count()
            locked.finished_at = timezone.now()
            locked.save(update_fields=["score", "finished_at"])
    return locked


def attempt_retry(*, attempt: Attempt, missed_only: bool) -> Attempt:
    """A new attempt at the same quiz: every question, or only those missed in ``attempt``."""
    if not attempt.is_finished:
        raise AttemptClosed(ATTEMPT_NOT_FINISHED)
    question_ids = None
    retry_of = None
    if missed_only:
        right = set(
            Answer.objects.filter(attempt=attempt, is_correct=True).values_list(
                "question_id", flat=True
            )
        )
        question_ids = [
            qid
            for qid in attempt.items.values_list("question_id", flat=True)
            if qid not in right
        ]
        retry_of = attempt
        if not question_ids:  # nothing was missed: a retry is simply a new attempt
            question_ids, retry_of = None, None
    return attempt_open(
        learner=attempt.learner,
        quiz=attempt.quiz,
        question_ids=question_ids,
        retry_of=retry_of,
    )


def attempts_merge(*, source: Learner, target: Learner) -> None:
    """Move every attempt of ``source`` to ``target``. Where both have an open attempt at
    the same quiz, the one with fewer answers is finished first (so it is kept, scored,
    in the history) and the other stays open to resume."""
    open_theirs = {
        attempt.quiz_id: attempt
        for attempt in Attempt.objects.filter(learner=target, finished_at__isnull=True)
    }
    for attempt in Attempt.objects.filter(learner=source, finished_at__isnull=True):
        other = open_theirs.get(attempt.quiz_id)
        if other is None:
            continue
        mine, theirs = attempt.answers.count(), other.answers.count()
        attempt_finish(attempt=attempt if mine < theirs else other)
    Attempt.objects.filter(learner=source).update(learner=target)
