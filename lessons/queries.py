"""Read path for the section page: one section with every part prefetched."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from lessons.models import Dialogue, MemoryAid, Section


def visible_sections(user) -> QuerySet[Section]:
    """Published sections, and drafts too for staff."""
    sections = Section.objects.all()
    if not getattr(user, "is_staff", False):
        sections = sections.filter(status=Section.Status.PUBLISHED)
    return sections


def visible_section(*, course_slug: str, number: str, user) -> Section:
    """Just the section (with its course), for writes; 404 when unknown or not visible."""
    section = (
        visible_sections(user)
        .filter(course__slug=course_slug, number=number)
        .select_related("course")
        .first()
    )
    if section is None:
        raise Http404("No such section.")
    return section


def section_page(*, course_slug: str, number: str, user) -> Section:
    """The section with all its parts, or 404 when unknown or a draft the user can't see.

    The number of queries does not depend on how much content the section has.
    """
    section = (
        visible_sections(user)
        .filter(course__slug=course_slug, number=number)
        .select_related("course", "chapter", "quiz")
        .annotate(question_count=Count("quiz__questions"))
        .prefetch_related(
            "summaries",
            Prefetch("dialogues", queryset=Dialogue.objects.prefetch_related("lines")),
            "explainers",
            "key_concepts",
            "examples",
            Prefetch(
                "memory_aids", queryset=MemoryAid.objects.prefetch_related("flashcards")
            ),
            "flashcards",
            "glossary_terms",
            "videos",
        )
        .first()
    )
    if section is None:
        raise Http404("No such section.")
    return section


def neighbours(*, section: Section, user) -> tuple[Section | None, Section | None]:
    """The visible sections before and after ``section`` in its course, in one query."""
    ordered = list(
        visible_sections(user)
        .filter(course_id=section.course_id)
        .order_by("chapter__number", "position")
        .only("pk", "number", "title", "course_id")
    )
    ids = [s.pk for s in ordered]
    here = ids.index(section.pk)
    previous = ordered[here - 1] if here > 0 else None
    following = ordered[here + 1] if here + 1 < len(ordered) else None
    return previous, following
