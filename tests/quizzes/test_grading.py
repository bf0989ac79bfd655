"""Grading every kind of question, on unsaved model instances (no database)."""

from __future__ import annotations

import dataclasses
import math

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from quizzes.grading import (
    NOT_A_NUMBER,
    NOT_ANSWERED,
    RIGHT,
    WRONG,
    Grade,
    format_number,
    grade,
    normalise_answer,
    parse_number,
)
from quizzes.models import Choice, Question

Kind = Question.Kind


def make_question(kind: str, **fields) -> Question:
    fields.setdefault("explanation_html", "<p>Because.</p>")
    return Question(kind=kind, prompt="?", **fields)


def make_choices(*specs: dict) -> list[Choice]:
    """Choices with ids 1, 2, 3, … in the given positions."""
    return [
        Choice(pk=n, position=n - 1, **{"text": f"Choice {n}", **spec})
        for n, spec in enumerate(specs, start=1)
    ]


# ---------------------------------------------------------------- single choice


@pytest.fixture
def single():
    question = make_question(Kind.SINGLE_CHOICE)
    choices = make_choices(
        {"text": "Adapted to many tasks", "is_correct": True, "feedback_html": "Yes."},
        {"text": "One task only", "feedback_html": "<p>That is task-specific.</p>"},
        {"text": "Never trained"},
    )
    return question, choices


def test_single_choice_right(single):
    question, choices = single
    result = grade(question, choices, {"choice": 1})
    assert result.correct
    assert result.answered
    assert result.score == 1.0
    assert result.partial == 1.0
    assert result.message == RIGHT
    assert result.right_answer == ("Adapted to many tasks",)
    assert result.your_answer == ("Adapted to many tasks",)
    assert result.explanation_html == "<p>Because.</p>"
    assert [m.status for m in result.choice_marks] == ["right", "", ""]
    assert result.mark(1).feedback_html == "Yes."


def test_single_choice_wrong_marks_the_missed_right_answer(single):
    question, choices = single
    result = grade(question, choices, {"choice": 2})
    assert not result.correct
    assert result.score == 0.0
    assert result.partial == 0.0
    assert result.message == WRONG
    assert [m.status for m in result.choice_marks] == ["missed", "wrong", ""]
    assert [m.chosen for m in result.choice_marks] == [False, True, False]
    # Feedback only for the choice the student picked.
    assert result.mark(2).feedback_html == "<p>That is task-specific.</p>"
    assert result.mark(1).feedback_html == ""
    assert result.right_answer == ("Adapted to many tasks",)
    assert result.your_answer == ("One task only",)


def test_choices_are_shown_in_position_order_whatever_order_they_come_in(single):
    question, choices = single
    result = grade(question, list(reversed(choices)), {"choice": 1})
    assert [m.choice_id for m in result.choice_marks] == [1, 2, 3]


def test_choice_id_may_come_as_a_string(single):
    question, choices = single
    assert grade(question, choices, {"choice": "1"}).correct


# ---------------------------------------------------------------- true / false


@pytest.mark.parametrize(
    ("answer", "chosen", "correct"),
    [(True, 1, True), (True, 2, False), (False, 2, True), (False, 1, False)],
)
def test_true_false(answer, chosen, correct):
    question = make_question(Kind.TRUE_FALSE)
    choices = make_choices(
        {"text": "True", "is_correct": answer is True},
        {"text": "False", "is_correct": answer is False},
    )
    result = grade(question, choices, {"choice": chosen})
    assert result.correct is correct
    assert result.right_answer == (str(answer),)
    assert result.message == (RIGHT if correct else WRONG)


# ---------------------------------------------------------------- multiple choice


@pytest.fixture
def multiple():
    question = make_question(Kind.MULTIPLE_CHOICE)
    choices = make_choices(
        {"text": "Fine-tuning", "is_correct": True},
        {"text": "Prompting", "is_correct": True},
        {"text": "Training from zero", "feedback_html": "Throws it away."},
        {"text": "Deleting the weights"},
    )
    return question, choices


def test_multiple_choice_exact_set_is_right(multiple):
    question, choices = multiple
    result = grade(question, choices, {"choices": [2, 1]})
    assert result.correct
    assert result.partial == 1.0
    assert result.message == RIGHT
    assert result.right_answer == ("Fine-tuning", "Prompting")
    assert [m.status for m in result.choice_marks] == ["right", "right", "", ""]


