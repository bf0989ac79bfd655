"""The htmx check's response (``quizzes.views.check``), rendered from plain values.

After an answer is checked, htmx swaps in the feedback and, out of band, the question's
step and the answered count: the ``question-checked`` partial of quizzes/quiz.html. Its
template render was the largest Python cost of the request after the SQL, and what it
shows repeats: every learner giving the same answer to a question sees the same
feedback, and a step or a count is one of a few numbers. So, as the section page's holes
are (lessons/page_holes.py), each of its three parts is rendered from a tuple of exactly
the values it shows and kept per process. The partials see those values and nothing
else: a value missing from a tuple renders empty, which the tests comparing the response
with the plain renders of those templates catch.

Three texts rather than one: a part's key holds only its own values, so the feedback is
shared whatever the learner's place in the quiz, and the steps and counts between
quizzes. The ``question-checked`` partial puts them together.
"""

from __future__ import annotations

from typing import NamedTuple

from django.template.loader import get_template
from django.utils.safestring import mark_safe

from lessons import page_holes
from quizzes.grading import Grade

FEEDBACK_TEMPLATE = "quizzes/includes/feedback.html"
STEP_TEMPLATE = "quizzes/quiz.html#question-step"
PROGRESS_TEMPLATE = "quizzes/quiz.html#question-progress"
CHECKED_TEMPLATE = "quizzes/quiz.html#question-checked"


class QuestionRef(NamedTuple):
    kind: str


class ItemRef(NamedTuple):
    """``item`` as the feedback uses it: its question's kind (ordering and matching
    marks read differently)."""

    question: QuestionRef


class HintsUsed(NamedTuple):
    """``answer`` as the feedback uses it."""

    hints_used: int


class Verdict(NamedTuple):
    """``entry.answer`` as the question's step uses it."""

    is_correct: bool


class Step(NamedTuple):
    """``entry``: the answered question in the navigation."""

    number: int
    answer: Verdict


def checked_html(
    *,
    result: Grade,
    kind: str,
    hints_used: int,
    number: int,
    is_correct: bool,
    answered: int,
    total: int,
) -> str:
    """The ``question-checked`` partial for the question at ``number`` (1-based), just
    answered: ``result`` is its grade (a frozen dataclass of hashable values), ``kind``
    its question's kind, ``hints_used`` and ``is_correct`` the recorded answer's;
    ``answered`` of ``total`` questions are answered now."""
    # No part holds a form: no CSRF token to put in.
    feedback = page_holes.render(
        FEEDBACK_TEMPLATE,
        csrf_token="",
        result=result,
        item=ItemRef(QuestionRef(kind)),
        answer=HintsUsed(hints_used),
    )
    step = page_holes.render(
        STEP_TEMPLATE,
        csrf_token="",
        entry=Step(number, Verdict(is_correct)),
        position=number,
        oob=True,
    )
    progress = page_holes.render(
        PROGRESS_TEMPLATE, csrf_token="", answered=answered, total=total, oob=True
    )
    # Rendered text, without a placeholder filled in: safe as the templates made it.
    parts = {"feedback": feedback, "step": step, "progress": progress}
    return get_template(CHECKED_TEMPLATE).render(
        {name: mark_safe(text) for name, text in parts.items()}
    )
