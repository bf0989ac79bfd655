"""The htmx check's response from plain values (quizzes/checked_render.py): byte for
byte what the ``question-checked`` partial renders with the view's full context, for
right, wrong and partly right answers of every kind, with and without hints, and with
the texts kept across learners (a value left out of a key would show another learner's
feedback, step or count)."""

from __future__ import annotations

import pytest
from django.template.loader import get_template
from django.test import Client

from lessons import page_holes
from quizzes import checked_render
from quizzes.grading import grade
from quizzes.models import Answer, AttemptQuestion, Question
from tests.quizzes.factories import QuizFactory
from tests.quizzes.test_views import open_attempt, question_of_every_kind, right_form
from tests.quizzes.test_views import url as quiz_url

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true", "HX-Target": "question-answer"}


@pytest.fixture
def quiz():
    quiz = QuizFactory()
    question_of_every_kind(quiz)
    Question.objects.filter(quiz=quiz).update(hints=["First hint", "Second hint"])
    return quiz


def _choices(item: AttemptQuestion) -> dict:
    return {c.pk: c for c in item.question.choices.all()}


def _wrong_form(item: AttemptQuestion) -> dict:
    """An answer with nothing right."""
    kind, choices = item.question.kind, _choices(item)
    data = {"item": item.pk}
    if kind in {"single_choice", "true_false"}:
        data["choice"] = next(pk for pk, c in choices.items() if not c.is_correct)
    elif kind == "multiple_choice":
        data["choices"] = [pk for pk, c in choices.items() if not c.is_correct]
    elif kind == "short_answer":
        data["text"] = "pre-training"
    elif kind == "numeric":
        data["text"] = "-3"
    elif kind == "ordering":  # every item one place down, the last first
        for pk, c in choices.items():
            data[f"place-{pk}"] = (c.position + 1) % len(choices) + 1
    elif kind == "matching":  # each left with the other's right side
        rights = list(item.match_order)
        for pk in item.choice_order:
            data[f"match-{pk}"] = next(r for r in rights if r != pk)
    return data


def _partly_form(item: AttemptQuestion) -> dict | None:
    """An answer partly right, for the kinds that have partial credit."""
    kind, choices = item.question.kind, _choices(item)
    data = {"item": item.pk}
    if kind == "multiple_choice":  # one right choice of two found
        data["choices"] = [next(pk for pk, c in choices.items() if c.is_correct)]
    elif kind == "ordering":  # the first in place, the other two swapped
        for pk, c in choices.items():
            data[f"place-{pk}"] = {0: 1, 1: 3, 2: 2}[c.position]
    elif kind == "matching":  # one pair right, the other left blank
        first, *rest = item.choice_order
        data[f"match-{first}"] = first
        data.update({f"match-{pk}": "" for pk in rest})
    else:
        return None
    return data


PARTIAL_CREDIT = {"multiple_choice", "ordering", "matching"}
FORMS = {"right": right_form, "wrong": _wrong_form, "partly": _partly_form}


def _plain_render(item: AttemptQuestion) -> str:
    """The response as the view rendered it before: the parts with the full context."""
    item = AttemptQuestion.objects.select_related("question").get(pk=item.pk)
    answer = Answer.objects.get(attempt=item.attempt_id, question=item.question_id)
    result = grade(item.question, list(item.question.choices.all()), answer.response)
    item.number = item.position + 1
    item.answer = answer
    context = {
        "item": item,
        "result": result,
        "answer": answer,
        "entry": item,
        "position": item.number,
        "answered": Answer.objects.filter(attempt=item.attempt_id).count(),
        "total": AttemptQuestion.objects.filter(attempt=item.attempt_id).count(),
        "oob": True,
    }
    parts = {
        "feedback": checked_render.FEEDBACK_TEMPLATE,
        "step": checked_render.STEP_TEMPLATE,
        "progress": checked_render.PROGRESS_TEMPLATE,
    }
    rendered = {name: get_template(t).render(context) for name, t in parts.items()}
    return get_template(checked_render.CHECKED_TEMPLATE).render(rendered)


KINDS = [
    "single_choice",
    "true_false",
    "multiple_choice",
    "short_answer",
    "numeric",
    "ordering",
    "matching",
]


@pytest.mark.parametrize("kind", KINDS)
def test_the_check_response_is_the_plain_render_for_every_answer(quiz, kind):
    """Learner after learner (the texts kept between them), every answer with 0, 1 and
    2 hints used, after 0 or 1 other questions answered: the plain render each time."""
    verdicts = set()
    for shape, form in FORMS.items():
        for hints in (0, 1, 2):
            for earlier in (False, True):
                client = Client()
                attempt = open_attempt(client, quiz)
                item = attempt.items.select_related("question").get(question__kind=kind)
                data = form(item)
                if data is None:  # no partial credit for this kind
                    continue
                if earlier:
                    other = attempt.items.exclude(pk=item.pk).first()
                    client.post(quiz_url(quiz, "check"), right_form(other))
                for seen in range(hints):
                    client.post(quiz_url(quiz, "hint"), {"item": item.pk, "seen": seen})
                response = client.post(quiz_url(quiz, "check"), data, headers=HTMX)
                assert response.status_code == 200
                html = response.content.decode()
                assert html == _plain_render(item), (shape, hints, earlier)
                answer = Answer.objects.get(attempt=attempt, question=item.question)
                assert answer.hints_used == hints
                verdicts.add(html.split('<p class="verdict">', 1)[1].split("<")[0])
    # The shapes did give the verdicts they are meant to.
    assert "Right!" in verdicts
    assert len(verdicts) == (3 if kind in PARTIAL_CREDIT else 2)
    # Later learners were served kept texts (the steps and counts, at least).
    assert page_holes._text.cache_info().hits > 0


def test_a_repeated_check_is_the_plain_render_of_the_first_answer(quiz):
    client = Client()
    attempt = open_attempt(client, quiz)
    item = attempt.items.select_related("question").get(question__kind="ordering")
    client.post(quiz_url(quiz, "hint"), {"item": item.pk, "seen": 0})
    first = client.post(quiz_url(quiz, "check"), _partly_form(item), headers=HTMX)
    again = client.post(quiz_url(quiz, "check"), right_form(item), headers=HTMX)
    assert first.content == again.content
    assert again.content.decode() == _plain_render(item)


def test_the_parts_are_joined_as_the_partial_joins_them():
    """The feedback, the step and the count, each from its own values, then the cleared
    message: a part showing another's values would show them across learners."""
    result = grade(
        Question(kind="short_answer", accepted_answers=["x"], explanation_html=""),
        [],
        {"text": "x"},
    )
    html = checked_render.checked_html(
        result=result,
        kind="short_answer",
        hints_used=1,
        number=4,
        is_correct=True,
        answered=2,
        total=9,
    )
    feedback, step, progress, cleared = html.rsplit("\n", 3)
    assert "Right!" in feedback
    assert "You used 1 hint." in feedback
    assert "question-step" not in feedback
    assert step.startswith('<a id="question-step-4" ')
    assert "Right!" not in step
    assert 'value="2"' in progress
    assert 'max="9"' in progress
    assert cleared == '<div id="question-message" hx-swap-oob="innerHTML"></div>'
