"""Which questions students get wrong: item statistics per quiz, and figures per section.

For each question of a quiz:

- **attempts**: finished attempts that included it (retries included);
- **facility**: the share of learners right on their first finished attempt that had it
  (unanswered counts as wrong, as in the score);
- **discrimination**: facility among the upper third of learners minus facility among the
  lower third, ranking learners by the score of their first finished full attempt (ties
  broken by learner id); negative when weaker students do better than stronger ones;
- **most chosen wrong answer**: over every wrong answer given, the wrong option picked
  most often (single and multiple choice, true/false), or the most common wrong answer
  (typed answers as grading normalises them, orderings and matchings as a whole);
- **hints used**: hints revealed over every attempt.

A question is flagged when its facility is under 30 % or its discrimination is negative.

Each function costs a fixed number of queries whatever the number of questions, attempts
or learners: aggregates per question, and flat rows counted in Python where the rule
(first attempt per learner, thirds by score) is awkward to say portably in SQL.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Mod

from courses.models import SectionProgress
from quizzes.grading import normalise_answer
from quizzes.models import Answer, Attempt, AttemptQuestion, Question, Quiz

FACILITY_FLAG_BELOW = 0.30

# ?o= values the statistics page accepts ("-" in front sorts descending); anything else
# falls back to DEFAULT_ORDER.
ORDERS = {
    "position": lambda s: s.question.position,
    "attempts": lambda s: s.attempts,
    "facility": lambda s: s.facility,
    "discrimination": lambda s: s.discrimination,
    "wrong": lambda s: s.wrong_answer_count,
    "hints": lambda s: s.hints_used,
}
DEFAULT_ORDER = "position"


@dataclass(frozen=True)
class QuestionStats:
    question: Question
    attempts: int
    learners: int  # learners with a first finished attempt that had the question
    facility: float | None  # 0 to 1; None before anyone has finished an attempt
    discrimination: float | None  # -1 to 1; None with fewer than 3 ranked learners
    wrong_answer: str | None
    wrong_answer_count: int
    hints_used: int

    @property
    def flags(self) -> list[str]:
        """Why the question is flagged (empty when it is not)."""
        reasons = []
        if self.facility is not None and self.facility < FACILITY_FLAG_BELOW:
            reasons.append(f"facility under {FACILITY_FLAG_BELOW:.0%}")
        if self.discrimination is not None and self.discrimination < 0:
            reasons.append("negative discrimination")
        return reasons

    @property
    def flagged(self) -> bool:
        return bool(self.flags)

    @property
    def facility_percent(self) -> int | None:
        return None if self.facility is None else round(100 * self.facility)


@dataclass(frozen=True)
class SectionFigures:
    opened: int = 0
    done: int = 0
    passed: int = 0


def _finished_items(quiz: Quiz):
    return AttemptQuestion.objects.filter(
        attempt__quiz=quiz, attempt__finished_at__isnull=False
    )


def _first_items(quiz: Quiz):
    """Each learner's item of each question in their first finished attempt that had it,
    annotated with ``right``."""
    # From the learner's attempts at this quiz (the learner-quiz-time index), then their
    # item of this question (the attempt-question unique index).
    earlier = Attempt.objects.filter(
        learner_id=OuterRef("attempt__learner_id"),
        quiz_id=quiz.pk,
        finished_at__isnull=False,
        items__question_id=OuterRef("question_id"),
    ).filter(
        Q(started_at__lt=OuterRef("attempt__started_at"))
        | Q(
            started_at=OuterRef("attempt__started_at"),
            pk__lt=OuterRef("attempt_id"),
        )
    )
    right = Answer.objects.filter(
        attempt_id=OuterRef("attempt_id"),
        question_id=OuterRef("question_id"),
        is_correct=True,
    )
    return _finished_items(quiz).filter(~Exists(earlier)).annotate(right=Exists(right))


def _learner_ranking(quiz: Quiz) -> list[int]:
    """Learner ids, weakest first, by the score of their first finished full attempt."""
    earlier = Attempt.objects.filter(
        quiz_id=OuterRef("quiz_id"),
        learner_id=OuterRef("learner_id"),
        finished_at__isnull=False,
        retry_of__isnull=True,
    ).filter(
        Q(started_at__lt=OuterRef("started_at"))
        | Q(started_at=OuterRef("started_at"), pk__lt=OuterRef("pk"))
    )
    rows = (
        Attempt.objects.filter(
            quiz=quiz, finished_at__isnull=False, retry_of__isnull=True, total__gt=0
        )
        .filter(~Exists(earlier))
        .values_list("learner_id", "score", "total")
    )
    return [
        learner
        for learner, _score, _total in sorted(
            rows, key=lambda row: (row[1] / row[2], row[0])
        )
    ]


def _facility(rows: Iterable[bool]) -> float | None:
    rows = list(rows)
    return sum(rows) / len(rows) if rows else None


def _id(value: Any) -> int | None:
    """A choice id from a stored response: an int, or digits (JSON object keys)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def _ids(values: Any) -> list[int]:
    if not isinstance(values, list):
        return []
    return [i for i in map(_id, values) if i is not None]


