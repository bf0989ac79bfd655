"""Grading a student's response to a question, for every kind of question.

Pure functions: they take a ``Question`` and its ``Choice`` rows already loaded and never
touch the database, so the quiz views and the spaced-repetition drills grade the same way.

A response is the plain dict stored as JSON (already validated by the answer form):

- single_choice, true_false: ``{"choice": <choice id>}``
- multiple_choice: ``{"choices": [<choice id>, ...]}``
- short_answer, numeric: ``{"text": "<what they typed>"}``
- ordering: ``{"order": [<choice id>, ...]}``, every item once, in the student's order
- matching: ``{"pairs": {"<left choice id>": "<right-hand text>"}}``, "" when left blank

``None`` means the question was not answered: it grades as wrong, with everything else
(right answer, explanation, marks) filled in so the finish page can still show it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

from quizzes.models import Choice, Question, QuestionKind

MarkStatus = Literal["right", "wrong", "missed", ""]

RIGHT = "Right!"
WRONG = "Not quite."
NOT_ANSWERED = "Not answered"
NOT_A_NUMBER = "Not quite: that is not a number."

# Stripped from both ends of a short answer: ASCII and typographic quotes, brackets and
# sentence punctuation. Not "-", "+", "#" or "%": they carry meaning ("C#", "-3", "50%").
_END_PUNCTUATION = ".,;:!?\"'()[]{}…¿¡“”„‟‘’‚‛«»‹›"
_ARTICLES = frozenset({"a", "an", "the"})

# Digits with optional thousands commas ("1,000") or plain, then an optional fraction and
# exponent. ASCII only, so "nan", "inf" and "1.2.3" never get as far as float().
_NUMBER = re.compile(
    r"""
    [+-]?
    (?: (?: [0-9]{1,3} (?: ,[0-9]{3} )+ | [0-9]+ ) (?: \.[0-9]* )?
      | \.[0-9]+ )
    (?: [eE][+-]?[0-9]+ )?
    """,
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class ChoiceMark:
    """What to show next to one choice (or ordering item, or left side of a pair).

    For single, multiple and true/false: ``chosen`` is whether the student picked it and
    ``is_correct`` whether it is one of the right answers. For ordering and matching,
    ``chosen`` means the student answered this item and ``is_correct`` mirrors the model
    (always False there): use ``judged_right`` and ``status`` instead.
    """

    choice_id: int
    text: str
    text_html: str
    chosen: bool
    is_correct: bool
    # The student's decision on this choice was right: picked when correct, left when
    # not; an item in its right place; a pair matched right.
    judged_right: bool
    # "right": chosen and correct (or item/pair right); "wrong": chosen and not correct
    # (or item/pair wrong); "missed": correct but not chosen (or pair left blank, or the
    # question unanswered); "": neither chosen nor correct.
    status: MarkStatus
    # The choice's feedback, only when the student picked it.
    feedback_html: str = ""
    # Ordering: the 1-based place the student gave the item (None if unanswered), and its
    # right place.
    place: int | None = None
    right_place: int | None = None
    # Matching: the right-hand text the student chose ("" if left blank), and the right one.
    matched: str | None = None
    right_match: str | None = None


@dataclass(frozen=True, slots=True)
class Grade:
    """The graded response: what the views render and the drills reuse."""

    kind: str
    answered: bool
    correct: bool
    # 1.0 or 0.0: the pass/fail that quiz scores count.
    score: float
    # 0..1, the partial picture: choices judged right, items in place, pairs right.
    partial: float
    message: str
    # Human-readable right answer: correct choice texts, first accepted answer,
    # "3.14 ± 0.01", the items in order, "left → right" pairs.
    right_answer: tuple[str, ...]
    # Human-readable response, in the same style ("" parts left out).
    your_answer: tuple[str, ...]
    # In display order: position order, or the student's order for an answered ordering.
    choice_marks: tuple[ChoiceMark, ...]
    explanation_html: str

    @property
    def marks_by_id(self) -> Mapping[int, ChoiceMark]:
        return MappingProxyType({mark.choice_id: mark for mark in self.choice_marks})

    def mark(self, choice_id: int) -> ChoiceMark | None:
        """The mark of ``choice_id``, or None if it is not one of the question's."""
        return self.marks_by_id.get(choice_id)


