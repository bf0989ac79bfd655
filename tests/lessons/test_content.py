"""The course loader against the database: create, update in place, remove, dump."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

from courses.models import Chapter, Course, Learner, SectionProgress
from lessons import content
from lessons.content import LoadReport, dump_course, load_course, load_course_files
from lessons.course_file import ContentError, CourseFileError, parse_course_file
from lessons.models import (
    Dialogue,
    DialogueLine,
    Example,
    Explainer,
    Flashcard,
    GlossaryTerm,
    KeyConcept,
    MemoryAid,
    Section,
    Summary,
    Video,
)
from quizzes.models import Choice, Question, Quiz
from tests.lessons.course_files import (
    COURSE_SLUG,
    course_text,
    cut,
    replace_once,
    write,
)

pytestmark = pytest.mark.django_db

CARD_ONE = "          - id: card-one\n"
CARD_TWO = "          - id: card-two\n"
CARD_THREE = "          - id: card-three\n"
Q_SINGLE = "            - id: q-single\n"
Q_MULTIPLE = "            - id: q-multiple\n"
Q_TRUE_FALSE = "            - id: q-true-false\n"
Q_SHORT = "            - id: q-short\n"
Q_NUMERIC = "            - id: q-numeric\n"
SECOND_QUIZ = "        quiz:\n          title: Second quiz\n"


def load(text: str) -> LoadReport:
    return load_course(parse_course_file(text, file="course.yaml"))


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every model of the three apps (many-to-many tables included)."""
    rows = {}
    for label in ("courses", "lessons", "quizzes"):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            rows[model._meta.label] = list(model.objects.order_by("pk").values_list())
    return rows


def card_pks() -> dict[str, int]:
    return dict(Flashcard.objects.values_list("key", "pk"))


def question_pks() -> dict[str, int]:
    return dict(Question.objects.values_list("key", "pk"))


def choice_pks() -> dict[tuple[str, int], int]:
    return {
        (key, position): pk
        for key, position, pk in Choice.objects.values_list(
            "question__key", "position", "pk"
        )
    }


def section(number: str) -> Section:
    return Section.objects.get(course__slug=COURSE_SLUG, number=number)


@pytest.fixture
def loaded() -> LoadReport:
    return load(course_text())


# ---------------------------------------------------------------- a first load


def test_first_load_reports_what_it_added(loaded):
    assert loaded.course == COURSE_SLUG
    assert not loaded.unchanged
    assert loaded.changed == Counter()
    assert loaded.removed == Counter()
    assert loaded.added == Counter(
        {
            "courses": 1,
            "chapters": 1,
            "sections": 2,
            "summaries": 6,
            "dialogues": 1,
            "dialogue lines": 4,
            "explainers": 1,
            "key concepts": 2,
            "examples": 1,
            "memory aids": 2,
            "memory aid links": 1,
            "flashcards": 4,
            "glossary terms": 1,
            "videos": 1,
            "quizzes": 2,
            "questions": 8,
            "choices": 14,
        }
    )
    assert str(loaded) == (
        "test-course: added 1 chapters, 14 choices, 1 courses, 4 dialogue lines, 1 dialogues, "
        "1 examples, 1 explainers, 4 flashcards, 1 glossary terms, 2 key concepts, "
        "1 memory aid links, 2 memory aids, 8 questions, 2 quizzes, 2 sections, 6 summaries, "
        "1 videos"
    )


