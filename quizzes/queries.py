"""Read paths for the quiz pages."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from courses.models import Learner
from lessons.queries import visible_sections
from quizzes.models import Answer, Attempt, AttemptQuestion, Quiz


def quiz_for_section(*, course_slug: str, number: str, user) -> Quiz:
    """The quiz of a section the user can see, with its section and course; 404 otherwise."""
    section = (
        visible_sections(user)
        .filter(course__slug=course_slug, number=number)
        .select_related("course", "chapter", "quiz")
        .first()
    )
    quiz = getattr(section, "quiz", None) if section is not None else None
    if quiz is None:
        raise Http404("This section has no practice quiz.")
    quiz.section = section
    return quiz


def attempt_items(attempt: Attempt, *, choices: bool = True) -> list[AttemptQuestion]:
    """The attempt's questions in order, each with its question, answer (if any) and,
    unless ``choices`` is false, choices (a page showing one question loads its own:
    ``prefetch_related_objects([item], "question__choices")``)."""
    answers = {
        answer.question_id: answer for answer in Answer.objects.filter(attempt=attempt)
    }
    items = attempt.items.select_related("question")
    if choices:
        items = items.prefetch_related(Prefetch("question__choices"))
    items = list(items)
    for item in items:
        item.attempt = attempt
        item.answer = answers.get(item.question_id)
    return items


def item_of_learner(
    *, item_id: int, learner: Learner, quiz: Quiz
) -> AttemptQuestion | None:
    """The attempt question ``item_id`` if it belongs to this learner's attempt at this quiz."""
    return (
        AttemptQuestion.objects.select_related("attempt", "question")
        .prefetch_related("question__choices")
        .filter(pk=item_id, attempt__learner=learner, attempt__quiz=quiz)
        .first()
    )


def attempt_of_learner(
    *, attempt_id: int, learner: Learner, quiz: Quiz
) -> Attempt | None:
    return Attempt.objects.filter(pk=attempt_id, learner=learner, quiz=quiz).first()


def finished_attempts(*, learner: Learner | None, quiz: Quiz) -> QuerySet[Attempt]:
    if learner is None:
        return Attempt.objects.none()
    return Attempt.objects.filter(learner=learner, quiz=quiz, finished_at__isnull=False)


def best_attempts(
    *, learner: Learner | None, section_ids: list[int]
) -> dict[int, Attempt]:
    """For each section id, the learner's best finished full attempt at its quiz, in one query.

    Retries of only the missed questions are practice: they don't count as the score.
    """
    if learner is None or not section_ids:
        return {}
    attempts = Attempt.objects.filter(
        learner=learner,
        quiz__section_id__in=section_ids,
        finished_at__isnull=False,
        retry_of__isnull=True,
    ).select_related("quiz")
    best: dict[int, Attempt] = {}
    for attempt in attempts:
        current = best.get(attempt.quiz.section_id)
        if current is None or (attempt.percent or 0) > (current.percent or 0):
            best[attempt.quiz.section_id] = attempt
    return best


def due_by_section(
    *, learner: Learner | None, section_ids: list[int], now
) -> dict[int, int]:
    """Drill cards due now per section id, in one grouped query."""
    from django.db.models import Count

    from quizzes.models import ReviewCard

    if learner is None or not section_ids:
        return {}
    rows = (
        ReviewCard.objects.filter(
            learner=learner,
            last_review__isnull=False,
            due__lte=now,
            section_id__in=section_ids,
        )
        .values("section_id")
        .annotate(n=Count("pk"))
        .values_list("section_id", "n")
    )
    return dict(rows)
