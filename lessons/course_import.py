"""Importing a course file through the admin: validate, preview, then apply.

The preview is a dry run of ``lessons.content.load_course`` (the loader ``loadcourse``
uses) in a transaction that is rolled back, so what it counts is exactly what applying
the file would do, with one code path for both. Between the preview and "Apply" the file
travels in the form as signed, compressed text: the server keeps nothing, and a token
that was tampered with, made for another user, or is too old is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing
from django.db import transaction

from courses.models import Course
from lessons.content import LoadReport, load_course
from lessons.course_file import CourseSpec, parse_course_file
from lessons.models import Flashcard, Section
from quizzes.models import Question

__all__ = [
    "ImportPreview",
    "ImportTokenError",
    "PreviewRow",
    "course_import_apply",
    "course_import_preview",
    "import_token_make",
    "import_token_read",
    "preview_rows",
]

TOKEN_SALT = "lessons.course_import"
TOKEN_MAX_AGE = 60 * 60  # seconds between preview and apply

# The kinds of row a load counts (``LoadReport``'s labels), in the order a course is read.
REPORT_KINDS = [
    "courses",
    "chapters",
    "sections",
    "summaries",
    "dialogues",
    "dialogue lines",
    "explainers",
    "key concepts",
    "examples",
    "memory aids",
    "memory aid links",
    "flashcards",
    "glossary terms",
    "videos",
    "quizzes",
    "questions",
    "choices",
]


class ImportTokenError(Exception):
    """The signed file from the preview cannot be trusted or has expired."""


@dataclass(frozen=True)
class PreviewRow:
    kind: str
    added: int
    changed: int
    removed: int


def preview_rows(report: LoadReport) -> list[PreviewRow]:
    """One row per kind of row the load touches, in reading order (kinds it leaves alone
    are left out)."""
    kinds = REPORT_KINDS + sorted(
        ({*report.added, *report.changed, *report.removed}) - set(REPORT_KINDS)
    )
    return [
        PreviewRow(kind, report.added[kind], report.changed[kind], report.removed[kind])
        for kind in kinds
        if report.added[kind] or report.changed[kind] or report.removed[kind]
    ]


@dataclass(frozen=True)
class ImportPreview:
    """What loading a file would change: counts per kind of row, and by name the sections,
    flashcards and questions it would add or remove."""

    report: LoadReport
    added: dict[str, list[str]]
    removed: dict[str, list[str]]

    @property
    def rows(self) -> list[PreviewRow]:
        return preview_rows(self.report)

    @property
    def named(self) -> list[tuple[str, list[str]]]:
        """("Sections added", names) and so on, for the kinds that have any."""
        return [
            (f"{kind.capitalize()} {how}", names[kind])
            for kind in ("sections", "flashcards", "questions")
            for how, names in (("added", self.added), ("removed", self.removed))
            if names[kind]
        ]


def _names(slug: str) -> dict[str, dict[str, str]]:
    """The course's sections (by number), flashcards and questions (by id), named."""
    return {
        "sections": {
            number: f"{number} {title}"
            for number, title in Section.objects.filter(course__slug=slug).values_list(
                "number", "title"
            )
        },
        "flashcards": {
            key: key
            for key in Flashcard.objects.filter(section__course__slug=slug).values_list(
                "key", flat=True
            )
        },
        "questions": {
            key: key
            for key in Question.objects.filter(
                quiz__section__course__slug=slug
            ).values_list("key", flat=True)
        },
    }


def course_import_preview(*, spec: CourseSpec) -> ImportPreview:
    """What loading ``spec`` would change, found by loading it and rolling back."""
    with transaction.atomic():
        before = _names(spec.slug)
        report = load_course(spec)
        after = _names(spec.slug)
        transaction.set_rollback(True)
    return ImportPreview(
        report=report,
        added={
            kind: sorted(after[kind][k] for k in after[kind].keys() - before[kind])
            for kind in after
        },
        removed={
            kind: sorted(before[kind][k] for k in before[kind].keys() - after[kind])
            for kind in before
        },
    )


def import_token_make(*, text: str, name: str, user_id: int) -> str:
    """The file, signed for this user, to send back with "Apply"."""
    return signing.dumps(
        {"text": text, "name": name, "user": user_id}, salt=TOKEN_SALT, compress=True
    )


def import_token_read(token: str, *, user_id: int) -> tuple[str, str]:
    """(text, file name) from a token made by ``import_token_make`` for this user."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        raise ImportTokenError(
            "This preview has expired. Upload the course file again."
        ) from None
    except signing.BadSignature:
        raise ImportTokenError(
            "The previewed course file could not be verified (the form was changed). "
            "Nothing was imported; upload the course file again."
        ) from None
    if not isinstance(data, dict) or data.get("user") != user_id:
        raise ImportTokenError(
            "This preview was made for another user. Upload the course file again."
        )
    return data["text"], data["name"]


def course_import_apply(*, text: str, name: str) -> tuple[Course, LoadReport]:
    """Validate and load the previewed file (raises ``CourseFileError`` as the loader does)."""
    spec = parse_course_file(text, file=name)
    report = load_course(spec)
    return Course.objects.get(slug=spec.slug), report
