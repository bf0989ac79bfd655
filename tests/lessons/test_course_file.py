"""The course-file validator: a valid file parses; every bad one is reported where it is."""

from __future__ import annotations

import pytest

from lessons.course_file import (
    MAX_FILE_BYTES,
    ContentError,
    CourseFileError,
    CourseSpec,
    parse_course_file,
)
from tests.lessons.course_files import course_text, line_of, replace_once

FILE = "fixtures/x.yaml"
S0 = "chapters[0].sections[0]"
S1 = "chapters[0].sections[1]"
SCRIPT_MESSAGE = "should read 'Speaker: text', like 'Teacher: Welcome.'"


def errors_of(text: str | bytes) -> list[str]:
    """The located messages of every error in ``text``; fails if the text is valid."""
    with pytest.raises(CourseFileError) as excinfo:
        parse_course_file(text, file=FILE)
    errors = excinfo.value.errors
    assert all(isinstance(error, ContentError) for error in errors)
    assert str(excinfo.value) == "\n".join(str(error) for error in errors)
    return [str(error) for error in errors]


def at(line: int, path: str, message: str) -> str:
    where = f"{path}: " if path else ""
    return f"{FILE}:{line}: {where}{message}"


def question_line(text: str, question_id: str) -> int:
    return line_of(text, f"- id: {question_id}")


# ---------------------------------------------------------------- the valid file


def test_valid_file_parses_into_a_spec():
    spec = parse_course_file(course_text(), file=FILE)

    assert isinstance(spec, CourseSpec)
    assert spec.slug == "test-course"
    assert [chapter.number for chapter in spec.chapters] == [15]
    first, second = spec.chapters[0].sections
    assert (first.number, first.slug, first.status) == (
        "15.1",
        "first-section",
        "published",
    )
    assert (second.number, second.status) == ("15.2", "draft")
    assert first.summaries.basic == "A **basic** summary.\n"
    assert first.dialogues[0].lines() == [
        ("Teacher", "Today we look at foundation models."),
        ("Student 1", "Are they the big ones?"),
        ("Teacher", "Big, yes, but they are *reused*."),
        ("Student 2", "Reused for what?"),
    ]
    assert [aid.kind for aid in first.memory_aids] == ["acronym", "rhyme"]
    assert first.memory_aids[0].flashcards == ["card-one", "card-two"]
    assert [card.id for card in first.flashcards] == [
        "card-one",
        "card-two",
        "card-three",
    ]
    assert first.flashcards[0].hint == "Think of a building."
    assert first.glossary[0].aliases == ["finetuning", "fine tuning"]
    assert first.videos[0].url == "https://www.youtube.com/watch?v=XXXXXXXXXXX"
    assert first.quiz is not None
    assert first.quiz.pass_mark == 80
    assert second.quiz is not None
    assert second.quiz.pass_mark == 70  # the default


def test_valid_file_has_every_question_kind_with_its_answer():
    spec = parse_course_file(course_text(), file=FILE)
    quiz = spec.chapters[0].sections[0].quiz
    assert quiz is not None
    questions = {question.kind: question for question in quiz.questions}

    assert list(questions) == [
        "single_choice",
        "multiple_choice",
        "true_false",
        "short_answer",
        "numeric",
        "ordering",
        "matching",
    ]
    single = questions["single_choice"]
    assert [choice.correct for choice in single.choices or []] == [True, False]
    assert single.hints == ["Think about how many tasks one model serves."]
    multiple = questions["multiple_choice"]
    assert [choice.correct for choice in multiple.choices or []] == [True, True, False]
    assert questions["true_false"].answer is False
    assert questions["short_answer"].accepted == ["fine-tuning", "finetuning"]
    assert (questions["numeric"].answer, questions["numeric"].tolerance) == (175, 0.5)
    assert questions["ordering"].items == ["Pre-training", "Fine-tuning", "Deployment"]
    pairs = questions["matching"].pairs or []
    assert [(pair.left, pair.right) for pair in pairs] == [
        ("BERT", "Google"),
        ("LLaMA", "Meta"),
    ]


def test_bytes_are_read_as_utf8():
    text = replace_once(
        course_text(), "title: Modern Topics", "title: Modern Topics – LLMs"
    )

    spec = parse_course_file(text.encode("utf-8"), file=FILE)

    assert spec.chapters[0].title == "Modern Topics – LLMs"