def test_first_load_creates_every_part(loaded):
    course = Course.objects.get()
    assert (course.slug, course.title) == (COURSE_SLUG, "A Test Course")
    assert course.description == "A small course for the tests.\n"
    chapter = Chapter.objects.get()
    assert (chapter.course, chapter.number, chapter.title) == (
        course,
        15,
        "Modern Topics",
    )
    assert list(
        Section.objects.order_by("position").values_list(
            "number", "slug", "title", "status", "position", "chapter", "course"
        )
    ) == [
        (
            "15.1",
            "first-section",
            "The First Section",
            "published",
            0,
            chapter.pk,
            course.pk,
        ),
        (
            "15.2",
            "second-section",
            "The Second Section",
            "draft",
            1,
            chapter.pk,
            course.pk,
        ),
    ]
    first, second = section("15.1"), section("15.2")
    counts = {
        model: (
            model.objects.filter(section=first).count(),
            model.objects.filter(section=second).count(),
        )
        for model in (
            Summary,
            Dialogue,
            Explainer,
            KeyConcept,
            Example,
            MemoryAid,
            Flashcard,
            GlossaryTerm,
            Video,
        )
    }
    assert counts == {
        Summary: (3, 3),
        Dialogue: (1, 0),
        Explainer: (1, 0),
        KeyConcept: (2, 0),
        Example: (1, 0),
        MemoryAid: (2, 0),
        Flashcard: (3, 1),
        GlossaryTerm: (1, 0),
        Video: (1, 0),
    }
    assert DialogueLine.objects.filter(dialogue__section=first).count() == 4
    assert list(first.key_concepts.values_list("position", "term")) == [
        (0, "Pre-training"),
        (1, "Fine-tuning"),
    ]
    assert list(first.flashcards.values_list("position", "key", "front", "hint")) == [
        (0, "card-one", "What is a foundation model?", "Think of a building."),
        (1, "card-two", "What is fine-tuning?", ""),
        (2, "card-three", "Name a foundation model.", ""),
    ]
    term = first.glossary_terms.get()
    assert (term.term, term.aliases) == ("Fine-tuning", ["finetuning", "fine tuning"])
    video = first.videos.get()
    assert (video.title, video.url) == (
        "Foundation models in five minutes",
        "https://www.youtube.com/watch?v=XXXXXXXXXXX",
    )
    assert (first.quiz.title, first.quiz.pass_mark) == ("Practice quiz", 80)
    assert (second.quiz.title, second.quiz.pass_mark) == ("Second quiz", 70)
    assert list(first.quiz.questions.values_list("position", "key", "kind")) == [
        (0, "q-single", "single_choice"),
        (1, "q-multiple", "multiple_choice"),
        (2, "q-true-false", "true_false"),
        (3, "q-short", "short_answer"),
        (4, "q-numeric", "numeric"),
        (5, "q-ordering", "ordering"),
        (6, "q-matching", "matching"),
    ]
    assert list(second.quiz.questions.values_list("key", flat=True)) == ["q-second"]


def test_markdown_is_rendered_to_sanitised_html(loaded):
    first = section("15.1")
    summaries = {summary.level: summary for summary in first.summaries.all()}

    assert summaries["basic"].text_html == "<p>A <strong>basic</strong> summary.</p>"
    detailed = summaries["detailed"].text_html
    assert "<table>" in detailed
    assert "<td>BERT</td>" in detailed
    assert "<script" not in detailed
    assert "alert" not in detailed
    explainer = first.explainers.get()
    assert (
        explainer.statement_html
        == "<p>A foundation model is a large pre-trained model.</p>"
    )
    assert explainer.analogy_html == "<p>Like the foundation of a building.</p>"
    aid = first.memory_aids.get(kind="acronym")
    assert aid.text_html.startswith("<p><strong>F</strong>oundation models")
    card = first.flashcards.get(key="card-one")
    assert card.front_html == "What is a foundation model?"  # inline: no paragraph
    assert card.back_html == "A large model pre-trained on broad data."
    assert first.glossary_terms.get().definition_html == (
        "<p>Further training of a pre-trained model.</p>"
    )
    question = Question.objects.get(key="q-single")
    assert (
        question.prompt_html
        == "<p>Which statement describes a foundation model best?</p>"
    )
    assert (
        question.explanation_html == "<p>Reuse across tasks is the defining trait.</p>"
    )
    choice = question.choices.get(position=0)
    assert choice.text_html == "A model trained once and adapted to many tasks"
    assert choice.feedback_html == "<p>Yes.</p>"


