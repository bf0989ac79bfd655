"""The question page of the admin refuses a question students could not answer, with the
reason next to the field at fault (or above the choices); the rules themselves are
``quizzes.validation``'s plain functions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from quizzes.models import Choice, Question
from quizzes.validation import ChoiceInput, answer_problems, choice_problems
from tests.admin_forms import form_data
from tests.courses.factories import UserFactory
from tests.lessons.factories import SectionFactory
from tests.quizzes.factories import ChoiceFactory, QuestionFactory, QuizFactory

ADD = "admin:quizzes_question_add"


def choices(*specs: tuple[str, bool] | tuple[str, bool, str]) -> list[ChoiceInput]:
    return [ChoiceInput(*spec) for spec in specs]


# ---------------------------------------------------------------- the rules


@pytest.mark.parametrize(
    ("kind", "given", "problems"),
    [
        ("single_choice", choices(("a", True), ("b", False)), []),
        (
            "single_choice",
            choices(("a", True), ("b", True)),
            ["A single-choice question needs exactly one correct choice (marked: 2)."],
        ),
        (
            "single_choice",
            choices(("a", False), ("b", False)),
            ["A single-choice question needs exactly one correct choice (marked: 0)."],
        ),
        (
            "single_choice",
            choices(("a", True)),
            ["A single-choice question needs two or more choices (it has 1)."],
        ),
        ("multiple_choice", choices(("a", True), ("b", True)), []),
        (
            "multiple_choice",
            choices(("a", False), ("b", False)),
            ["A multiple-choice question needs at least one correct choice."],
        ),
        ("true_false", choices(("True", False), ("False", True)), []),
        (
            "true_false",
            choices(("True", True), ("False", True)),
            [
                "A true/false question needs exactly one answer: mark either 'True' "
                "or 'False' correct (marked: 2)."
            ],
        ),
        (
            "true_false",
            choices(("Yes", True), ("No", False)),
            ["A true/false question has exactly two choices, 'True' and 'False'."],
        ),
        ("ordering", choices(("first", False), ("second", False)), []),
        (
            "ordering",
            choices(("only", False)),
            ["An ordering question needs two or more items (it has 1)."],
        ),
        (
            "ordering",
            choices(("same", False), ("same", False)),
            ["The items of an ordering question must all differ."],
        ),
        ("matching", choices(("a", False, "1"), ("b", False, "2")), []),
        (
            "matching",
            choices(("a", False, "1")),
            ["A matching question needs two or more pairs (it has 1)."],
        ),
        (
            "matching",
            choices(("a", False, "1"), ("b", False, "")),
            ["Every pair of a matching question needs a right-hand side (its match)."],
        ),
        (
            "matching",
            choices(("a", False, "1"), ("b", False, "1")),
            [
                "The left sides, and the right sides, of a matching question must all differ."
            ],
        ),
        ("short_answer", [], []),
        (
            "numeric",
            choices(("a", True)),
            [
                "A numeric question has no choices: delete them, or pick a kind that "
                "uses them."
            ],
        ),
    ],
)
def test_choice_rules(kind, given, problems):
    assert choice_problems(kind=kind, choices=given) == problems


@pytest.mark.parametrize(
    ("kind", "fields", "problems"),
    [
        ("short_answer", {"accepted_answers": ["GPT"]}, {}),
        (
            "short_answer",
            {"accepted_answers": ["  "]},
            {
                "accepted_answers": [
                    "A short-answer question needs at least one accepted answer."
                ]
            },
        ),
        ("numeric", {"numeric_answer": 3.5, "tolerance": 0.1}, {}),
        ("numeric", {"numeric_answer": 0.0, "tolerance": 0.0}, {}),
        (
            "numeric",
            {"numeric_answer": None, "tolerance": 0.0},
            {"numeric_answer": ["A numeric question needs a number here."]},
        ),
        (
            "numeric",
            {"numeric_answer": float("nan"), "tolerance": 0.0},
            {"numeric_answer": ["A numeric question needs a number here."]},
        ),
        (
            "numeric",
            {"numeric_answer": 1.0, "tolerance": -0.5},
            {"tolerance": ["The tolerance must not be negative."]},
        ),
        ("single_choice", {"accepted_answers": []}, {}),
    ],
)
def test_answer_rules(kind, fields, problems):
    values = {
        "accepted_answers": [],
        "numeric_answer": None,
        "tolerance": 0.0,
        **fields,
    }
    assert answer_problems(kind=kind, **values) == problems


# ---------------------------------------------------------------- the question page


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def quiz(db):
    return QuizFactory()


def question_form(client, quiz, **fields) -> dict:
    """The add page's form, filled in: ``choices`` as (text, correct, match) rows."""
    page = client.get(reverse(ADD) + f"?quiz={quiz.pk}")
    data = form_data(page.content, "question_form")
    rows = fields.pop("choices", [])
    data |= {
        "key": "q-1",
        "prompt": "A prompt?",
        "explanation": "Because.",
        **fields,
    }
    data["choices-TOTAL_FORMS"] = str(max(len(rows), 2))
    for n, (text, correct, match) in enumerate(rows):
        data[f"choices-{n}-text"] = text
        data[f"choices-{n}-match"] = match
        if correct:
            data[f"choices-{n}-is_correct"] = "on"
    return data