@pytest.mark.parametrize("answer", [0, 1, 0.0, 1.5])
def test_numeric_answer_of_zero_or_one_is_a_number_not_a_boolean(answer):
    text = replace_once(course_text(), "answer: 175", f"answer: {answer}")

    spec = parse_course_file(text, file=FILE)

    quiz = spec.chapters[0].sections[0].quiz
    assert quiz is not None
    numeric = quiz.questions[4]
    assert numeric.answer == answer
    assert not isinstance(numeric.answer, bool)


# ---------------------------------------------------------------- YAML-level problems


def test_invalid_yaml_syntax_is_reported_at_its_line():
    text = replace_once(
        course_text(), "        slug: second-section", "\tslug: second-section"
    )

    assert errors_of(text) == [
        at(
            line_of(text, "\tslug: second-section"),
            "",
            "not valid YAML: found character '\\t' that cannot start any token",
        )
    ]


def test_unclosed_flow_list_is_invalid_yaml():
    text = replace_once(
        course_text(),
        "items: [Pre-training, Fine-tuning, Deployment]",
        "items: [Pre-training",
    )

    # PyYAML notices the missing "]" at the next line's colon.
    assert errors_of(text) == [
        at(
            line_of(text, "explanation: Pre-train, specialise"),
            "",
            "not valid YAML: expected ',' or ']', but got ':'",
        )
    ]


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_empty_file(text):
    assert errors_of(text) == [at(1, "", "the file is empty")]


@pytest.mark.parametrize(
    "text", ["- slug: x\n- title: y\n", "just some words\n", "42\n", "---\n"]
)
def test_top_level_must_be_a_mapping(text):
    assert errors_of(text) == [
        at(1, "", "a course file is a mapping with slug, title and chapters")
    ]


def test_file_that_is_not_utf8():
    assert errors_of(course_text().encode("utf-8") + b"# \xff\n") == [
        at(1, "", "the file is not UTF-8 text")
    ]


def test_anchors_and_aliases_are_refused():
    text = replace_once(
        course_text(), "title: A Test Course", "title: &t A Test Course"
    )
    text = replace_once(text, "    title: Modern Topics", "    title: *t")

    assert errors_of(text) == [
        at(
            line_of(text, "title: &t"),
            "",
            "anchors and aliases (&, *) are not allowed in course files",
        )
    ]


def test_billion_laughs_is_refused_at_the_first_anchor():
    laughs = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, name in zip("abcdefghi", "bcdefghij", strict=True):
        laughs.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    text = "\n".join(laughs) + "\n"

    # Refused at the first anchor, before anything expands; tests/security/
    # test_yaml_limits.py runs the bombs under a CPU and memory limit.
    assert errors_of(text) == [
        at(1, "", "anchors and aliases (&, *) are not allowed in course files")
    ]


def test_duplicate_mapping_key():
    text = replace_once(
        course_text(),
        "            hint: Think of a building.\n",
        "            hint: Think of a building.\n            front: Again?\n",
    )

    assert errors_of(text) == [
        at(line_of(text, "front: Again?"), "", "key 'front' appears twice")
    ]


def test_deeply_nested_file_is_refused_without_crashing():
    assert errors_of("slug: " + "[" * 5000 + "]" * 5000 + "\n") == [
        at(1, "", "the file is nested too deeply")
    ]


def test_file_over_the_size_limit_is_refused_before_parsing():
    too_big = course_text() + "#" + "x" * MAX_FILE_BYTES + "\n"
    message = at(1, "", f"the file is larger than {MAX_FILE_BYTES // 1024} KiB")

    assert errors_of(too_big) == [message]
    assert errors_of(too_big.encode("utf-8")) == [message]


