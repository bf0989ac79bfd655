"""Read paths for the catalog and course outlines, with what their templates need prefetched."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from courses.models import Chapter, Course, Learner, SectionProgress
from courses.progress import continue_with, sections_done
from lessons.models import Section
from lessons.queries import visible_sections
from quizzes.queries import best_attempts


def catalog(*, user) -> QuerySet[Course]:
    """Courses with at least one visible section, each with its visible section count."""
    published = Q(sections__status=Section.Status.PUBLISHED)
    count = (
        Count("sections")
        if getattr(user, "is_staff", False)
        else Count("sections", filter=published)
    )
    return (
        Course.objects.annotate(section_count=count)
        .filter(section_count__gt=0)
        .order_by("title")
    )


def outline_for(*, course_slug: str, user) -> Course:
    """The course with its chapters and their visible sections, in order; 404 if unknown."""
    sections = visible_sections(user).order_by("position")
    chapters = Chapter.objects.order_by("number").prefetch_related(
        Prefetch("sections", queryset=sections)
    )
    course = (
        Course.objects.prefetch_related(Prefetch("chapters", queryset=chapters))
        .filter(slug=course_slug)
        .first()
    )
    if course is None:
        raise Http404("No such course.")
    return course


def continue_by_course(*, learner: Learner | None, user) -> dict[int, Section]:
    """For each course the learner has started, the section to continue with (3 queries)."""
    if learner is None:
        return {}
    rows = list(
        SectionProgress.objects.filter(learner=learner).select_related("section")
    )
    started = {row.section.course_id for row in rows}
    if not started:
        return {}
    sections = list(
        visible_sections(user)
        .filter(course_id__in=started)
        .order_by("course_id", "chapter__number", "position")
    )
    progress = {row.section_id: row for row in rows}
    best = best_attempts(learner=learner, section_ids=[s.pk for s in sections])
    done = sections_done(progress, best)
    by_course: dict[int, list[Section]] = {}
    for section in sections:
        by_course.setdefault(section.course_id, []).append(section)
    result = {}
    for course_id, course_sections in by_course.items():
        course_progress = {
            s.pk: progress[s.pk] for s in course_sections if s.pk in progress
        }
        section = continue_with(course_sections, course_progress, done)
        if section is not None:
            result[course_id] = section
    return result
