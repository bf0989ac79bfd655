"""Reading a submitted answer into the response that grading takes.

Two kinds of bad input: what a student can fix (a numeric answer that is not a number, two
items given the same place) comes back as ``AnswerInvalid`` and the form is shown again;
what only a changed form can send (an id that is not one of the question's options, a
missing field, an over-long answer) is ``AnswerTampered``, a 400 that records nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import QueryDict

from quizzes.grading import parse_number
from quizzes.models import AttemptQuestion, Choice, Question

MAX_ANSWER_LENGTH = 500

EMPTY_ANSWER = "Give an answer before checking it."
TOO_LONG = f"That answer is too long: {MAX_ANSWER_LENGTH} characters at most."
NOT_AN_OPTION = "The answer names an option that is not part of this question."
NOT_A_NUMBER = "Enter a number, like 42, 42.0 or 4.2e1."
SAME_PLACE_TWICE = "Give each item a different place."


class AnswerTampered(Exception):
    """Input no honest form can send: answered with a 400."""


class AnswerInvalid(Exception):
    """Input the student can correct: the question is shown again with the message."""


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        raise AnswerTampered(NOT_AN_OPTION) from None


def _one_of(value: str | None, allowed: list[int]) -> int:
    if value in (None, ""):
        raise AnswerTampered(EMPTY_ANSWER)
    choice = _int(value)
    if choice not in allowed:
        raise AnswerTampered(NOT_AN_OPTION)
    return choice


def _text(data: QueryDict) -> str:
    text = (data.get("text") or "").strip()
    if not text:
        raise AnswerTampered(EMPTY_ANSWER)
    if len(text) > MAX_ANSWER_LENGTH:
        raise AnswerTampered(TOO_LONG)
    return text


def read_response(
    item: AttemptQuestion, data: QueryDict, *, choices: Iterable[Choice] | None = None
) -> dict:
    """The response dict for ``item``'s question from the posted form ``data``.
    ``choices``: the question's, when the caller has them loaded."""
    kind = item.question.kind
    options = list(item.choice_order)
    if kind in {Question.Kind.SINGLE_CHOICE, Question.Kind.TRUE_FALSE}:
        return {"choice": _one_of(data.get("choice"), options)}
    if kind == Question.Kind.MULTIPLE_CHOICE:
        chosen = [_one_of(value, options) for value in data.getlist("choices")]
        if not chosen:
            raise AnswerTampered(EMPTY_ANSWER)
        if len(set(chosen)) != len(chosen):
            raise AnswerTampered(NOT_AN_OPTION)
        return {"choices": chosen}
    if kind == Question.Kind.SHORT_ANSWER:
        return {"text": _text(data)}
    if kind == Question.Kind.NUMERIC:
        text = _text(data)
        if parse_number(text) is None:
            raise AnswerInvalid(NOT_A_NUMBER)
        return {"text": text}
    if kind == Question.Kind.ORDERING:
        places = {
            choice: _one_of(
                data.get(f"place-{choice}"), list(range(1, len(options) + 1))
            )
            for choice in options
        }
        if len(set(places.values())) != len(places):
            raise AnswerInvalid(SAME_PLACE_TWICE)
        return {"order": sorted(places, key=places.get)}
    if kind == Question.Kind.MATCHING:
        if choices is None:
            choices = item.question.choices.all()
        rights = {choice.pk: choice.match for choice in choices}
        pairs = {}
        for left in options:
            value = data.get(f"match-{left}")
            if value is None:
                raise AnswerTampered(NOT_AN_OPTION)
            pairs[str(left)] = (
                rights[_one_of(value, list(item.match_order))] if value else ""
            )
        if not any(pairs.values()):
            raise AnswerTampered(EMPTY_ANSWER)
        return {"pairs": pairs}
    raise AnswerTampered(NOT_AN_OPTION)
