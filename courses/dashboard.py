"""The numbers of a learner's dashboard: progress per course, quiz scores over time, study
activity over the last eight weeks and the days studied this week against a weekly goal.

The pure functions take the rows and ``today`` as arguments, so tests pin the calendar
without touching the clock; ``dashboard_for`` reads the rows in a fixed number of queries,
whatever the size of the learner's history.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from courses.models import Course, Learner, SectionProgress, StudyDay
from courses.progress import continue_with, sections_done
from lessons.models import Section
from quizzes.models import Attempt, Quiz
from quizzes.queries import best_attempts

ACTIVITY_DAYS = 56  # eight weeks, ending today
WEEKLY_GOAL_MIN, WEEKLY_GOAL_MAX = 1, 7
WEEKLY_GOAL_DEFAULT: int = Learner._meta.get_field("weekly_goal").default
WEEKLY_GOAL_INVALID = "The form was changed: the weekly goal must be 1 to 7 days."


@dataclass(frozen=True)
class CourseProgress:
    course: Course
    done: int
    total: int
    continue_section: Section | None

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass(frozen=True)
class ScorePoint:
    """One finished full attempt at a quiz."""

    finished_at: datetime
    score: int
    total: int
    percent: int
    passed: bool


@dataclass(frozen=True)
class QuizScores:
    """A quiz and the learner's finished full attempts at it, oldest first."""

    quiz: Quiz
    points: list[ScorePoint]

    @property
    def section(self) -> Section:
        return self.quiz.section

    @property
    def pass_mark(self) -> int:
        return self.quiz.pass_mark

    @property
    def best(self) -> int:
        return max(point.percent for point in self.points)


@dataclass(frozen=True)
class DayCount:
    day: date
    actions: int


@dataclass(frozen=True)
class Activity:
    """Actions per day for the ``ACTIVITY_DAYS`` days ending ``end``, oldest first."""

    days: list[DayCount]

    @property
    def start(self) -> date:
        return self.days[0].day

    @property
    def end(self) -> date:
        return self.days[-1].day

    @property
    def total_actions(self) -> int:
        return sum(day.actions for day in self.days)

    @property
    def days_studied(self) -> int:
        return sum(1 for day in self.days if day.actions)


@dataclass(frozen=True)
class WeekDay:
    day: date
    studied: bool
    is_today: bool
    is_future: bool


@dataclass(frozen=True)
class WeekGoal:
    """Days studied in the week (Monday to Sunday) that holds ``today``, and the goal."""

    days: list[WeekDay]
    goal: int

    @property
    def start(self) -> date:
        return self.days[0].day

    @property
    def end(self) -> date:
        return self.days[-1].day

    @property
    def studied(self) -> int:
        return sum(1 for day in self.days if day.studied)

    @property
    def met(self) -> bool:
        return self.studied >= self.goal

    @property
    def days_to_go(self) -> int:
        """Days still to study this week to meet the goal."""
        return max(self.goal - self.studied, 0)

    @property
    def days_left(self) -> int:
        """Days of the week still open for study: today (unless studied) and later."""
        return sum(
            1
            for day in self.days
            if day.is_future or (day.is_today and not day.studied)
        )


@dataclass(frozen=True)
class Dashboard:
    learner: Learner | None
    courses: list[CourseProgress]
    quizzes: list[QuizScores]
    activity: Activity
    week: WeekGoal

    @property
    def is_empty(self) -> bool:
        return not (self.courses or self.quizzes or self.activity.total_actions)


# ---------------------------------------------------------------- pure functions


def activity_days(rows: Iterable[DayCount | StudyDay], *, today: date) -> Activity:
    """Actions per day for the ``ACTIVITY_DAYS`` days ending today; days without a row
    count 0 and rows outside the window are ignored."""
    start = today - timedelta(days=ACTIVITY_DAYS - 1)
    actions = {row.day: row.actions for row in rows if start <= row.day <= today}
    days = [start + timedelta(days=n) for n in range(ACTIVITY_DAYS)]
    return Activity([DayCount(day, actions.get(day, 0)) for day in days])


def week_goal(
    rows: Iterable[DayCount | StudyDay], *, today: date, goal: int
) -> WeekGoal:
    """The days of today's week (Monday to Sunday) and whether each was studied (at least
    one action); days after today are still to come, whatever the rows say."""
    monday = today - timedelta(days=today.weekday())
    studied = {row.day for row in rows if row.actions and row.day <= today}
    days = []
    for n in range(7):
        day = monday + timedelta(days=n)
        days.append(
            WeekDay(
                day=day,
                studied=day in studied,
                is_today=day == today,
                is_future=day > today,
            )
        )
    return WeekGoal(days=days, goal=goal)


def quiz_scores(attempts: Iterable[Attempt]) -> list[QuizScores]:
    """Per quiz, its finished full attempts in time order (retries of only the missed
    questions are practice, not a score). Attempts need ``quiz`` (and, to sort the
    quizzes, ``quiz.section.course`` and ``quiz.section.chapter``) loaded."""
    by_quiz: dict[int, list[Attempt]] = {}
    quizzes: dict[int, Quiz] = {}
    for attempt in attempts:
        if attempt.finished_at is None or attempt.retry_of_id is not None:
            continue
        by_quiz.setdefault(attempt.quiz_id, []).append(attempt)
        quizzes[attempt.quiz_id] = attempt.quiz
    result = []
    for quiz_id, rows in by_quiz.items():
        rows.sort(key=lambda a: (a.finished_at, a.pk))
        points = [
            ScorePoint(
                finished_at=a.finished_at,
                score=a.score,
                total=a.total,
                percent=a.percent or 0,
                passed=a.passed,
            )
            for a in rows
        ]
        result.append(QuizScores(quiz=quizzes[quiz_id], points=points))
    result.sort(key=lambda s: _section_order(s.quiz.section))
    return result


