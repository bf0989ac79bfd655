"""Importing and exporting course files in the Course admin."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.apps import apps
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from courses.models import Course
from lessons import course_import
from lessons.content import dump_course, load_course_files
from lessons.course_file import CourseFileError, parse_course_file
from lessons.models import Flashcard
from quizzes.models import Question
from tests.courses.factories import StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db

FIXTURE = (
    Path(__file__).resolve().parents[2] / "fixtures" / "advanced-machine-learning.yaml"
)
IMPORT_URL = reverse("admin:courses_course_import")
APPLY_URL = reverse("admin:courses_course_import_apply")


@pytest.fixture
def instructor(db):
    user = StaffUserFactory()
    user.groups.add(Group.objects.get(name="Instructors"))
    return user


@pytest.fixture
def instructor_client(client, instructor):
    client.force_login(instructor)
    return client


@pytest.fixture
def course() -> Course:
    load_course_files([FIXTURE])
    return Course.objects.get(slug=yaml.safe_load(FIXTURE.read_text())["slug"])


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the three apps' tables and of the admin log."""
    rows = {"admin log": list(LogEntry.objects.order_by("pk").values_list())}
    for label in ("courses", "lessons", "quizzes"):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            rows[model._meta.label] = list(model.objects.order_by("pk").values_list())
    return rows


def upload(client, text: str | bytes, name: str = "course.yaml"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, data)})


def dump(data: dict) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000)


def edited_fixture() -> tuple[str, dict[str, dict[str, int]]]:
    """The shipped course with a section, a flashcard and a question each added, changed
    and removed; and the counts a load of it must report for those three kinds."""
    data = yaml.safe_load(FIXTURE.read_text())
    sections = data["chapters"][0]["sections"]
    first, second, third, last = sections[0], sections[1], sections[2], sections[-1]

    # Section: change the first's title, remove the last, add a new one at the end.
    first["title"] += " (revised)"
    sections.remove(last)
    new_section = {
        "number": "15.9",
        "slug": "a-new-section",
        "title": "A new section",
        "status": "draft",
        "summaries": {"basic": "Basic.", "medium": "Medium.", "detailed": "Detailed."},
        "flashcards": [{"id": "new-card-a", "front": "Front?", "back": "Back."}],
        "quiz": {
            "title": "New quiz",
            "questions": [
                {
                    "id": "new-question-a",
                    "kind": "true_false",
                    "prompt": "True?",
                    "explanation": "Yes.",
                    "answer": True,
                }
            ],
        },
    }
    sections.append(new_section)
    # Flashcard: change one, append one, remove the last of another section (at the end
    # of their lists, so no other card changes place), unlinking it from its memory aids.
    second["flashcards"][0]["back"] += " Revised."
    second["flashcards"].append(
        {"id": "new-card-b", "front": "Another front?", "back": "Another back."}
    )
    removed_card = third["flashcards"].pop()["id"]
    for aid in third.get("memory_aids", []):
        if removed_card in aid.get("flashcards", []):
            aid["flashcards"].remove(removed_card)
    # Question: the same.
    second["quiz"]["questions"][0]["prompt"] += " (revised)"
    extra_question = copy.deepcopy(new_section["quiz"]["questions"][0])
    extra_question["id"] = "new-question-b"
    second["quiz"]["questions"].append(extra_question)
    third["quiz"]["questions"].pop()

    expected = {
        "sections": {"added": 1, "changed": 1, "removed": 1},
        "flashcards": {
            "added": 2,
            "changed": 1,
            "removed": 1 + len(last["flashcards"]),
        },
        "questions": {
            "added": 2,
            "changed": 1,
            "removed": 1 + len(last["quiz"]["questions"]),
        },
        "quizzes": {"added": 1, "changed": 0, "removed": 1},
    }
    return dump(data), expected


def expected_names(old: str, new: str) -> list[tuple[str, list[str]]]:
    """("Sections added", [...]) ... for the sections, flashcards and questions that are
    in one course file and not the other."""

    def names(text: str) -> dict[str, dict[str, str]]:
        sections = [s for c in yaml.safe_load(text)["chapters"] for s in c["sections"]]
        return {
            "sections": {s["number"]: f"{s['number']} {s['title']}" for s in sections},
            "flashcards": {f["id"]: f["id"] for s in sections for f in s["flashcards"]},
            "questions": {
                q["id"]: q["id"]
                for s in sections
                if s.get("quiz")
                for q in s["quiz"]["questions"]
            },
        }

    before, after = names(old), names(new)
    result = []
    for kind in ("sections", "flashcards", "questions"):
        for how, one, other in (("added", after, before), ("removed", before, after)):
            if found := sorted(one[kind][k] for k in one[kind].keys() - other[kind]):
                result.append((f"{kind.capitalize()} {how}", found))
    return result


def preview_counts(response) -> dict[str, dict[str, int]]:
    rows = response.context["rows"]
    return {
        row.kind: {"added": row.added, "changed": row.changed, "removed": row.removed}
        for row in rows
    }