def test_dialogue_script_becomes_lines_with_roles(loaded):
    dialogue = section("15.1").dialogues.get()

    assert dialogue.title == "A first talk"
    assert list(
        dialogue.lines.values_list("position", "speaker", "role", "text", "text_html")
    ) == [
        (
            0,
            "Teacher",
            "teacher",
            "Today we look at foundation models.",
            "Today we look at foundation models.",
        ),
        (1, "Student 1", "student", "Are they the big ones?", "Are they the big ones?"),
        (
            2,
            "Teacher",
            "teacher",
            "Big, yes, but they are *reused*.",
            "Big, yes, but they are <em>reused</em>.",
        ),
        (3, "Student 2", "student", "Reused for what?", "Reused for what?"),
    ]


def test_memory_aid_links_its_flashcards(loaded):
    first = section("15.1")
    acronym, rhyme = first.memory_aids.order_by("position")

    assert (acronym.kind, acronym.title) == ("acronym", "FARM")
    assert sorted(acronym.flashcards.values_list("key", flat=True)) == [
        "card-one",
        "card-two",
    ]
    assert (rhyme.kind, rhyme.flashcards.count()) == ("rhyme", 0)


def choices_of(key: str) -> list[tuple[int, str, bool, str, str]]:
    return list(
        Choice.objects.filter(question__key=key)
        .order_by("position")
        .values_list("position", "text", "is_correct", "match", "feedback")
    )


def test_answer_keys_are_stored_as_described(loaded):
    assert choices_of("q-single") == [
        (0, "A model trained once and adapted to many tasks", True, "", "Yes."),
        (
            1,
            "A model built for a single task",
            False,
            "",
            "That is a task-specific model.",
        ),
    ]
    assert choices_of("q-multiple") == [
        (0, "Fine-tuning", True, "", ""),
        (1, "Prompting", True, "", ""),
        (2, "Training from zero", False, "", ""),
    ]
    # True/false: a "True" and a "False" choice, the answer marked correct.
    assert choices_of("q-true-false") == [
        (0, "True", False, "", ""),
        (1, "False", True, "", ""),
    ]
    # Ordering: the items in their right order, by position.
    assert choices_of("q-ordering") == [
        (0, "Pre-training", False, "", ""),
        (1, "Fine-tuning", False, "", ""),
        (2, "Deployment", False, "", ""),
    ]
    # Matching: the left side as the text, the right side as the match.
    assert choices_of("q-matching") == [
        (0, "BERT", False, "Google", ""),
        (1, "LLaMA", False, "Meta", ""),
    ]
    assert choices_of("q-short") == []
    assert choices_of("q-numeric") == []
    short = Question.objects.get(key="q-short")
    assert (short.accepted_answers, short.case_sensitive) == (
        ["fine-tuning", "finetuning"],
        False,
    )
    numeric = Question.objects.get(key="q-numeric")
    assert (numeric.numeric_answer, numeric.tolerance) == (175.0, 0.5)
    assert Question.objects.get(key="q-single").hints == [
        "Think about how many tasks one model serves."
    ]


def test_numeric_answer_of_one_is_stored_as_a_number(db):
    load(replace_once(course_text(), "answer: 175", "answer: 1"))

    assert Question.objects.get(key="q-numeric").numeric_answer == 1.0


# ---------------------------------------------------------------- loading again


def test_loading_the_same_file_again_changes_nothing(loaded):
    before = snapshot()

    report = load(course_text())

    assert report.unchanged
    assert str(report) == "test-course: unchanged"
    assert snapshot() == before  # same pks, same values, same updated_at