def course_progress(
    *,
    sections: Sequence[Section],
    progress: dict[int, SectionProgress],
    best: dict[int, Attempt],
    course_ids: Iterable[int],
) -> list[CourseProgress]:
    """For each course in ``course_ids``: its published sections done and the section to
    continue with. ``sections`` are the published sections of those courses in course
    order, with ``course`` loaded; a course without any is left out."""
    done = sections_done(progress, best)
    by_course: dict[int, list[Section]] = {}
    for section in sections:
        by_course.setdefault(section.course_id, []).append(section)
    result = []
    for course_id in course_ids:
        course_sections = by_course.get(course_id)
        if not course_sections:
            continue
        ids = {s.pk for s in course_sections}
        opened = {pk: row for pk, row in progress.items() if pk in ids}
        course_done = done & ids
        section = continue_with(course_sections, opened, done)
        if section is None:  # quiz taken but no section opened yet
            section = next((s for s in course_sections if s.pk not in done), None)
        result.append(
            CourseProgress(
                course=course_sections[0].course,
                done=len(course_done),
                total=len(course_sections),
                continue_section=section,
            )
        )
    return result


def weekly_goal_parse(value: str | None) -> int | None:
    """The weekly goal a form sent, or None when it is not a whole number from 1 to 7."""
    if value is None or not re.fullmatch(r"[0-9]{1,2}", value):
        return None
    goal = int(value)
    return goal if WEEKLY_GOAL_MIN <= goal <= WEEKLY_GOAL_MAX else None


def _section_order(section: Section) -> tuple:
    return (
        section.course.title,
        section.course_id,
        section.chapter.number,
        section.position,
    )


# ---------------------------------------------------------------- reads and writes


def today_utc() -> date:
    """Today's UTC date: the day study actions are counted on (``activity_record``)."""
    return timezone.now().date()


def _study_days(learner: Learner, *, today: date) -> list[StudyDay]:
    """The learner's study days that the activity chart or this week can show (1 query)."""
    start = today - timedelta(days=ACTIVITY_DAYS - 1)
    return list(
        StudyDay.objects.filter(learner=learner, day__gte=start, day__lte=today).only(
            "day", "actions"
        )
    )


def week_goal_for(*, learner: Learner | None, today: date) -> WeekGoal:
    """This week's days studied and the learner's goal (1 query; none without a learner)."""
    if learner is None:
        return week_goal([], today=today, goal=WEEKLY_GOAL_DEFAULT)
    monday = today - timedelta(days=today.weekday())
    rows = StudyDay.objects.filter(learner=learner, day__gte=monday, day__lte=today)
    return week_goal(rows.only("day", "actions"), today=today, goal=learner.weekly_goal)


def learner_set_weekly_goal(*, learner: Learner, goal: int) -> None:
    """Set the days a week the learner aims to study (1 to 7)."""
    if not WEEKLY_GOAL_MIN <= goal <= WEEKLY_GOAL_MAX:
        raise ValueError(WEEKLY_GOAL_INVALID)
    if learner.weekly_goal != goal:
        learner.weekly_goal = goal
        learner.save(update_fields=["weekly_goal"])


def dashboard_for(*, learner: Learner | None, today: date) -> Dashboard:
    """Everything the dashboard shows, for this learner only, in at most 5 queries.

    ``today`` is the UTC date the activity and the week end on. Only published sections
    count, for students and staff alike.
    """
    if learner is None:
        return Dashboard(
            learner=None,
            courses=[],
            quizzes=[],
            activity=activity_days([], today=today),
            week=week_goal([], today=today, goal=WEEKLY_GOAL_DEFAULT),
        )
    published = Section.Status.PUBLISHED
    progress_rows = list(
        SectionProgress.objects.filter(
            learner=learner, section__status=published
        ).select_related("section")
    )
    attempts = list(
        Attempt.objects.filter(
            learner=learner,
            finished_at__isnull=False,
            retry_of__isnull=True,
            quiz__section__status=published,
        ).select_related("quiz__section__course", "quiz__section__chapter")
    )
    # The courses touched, most recently studied first.
    latest: dict[int, datetime] = {}
    for course_id, at in [
        *((row.section.course_id, row.last_opened_at) for row in progress_rows),
        *((a.quiz.section.course_id, a.finished_at) for a in attempts),
    ]:
        latest[course_id] = max(latest.get(course_id, at), at)
    course_ids = sorted(latest, key=lambda pk: latest[pk], reverse=True)
    sections = (
        list(
            Section.objects.filter(status=published, course_id__in=course_ids)
            .select_related("course")
            .order_by("course_id", "chapter__number", "position")
        )
        if course_ids
        else []
    )
    best = best_attempts(learner=learner, section_ids=[s.pk for s in sections])
    study_days = _study_days(learner, today=today)
    return Dashboard(
        learner=learner,
        courses=course_progress(
            sections=sections,
            progress={row.section_id: row for row in progress_rows},
            best=best,
            course_ids=course_ids,
        ),
        quizzes=quiz_scores(attempts),
        activity=activity_days(study_days, today=today),
        week=week_goal(study_days, today=today, goal=learner.weekly_goal),
    )
