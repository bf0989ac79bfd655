"""What makes a question answerable, kind by kind, as plain functions.

The admin's question form calls these (``quizzes.admin``): ``answer_problems`` for the
question's own fields, ``choice_problems`` for its choices (the options of single and
multiple choice and true/false, the items of an ordering question, the pairs of a matching
one). Course files state the same rules on their own YAML keys
(``lessons.course_file.QuestionSpec``), whose messages name those keys; ``lessons`` must
not import ``quizzes``, so the two stay side by side rather than shared.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from quizzes.models import QuestionKind

CHOICE_KINDS = frozenset(
    {
        QuestionKind.SINGLE_CHOICE,
        QuestionKind.MULTIPLE_CHOICE,
        QuestionKind.TRUE_FALSE,
        QuestionKind.ORDERING,
        QuestionKind.MATCHING,
    }
)
# The two choices of a true/false question, as the course loader writes them.
TRUE_FALSE_TEXTS = ("True", "False")


@dataclass(frozen=True, slots=True)
class ChoiceInput:
    """One choice as submitted: its text, whether it is marked correct, its match."""

    text: str
    is_correct: bool = False
    match: str = ""


def choice_problems(*, kind: str, choices: Sequence[ChoiceInput]) -> list[str]:
    """What is wrong with the choices of a question of ``kind`` (empty when nothing)."""
    texts = [choice.text.strip() for choice in choices]
    correct = sum(choice.is_correct for choice in choices)
    if kind not in CHOICE_KINDS:
        if choices:
            return [
                f"A {QuestionKind(kind).label.lower()} question has no choices: "
                "delete them, or pick a kind that uses them."
            ]
        return []
    if kind == QuestionKind.SINGLE_CHOICE:
        problems = _at_least_two(texts, "A single-choice question needs", "choices")
        if correct != 1:
            problems.append(
                "A single-choice question needs exactly one correct choice "
                f"(marked: {correct})."
            )
        return problems
    if kind == QuestionKind.MULTIPLE_CHOICE:
        problems = _at_least_two(texts, "A multiple-choice question needs", "choices")
        if correct < 1:
            problems.append(
                "A multiple-choice question needs at least one correct choice."
            )
        return problems
    if kind == QuestionKind.TRUE_FALSE:
        problems = []
        if sorted(texts) != sorted(TRUE_FALSE_TEXTS):
            problems.append(
                "A true/false question has exactly two choices, 'True' and 'False'."
            )
        if correct != 1:
            problems.append(
                "A true/false question needs exactly one answer: mark either 'True' "
                f"or 'False' correct (marked: {correct})."
            )
        return problems
    if kind == QuestionKind.ORDERING:
        problems = _at_least_two(texts, "An ordering question needs", "items")
        if len(set(texts)) != len(texts):
            problems.append("The items of an ordering question must all differ.")
        return problems
    # Matching: the choice's text is the left side, its match the right side.
    problems = _at_least_two(texts, "A matching question needs", "pairs")
    rights = [choice.match.strip() for choice in choices]
    if not all(rights):
        problems.append(
            "Every pair of a matching question needs a right-hand side (its match)."
        )
    if len(set(texts)) != len(texts) or len(set(rights)) != len(rights):
        problems.append(
            "The left sides, and the right sides, of a matching question must all differ."
        )
    return problems


def _at_least_two(texts: list[str], subject: str, noun: str) -> list[str]:
    if len(texts) < 2:
        return [f"{subject} two or more {noun} (it has {len(texts)})."]
    return []


def answer_problems(
    *,
    kind: str,
    accepted_answers: Sequence[str],
    numeric_answer: float | None,
    tolerance: float | None,
) -> dict[str, list[str]]:
    """Problems with a question's own answer fields, by field name."""
    problems: dict[str, list[str]] = {}
    if kind == QuestionKind.SHORT_ANSWER and not [
        answer for answer in accepted_answers if answer.strip()
    ]:
        problems["accepted_answers"] = [
            "A short-answer question needs at least one accepted answer."
        ]
    if kind == QuestionKind.NUMERIC:
        if numeric_answer is None or not math.isfinite(numeric_answer):
            problems["numeric_answer"] = ["A numeric question needs a number here."]
        if tolerance is None or not math.isfinite(tolerance):
            problems["tolerance"] = [
                "A numeric question needs a tolerance: a number, 0 for exact."
            ]
    if tolerance is not None and tolerance < 0:
        problems["tolerance"] = ["The tolerance must not be negative."]
    return problems