def test_edited_file_updates_rows_in_place(loaded):
    cards, questions, choices = card_pks(), question_pks(), choice_pks()
    first_pk, second = section("15.1").pk, section("15.2")
    text = course_text()
    text = replace_once(
        text, "title: The First Section", "title: The First Section, Revised"
    )
    text = replace_once(text, "A **basic** summary.", "A *revised* basic summary.")
    text = replace_once(
        text,
        "A large model pre-trained on broad data.",
        "A large model trained on **broad** data.",
    )
    text = replace_once(
        text,
        "Which statement describes a foundation model best?",
        "Which statement fits a foundation model?",
    )
    text = replace_once(text, "feedback: Yes.", "feedback: Right.")
    text = replace_once(text, "Student 2: Reused for what?", "Student 2: Reused how?")

    report = load(text)

    assert report.added == Counter()
    assert report.removed == Counter()
    assert report.changed == Counter(
        {
            "sections": 1,
            "summaries": 1,
            "flashcards": 1,
            "questions": 1,
            "choices": 1,
            "dialogue lines": 1,
        }
    )
    assert (card_pks(), question_pks(), choice_pks()) == (cards, questions, choices)
    first = section("15.1")
    assert (first.pk, first.title) == (first_pk, "The First Section, Revised")
    assert section("15.2").updated_at == second.updated_at  # untouched
    basic = first.summaries.get(level="basic")
    assert basic.text_html == "<p>A <em>revised</em> basic summary.</p>"
    card = Flashcard.objects.get(key="card-one")
    assert card.back_html == "A large model trained on <strong>broad</strong> data."
    question = Question.objects.get(key="q-single")
    assert question.prompt == "Which statement fits a foundation model?"
    assert question.choices.get(position=0).feedback_html == "<p>Right.</p>"
    assert DialogueLine.objects.get(position=3).text == "Reused how?"


def test_edits_keep_learners_progress_on_the_section(loaded):
    now = timezone.now()
    progress = SectionProgress.objects.create(
        learner=Learner.objects.create(),
        section=section("15.1"),
        first_opened_at=now,
        last_opened_at=now,
        done_at=now,
    )
    text = replace_once(course_text(), "title: The First Section", "title: Renamed")
    text, card_one = cut(text, CARD_ONE, CARD_TWO)
    text = replace_once(text, CARD_THREE, card_one + CARD_THREE)

    load(text)

    progress.refresh_from_db()
    assert progress.section.title == "Renamed"
    assert progress.done_at == now


def test_reordering_flashcards_and_questions_keeps_their_rows(loaded):
    cards, questions, choices = card_pks(), question_pks(), choice_pks()
    text, card_one = cut(course_text(), CARD_ONE, CARD_TWO)
    text = replace_once(
        text, CARD_THREE, card_one + CARD_THREE
    )  # card-two, card-one, card-three
    text, q_single = cut(text, Q_SINGLE, Q_MULTIPLE)
    text = replace_once(
        text, Q_TRUE_FALSE, q_single + Q_TRUE_FALSE
    )  # q-multiple, q-single, ...

    report = load(text)

    assert report.changed == Counter({"flashcards": 2, "questions": 2})
    assert (card_pks(), question_pks(), choice_pks()) == (cards, questions, choices)
    assert list(section("15.1").flashcards.values_list("key", flat=True)) == [
        "card-two",
        "card-one",
        "card-three",
    ]
    assert list(section("15.1").quiz.questions.values_list("key", "position")[:3]) == [
        ("q-multiple", 0),
        ("q-single", 1),
        ("q-true-false", 2),
    ]
    assert load(text).unchanged


def test_reordering_sections_keeps_their_rows(loaded):
    first_pk, second_pk = section("15.1").pk, section("15.2").pk
    text = course_text()
    start = text.index('      - number: "15.1"\n')
    middle = text.index('      - number: "15.2"\n')
    text = text[:start] + text[middle:] + text[start:middle]

    report = load(text)

    assert report.changed == Counter({"sections": 2})
    assert list(Section.objects.order_by("position").values_list("number", "pk")) == [
        ("15.2", second_pk),
        ("15.1", first_pk),
    ]