# ---------------------------------------------------------------- text and numbers


def normalise_answer(text: str, *, case_sensitive: bool) -> str:
    """``text`` as short answers are compared: "The  Transformer." -> "transformer".

    Collapses whitespace, strips punctuation at both ends, drops a leading "a", "an" or
    "the" and casefolds unless ``case_sensitive``. Idempotent.
    """
    # Casefold first: stripping afterwards only removes characters, so the result is
    # stable under a second pass.
    if not case_sensitive:
        text = text.casefold()
    text = " ".join(text.split())
    while True:
        before = text
        text = text.strip(_END_PUNCTUATION).strip()
        first, space, rest = text.partition(" ")
        if space and first.casefold() in _ARTICLES:
            text = rest
        # Repeat until nothing changes: one article dropped can uncover punctuation or
        # another article ("the 'a' team"), and a single pass would not be idempotent.
        if text == before:
            return text


def parse_number(text: str) -> float | None:
    """The number in ``text`` ("175", " 1.75e2 ", "-3", "1,000"), or None if it is not one.

    Rejects "nan", "inf", "1.2.3", "" and anything that overflows to infinity.
    """
    # A typographic minus is what some keyboards and copied text give.
    candidate = text.strip().replace("\u2212", "-")
    if not _NUMBER.fullmatch(candidate):
        return None
    value = float(candidate.replace(",", ""))
    return value if math.isfinite(value) else None


def format_number(value: float) -> str:
    """``value`` as a person writes it: 175.0 -> "175", 3.14 -> "3.14"."""
    value = float(value)  # an unsaved model may still hold the int it was given
    if value == 0:
        return "0"  # not "-0"
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def numeric_is_right(value: float, answer: float, tolerance: float) -> bool:
    """``value`` is within ``answer ± tolerance``, with slack for float rounding."""
    return abs(value - answer) <= tolerance + 1e-9 * max(1.0, abs(answer))


# ---------------------------------------------------------------- grading


def grade(
    question: Question, choices: Sequence[Choice], response: Mapping[str, Any] | None
) -> Grade:
    """Grade ``response`` to ``question``; ``choices`` are the question's Choice rows."""
    ordered = sorted(choices, key=lambda c: c.position)
    grader = _GRADERS.get(question.kind)
    if grader is None:
        raise ValueError(f"cannot grade a question of kind {question.kind!r}")
    return grader(question, ordered, response)


def _grade(
    question: Question,
    *,
    response: Mapping[str, Any] | None,
    correct: bool,
    partial: float,
    message: str,
    right_answer: Iterable[str],
    your_answer: Iterable[str] = (),
    choice_marks: Iterable[ChoiceMark] = (),
) -> Grade:
    answered = response is not None
    return Grade(
        kind=question.kind,
        answered=answered,
        correct=answered and correct,
        score=1.0 if answered and correct else 0.0,
        partial=partial if answered else 0.0,
        message=message if answered else NOT_ANSWERED,
        right_answer=tuple(right_answer),
        your_answer=tuple(your_answer) if answered else (),
        choice_marks=tuple(choice_marks),
        explanation_html=question.explanation_html,
    )


def _as_id(value: Any) -> int | None:
    """A choice id from JSON: an int, or a string of digits (JSON object keys are)."""
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _ids(values: Any) -> list[int]:
    if not isinstance(values, list | tuple):
        return []
    return [i for i in (_as_id(v) for v in values) if i is not None]