def test_multiple_choice_missing_one_is_partly_right(multiple):
    question, choices = multiple
    result = grade(question, choices, {"choices": [1]})
    assert not result.correct
    assert result.score == 0.0
    assert result.partial == 0.75  # 3 of the 4 choices judged right
    assert result.message == "Partly right: 3 of 4 choices."
    assert [m.status for m in result.choice_marks] == ["right", "missed", "", ""]
    assert [m.judged_right for m in result.choice_marks] == [True, False, True, True]


def test_multiple_choice_one_too_many_is_wrong(multiple):
    question, choices = multiple
    result = grade(question, choices, {"choices": [1, 2, 3]})
    assert not result.correct
    assert result.partial == 0.75
    assert [m.status for m in result.choice_marks] == ["right", "right", "wrong", ""]
    assert result.mark(3).feedback_html == "Throws it away."
    assert result.your_answer == ("Fine-tuning", "Prompting", "Training from zero")


def test_multiple_choice_nothing_chosen_is_wrong_without_partly_right(multiple):
    question, choices = multiple
    result = grade(question, choices, {"choices": []})
    assert not result.correct
    assert result.answered
    assert result.partial == 0.5
    assert result.message == WRONG


def test_multiple_choice_all_wrong(multiple):
    question, choices = multiple
    result = grade(question, choices, {"choices": [3, 4]})
    assert result.partial == 0.0
    assert result.message == WRONG


# ---------------------------------------------------------------- short answer


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Transformer.", "transformer"),
        ("  fine    tuning  ", "fine tuning"),
        ("fine\t\ntuning", "fine tuning"),
        ('"Attention!"', "attention"),
        ("(The cat)", "cat"),
        ("(a) cat", "a) cat"),  # "a)" is not the word "a"
        ("“the quoted”", "quoted"),
        ("«an owl»", "owl"),
        ("A", "a"),  # a lone article is the answer, not an article
        ("the", "the"),
        ("Theory", "theory"),  # whole words only
        ("another one", "another one"),
        ("the the end", "end"),
        ("C#", "c#"),
        ("-3", "-3"),
        ("fine-tuning", "fine-tuning"),
        ("", ""),
        ("?!", ""),
        ("STRASSE", "strasse"),
        ("Straße", "strasse"),
    ],
)
def test_normalise_answer(text, expected):
    assert normalise_answer(text, case_sensitive=False) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Transformer.", "Transformer"),
        ("  BERT  base ", "BERT base"),
        ("An  Owl", "Owl"),
    ],
)
def test_normalise_answer_case_sensitive(text, expected):
    assert normalise_answer(text, case_sensitive=True) == expected


@pytest.mark.parametrize(
    ("typed", "correct"),
    [
        ("fine-tuning", True),
        ("Fine-Tuning.", True),
        ("  fine   tuning ", True),
        ("the finetuning", True),
        ("FINETUNING!", True),
        ("fine_tuning", False),
        ("pre-training", False),
        ("", False),
    ],
)
def test_short_answer(typed, correct):
    question = make_question(
        Kind.SHORT_ANSWER, accepted_answers=["fine-tuning", "finetuning", "fine tuning"]
    )
    result = grade(question, [], {"text": typed})
    assert result.correct is correct
    assert result.right_answer == ("fine-tuning",)
    assert result.choice_marks == ()
    assert result.message == (RIGHT if correct else WRONG)


def test_short_answer_normalises_the_accepted_answers_too():
    question = make_question(Kind.SHORT_ANSWER, accepted_answers=["The Transformer."])
    assert grade(question, [], {"text": "transformer"}).correct
    assert grade(question, [], {"text": "a transformer"}).correct


@pytest.mark.parametrize(
    ("typed", "correct"),
    [("BERT", True), ("bert", False), (" The BERT. ", True), ("Bert", False)],
)
def test_short_answer_case_sensitive(typed, correct):
    question = make_question(
        Kind.SHORT_ANSWER, accepted_answers=["BERT"], case_sensitive=True
    )
    assert grade(question, [], {"text": typed}).correct is correct


def test_short_answer_that_normalises_to_nothing_never_matches():
    question = make_question(Kind.SHORT_ANSWER, accepted_answers=["..."])
    assert not grade(question, [], {"text": "?"}).correct