def test_moving_a_flashcard_and_a_question_to_another_section_keeps_them(loaded):
    cards, questions, choices = card_pks(), question_pks(), choice_pks()
    text, card_three = cut(course_text(), CARD_THREE, "        glossary:\n")
    text = replace_once(text, SECOND_QUIZ, card_three + SECOND_QUIZ)
    text, q_short = cut(text, Q_SHORT, Q_NUMERIC)
    text += q_short

    report = load(text)

    assert report.added == Counter()
    assert report.removed == Counter()
    assert report.changed == Counter(
        {"flashcards": 1, "questions": 4}
    )  # q-short + 3 moved up
    assert (card_pks(), question_pks(), choice_pks()) == (cards, questions, choices)
    second = section("15.2")
    assert list(second.flashcards.values_list("key", "position")) == [
        ("card-four", 0),
        ("card-three", 1),
    ]
    assert list(second.quiz.questions.values_list("key", "position")) == [
        ("q-second", 0),
        ("q-short", 1),
    ]
    assert list(section("15.1").quiz.questions.values_list("key", flat=True)) == [
        "q-single",
        "q-multiple",
        "q-true-false",
        "q-numeric",
        "q-ordering",
        "q-matching",
    ]
    assert Question.objects.get(key="q-short").accepted_answers == [
        "fine-tuning",
        "finetuning",
    ]


def test_renumbering_a_section_keeps_its_flashcards_and_questions(loaded):
    cards, questions = card_pks(), question_pks()
    text = replace_once(course_text(), 'number: "15.2"', 'number: "15.3"')

    report = load(text)

    assert report.added["sections"] == 1
    assert report.removed["sections"] == 1
    assert section("15.3").slug == "second-section"
    assert not Section.objects.filter(number="15.2").exists()
    assert (card_pks(), question_pks()) == (cards, questions)
    assert Flashcard.objects.get(key="card-four").section == section("15.3")
    assert Question.objects.get(key="q-second").quiz == section("15.3").quiz
    assert load(text).unchanged


def test_renumbering_the_chapter_keeps_its_flashcards_and_questions(loaded):
    cards, questions, choices = card_pks(), question_pks(), choice_pks()
    text = replace_once(course_text(), "  - number: 15\n", "  - number: 16\n")
    text = replace_once(text, 'number: "15.1"', 'number: "16.1"')
    text = replace_once(text, 'number: "15.2"', 'number: "16.2"')

    report = load(text)

    assert (report.added["chapters"], report.removed["chapters"]) == (1, 1)
    assert (report.added["sections"], report.removed["sections"]) == (2, 2)
    assert list(Chapter.objects.values_list("number", flat=True)) == [16]
    assert sorted(Section.objects.values_list("number", "slug")) == [
        ("16.1", "first-section"),
        ("16.2", "second-section"),
    ]
    assert (card_pks(), question_pks(), choice_pks()) == (cards, questions, choices)
    assert Summary.objects.count() == 6
    assert load(text).unchanged


def test_inserting_a_section_before_a_renumbered_one(loaded):
    cards = card_pks()
    text = replace_once(course_text(), 'number: "15.2"', 'number: "15.3"')
    new_section = (
        '      - number: "15.2"\n'
        "        slug: inserted-section\n"
        "        title: An Inserted Section\n"
        "        status: published\n"
        "        summaries: {basic: B., medium: M., detailed: D.}\n"
    )
    text = replace_once(
        text, '      - number: "15.3"\n', new_section + '      - number: "15.3"\n'
    )

    load(text)

    assert list(
        Section.objects.order_by("position").values_list("number", "slug", "position")
    ) == [
        ("15.1", "first-section", 0),
        ("15.2", "inserted-section", 1),
        ("15.3", "second-section", 2),
    ]
    assert card_pks() == cards
    assert Flashcard.objects.get(key="card-four").section == section("15.3")
    assert load(text).unchanged


