"""Bump a section's content version when anything its page shows changes (lessons/cache.py).

Receivers for admin saves, the course loader's saves and deletes alike. Bulk writes send
no signals: their callers call ``lessons.cache.sections_changed`` themselves.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q
from django.db.models.expressions import Combinable
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from lessons.cache import sections_changed
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

# Which sections a saved or deleted row belongs to, per model.
_SECTION_OF: dict[Any, Any] = {
    **{
        model: lambda row: Q(pk=row.section_id)
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
    },
    DialogueLine: lambda row: Q(dialogues__id=row.dialogue_id),
    # Models of other apps by label: lessons does not import quizzes or courses models.
    "quizzes.Quiz": lambda row: Q(pk=row.section_id),
    "quizzes.Question": lambda row: Q(quiz__id=row.quiz_id),
    "quizzes.Choice": lambda row: Q(quiz__questions__id=row.question_id),
    "courses.Course": lambda row: Q(course_id=row.pk),
    "courses.Chapter": lambda row: Q(chapter_id=row.pk),
}


def _changed(sender, instance, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # loaddata: rows arrive as they are
        return
    sections_changed(_SECTION_OF[_key(sender)](instance))


def _key(sender) -> Any:
    if sender in _SECTION_OF:
        return sender
    return sender._meta.label


for _sender in _SECTION_OF:
    post_save.connect(
        _changed, sender=_sender, dispatch_uid=f"lessons-cache-save-{_sender}"
    )
    post_delete.connect(
        _changed, sender=_sender, dispatch_uid=f"lessons-cache-delete-{_sender}"
    )


@receiver(m2m_changed, sender=MemoryAid.flashcards.through)
def _memory_aid_links_changed(sender, instance, action: str, **kwargs: Any) -> None:
    # ``instance`` is the memory aid or, from the reverse side, the flashcard.
    if action.startswith("post_"):
        sections_changed(Q(pk=instance.section_id))


@receiver(pre_save, sender=Section)
def _section_saving(
    sender, instance: Section, raw: bool = False, **kwargs: Any
) -> None:
    # Bumped in the row's own UPDATE, so a later save of a stale instance (an admin form
    # saving the section after its parts) cannot write an older version back.
    if not raw and not instance._state.adding:
        instance.content_version = F("content_version") + 1


@receiver(post_save, sender=Section)
def _section_saved(sender, instance: Section, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    # Every section of the course: their pagers show this one's number, title and status.
    sections_changed(Q(course_id=instance.course_id))
    if isinstance(instance.content_version, Combinable):
        instance.refresh_from_db(fields=["content_version"])


@receiver(post_delete, sender=Section)
def _section_deleted(sender, instance: Section, **kwargs: Any) -> None:
    sections_changed(Q(course_id=instance.course_id))