def _partly(right: int, total: int, noun: str) -> str:
    if 0 < right < total:
        return f"Partly right: {right} of {total} {noun}."
    return WRONG


def _choice_mark(choice: Choice, *, chosen: bool) -> ChoiceMark:
    if chosen:
        status: MarkStatus = "right" if choice.is_correct else "wrong"
    else:
        status = "missed" if choice.is_correct else ""
    return ChoiceMark(
        choice_id=choice.pk,
        text=choice.text,
        text_html=choice.text_html,
        chosen=chosen,
        is_correct=choice.is_correct,
        judged_right=chosen == choice.is_correct,
        status=status,
        feedback_html=choice.feedback_html if chosen else "",
    )


def _grade_single(
    question: Question, choices: list[Choice], response: Mapping[str, Any] | None
) -> Grade:
    chosen_id = _as_id(response.get("choice")) if response is not None else None
    marks = [_choice_mark(c, chosen=c.pk == chosen_id) for c in choices]
    correct = any(m.chosen and m.is_correct for m in marks)
    return _grade(
        question,
        response=response,
        correct=correct,
        partial=1.0 if correct else 0.0,
        message=RIGHT if correct else WRONG,
        right_answer=[c.text for c in choices if c.is_correct],
        your_answer=[c.text for c in choices if c.pk == chosen_id],
        choice_marks=marks,
    )


def _grade_multiple(
    question: Question, choices: list[Choice], response: Mapping[str, Any] | None
) -> Grade:
    chosen_ids = set(_ids(response.get("choices"))) if response is not None else set()
    marks = [_choice_mark(c, chosen=c.pk in chosen_ids) for c in choices]
    judged_right = sum(m.judged_right for m in marks)
    correct = bool(marks) and judged_right == len(marks)
    # Choosing nothing leaves every wrong choice "judged right"; that is no partial credit
    # worth a "Partly right" message, so it needs at least one correct choice found.
    found_one = any(m.status == "right" for m in marks)
    if correct:
        message = RIGHT
    elif found_one:
        message = _partly(judged_right, len(marks), "choices")
    else:
        message = WRONG
    return _grade(
        question,
        response=response,
        correct=correct,
        partial=judged_right / len(marks) if marks else 0.0,
        message=message,
        right_answer=[c.text for c in choices if c.is_correct],
        your_answer=[c.text for c in choices if c.pk in chosen_ids],
        choice_marks=marks,
    )


def _typed(response: Mapping[str, Any] | None) -> str:
    text = response.get("text") if response is not None else None
    return text.strip() if isinstance(text, str) else ""


def _grade_short(
    question: Question, choices: list[Choice], response: Mapping[str, Any] | None
) -> Grade:
    typed = _typed(response)
    case_sensitive = question.case_sensitive
    given = normalise_answer(typed, case_sensitive=case_sensitive)
    accepted = {
        normalise_answer(str(a), case_sensitive=case_sensitive)
        for a in question.accepted_answers or []
    }
    # An answer that normalises to nothing ("?") never matches, even a blank key.
    correct = bool(given) and given in accepted
    return _grade(
        question,
        response=response,
        correct=correct,
        partial=1.0 if correct else 0.0,
        message=RIGHT if correct else WRONG,
        right_answer=[str(a) for a in (question.accepted_answers or [])[:1]],
        your_answer=[typed] if typed else [],
    )


def _grade_numeric(
    question: Question, choices: list[Choice], response: Mapping[str, Any] | None
) -> Grade:
    typed = _typed(response)
    value = parse_number(typed)
    answer = question.numeric_answer
    tolerance = question.tolerance or 0.0
    correct = (
        value is not None
        and answer is not None
        and numeric_is_right(value, answer, tolerance)
    )
    if answer is None:
        right_answer: list[str] = []
    elif tolerance:
        right_answer = [f"{format_number(answer)} ± {format_number(tolerance)}"]
    else:
        right_answer = [format_number(answer)]
    if correct:
        message = RIGHT
    elif value is None:
        message = NOT_A_NUMBER
    else:
        message = WRONG
    return _grade(
        question,
        response=response,
        correct=correct,
        partial=1.0 if correct else 0.0,
        message=message,
        right_answer=right_answer,
        your_answer=[typed] if typed else [],
    )