def refused(client, data):
    response = client.post(reverse(ADD), data)
    assert response.status_code == 200, "the question was saved"
    assert not Question.objects.filter(key=data["key"], quiz_id=data["quiz"]).exists()
    return response


def choice_errors(response) -> list[str]:
    formset = response.context["inline_admin_formsets"][0].formset
    return list(formset.non_form_errors())


@pytest.mark.parametrize(
    ("kind", "rows", "message"),
    [
        (
            "single_choice",
            [("a", True, ""), ("b", True, "")],
            "A single-choice question needs exactly one correct choice (marked: 2).",
        ),
        (
            "single_choice",
            [("a", False, ""), ("b", False, "")],
            "A single-choice question needs exactly one correct choice (marked: 0).",
        ),
        (
            "multiple_choice",
            [("a", False, ""), ("b", False, "")],
            "A multiple-choice question needs at least one correct choice.",
        ),
        (
            "true_false",
            [("True", False, ""), ("False", False, "")],
            "A true/false question needs exactly one answer: mark either 'True' or "
            "'False' correct (marked: 0).",
        ),
        (
            "true_false",
            [("True", True, ""), ("False", True, "")],
            "A true/false question needs exactly one answer: mark either 'True' or "
            "'False' correct (marked: 2).",
        ),
        (
            "ordering",
            [("only one", False, "")],
            "An ordering question needs two or more items (it has 1).",
        ),
        (
            "matching",
            [("left", False, "right")],
            "A matching question needs two or more pairs (it has 1).",
        ),
        (
            "matching",
            [("a", False, "1"), ("b", False, "")],
            "Every pair of a matching question needs a right-hand side (its match).",
        ),
    ],
)
def test_the_choices_of_each_kind_are_checked_above_the_choices(
    admin_client, quiz, kind, rows, message
):
    response = refused(
        admin_client, question_form(admin_client, quiz, kind=kind, choices=rows)
    )
    assert choice_errors(response) == [message]
    html = response.content.decode()
    # Shown in the choices' own group, before their table.
    group = html.index('id="choices-group"')
    assert (
        group
        < html.index(message.replace("'", "&#x27;"), group)
        < html.index("<table>", group)
    )


@pytest.mark.parametrize(
    ("kind", "fields", "field", "message"),
    [
        (
            "short_answer",
            {"accepted_answers": "\r\n  \r\n"},
            "accepted_answers",
            "A short-answer question needs at least one accepted answer.",
        ),
        (
            "numeric",
            {"numeric_answer": "", "tolerance": "0"},
            "numeric_answer",
            "A numeric question needs a number here.",
        ),
        (
            "numeric",
            {"numeric_answer": "2.5", "tolerance": "-1"},
            "tolerance",
            "The tolerance must not be negative.",
        ),
        (
            "numeric",
            {"numeric_answer": "two", "tolerance": "0"},
            "numeric_answer",
            "Enter a number.",
        ),
    ],
)
def test_answer_fields_are_checked_next_to_the_field(
    admin_client, quiz, kind, fields, field, message
):
    data = question_form(admin_client, quiz, kind=kind, **fields)
    response = refused(admin_client, data)
    form = response.context["adminform"].form
    assert form.errors[field] == [message]
    html = response.content.decode()
    # In the field's own row, before its input.
    row = html.index(f'class="form-row errors field-{field}"')
    assert row < html.index(message, row) < html.index(f'name="{field}"', row)
    # The database constraint says nothing on top of the form's own message.
    assert "Constraint" not in html


