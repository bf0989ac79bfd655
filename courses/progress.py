"""A learner's progress through sections and courses."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from courses.activity import activity_record
from courses.models import Learner, SectionProgress

# Reloading a page, stepping back to it or opening it in a second tab within this long of
# the visit last recorded is the same visit: it writes nothing, so an ordinary page view
# costs no write, and each visit counts once as a study action.
VISIT_INTERVAL = timedelta(minutes=1)


def visit_due(last_opened_at: datetime | None, now: datetime) -> bool:
    """Whether opening the section at ``now`` is a visit to record, given when the one
    last recorded was (None: never)."""
    if last_opened_at is None:
        return True
    return now - last_opened_at >= VISIT_INTERVAL or last_opened_at.date() != now.date()


def progress_record_visit(
    *, learner: Learner, section, now: datetime | None = None
) -> tuple[SectionProgress, bool]:
    """Note that the learner opened the section now; return (progress, first visit).

    The first visit creates the row. A visit counts as studying that day, once: within
    ``VISIT_INTERVAL`` of the last recorded one (on the same day) nothing is written.
    """
    progress = SectionProgress.objects.filter(learner=learner, section=section).first()
    return progress_visit_update(
        learner=learner, section=section, progress=progress, now=now
    )


def progress_visit_update(
    *,
    learner: Learner,
    section,
    progress: SectionProgress | None,
    now: datetime | None = None,
) -> tuple[SectionProgress, bool]:
    """``progress_record_visit`` given the learner's row on the section, read just
    before (None: they have none yet), for a page that read it with other things."""
    now = now or timezone.now()
    if progress is not None:
        last = progress.last_opened_at
        if not visit_due(last, now):
            return progress, False
        with transaction.atomic():
            activity_record(learner_id=learner.pk, on=now.date())
            # Never backwards: a slow request must not undo a later one's time.
            SectionProgress.objects.filter(
                pk=progress.pk, last_opened_at__lt=now
            ).update(last_opened_at=now)
        progress.last_opened_at = max(last, now)
        return progress, False
    try:
        with transaction.atomic():
            progress = SectionProgress.objects.create(
                learner=learner,
                section=section,
                first_opened_at=now,
                last_opened_at=now,
            )
            activity_record(learner_id=learner.pk, on=now.date())
            return progress, True
    except IntegrityError:  # opened in two tabs at once: the other request created it
        return SectionProgress.objects.get(learner=learner, section=section), False


def progress_set_done(*, learner: Learner, section, done: bool) -> SectionProgress:
    """Mark the section done or not done. Setting the state it already has changes nothing,
    so a double-submitted form counts once."""
    progress, _first = progress_record_visit(learner=learner, section=section)
    if done and progress.done_at is None:
        progress.done_at = timezone.now()
        progress.save(update_fields=["done_at"])
    elif not done and progress.done_at is not None:
        progress.done_at = None
        progress.save(update_fields=["done_at"])
    return progress


def progress_by_section(
    *, learner: Learner | None, section_ids: Sequence[int]
) -> dict[int, SectionProgress]:
    if learner is None or not section_ids:
        return {}
    rows = SectionProgress.objects.filter(learner=learner, section_id__in=section_ids)
    return {row.section_id: row for row in rows}


def sections_done(
    progress: dict[int, SectionProgress], best_attempts: dict
) -> set[int]:
    """Ids of the sections that count as done: marked done, or their quiz passed (the
    learner's best full attempt reached the pass mark)."""
    marked = {section_id for section_id, row in progress.items() if row.is_done}
    passed = {
        section_id for section_id, attempt in best_attempts.items() if attempt.passed
    }
    return marked | passed


def continue_with(
    sections: Sequence,
    progress: dict[int, SectionProgress],
    done: set[int] | None = None,
):
    """The section to continue with: the one opened last if it is not done, else the next
    section after it that is not done, else the first not done. None when all are done
    or the learner has not started. ``done`` defaults to the sections marked done."""
    if not progress or not sections:
        return None
    if done is None:
        done = {section_id for section_id, row in progress.items() if row.is_done}
    last = max(progress.values(), key=lambda p: p.last_opened_at)
    ids = [section.pk for section in sections]
    start = ids.index(last.section_id) if last.section_id in ids else 0
    ordered = list(sections[start:]) + list(sections[:start])
    for section in ordered:
        if section.pk not in done:
            return section
    return None
