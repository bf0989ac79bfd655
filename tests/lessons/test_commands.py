"""The loadcourse and dumpcourse commands, and the course files shipped in fixtures/."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from courses.models import Course
from lessons.content import dump_course
from lessons.course_file import parse_course_file
from lessons.models import Flashcard, Section
from quizzes.models import Question
from tests.lessons.course_files import (
    COURSE_SLUG,
    course_text,
    line_of,
    replace_once,
    write,
)

pytestmark = pytest.mark.django_db

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
FIXTURES = sorted((PROJECT_ROOT / "fixtures").glob("*.yaml"))
SHIPPED_COURSE = "advanced-machine-learning"


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for label in ("courses", "lessons", "quizzes")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }


# ---------------------------------------------------------------- loadcourse


def test_loadcourse_loads_a_file_and_prints_a_report(tmp_path):
    path = write(tmp_path, course_text())

    out, err = run("loadcourse", str(path))

    assert out.startswith("test-course: added 1 chapters, 14 choices, 1 courses, ")
    assert out.endswith(", 6 summaries, 1 videos\n")
    assert err == ""
    assert Course.objects.get().slug == COURSE_SLUG
    assert Flashcard.objects.count() == 4
    assert Question.objects.count() == 8


def test_loadcourse_twice_reports_unchanged(tmp_path):
    path = write(tmp_path, course_text())
    run("loadcourse", str(path))
    before = row_counts()

    out, _err = run("loadcourse", str(path))

    assert out == "test-course: unchanged\n"
    assert row_counts() == before


def test_loadcourse_reports_edits(tmp_path):
    path = write(tmp_path, course_text())
    run("loadcourse", str(path))
    write(
        tmp_path,
        replace_once(
            course_text(), "back: Describing the task", "back: Saying the task"
        ),
    )

    out, _err = run("loadcourse", str(path))

    assert out == "test-course: changed 1 flashcards\n"
    assert (
        Flashcard.objects.get(key="card-four").back == "Saying the task in the input."
    )


def test_loadcourse_with_a_bad_file_writes_the_errors_and_nothing_else(tmp_path):
    good = write(tmp_path, course_text(), "good.yaml")
    run("loadcourse", str(good))
    before = row_counts()
    text = replace_once(course_text(), "          detailed: |", "          detaled: |")
    text = replace_once(text, "- kind: rhyme", "- kind: poem")
    bad = write(
        tmp_path,
        replace_once(text, "back: Describing the task", "back: Edited"),
        "bad.yaml",
    )
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError, match=r"^3 errors; nothing was written\.$"):
        call_command("loadcourse", str(bad), stdout=out, stderr=err)

    s0 = "chapters[0].sections[0]"
    assert err.getvalue().splitlines() == [
        f"{bad}:{line_of(text, 'summaries:')}: {s0}.summaries: missing required key 'detailed'",
        f"{bad}:{line_of(text, 'detaled:')}: {s0}.summaries: unknown key 'detaled'",
        f"{bad}:{line_of(text, 'kind: poem')}: {s0}.memory_aids[1].kind: "
        "expected one of 'rhyme', 'story', 'memory_gem' or 'acronym'",
    ]
    assert out.getvalue() == ""
    assert row_counts() == before
    assert (
        Flashcard.objects.get(key="card-four").back
        == "Describing the task in the input."
    )


def test_loadcourse_with_one_bad_file_of_two_writes_nothing(tmp_path, capsys):
    good = write(tmp_path, course_text(), "good.yaml")
    bad = write(tmp_path, "- just\n- a list\n", "bad.yaml")

    with pytest.raises(CommandError, match=r"^1 error; nothing was written\.$"):
        call_command("loadcourse", str(good), str(bad))

    captured = capsys.readouterr()
    assert (
        captured.err
        == f"{bad}:1: a course file is a mapping with slug, title and chapters\n"
    )
    assert captured.out == ""
    assert not Course.objects.exists()


def test_loadcourse_with_a_missing_file(tmp_path):
    missing = tmp_path / "missing.yaml"
    err = StringIO()

    with pytest.raises(CommandError, match="1 error"):
        call_command("loadcourse", str(missing), stdout=StringIO(), stderr=err)

    assert (
        err.getvalue()
        == f"{missing}:0: cannot read the file: No such file or directory\n"
    )


def test_loadcourse_check_validates_without_writing(tmp_path):
    path = write(tmp_path, course_text())

    out, err = run("loadcourse", "--check", str(path))

    assert (out, err) == ("test-course: valid\n", "")
    assert not Course.objects.exists()
    assert sum(row_counts().values()) == 0


def test_loadcourse_check_reports_errors(tmp_path):
    text = replace_once(course_text(), "- id: card-four", "- id: card-two")
    path = write(tmp_path, text)
    err = StringIO()

    with pytest.raises(CommandError, match="1 error; nothing was written"):
        call_command("loadcourse", "--check", str(path), stdout=StringIO(), stderr=err)

    line = line_of(text, "- id: card-two", after="title: The Second Section")
    assert err.getvalue() == (
        f"{path}:{line}: chapters[0].sections[1].flashcards[0].id: "
        "flashcard id 'card-two' is used twice in the course\n"
    )
    assert not Course.objects.exists()


# ---------------------------------------------------------------- dumpcourse


def test_dumpcourse_writes_the_course_to_a_file(tmp_path):
    run("loadcourse", str(write(tmp_path, course_text())))
    output = tmp_path / "dumped.yaml"

    out, _err = run("dumpcourse", COURSE_SLUG, "-o", str(output))

    assert out == ""
    dumped = output.read_text(encoding="utf-8")
    assert dumped == dump_course(Course.objects.get())
    assert parse_course_file(dumped, file=str(output)).slug == COURSE_SLUG


def test_dumpcourse_writes_to_standard_output(tmp_path):
    run("loadcourse", str(write(tmp_path, course_text())))

    out, _err = run("dumpcourse", COURSE_SLUG)

    assert out == dump_course(Course.objects.get())
    assert out.startswith("slug: test-course\n")


def test_dumpcourse_then_loadcourse_changes_nothing(tmp_path):
    run("loadcourse", str(write(tmp_path, course_text())))
    output = tmp_path / "dumped.yaml"
    run("dumpcourse", COURSE_SLUG, "--output", str(output))

    out, _err = run("loadcourse", str(output))

    assert out == "test-course: unchanged\n"


def test_dumpcourse_of_an_unknown_course(tmp_path):
    output = tmp_path / "unknown.yaml"

    with pytest.raises(CommandError, match="^no course with the slug 'unknown'$"):
        call_command("dumpcourse", "unknown", "-o", str(output), stdout=StringIO())

    assert not output.exists()


# ---------------------------------------------------------------- the shipped course files


def test_fixtures_exist():
    assert FIXTURES, "no course files in fixtures/"
    assert PROJECT_ROOT / "fixtures" / f"{SHIPPED_COURSE}.yaml" in FIXTURES


def test_every_fixture_loads_and_is_its_own_canonical_dump(tmp_path):
    out, err = run("loadcourse", *map(str, FIXTURES))

    assert err == ""
    assert len(out.splitlines()) == len(FIXTURES)
    for path in FIXTURES:
        text = path.read_text(encoding="utf-8")
        slug = parse_course_file(text, file=str(path)).slug
        assert f"{slug}: added " in out
        output = tmp_path / path.name
        run("dumpcourse", slug, "-o", str(output))
        assert output.read_bytes() == path.read_bytes(), (
            f"{path.name} is not a canonical dump"
        )
    again, _err = run("loadcourse", *map(str, FIXTURES))
    assert all(line.endswith(": unchanged") for line in again.splitlines())


@pytest.fixture
def shipped_course() -> Course:
    call_command("loadcourse", *map(str, FIXTURES), stdout=StringIO())
    return Course.objects.get(slug=SHIPPED_COURSE)


def test_shipped_course_meets_the_content_minimums(shipped_course):
    sections = list(
        Section.objects.filter(course=shipped_course)
        .select_related("quiz")
        .prefetch_related(
            "summaries",
            "dialogues__lines",
            "explainers",
            "key_concepts",
            "examples",
            "memory_aids",
            "flashcards",
            "glossary_terms",
            "quiz__questions",
        )
    )

    assert len(sections) >= 5
    for section in sections:
        where = f"section {section.number}"
        assert sorted(s.level for s in section.summaries.all()) == [
            "basic",
            "detailed",
            "medium",
        ], where
        assert any(
            is_full_dialogue(dialogue) for dialogue in section.dialogues.all()
        ), where
        assert len(section.explainers.all()) >= 3, where
        assert len(section.key_concepts.all()) >= 4, where
        assert len(section.examples.all()) >= 3, where
        assert len({aid.kind for aid in section.memory_aids.all()}) >= 3, where
        assert len(section.flashcards.all()) >= 10, where
        assert len(section.glossary_terms.all()) >= 3, where
        assert len(section.quiz.questions.all()) >= 8, where


def is_full_dialogue(dialogue) -> bool:
    """Eight or more lines, a teacher and two or more different students."""
    lines = list(dialogue.lines.all())
    students = {line.speaker for line in lines if line.role == "student"}
    return (
        len(lines) >= 8
        and any(line.role == "teacher" for line in lines)
        and len(students) >= 2
    )


def test_shipped_first_section_is_complete(shipped_course):
    first = Section.objects.get(course=shipped_course, number="15.1")

    assert sorted(first.memory_aids.values_list("kind", flat=True).distinct()) == [
        "acronym",
        "memory_gem",
        "rhyme",
        "story",
    ]
    assert first.flashcards.count() >= 10
    assert first.quiz.questions.count() >= 10
    assert first.videos.exists()
    assert all(video.url.startswith("https://") for video in first.videos.all())


def test_shipped_chapter_uses_every_question_kind(shipped_course):
    kinds = set(
        Question.objects.filter(quiz__section__course=shipped_course).values_list(
            "kind", flat=True
        )
    )

    assert kinds == set(Question.Kind.values)