def test_removing_a_quiz_keeps_the_questions_moved_out_of_it(loaded):
    questions = question_pks()
    text = course_text()
    q_second = text[text.index("            - id: q-second\n") :]
    text = text[: text.index(SECOND_QUIZ)]  # the second section has no quiz now
    text = replace_once(
        text, '      - number: "15.2"\n', q_second + '      - number: "15.2"\n'
    )

    report = load(text)

    assert report.removed == Counter({"quizzes": 1})
    assert question_pks() == questions
    assert not Quiz.objects.filter(section=section("15.2")).exists()
    assert list(section("15.1").quiz.questions.values_list("key", flat=True))[-2:] == [
        "q-matching",
        "q-second",
    ]
    assert load(text).unchanged


def test_items_removed_from_the_file_are_removed(loaded):
    kept_cards = {
        key: pk
        for key, pk in card_pks().items()
        if key not in {"card-two", "card-four"}
    }
    text, _ = cut(course_text(), CARD_TWO, CARD_THREE)
    text = replace_once(
        text, "flashcards: [card-one, card-two]", "flashcards: [card-one]"
    )
    text, _ = cut(text, "          - kind: rhyme\n", "        flashcards:\n")
    text, _ = cut(text, "        videos:\n", "        quiz:\n")
    text, _ = cut(text, "            - id: q-matching\n", '      - number: "15.2"\n')
    text, _ = cut(
        text,
        "          - term: Fine-tuning\n            description",
        "        examples:\n",
    )
    text = text[: text.index('      - number: "15.2"\n')]

    report = load(text)

    assert set(report.removed) >= {
        "sections",
        "flashcards",
        "questions",
        "memory aids",
        "videos",
        "key concepts",
    }
    assert report.added == Counter()
    assert list(Section.objects.values_list("number", flat=True)) == ["15.1"]
    assert card_pks() == kept_cards
    assert sorted(question_pks()) == sorted(
        ["q-single", "q-multiple", "q-true-false", "q-short", "q-numeric", "q-ordering"]
    )
    first = section("15.1")
    assert list(first.memory_aids.values_list("kind", flat=True)) == ["acronym"]
    assert list(first.memory_aids.get().flashcards.values_list("key", flat=True)) == [
        "card-one"
    ]
    assert not first.videos.exists()
    assert list(first.key_concepts.values_list("term", flat=True)) == ["Pre-training"]
    assert Quiz.objects.count() == 1
    assert not Choice.objects.filter(
        question__key__in=["q-matching", "q-second"]
    ).exists()
    assert Summary.objects.count() == 3
    assert load(text).unchanged


# ---------------------------------------------------------------- nothing written on error


def test_a_bad_file_leaves_the_database_exactly_unchanged(loaded, tmp_path):
    before = snapshot()
    edited = write(
        tmp_path,
        replace_once(course_text(), "A **basic** summary.", "Edited."),
        "a.yaml",
    )
    bad = write(
        tmp_path,
        replace_once(course_text(), "          detailed: |", "          detaled: |"),
        "b.yaml",
    )

    with pytest.raises(CourseFileError) as excinfo:
        load_course_files([edited, bad])

    assert [error.message for error in excinfo.value.errors] == [
        "missing required key 'detailed'",
        "unknown key 'detaled'",
    ]
    assert {error.file for error in excinfo.value.errors} == {str(bad)}
    assert snapshot() == before


def test_second_file_bad_writes_nothing_from_the_first(db, tmp_path):
    first = write(tmp_path, course_text(), "a.yaml")
    other = replace_once(course_text(), "slug: test-course", "slug: other-course")
    second = write(
        tmp_path, replace_once(other, "- kind: rhyme", "- kind: poem"), "b.yaml"
    )
    before = snapshot()

    with pytest.raises(CourseFileError) as excinfo:
        load_course_files([first, second])

    [error] = excinfo.value.errors
    assert (error.file, error.path) == (
        str(second),
        "chapters[0].sections[0].memory_aids[1].kind",
    )
    assert snapshot() == before
    assert not Course.objects.exists()