def _grade_ordering(
    question: Question, choices: list[Choice], response: Mapping[str, Any] | None
) -> Grade:
    by_id = {c.pk: c for c in choices}
    right_place = {c.pk: place for place, c in enumerate(choices, start=1)}
    order = _ids(response.get("order")) if response is not None else []
    # Ids not of this question, or repeated, take no place: the form rules them out.
    placed: dict[int, int] = {}
    for choice_id in order:
        if choice_id in by_id and choice_id not in placed:
            placed[choice_id] = len(placed) + 1
    marks: list[ChoiceMark] = []
    # The student's order first, so the template shows their list marked item by item.
    shown = [by_id[i] for i in placed] + [c for c in choices if c.pk not in placed]
    for choice in shown:
        place = placed.get(choice.pk)
        right = place == right_place[choice.pk]
        marks.append(
            ChoiceMark(
                choice_id=choice.pk,
                text=choice.text,
                text_html=choice.text_html,
                chosen=place is not None,
                is_correct=choice.is_correct,
                judged_right=right,
                status="right" if right else "wrong" if place else "missed",
                place=place,
                right_place=right_place[choice.pk],
            )
        )
    in_place = sum(m.judged_right for m in marks)
    correct = bool(marks) and in_place == len(marks)
    return _grade(
        question,
        response=response,
        correct=correct,
        partial=in_place / len(marks) if marks else 0.0,
        message=RIGHT if correct else _partly(in_place, len(marks), "items in place"),
        right_answer=[c.text for c in choices],
        your_answer=[by_id[i].text for i in placed],
        choice_marks=marks,
    )


def _grade_matching(
    question: Question, choices: list[Choice], response: Mapping[str, Any] | None
) -> Grade:
    raw = response.get("pairs") if response is not None else None
    pairs: dict[int, str] = {}
    if isinstance(raw, Mapping):
        for key, value in raw.items():
            left = _as_id(key)
            if left is not None and isinstance(value, str):
                pairs[left] = value.strip()
    marks: list[ChoiceMark] = []
    for choice in choices:
        matched = pairs.get(choice.pk, "")
        # Compared by text, not id: two left items may share a right-hand side.
        right = bool(matched) and matched == choice.match.strip()
        marks.append(
            ChoiceMark(
                choice_id=choice.pk,
                text=choice.text,
                text_html=choice.text_html,
                chosen=bool(matched),
                is_correct=choice.is_correct,
                judged_right=right,
                status="right" if right else "wrong" if matched else "missed",
                matched=matched,
                right_match=choice.match,
            )
        )
    pairs_right = sum(m.judged_right for m in marks)
    correct = bool(marks) and pairs_right == len(marks)
    return _grade(
        question,
        response=response,
        correct=correct,
        partial=pairs_right / len(marks) if marks else 0.0,
        message=RIGHT if correct else _partly(pairs_right, len(marks), "pairs"),
        right_answer=[f"{c.text} → {c.match}" for c in choices],
        your_answer=[f"{m.text} → {m.matched}" for m in marks if m.matched],
        choice_marks=marks,
    )


_GRADERS = {
    QuestionKind.SINGLE_CHOICE: _grade_single,
    QuestionKind.TRUE_FALSE: _grade_single,
    QuestionKind.MULTIPLE_CHOICE: _grade_multiple,
    QuestionKind.SHORT_ANSWER: _grade_short,
    QuestionKind.NUMERIC: _grade_numeric,
    QuestionKind.ORDERING: _grade_ordering,
    QuestionKind.MATCHING: _grade_matching,
}