def _answer_key(question: Question, response: Any, names: dict[int, str]) -> list[str]:
    """The wrong answer(s) a response counts for, as labels an instructor can read."""
    if not isinstance(response, dict):
        return []
    kind = question.kind
    if kind in {Question.Kind.SINGLE_CHOICE, Question.Kind.TRUE_FALSE}:
        chosen = _id(response.get("choice"))
        return [names[chosen]] if chosen in names else []
    if kind == Question.Kind.MULTIPLE_CHOICE:
        correct = {c.pk for c in question.choices.all() if c.is_correct}
        return [
            names[pk]
            for pk in _ids(response.get("choices"))
            if pk in names and pk not in correct
        ]
    if kind in {Question.Kind.SHORT_ANSWER, Question.Kind.NUMERIC}:
        text = response.get("text")
        if not isinstance(text, str) or not text.strip():
            return []
        return [normalise_answer(text, case_sensitive=question.case_sensitive)]
    if kind == Question.Kind.ORDERING:
        order = [names[pk] for pk in _ids(response.get("order")) if pk in names]
        return [" → ".join(order)] if order else []
    if kind == Question.Kind.MATCHING:
        pairs = response.get("pairs") or {}
        if not isinstance(pairs, dict):
            return []
        labels = [
            f"{names[left_id]} – {right or '(blank)'}"
            for left, right in sorted(pairs.items(), key=lambda kv: str(kv[0]))
            if (left_id := _id(left)) in names
        ]
        return ["; ".join(labels)] if labels else []
    return []


def quiz_question_stats(*, quiz: Quiz) -> list[QuestionStats]:
    """The statistics of every question of ``quiz``, in quiz order (6 queries)."""
    questions = list(quiz.questions.prefetch_related("choices"))  # 2 queries
    totals = {
        row["question_id"]: row
        for row in _finished_items(quiz)
        .values("question_id")
        .annotate(
            attempts=Count("id"),
            hints=Coalesce(Sum("hints_shown"), Value(0), output_field=IntegerField()),
        )
    }
    first: dict[int, dict[int, bool]] = defaultdict(
        dict
    )  # question -> learner -> right
    for question_id, learner_id, right in _first_items(quiz).values_list(
        "question_id", "attempt__learner_id", "right"
    ):
        first[question_id][learner_id] = right
    ranking = _learner_ranking(quiz)
    third = len(ranking) // 3
    lower, upper = set(ranking[:third]), set(ranking[len(ranking) - third :])
    wrong: dict[int, Counter[str]] = defaultdict(Counter)
    by_id = {question.pk: question for question in questions}
    names = {
        question.pk: {choice.pk: choice.text for choice in question.choices.all()}
        for question in questions
    }
    for question_id, response in Answer.objects.filter(
        attempt__quiz=quiz, attempt__finished_at__isnull=False, is_correct=False
    ).values_list("question_id", "response"):
        question = by_id.get(question_id)
        if question is not None:
            wrong[question_id].update(
                _answer_key(question, response, names[question_id])
            )

    stats = []
    for question in questions:
        rights = first.get(question.pk, {})
        discrimination = None
        if third:
            high = _facility(r for learner, r in rights.items() if learner in upper)
            low = _facility(r for learner, r in rights.items() if learner in lower)
            if high is not None and low is not None:
                discrimination = high - low
        # Ties go to the option listed first (most_common keeps insertion order).
        common = wrong[question.pk].most_common(1)
        row = totals.get(question.pk, {})
        stats.append(
            QuestionStats(
                question=question,
                attempts=row.get("attempts", 0),
                learners=len(rights),
                facility=_facility(rights.values()),
                discrimination=discrimination,
                wrong_answer=common[0][0] if common else None,
                wrong_answer_count=common[0][1] if common else 0,
                hints_used=row.get("hints", 0),
            )
        )
    return stats


def stats_sorted(
    stats: Sequence[QuestionStats], order: str | None
) -> tuple[list[QuestionStats], str]:
    """``stats`` sorted by a whitelisted ``?o=`` value, and the order used. Unknown values
    sort by position; questions without a value go last either way."""
    name = (order or "").removeprefix("-")
    if name not in ORDERS:
        order, name = DEFAULT_ORDER, DEFAULT_ORDER
    key = ORDERS[name]
    descending = order.startswith("-")
    known = [s for s in stats if key(s) is not None]
    unknown = [s for s in stats if key(s) is None]
    # Ties stay in quiz order both ways (a reversed sort is still stable).
    known.sort(key=lambda s: s.question.position)
    known.sort(key=key, reverse=descending)
    return known + unknown, order


def _passed() -> Q:
    """Attempts whose score reaches the quiz's pass mark as ``Attempt.passed`` counts it:
    round(100 * score / total) >= pass_mark, with Python's round (halves to even). In
    integers: 200 * score > (2 * pass_mark - 1) * total, or equal with an even pass mark."""
    return Q(total__gt=0) & (
        Q(score_x200__gt=F("pass_bar")) | Q(score_x200=F("pass_bar"), pass_mark_odd=0)
    )


def section_figures(*, section_ids: Sequence[int]) -> dict[int, SectionFigures]:
    """Per section id: learners who opened it, marked it done, passed its quiz (a finished
    full attempt at the pass mark). Two grouped queries."""
    if not section_ids:
        return {}
    progress = (
        SectionProgress.objects.filter(section_id__in=section_ids)
        .values("section_id")
        .annotate(opened=Count("id"), done=Count("id", filter=Q(done_at__isnull=False)))
    )
    passed = dict(
        Attempt.objects.filter(
            quiz__section_id__in=section_ids,
            finished_at__isnull=False,
            retry_of__isnull=True,
        )
        .alias(
            score_x200=F("score") * 200,
            pass_bar=(F("quiz__pass_mark") * 2 - 1) * F("total"),
            pass_mark_odd=Mod("quiz__pass_mark", 2),
        )
        .filter(_passed())
        .values("quiz__section_id")
        .annotate(learners=Count("learner_id", distinct=True))
        .values_list("quiz__section_id", "learners")
    )
    figures = {
        row["section_id"]: SectionFigures(
            opened=row["opened"],
            done=row["done"],
            passed=passed.get(row["section_id"], 0),
        )
        for row in progress
    }
    for section_id, learners in passed.items():
        figures.setdefault(section_id, SectionFigures(passed=learners))
    return figures