def test_size_limit_counts_bytes_not_characters():
    # Fewer characters than the limit, but more bytes: "é" is two bytes in UTF-8.
    text = course_text() + "#" + "é" * (MAX_FILE_BYTES // 2) + "\n"
    assert len(text) < MAX_FILE_BYTES < len(text.encode("utf-8"))

    assert errors_of(text) == [
        at(1, "", f"the file is larger than {MAX_FILE_BYTES // 1024} KiB")
    ]


# ---------------------------------------------------------------- keys and types


def test_unknown_key_is_reported_as_a_typo_with_the_missing_key():
    text = replace_once(course_text(), "          detailed: |", "          detaled: |")

    assert errors_of(text) == [
        at(
            line_of(text, "summaries:"),
            f"{S0}.summaries",
            "missing required key 'detailed'",
        ),
        at(line_of(text, "detaled:"), f"{S0}.summaries", "unknown key 'detaled'"),
    ]


def test_missing_required_key():
    text = replace_once(course_text(), "          medium: Second medium.\n", "")

    assert errors_of(text) == [
        at(
            line_of(text, "summaries:", after='number: "15.2"'),
            f"{S1}.summaries",
            "missing required key 'medium'",
        )
    ]


def test_missing_required_top_level_key():
    text = replace_once(course_text(), "title: A Test Course\n", "")

    assert errors_of(text) == [at(1, "", "missing required key 'title'")]


def test_list_where_text_is_expected():
    text = replace_once(
        course_text(),
        "front: What is a foundation model?",
        "front: [What is it, A model]",
    )

    assert errors_of(text) == [
        at(
            line_of(text, "front: [What is it"),
            f"{S0}.flashcards[0].front",
            "expected text",
        )
    ]


def test_mapping_where_text_is_expected():
    text = replace_once(
        course_text(), "basic: Second basic.", "basic: {text: Second basic.}"
    )

    assert errors_of(text) == [
        at(line_of(text, "basic: {text"), f"{S1}.summaries.basic", "expected text")
    ]


def test_blank_text_is_refused():
    text = replace_once(course_text(), "basic: Second basic.", 'basic: "  "')

    assert errors_of(text) == [
        at(line_of(text, 'basic: "  "'), f"{S1}.summaries.basic", "must not be empty")
    ]


def test_chapter_number_must_be_a_whole_number():
    text = replace_once(course_text(), "  - number: 15\n", '  - number: "15"\n')

    assert errors_of(text) == [
        at(
            line_of(text, '- number: "15"'),
            "chapters[0].number",
            "expected a whole number",
        )
    ]


@pytest.mark.parametrize("number", ["15.10", "15.2"])
def test_unquoted_section_number_is_refused(number):
    text = replace_once(course_text(), 'number: "15.2"', f"number: {number}")

    assert errors_of(text) == [
        at(
            line_of(text, f"- number: {number}"),
            f"{S1}.number",
            'write the section number in quotes, like "15.1", so 15.10 stays 15.10',
        )
    ]


def test_section_number_that_is_not_a_number():
    text = replace_once(course_text(), 'number: "15.2"', 'number: "15-2"')

    assert errors_of(text) == [
        at(
            line_of(text, 'number: "15-2"'),
            f"{S1}.number",
            "'15-2' is not a section number like \"15.1\"",
        )
    ]


def test_section_number_longer_than_the_database_column():
    number = "15." + "2" * 20
    text = replace_once(course_text(), 'number: "15.2"', f'number: "{number}"')

    assert errors_of(text) == [
        at(
            line_of(text, number),
            f"{S1}.number",
            "String should have at most 20 characters",
        )
    ]


def test_unknown_memory_aid_kind():
    text = replace_once(course_text(), "- kind: rhyme", "- kind: poem")

    assert errors_of(text) == [
        at(
            line_of(text, "- kind: poem"),
            f"{S0}.memory_aids[1].kind",
            "expected one of 'rhyme', 'story', 'memory_gem' or 'acronym'",
        )
    ]


def test_unknown_question_kind():
    text = replace_once(course_text(), "kind: numeric", "kind: number")

    [error] = errors_of(text)

    assert error.startswith(
        f"{FILE}:{line_of(text, 'kind: number')}: {S0}.quiz.questions[4].kind: expected one of "
    )


@pytest.mark.parametrize("bad_id", ["Card_Three", "card three", "card--three", "-card"])
def test_invalid_flashcard_id(bad_id):
    text = replace_once(course_text(), "- id: card-three", f"- id: {bad_id!r}")

    assert errors_of(text) == [
        at(
            line_of(text, f"- id: {bad_id!r}"),
            f"{S0}.flashcards[2].id",
            f"{bad_id!r} is not a valid id: use lowercase letters, digits and hyphens",
        )
    ]


def test_invalid_course_slug():
    text = replace_once(course_text(), "slug: test-course", "slug: Test Course")

    assert errors_of(text) == [
        at(
            1,
            "slug",
            "'Test Course' is not a valid id: use lowercase letters, digits and hyphens",
        )
    ]


def test_video_url_must_be_http():
    text = replace_once(
        course_text(),
        "url: https://www.youtube.com/watch?v=XXXXXXXXXXX",
        "url: javascript:alert(1)",
    )

    assert errors_of(text) == [
        at(
            line_of(text, "url: javascript"),
            f"{S0}.videos[0].url",
            "'javascript:alert(1)' is not an http or https address",
        )
    ]


def test_quiz_needs_at_least_one_question():
    text = course_text().split("            - id: q-second")[0]
    text = replace_once(
        text, "          title: Second quiz\n          questions:\n", ""
    )
    text += "          title: Second quiz\n          questions: []\n"

    assert errors_of(text) == [
        at(
            line_of(text, "questions: []"),
            f"{S1}.quiz.questions",
            "needs at least 1 item(s)",
        )
    ]


# ---------------------------------------------------------------- questions


def test_single_choice_with_two_correct_choices():
    text = replace_once(
        course_text(),
        "                  feedback: That is a task-specific model.\n",
        "                  feedback: That is a task-specific model.\n"
        "                  correct: true\n",
    )

    assert errors_of(text) == [
        at(
            question_line(text, "q-single"),
            f"{S0}.quiz.questions[0]",
            "a single-choice question needs exactly one correct choice",
        )
    ]


def test_single_choice_with_one_choice():
    text = replace_once(
        course_text(),
        "                - text: A model built for a single task\n"
        "                  feedback: That is a task-specific model.\n",
        "",
    )

    assert errors_of(text) == [
        at(
            question_line(text, "q-single"),
            f"{S0}.quiz.questions[0]",
            "a single-choice question needs 'choices' with two or more choices",
        )
    ]


def test_multiple_choice_with_no_correct_choice():
    text = replace_once(
        course_text(), "{text: Fine-tuning, correct: true}", "{text: Fine-tuning}"
    )
    text = replace_once(text, "{text: Prompting, correct: true}", "{text: Prompting}")

    assert errors_of(text) == [
        at(
            question_line(text, "q-multiple"),
            f"{S0}.quiz.questions[1]",
            "a multiple-choice question needs at least one correct choice",
        )
    ]


@pytest.mark.parametrize("answer", ["nope", "1", '"true"', "[true]"])
def test_true_false_answer_must_be_a_boolean(answer):
    text = replace_once(
        course_text(),
        "answer: false\n              explanation: It is adapted instead.",
        f"answer: {answer}\n              explanation: It is adapted instead.",
    )

    assert errors_of(text) == [
        at(
            question_line(text, "q-true-false"),
            f"{S0}.quiz.questions[2]",
            "a true/false question needs 'answer: true' or 'answer: false'",
        )
    ]


@pytest.mark.parametrize("answer", ["lots", "true", '"175"', "[175]"])
def test_numeric_answer_must_be_a_number(answer):
    text = replace_once(course_text(), "answer: 175", f"answer: {answer}")

    assert errors_of(text) == [
        at(
            question_line(text, "q-numeric"),
            f"{S0}.quiz.questions[4]",
            "a numeric question needs a number as its 'answer'",
        )
    ]


def test_numeric_tolerance_must_not_be_negative():
    text = replace_once(course_text(), "tolerance: 0.5", "tolerance: -1")

    assert errors_of(text) == [
        at(
            question_line(text, "q-numeric"),
            f"{S0}.quiz.questions[4]",
            "the tolerance of a numeric question must not be negative",
        )
    ]


def test_key_not_used_by_the_kind():
    text = replace_once(
        course_text(),
        "              hints: [Think about how many tasks one model serves.]\n",
        "              items: [One, Two]\n",
    )

    assert errors_of(text) == [
        at(
            question_line(text, "q-single"),
            f"{S0}.quiz.questions[0]",
            "'items' is not used by single_choice questions",
        )
    ]


def test_ordering_with_one_item():
    text = replace_once(
        course_text(),
        "items: [Pre-training, Fine-tuning, Deployment]",
        "items: [Pre-training]",
    )

    assert errors_of(text) == [
        at(
            question_line(text, "q-ordering"),
            f"{S0}.quiz.questions[5]",
            "an ordering question needs 'items' with two or more items",
        )
    ]


def test_ordering_with_repeated_items():
    text = replace_once(
        course_text(),
        "items: [Pre-training, Fine-tuning, Deployment]",
        "items: [Pre-training, Pre-training]",
    )

    assert errors_of(text) == [
        at(
            question_line(text, "q-ordering"),
            f"{S0}.quiz.questions[5]",
            "the items of an ordering question must all differ",
        )
    ]


def test_matching_with_duplicate_right_sides():
    text = replace_once(
        course_text(), "{left: LLaMA, right: Meta}", "{left: LLaMA, right: Google}"
    )

    assert errors_of(text) == [
        at(
            question_line(text, "q-matching"),
            f"{S0}.quiz.questions[6]",
            "the left sides, and the right sides, of a matching question must all differ",
        )
    ]


def test_short_answer_with_no_accepted_answers():
    text = replace_once(
        course_text(), "accepted: [fine-tuning, finetuning]", "accepted: []"
    )

    assert errors_of(text) == [
        at(
            question_line(text, "q-short"),
            f"{S0}.quiz.questions[3]",
            "a short-answer question needs 'accepted' with at least one answer",
        )
    ]


# ---------------------------------------------------------------- checks across fields


def test_section_number_not_in_its_chapter():
    text = replace_once(course_text(), 'number: "15.2"', 'number: "16.2"')

    assert errors_of(text) == [
        at(
            line_of(text, 'number: "16.2"'),
            f"{S1}.number",
            'section 16.2 must be numbered "15.N" in chapter 15',
        )
    ]


def test_duplicate_section_number():
    text = replace_once(course_text(), 'number: "15.2"', 'number: "15.1"')

    assert errors_of(text) == [
        at(
            line_of(text, 'number: "15.1"', after="slug: first-section"),
            f"{S1}.number",
            "section 15.1 appears twice",
        )
    ]


def test_duplicate_section_slug():
    text = replace_once(course_text(), "slug: second-section", "slug: first-section")

    assert errors_of(text) == [
        at(
            line_of(text, "slug: first-section", after="title: The First Section"),
            f"{S1}.slug",
            "slug 'first-section' is used by another section",
        )
    ]


def test_duplicate_chapter_number():
    text = course_text() + "  - number: 15\n    title: Again\n"

    assert errors_of(text) == [
        at(
            line_of(text, "title: Again") - 1,
            "chapters[1].number",
            "chapter 15 appears twice",
        )
    ]


def test_duplicate_flashcard_id_across_sections():
    text = replace_once(course_text(), "- id: card-four", "- id: card-two")

    assert errors_of(text) == [
        at(
            line_of(text, "- id: card-two", after='number: "15.2"'),
            f"{S1}.flashcards[0].id",
            "flashcard id 'card-two' is used twice in the course",
        )
    ]


def test_duplicate_question_id_across_sections():
    text = replace_once(course_text(), "- id: q-second", "- id: q-single")

    assert errors_of(text) == [
        at(
            line_of(text, "- id: q-single", after='number: "15.2"'),
            f"{S1}.quiz.questions[0].id",
            "question id 'q-single' is used twice in the course",
        )
    ]


def test_memory_aid_refers_to_an_unknown_flashcard():
    text = replace_once(
        course_text(),
        "flashcards: [card-one, card-two]",
        "flashcards: [card-one, card-nine]",
    )

    assert errors_of(text) == [
        at(
            line_of(text, "card-nine"),
            f"{S0}.memory_aids[0].flashcards[1]",
            "no flashcard 'card-nine' in this section",
        )
    ]


def test_memory_aid_refers_to_a_flashcard_of_another_section():
    text = replace_once(
        course_text(),
        "flashcards: [card-one, card-two]",
        "flashcards: [card-one, card-four]",
    )

    assert errors_of(text) == [
        at(
            line_of(text, "flashcards: [card-one, card-four]"),
            f"{S0}.memory_aids[0].flashcards[1]",
            "no flashcard 'card-four' in this section",
        )
    ]


def test_duplicate_glossary_term_ignoring_case():
    text = replace_once(
        course_text(),
        "        videos:\n",
        "          - term: fine-tuning\n            definition: Again.\n        videos:\n",
    )

    assert errors_of(text) == [
        at(
            line_of(text, "- term: fine-tuning"),
            f"{S0}.glossary[1].term",
            "glossary term 'fine-tuning' appears twice",
        )
    ]


def test_bad_dialogue_script_line_is_reported_at_its_own_line():
    bad = "              Student 2 asks what they are reused for"
    text = replace_once(course_text(), "              Student 2: Reused for what?", bad)

    assert errors_of(text) == [
        at(
            line_of(text, bad),
            f"{S0}.dialogues[0].script",
            f"script line 5 {SCRIPT_MESSAGE}",
        )
    ]


def test_every_bad_script_line_is_reported():
    text = replace_once(
        course_text(),
        "              Student 1: Are they the big ones?",
        "              Student 1 wonders",
    )
    text = replace_once(
        text, "              Student 2: Reused for what?", "              ???"
    )

    assert errors_of(text) == [
        at(
            line_of(text, "Student 1 wonders"),
            f"{S0}.dialogues[0].script",
            f"script line 2 {SCRIPT_MESSAGE}",
        ),
        at(
            line_of(text, "???"),
            f"{S0}.dialogues[0].script",
            f"script line 5 {SCRIPT_MESSAGE}",
        ),
    ]


# ---------------------------------------------------------------- several errors at once


def test_every_structural_error_in_a_file_is_reported():
    text = course_text()
    text = replace_once(text, "          detailed: |", "          detaled: |")
    text = replace_once(text, "- kind: rhyme", "- kind: poem")
    text = replace_once(
        text,
        "                  feedback: That is a task-specific model.\n",
        "                  feedback: That is a task-specific model.\n"
        "                  correct: true\n",
    )
    text = replace_once(text, "answer: 175", "answer: lots")
    text = replace_once(text, "basic: Second basic.", "basic: [Second, basic]")

    assert errors_of(text) == [
        at(
            line_of(text, "summaries:"),
            f"{S0}.summaries",
            "missing required key 'detailed'",
        ),
        at(line_of(text, "detaled:"), f"{S0}.summaries", "unknown key 'detaled'"),
        at(
            line_of(text, "- kind: poem"),
            f"{S0}.memory_aids[1].kind",
            "expected one of 'rhyme', 'story', 'memory_gem' or 'acronym'",
        ),
        at(
            question_line(text, "q-single"),
            f"{S0}.quiz.questions[0]",
            "a single-choice question needs exactly one correct choice",
        ),
        at(
            question_line(text, "q-numeric"),
            f"{S0}.quiz.questions[4]",
            "a numeric question needs a number as its 'answer'",
        ),
        at(line_of(text, "basic: [Second"), f"{S1}.summaries.basic", "expected text"),
    ]


def test_every_cross_field_error_in_a_file_is_reported():
    text = course_text()
    text = replace_once(
        text, "              Student 2: Reused for what?", "              Student 2"
    )
    text = replace_once(
        text, "flashcards: [card-one, card-two]", "flashcards: [card-nine]"
    )
    text = replace_once(text, 'number: "15.2"', 'number: "15.1"')
    text = replace_once(text, "- id: card-four", "- id: card-one")
    text = replace_once(text, "- id: q-second", "- id: q-numeric")

    assert errors_of(text) == [
        at(
            line_of(text, "              Student 2"),
            f"{S0}.dialogues[0].script",
            f"script line 5 {SCRIPT_MESSAGE}",
        ),
        at(
            line_of(text, "flashcards: [card-nine]"),
            f"{S0}.memory_aids[0].flashcards[0]",
            "no flashcard 'card-nine' in this section",
        ),
        at(
            line_of(text, 'number: "15.1"', after="slug: first-section"),
            f"{S1}.number",
            "section 15.1 appears twice",
        ),
        at(
            line_of(text, "- id: card-one", after="title: The Second Section"),
            f"{S1}.flashcards[0].id",
            "flashcard id 'card-one' is used twice in the course",
        ),
        at(
            line_of(text, "- id: q-numeric", after="title: Second quiz"),
            f"{S1}.quiz.questions[0].id",
            "question id 'q-numeric' is used twice in the course",
        ),
    ]