def test_short_answer_your_answer_is_what_they_typed():
    question = make_question(Kind.SHORT_ANSWER, accepted_answers=["x"])
    assert grade(question, [], {"text": "  The Y. "}).your_answer == ("The Y.",)


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("175", 175.0),
        ("175.0", 175.0),
        (" 1.75e2 ", 175.0),
        ("1.75E+2", 175.0),
        ("-3", -3.0),
        ("+2.5", 2.5),
        ("1,000", 1000.0),
        ("1,234,567.5", 1234567.5),
        ("0.5", 0.5),
        (".5", 0.5),
        ("175.", 175.0),
        ("\u22123", -3.0),  # typographic minus
    ],
)
def test_parse_number_accepts(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "abc",
        "nan",
        "NaN",
        "inf",
        "-inf",
        "Infinity",
        "1.2.3",
        "1,00",
        "10,00,000",
        "1 000",
        "1e",
        "e5",
        "--3",
        "0x10",
        "1_000",
        "1e999",
        "175 apples",
        ".",
        "+",
    ],
)
def test_parse_number_rejects(text):
    assert parse_number(text) is None


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (175.0, "175"),
        (-3.0, "-3"),
        (3.14, "3.14"),
        (0.01, "0.01"),
        (-0.0, "0"),
        (1e20, "1e+20"),
        (2.5e-7, "2.5e-07"),
    ],
)
def test_format_number(value, text):
    assert format_number(value) == text


@pytest.mark.parametrize(
    ("typed", "correct"),
    [
        ("175", True),
        ("175.0", True),
        ("1.75e2", True),
        ("+175", True),
        ("175.000001", False),
        ("174", False),
        ("-175", False),
    ],
)
def test_numeric_exact(typed, correct):
    question = make_question(Kind.NUMERIC, numeric_answer=175.0, tolerance=0)
    result = grade(question, [], {"text": typed})
    assert result.correct is correct
    assert result.right_answer == ("175",)


@pytest.mark.parametrize(
    ("typed", "correct"),
    [
        ("3.14", True),
        ("3.15", True),  # on the boundary: 3.15 - 3.14 is a hair over 0.01 in floats
        ("3.13", True),
        ("3.1415926", True),
        ("3.151", False),
        ("3.129", False),
        ("3", False),
    ],
)
def test_numeric_tolerance_boundaries(typed, correct):
    question = make_question(Kind.NUMERIC, numeric_answer=3.14, tolerance=0.01)
    result = grade(question, [], {"text": typed})
    assert result.correct is correct
    assert result.right_answer == ("3.14 ± 0.01",)


def test_numeric_large_answer_with_thousands_commas():
    question = make_question(Kind.NUMERIC, numeric_answer=1_000_000.0, tolerance=500)
    assert grade(question, [], {"text": "1,000,400"}).correct
    assert not grade(question, [], {"text": "1,000,600"}).correct
    assert grade(question, [], {"text": "1"}).right_answer == ("1000000 ± 500",)


def test_numeric_not_a_number():
    question = make_question(Kind.NUMERIC, numeric_answer=175.0)
    result = grade(question, [], {"text": "lots"})
    assert not result.correct
    assert result.message == NOT_A_NUMBER
    assert result.your_answer == ("lots",)


# ---------------------------------------------------------------- ordering


@pytest.fixture
def ordering():
    question = make_question(Kind.ORDERING)
    choices = make_choices(
        {"text": "Pre-training"}, {"text": "Fine-tuning"}, {"text": "Deployment"}
    )
    return question, choices


def test_ordering_right(ordering):
    question, choices = ordering
    result = grade(question, choices, {"order": [1, 2, 3]})
    assert result.correct
    assert result.partial == 1.0
    assert result.message == RIGHT
    assert result.right_answer == ("Pre-training", "Fine-tuning", "Deployment")
    assert all(m.status == "right" for m in result.choice_marks)


def test_ordering_two_swapped_is_partly_right(ordering):
    question, choices = ordering
    result = grade(question, choices, {"order": [2, 1, 3]})
    assert not result.correct
    assert result.score == 0.0
    assert result.partial == pytest.approx(1 / 3)
    assert result.message == "Partly right: 1 of 3 items in place."
    # Marks follow the student's order, each with its place and right place.
    marks = result.choice_marks
    assert [m.choice_id for m in marks] == [2, 1, 3]
    assert [(m.place, m.right_place) for m in marks] == [(1, 2), (2, 1), (3, 3)]
    assert [m.status for m in marks] == ["wrong", "wrong", "right"]
    assert result.your_answer == ("Fine-tuning", "Pre-training", "Deployment")