# ---------------------------------------------------------------- preview and apply


def test_import_page_offers_an_upload_form(instructor_client):
    response = instructor_client.get(IMPORT_URL)
    assert response.status_code == 200
    assert b'type="file"' in response.content
    assert b'enctype="multipart/form-data"' in response.content


def test_preview_counts_what_an_edit_of_the_shipped_course_changes(
    instructor_client, course
):
    text, expected = edited_fixture()
    before = snapshot()
    response = upload(instructor_client, text)
    assert response.status_code == 200
    counts = preview_counts(response)
    for kind, want in expected.items():
        assert counts[kind] == want, kind
    assert "courses" not in counts  # same title and description
    assert response.context["existing"] == course
    # And by name, what comes and goes: worked out here from the two files.
    assert response.context["named"] == expected_names(FIXTURE.read_text(), text)
    assert ("Sections added", ["15.9 A new section"]) in response.context["named"]
    assert len(response.context["named"]) == 6
    html = response.content.decode()
    assert "<caption>" in html
    assert 'scope="col"' in html
    assert 'scope="row"' in html
    assert "<li>15.9 A new section</li>" in html
    # A preview is only a preview.
    assert snapshot() == before


def test_apply_writes_exactly_what_was_previewed(instructor_client, instructor, course):
    text, expected = edited_fixture()
    kept_card = Flashcard.objects.get(key="fm2-card-place")
    kept_question_pk = Question.objects.get(
        key=yaml.safe_load(text)["chapters"][0]["sections"][1]["quiz"]["questions"][0][
            "id"
        ]
    ).pk
    preview = upload(instructor_client, text)
    previewed = preview_counts(preview)

    response = instructor_client.post(APPLY_URL, {"token": preview.context["token"]})

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:courses_course_change", args=[course.pk]
    )
    # The database now holds exactly the file ...
    assert parse_course_file(dump_course(course)) == parse_course_file(text)
    # ... updated in place, so students' history stays.
    assert Flashcard.objects.get(key="fm2-card-place").pk == kept_card.pk
    assert Question.objects.filter(pk=kept_question_pk).exists()
    # The admin log says what changed, in the same counts as the preview.
    entry = LogEntry.objects.get()
    assert (entry.user, entry.object_id, entry.action_flag) == (
        instructor,
        str(course.pk),
        CHANGE,
    )
    for kind in expected:
        for how in ("added", "changed", "removed"):
            if previewed[kind][how]:
                assert f"{previewed[kind][how]} {kind}" in entry.change_message
    # Applying the same file again changes nothing.
    again = upload(instructor_client, text)
    assert again.context["rows"] == []
    assert b'id="import-unchanged"' in again.content


def test_importing_a_new_course_creates_it_and_logs_an_addition(instructor_client):
    text = FIXTURE.read_text()
    preview = upload(instructor_client, text, name="aml.yaml")
    assert preview.context["existing"] is None
    assert not Course.objects.exists()  # the dry run was rolled back
    assert preview_counts(preview)["courses"] == {
        "added": 1,
        "changed": 0,
        "removed": 0,
    }

    instructor_client.post(APPLY_URL, {"token": preview.context["token"]})

    course = Course.objects.get()
    assert parse_course_file(dump_course(course)) == parse_course_file(text)
    entry = LogEntry.objects.get()
    assert entry.action_flag == ADDITION
    assert "aml.yaml" in entry.change_message


# ---------------------------------------------------------------- refusals


def test_errors_are_listed_with_their_lines_as_loadcourse_reports_them(
    instructor_client, course
):
    text = FIXTURE.read_text()
    lines = text.splitlines()
    title_line = next(
        i
        for i, line in enumerate(lines, 1)
        if line.strip().startswith("title: ") and i > 5
    )
    bad = (
        "\n".join(
            line.replace(line.split("title: ", 1)[1], '""') if i == title_line else line
            for i, line in enumerate(lines, 1)
        )
        + "\n"
    )
    bad = bad.replace("kind: single_choice", "kind: essay", 1)
    with pytest.raises(CourseFileError) as raised:
        parse_course_file(bad, file="bad.yaml")
    expected = [str(error) for error in raised.value.errors]
    assert len(expected) == 2
    assert any(f"bad.yaml:{title_line}:" in message for message in expected)
    before = snapshot()

    response = upload(instructor_client, bad, name="bad.yaml")

    assert response.status_code == 200
    assert [str(e) for e in response.context["errors"]] == expected
    html = response.content.decode()
    for message in expected:
        assert message.replace('"', "&quot;").replace("'", "&#x27;") in html
    assert "token" not in response.context or not response.context.get("token")
    assert snapshot() == before


def test_a_tampered_token_is_refused_with_400_and_changes_nothing(
    instructor_client, course
):
    text, _expected = edited_fixture()
    token = upload(instructor_client, text).context["token"]
    before = snapshot()
    # Flip one character of the signed payload.
    tampered = token[:10] + ("A" if token[10] != "A" else "B") + token[11:]

    for bad in (tampered, "", "not-a-token"):
        response = instructor_client.post(APPLY_URL, {"token": bad})
        assert response.status_code == 400
        assert b"could not be verified" in response.content
    assert snapshot() == before