@pytest.mark.parametrize(
    ("kind", "rows", "fields"),
    [
        ("single_choice", [("a", True, ""), ("b", False, "")], {}),
        ("multiple_choice", [("a", True, ""), ("b", True, ""), ("c", False, "")], {}),
        ("true_false", [("True", False, ""), ("False", True, "")], {}),
        ("ordering", [("first", False, ""), ("second", False, "")], {}),
        ("matching", [("a", False, "1"), ("b", False, "2")], {}),
        ("short_answer", [], {"accepted_answers": "GPT\r\ngpt-4\r\n"}),
        ("numeric", [], {"numeric_answer": "0", "tolerance": "0"}),
    ],
)
def test_a_valid_question_of_each_kind_is_saved(admin_client, quiz, kind, rows, fields):
    data = question_form(admin_client, quiz, kind=kind, choices=rows, **fields)
    response = admin_client.post(reverse(ADD), data)
    assert response.status_code == 302, response.context and choice_errors(response)
    question = Question.objects.get(key="q-1")
    assert question.kind == kind
    assert question.choices.count() == len(rows)
    if kind == "short_answer":
        assert question.accepted_answers == ["GPT", "gpt-4"]
    if kind == "numeric":
        assert question.numeric_answer == 0


def test_a_kind_without_choices_refuses_leftover_choices(admin_client):
    question = QuestionFactory()  # single choice, two choices
    url = reverse("admin:quizzes_question_change", args=[question.pk])
    data = form_data(admin_client.get(url).content, "question_form")
    data |= {"kind": "numeric", "numeric_answer": "4", "tolerance": "0"}
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert choice_errors(response) == [
        "A numeric question has no choices: delete them, or pick a kind that uses them."
    ]
    data |= {"choices-0-DELETE": "on", "choices-1-DELETE": "on"}
    assert admin_client.post(url, data).status_code == 302
    question.refresh_from_db()
    assert (question.kind, question.numeric_answer) == ("numeric", 4)
    assert not question.choices.exists()


def test_an_edited_question_keeps_its_choices_in_order(admin_client):
    question = QuestionFactory(kind="ordering")
    for position, text in enumerate(["one", "two", "three"]):
        ChoiceFactory(question=question, position=position, text=text)
    url = reverse("admin:quizzes_question_change", args=[question.pk])
    data = form_data(admin_client.get(url).content, "question_form")
    assert data["hints"] == ""
    data["choices-0-position"], data["choices-2-position"] = "2", "0"
    data["hints"] = "Think of counting.\r\nOne comes first."
    response = admin_client.post(url, data)
    assert response.status_code == 302
    assert list(question.choices.values_list("text", flat=True)) == [
        "three",
        "two",
        "one",
    ]
    question.refresh_from_db()
    assert question.hints == ["Think of counting.", "One comes first."]


def test_question_ids_are_unique_in_the_course(admin_client, quiz):
    other_section = SectionFactory(
        course=quiz.section.course, chapter=quiz.section.chapter
    )
    QuestionFactory(quiz=QuizFactory(section=other_section), key="taken")
    data = question_form(
        admin_client,
        quiz,
        key="taken",
        kind="single_choice",
        choices=[("a", True, ""), ("b", False, "")],
    )
    response = refused(admin_client, data)
    assert response.context["adminform"].form.errors["key"] == [
        f"Section {other_section.number} has a question with this id."
    ]


def test_the_question_page_has_every_field_and_its_choices(admin_client, quiz):
    html = admin_client.get(reverse(ADD) + f"?quiz={quiz.pk}").content.decode()
    for name in [
        "quiz",
        "key",
        "position",
        "kind",
        "prompt",
        "explanation",
        "hints",
        "accepted_answers",
        "case_sensitive",
        "numeric_answer",
        "tolerance",
        "choices-0-text",
        "choices-0-is_correct",
        "choices-0-match",
        "choices-0-feedback",
        "choices-0-position",
    ]:
        assert f'name="{name}"' in html, name
    assert 'data-md-preview="block"' in html  # the prompt's preview


def test_the_quiz_page_lists_its_questions(admin_client):
    question = QuestionFactory(prompt="Which is the base model?")
    url = reverse("admin:quizzes_quiz_change", args=[question.quiz.pk])
    html = admin_client.get(url).content.decode()
    assert "Which is the base model?" in html
    assert reverse("admin:quizzes_question_change", args=[question.pk]) in html
    assert Choice.objects.filter(question=question).count() == 2