def test_ordering_nothing_in_place(ordering):
    question, choices = ordering
    result = grade(question, choices, {"order": [3, 1, 2]})
    assert not result.correct
    assert result.partial == 0.0
    assert result.message == WRONG


def test_ordering_uses_positions_not_ids():
    question = make_question(Kind.ORDERING)
    choices = [
        Choice(pk=10, position=2, text="Last"),
        Choice(pk=20, position=0, text="First"),
        Choice(pk=30, position=1, text="Middle"),
    ]
    assert grade(question, choices, {"order": [20, 30, 10]}).correct
    assert grade(question, choices, {"order": [20, 30, 10]}).right_answer == (
        "First",
        "Middle",
        "Last",
    )
    assert not grade(question, choices, {"order": [10, 20, 30]}).correct


# ---------------------------------------------------------------- matching


@pytest.fixture
def matching():
    question = make_question(Kind.MATCHING)
    choices = make_choices(
        {"text": "BERT", "match": "Google"},
        {"text": "LLaMA", "match": "Meta"},
        {"text": "T5", "match": "Google"},
    )
    return question, choices


def test_matching_right(matching):
    question, choices = matching
    pairs = {"1": "Google", "2": "Meta", "3": "Google"}
    result = grade(question, choices, {"pairs": pairs})
    assert result.correct
    assert result.message == RIGHT
    assert result.right_answer == ("BERT → Google", "LLaMA → Meta", "T5 → Google")


def test_matching_one_pair_wrong(matching):
    question, choices = matching
    pairs = {"1": "Google", "2": "Google", "3": "Google"}
    result = grade(question, choices, {"pairs": pairs})
    assert not result.correct
    assert result.partial == pytest.approx(2 / 3)
    assert result.message == "Partly right: 2 of 3 pairs."
    assert [m.status for m in result.choice_marks] == ["right", "wrong", "right"]
    assert result.mark(2).matched == "Google"
    assert result.mark(2).right_match == "Meta"


def test_matching_unanswered_pairs(matching):
    question, choices = matching
    result = grade(question, choices, {"pairs": {"1": "Google", "2": "", "3": ""}})
    assert not result.correct
    assert result.partial == pytest.approx(1 / 3)
    assert result.message == "Partly right: 1 of 3 pairs."
    assert [m.status for m in result.choice_marks] == ["right", "missed", "missed"]
    assert [m.chosen for m in result.choice_marks] == [True, False, False]
    assert result.your_answer == ("BERT → Google",)


def test_matching_all_wrong(matching):
    question, choices = matching
    result = grade(question, choices, {"pairs": {"1": "Meta", "2": "Google", "3": ""}})
    assert result.partial == 0.0
    assert result.message == WRONG


# ---------------------------------------------------------------- unanswered and the result


def unanswered_cases():
    return [
        (
            make_question(Kind.SINGLE_CHOICE),
            make_choices({"text": "Yes", "is_correct": True}, {"text": "No"}),
            ("Yes",),
        ),
        (
            make_question(Kind.TRUE_FALSE),
            make_choices({"text": "True"}, {"text": "False", "is_correct": True}),
            ("False",),
        ),
        (
            make_question(Kind.MULTIPLE_CHOICE),
            make_choices({"text": "A", "is_correct": True}, {"text": "B"}),
            ("A",),
        ),
        (
            make_question(Kind.SHORT_ANSWER, accepted_answers=["owl", "an owl"]),
            [],
            ("owl",),
        ),
        (
            make_question(Kind.NUMERIC, numeric_answer=2.5, tolerance=0.5),
            [],
            ("2.5 ± 0.5",),
        ),
        (
            make_question(Kind.ORDERING),
            make_choices({"text": "one"}, {"text": "two"}),
            ("one", "two"),
        ),
        (
            make_question(Kind.MATCHING),
            make_choices({"text": "x", "match": "1"}, {"text": "y", "match": "2"}),
            ("x → 1", "y → 2"),
        ),
    ]


@pytest.mark.parametrize(
    ("question", "choices", "right_answer"),
    unanswered_cases(),
    ids=lambda value: getattr(value, "kind", None),
)
def test_unanswered(question, choices, right_answer):
    result = grade(question, choices, None)
    assert not result.answered
    assert not result.correct
    assert result.score == 0.0
    assert result.partial == 0.0
    assert result.message == NOT_ANSWERED
    assert result.right_answer == right_answer
    assert result.your_answer == ()
    assert result.explanation_html == "<p>Because.</p>"
    assert len(result.choice_marks) == len(choices)
    assert not any(m.chosen for m in result.choice_marks)
    assert all(m.status in {"missed", ""} for m in result.choice_marks)


