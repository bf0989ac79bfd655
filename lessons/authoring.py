"""Instructors' writes on a whole section: duplicate it, publish or unpublish it.

Rows are saved one by one (never ``bulk_create``/``update``), so their Markdown is
rendered and the signals that keep the section's cached page fresh fire. The quiz is
copied by ``quizzes.authoring.quiz_duplicate`` (``lessons`` does not import ``quizzes``);
the admin calls both in one transaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import models, transaction
from django.db.models import Max

from lessons.models import (
    Dialogue,
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

COPY_SUFFIX = "copy"


def unique_key(base: str, taken: Iterable[str], *, max_length: int) -> str:
    """``base-copy``, else ``base-copy-2``, ``-3``…: the first not in ``taken``."""
    taken = set(taken)
    n = 1
    while True:
        suffix = f"-{COPY_SUFFIX}" + (f"-{n}" if n > 1 else "")
        candidate = base[: max_length - len(suffix)].rstrip("-") + suffix
        if candidate not in taken:
            return candidate
        n += 1


def next_section_number(*, section: Section) -> str:
    """The next free "C.N" number in the section's chapter (C is the chapter's number)."""
    prefix = f"{section.chapter.number}."
    pattern = re.compile(rf"^{re.escape(prefix)}(\d+)")
    numbers = Section.objects.filter(
        course_id=section.course_id, number__startswith=prefix
    ).values_list("number", flat=True)
    highest = max(
        (int(match[1]) for number in numbers if (match := pattern.match(number))),
        default=0,
    )
    return f"{prefix}{highest + 1}"


def _copy(row: models.Model, **changes) -> models.Model:
    row.pk = None
    row._state.adding = True
    for name, value in changes.items():
        setattr(row, name, value)
    row.save()
    return row


def section_duplicate(*, section: Section) -> Section:
    """A draft copy of ``section`` with every lesson part, last in its chapter.

    It gets the next free number in the chapter, a unique slug, "(copy)" after its title
    and flashcard ids unique in the course (the course file and drills need them unique).
    """
    with transaction.atomic():
        section = Section.objects.select_related("chapter").get(pk=section.pk)
        last = Section.objects.filter(chapter_id=section.chapter_id).aggregate(
            last=Max("position")
        )["last"]
        slugs = Section.objects.filter(course_id=section.course_id).values_list(
            "slug", flat=True
        )
        title_field = Section._meta.get_field("title")
        copy = Section.objects.create(
            course_id=section.course_id,
            chapter_id=section.chapter_id,
            number=next_section_number(section=section),
            slug=unique_key(
                section.slug,
                slugs,
                max_length=Section._meta.get_field("slug").max_length,
            ),
            title=f"{section.title} ({COPY_SUFFIX})"[: title_field.max_length],
            status=Section.Status.DRAFT,
            position=(last or 0) + 1,
        )
        for model in (Summary, Explainer, KeyConcept, Example, GlossaryTerm, Video):
            for row in model.objects.filter(section=section):
                _copy(row, section=copy)
        for dialogue in Dialogue.objects.filter(section=section).prefetch_related(
            "lines"
        ):
            lines = list(dialogue.lines.all())
            new_dialogue = _copy(dialogue, section=copy)
            for line in lines:
                _copy(line, dialogue=new_dialogue)
        keys = set(
            Flashcard.objects.filter(section__course_id=section.course_id).values_list(
                "key", flat=True
            )
        )
        key_length = Flashcard._meta.get_field("key").max_length
        cards: dict[int, Flashcard] = {}
        for card in Flashcard.objects.filter(section=section):
            old_pk = card.pk
            key = unique_key(card.key, keys, max_length=key_length)
            keys.add(key)
            cards[old_pk] = _copy(card, section=copy, key=key)
        for aid in MemoryAid.objects.filter(section=section).prefetch_related(
            "flashcards"
        ):
            linked = [cards[card.pk] for card in aid.flashcards.all()]
            new_aid = _copy(aid, section=copy)
            new_aid.flashcards.set(linked)
    return copy


def section_set_status(*, section: Section, status: str) -> bool:
    """Publish or unpublish ``section``; False when it already had that status."""
    if section.status == status:
        return False
    section.status = status
    section.save(update_fields=["status", "updated_at"])
    return True