def test_a_token_made_for_another_user_is_refused(instructor_client, client, course):
    text, _expected = edited_fixture()
    token = upload(instructor_client, text).context["token"]
    other = StaffUserFactory(is_superuser=True)
    client.force_login(other)
    before = snapshot()
    response = client.post(APPLY_URL, {"token": token})
    assert response.status_code == 400
    assert b"another user" in response.content
    assert snapshot() == before


def test_an_expired_token_is_refused(instructor_client, course, monkeypatch):
    text, _expected = edited_fixture()
    token = upload(instructor_client, text).context["token"]
    monkeypatch.setattr(course_import, "TOKEN_MAX_AGE", -1)
    before = snapshot()
    response = instructor_client.post(APPLY_URL, {"token": token})
    assert response.status_code == 400
    assert b"expired" in response.content
    assert snapshot() == before


def test_a_failure_while_applying_changes_nothing(
    instructor_client, course, monkeypatch
):
    text, _expected = edited_fixture()
    token = upload(instructor_client, text).context["token"]
    before = snapshot()
    real_load = course_import.load_course

    def load_then_fail(spec):
        real_load(spec)  # every write done ...
        from django.db import IntegrityError

        raise IntegrityError("simulated failure")  # ... then the database refuses

    monkeypatch.setattr(course_import, "load_course", load_then_fail)
    response = instructor_client.post(APPLY_URL, {"token": token})
    assert response.status_code == 200
    assert b"could not be loaded" in response.content
    assert snapshot() == before


@override_settings(COURSE_FILE_MAX_BYTES=4096)
def test_a_file_over_the_size_limit_is_refused_before_reading(instructor_client):
    response = upload(instructor_client, b"#" * 4097, name="big.yaml")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["file"] == [
        "The file is larger than 4 KiB, the most a course file may be."
    ]
    assert not Course.objects.exists()


def test_apply_needs_post(instructor_client):
    assert instructor_client.get(APPLY_URL).status_code == 405


# ---------------------------------------------------------------- export


def test_export_is_byte_identical_to_dumpcourse(instructor_client, course, tmp_path):
    out = tmp_path / "dumped.yaml"
    call_command("dumpcourse", course.slug, "-o", str(out))

    response = instructor_client.get(
        reverse("admin:courses_course_export", args=[course.pk])
    )

    assert response.status_code == 200
    assert response.content == out.read_bytes()
    assert response["Content-Type"] == "application/yaml; charset=utf-8"
    assert (
        response["Content-Disposition"] == f'attachment; filename="{course.slug}.yaml"'
    )


def test_export_of_an_unknown_course_is_404(instructor_client):
    url = reverse("admin:courses_course_export", args=[999_999])
    assert instructor_client.get(url).status_code == 404


def test_course_pages_link_to_import_and_export(instructor_client, course):
    changelist = instructor_client.get(reverse("admin:courses_course_changelist"))
    assert IMPORT_URL.encode() in changelist.content
    change = instructor_client.get(
        reverse("admin:courses_course_change", args=[course.pk])
    )
    assert (
        reverse("admin:courses_course_export", args=[course.pk]).encode()
        in change.content
    )


# ---------------------------------------------------------------- permissions


def _staff_with(*codenames: str):
    user = StaffUserFactory()
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="courses", codename__in=codenames
        )
    )
    return user


@pytest.mark.parametrize(
    ("codenames", "can_import", "can_export"),
    [
        ((), False, False),
        (("view_course",), False, False),
        (("change_course",), False, True),
        (("add_course", "change_course"), True, True),
    ],
)
def test_staff_get_what_their_permissions_give(
    client, course, codenames, can_import, can_export
):
    client.force_login(_staff_with(*codenames))
    export_url = reverse("admin:courses_course_export", args=[course.pk])
    assert client.get(IMPORT_URL).status_code == (200 if can_import else 403)
    assert client.post(APPLY_URL, {"token": "x"}).status_code == (
        400 if can_import else 403
    )
    assert client.get(export_url).status_code == (200 if can_export else 403)
    changelist = client.get(reverse("admin:courses_course_changelist"))
    if changelist.status_code == 200:
        assert (IMPORT_URL.encode() in changelist.content) == can_import


def test_students_never_reach_the_admin_import(client, course):
    client.force_login(UserFactory())
    for url in (IMPORT_URL, reverse("admin:courses_course_export", args=[course.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    before = snapshot()
    response = client.post(APPLY_URL, {"token": "x"})
    assert response.status_code == 302
    assert snapshot() == before


def test_a_file_too_large_to_sign_into_the_form_is_refused(instructor_client, settings):
    text = FIXTURE.read_text()
    # Below the size of the file once signed (about 40 % of it).
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = len(text) // 4
    response = upload(instructor_client, text)
    assert "token" not in response.context
    assert b"too large to carry from the preview" in response.content
    assert not Course.objects.exists()