def test_grade_is_immutable_and_hashable(single):
    question, choices = single
    result = grade(question, choices, {"choice": 1})
    assert isinstance(result, Grade)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.correct = False
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.choice_marks[0].chosen = False
    assert hash(result) == hash(grade(question, choices, {"choice": 1}))


def test_unknown_kind_is_an_error():
    with pytest.raises(ValueError, match="essay"):
        grade(make_question("essay"), [], {"text": "x"})


# ---------------------------------------------------------------- properties

tricky_text = st.text(
    alphabet=st.sampled_from(list(" \t\n.,;:!?\"'()«»“”‘’-#aAnNtThHeEß"))
    | st.characters(),
    max_size=30,
)


@given(text=tricky_text, case_sensitive=st.booleans())
@example(text="the the cat", case_sensitive=False)
@example(text='the "a" team.', case_sensitive=True)
@example(text=". the . x", case_sensitive=False)
def test_normalise_answer_is_idempotent(text, case_sensitive):
    once = normalise_answer(text, case_sensitive=case_sensitive)
    assert normalise_answer(once, case_sensitive=case_sensitive) == once


@given(text=tricky_text)
def test_normalised_answer_has_no_outer_space_or_double_spaces(text):
    result = normalise_answer(text, case_sensitive=False)
    assert result == result.strip()
    assert "  " not in result


@given(order=st.permutations(range(1, 6)))
def test_only_the_right_permutation_orders_right(order):
    question = make_question(Kind.ORDERING)
    choices = make_choices(*({"text": f"item {n}"} for n in range(1, 6)))
    result = grade(question, choices, {"order": list(order)})
    assert result.correct is (list(order) == [1, 2, 3, 4, 5])
    in_place = sum(a == b for a, b in zip(order, range(1, 6), strict=True))
    assert result.partial == in_place / 5


@given(
    correct=st.sets(st.integers(1, 5), min_size=1),
    chosen=st.sets(st.integers(1, 5)),
)
def test_only_the_exact_correct_set_is_right(correct, chosen):
    question = make_question(Kind.MULTIPLE_CHOICE)
    choices = make_choices(*({"is_correct": n in correct} for n in range(1, 6)))
    result = grade(question, choices, {"choices": sorted(chosen)})
    assert result.correct is (chosen == correct)
    assert result.partial == (5 - len(chosen ^ correct)) / 5


finite_floats = st.floats(allow_nan=False, allow_infinity=False)


@given(value=finite_floats)
def test_parse_number_round_trips_repr(value):
    assert parse_number(repr(value)) == value


@given(value=finite_floats)
def test_parse_number_round_trips_e_notation(value):
    assert parse_number(f"{value:.17e}") == value
    assert parse_number(f"{value:e}") == float(f"{value:e}")
    assert parse_number(f"{value:E}") == float(f"{value:E}")


@given(value=finite_floats)
def test_format_number_round_trips(value):
    assert parse_number(format_number(value)) == value


answers = st.floats(min_value=-1e6, max_value=1e6)
tolerances = st.floats(min_value=0, max_value=1e3)


@given(answer=answers, tolerance=tolerances, fraction=st.floats(-1, 1))
def test_a_number_within_tolerance_is_right(answer, tolerance, fraction):
    value = answer + fraction * tolerance
    question = make_question(Kind.NUMERIC, numeric_answer=answer, tolerance=tolerance)
    assert grade(question, [], {"text": repr(value)}).correct


@given(
    answer=answers,
    tolerance=tolerances,
    beyond=st.floats(min_value=1e-6, max_value=1e6),
    sign=st.sampled_from([-1, 1]),
)
def test_a_number_outside_tolerance_is_wrong(answer, tolerance, beyond, sign):
    # Beyond the tolerance by more than the float slack the grader allows.
    value = answer + sign * (tolerance + beyond * max(1.0, abs(answer)))
    assume(math.isfinite(value))
    question = make_question(Kind.NUMERIC, numeric_answer=answer, tolerance=tolerance)
    assert not grade(question, [], {"text": repr(value)}).correct