def test_a_failure_while_writing_rolls_back_every_course(loaded, tmp_path, monkeypatch):
    edited = write(
        tmp_path,
        replace_once(course_text(), "A **basic** summary.", "Edited."),
        "a.yaml",
    )
    other = write(
        tmp_path,
        replace_once(course_text(), "slug: test-course", "slug: other-course"),
        "b.yaml",
    )
    before = snapshot()
    real_load_course = content.load_course

    def load_then_fail(spec):
        report = real_load_course(spec)
        if spec.slug == "other-course":
            raise RuntimeError("the disk is full")
        return report

    monkeypatch.setattr(content, "load_course", load_then_fail)

    with pytest.raises(RuntimeError, match="the disk is full"):
        load_course_files([edited, other])

    assert snapshot() == before


def test_load_course_files_loads_every_file(db, tmp_path):
    first = write(tmp_path, course_text(), "a.yaml")
    second = write(
        tmp_path,
        replace_once(course_text(), "slug: test-course", "slug: other-course"),
        "b.yaml",
    )

    reports = load_course_files([first, second])

    assert [report.course for report in reports] == ["test-course", "other-course"]
    assert sorted(Course.objects.values_list("slug", flat=True)) == [
        "other-course",
        "test-course",
    ]
    assert Flashcard.objects.count() == 8
    # Ids are unique per course, not across courses.
    assert Flashcard.objects.filter(key="card-one").count() == 2


def test_the_same_course_in_two_files_is_refused(db, tmp_path):
    first = write(tmp_path, course_text(), "a.yaml")
    second = write(tmp_path, course_text(), "b.yaml")

    with pytest.raises(CourseFileError) as excinfo:
        load_course_files([first, second])

    assert excinfo.value.errors == [
        ContentError("<files>", 0, "", "course 'test-course' is in more than one file")
    ]
    assert not Course.objects.exists()


def test_a_missing_file_is_reported_with_the_others(db, tmp_path):
    missing = tmp_path / "missing.yaml"
    bad = write(tmp_path, "", "empty.yaml")

    with pytest.raises(CourseFileError) as excinfo:
        load_course_files([missing, bad])

    assert [str(error) for error in excinfo.value.errors] == [
        f"{missing}:0: cannot read the file: No such file or directory",
        f"{bad}:1: the file is empty",
    ]
    assert not Course.objects.exists()


# ---------------------------------------------------------------- dumping


def test_dump_is_a_valid_course_file_with_the_same_content(loaded):
    dumped = dump_course(Course.objects.get())
    spec = parse_course_file(dumped, file="dump.yaml")
    original = parse_course_file(course_text(), file="course.yaml")

    assert dumped.startswith(
        "slug: test-course\ntitle: A Test Course\ndescription: |\n"
    )
    # The script loses its blank line; everything else is the same.
    assert spec.chapters[0].sections[0].dialogues[0].lines() == (
        original.chapters[0].sections[0].dialogues[0].lines()
    )
    assert spec.model_dump(exclude={"chapters"}) == original.model_dump(
        exclude={"chapters"}
    )
    for dumped_section, original_section in zip(
        spec.chapters[0].sections, original.chapters[0].sections, strict=True
    ):
        assert dumped_section.model_dump(
            exclude={"dialogues"}
        ) == original_section.model_dump(exclude={"dialogues"})


def test_loading_a_dump_changes_nothing(loaded):
    before = snapshot()

    report = load(dump_course(Course.objects.get()))

    assert report.unchanged
    assert snapshot() == before


def test_round_trip_is_stable(loaded):
    first_dump = dump_course(Course.objects.get())
    Course.objects.all().delete()
    assert not Flashcard.objects.exists()

    load(first_dump)
    second_dump = dump_course(Course.objects.get())
    Course.objects.all().delete()
    load(second_dump)
    third_dump = dump_course(Course.objects.get())

    assert second_dump == first_dump
    assert third_dump.encode("utf-8") == first_dump.encode("utf-8")
