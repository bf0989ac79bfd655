"""Everything the section page shows around its cached content, in one SQL statement.

The section page is the most visited page, and its content is cached (lessons/cache.py),
so what is left per request is the learner's own state: the section row with its content
version (the cache key), the learner, their progress on the section and their best
quiz score. Through the ORM that is four queries whose building costs far more Python
than the database spends answering them (docs/performance.md); here it is one
hand-written statement, read into unsaved-looking model instances that the views and
templates use as usual. Only what the page reads is loaded; other fields are deferred.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from django.db import connection
from django.http import Http404

from config.raw_rows import aware, load_only
from courses.models import Course, Learner, SectionProgress
from lessons import page_holes
from lessons.models import Section
from quizzes.models import Attempt, Quiz, score_passed, score_percent

# The best attempt is the finished full attempt (not a retry of missed questions) with
# the highest share right: what quizzes.queries.best_attempts picks, as SQL.
_SQL = """
SELECT s.id, s.course_id, c.title, s.title, s.status, s.content_version,
       q.id, q.pass_mark,
       l.id, l.summary_level,
       p.id, p.first_opened_at, p.last_opened_at, p.done_at,
       a.id, a.score, a.total
FROM {section} s
JOIN {course} c ON c.id = s.course_id
LEFT JOIN {quiz} q ON q.section_id = s.id
LEFT JOIN {learner} l ON {learner_match}
LEFT JOIN {progress} p ON p.learner_id = l.id AND p.section_id = s.id
LEFT JOIN {attempt} a ON a.id = (
    SELECT b.id FROM {attempt} b
    WHERE b.learner_id = l.id AND b.quiz_id = q.id
      AND b.finished_at IS NOT NULL AND b.retry_of_id IS NULL
    ORDER BY b.score * 1.0 / b.total DESC, b.id
    LIMIT 1
)
WHERE c.slug = %s AND s.number = %s AND (s.status = %s OR %s)
"""


def _sql(learner_match: str) -> str:
    return _SQL.format(
        section=Section._meta.db_table,
        course=Course._meta.db_table,
        quiz=Quiz._meta.db_table,
        learner=Learner._meta.db_table,
        progress=SectionProgress._meta.db_table,
        attempt=Attempt._meta.db_table,
        learner_match=learner_match,
    )


# An account's learner, or an anonymous one by the id its session holds.
_BY_USER = _sql("l.user_id = %s")
_BY_SESSION = _sql("l.id = %s AND l.user_id IS NULL")


@dataclass
class SectionPageState:
    """The statement's row. The model instances are made when first read: a request
    served a cached fragment needs only the version and the learner."""

    section_id: int
    content_version: int
    row: tuple
    course_slug: str
    number: str
    user_id: int | None

    @cached_property
    def ref(self) -> Section:
        """pk, number, title, status, content_version, quiz_pk, course."""
        (pk, course_id, course_title, title, status, version, quiz_pk) = self.row[:7]
        ref = load_only(
            Section,
            connection.alias,
            id=pk,
            course_id=course_id,
            number=self.number,
            title=title,
            status=status,
            content_version=version,
        )
        ref.course = load_only(
            Course,
            connection.alias,
            id=course_id,
            slug=self.course_slug,
            title=course_title,
        )
        ref.quiz_pk = quiz_pk
        return ref

    @property
    def summary_level(self) -> str | None:
        """The learner's summary level; None when they have no learner yet."""
        learner_pk, summary_level = self.row[8:10]
        return None if learner_pk is None else summary_level

    @cached_property
    def learner(self) -> Learner | None:
        """pk and summary_level; None when they have none yet."""
        learner_pk, summary_level = self.row[8:10]
        if learner_pk is None:
            return None
        return load_only(
            Learner,
            connection.alias,
            id=learner_pk,
            user_id=self.user_id,
            summary_level=summary_level,
        )

    @cached_property
    def progress(self) -> SectionProgress | None:
        learner_pk = self.row[8]
        progress_pk, first_opened, last_opened, done_at = self.row[10:14]
        if progress_pk is None:
            return None
        return load_only(
            SectionProgress,
            connection.alias,
            id=progress_pk,
            learner_id=learner_pk,
            section_id=self.section_id,
            first_opened_at=aware(first_opened),
            last_opened_at=aware(last_opened),
            done_at=aware(done_at),
        )

    # The holes' plain values (lessons/page_holes.py), read from the row without the
    # model instances: a page served from its shell needs only these.

    @property
    def last_opened_at(self) -> datetime | None:
        """When the learner's visit was last recorded; None: never."""
        return aware(self.row[12]) if self.row[10] is not None else None

    @property
    def hole_ref(self) -> page_holes.SectionRef:
        return page_holes.SectionRef(
            self.section_id, self.number, page_holes.CourseRef(self.course_slug)
        )

    @property
    def hole_progress(self) -> page_holes.Progress | None:
        if self.row[10] is None:
            return None
        done_at = aware(self.row[13])
        return page_holes.Progress(done_at is not None, done_at)

    @property
    def hole_score(self) -> page_holes.Score | None:
        """The best attempt's percent and whether it passed (``Attempt.passed``)."""
        pass_mark, (attempt_pk, score, total) = self.row[7], self.row[14:17]
        if attempt_pk is None:
            return None
        percent = score_percent(score, total)
        return page_holes.Score(percent, score_passed(percent, pass_mark))

    @cached_property
    def best_attempt(self) -> Attempt | None:
        """score, total and quiz.pass_mark: percent and passed."""
        quiz_pk, pass_mark, learner_pk = self.row[6], self.row[7], self.row[8]
        attempt_pk, score, total = self.row[14:17]
        if attempt_pk is None:
            return None
        best = load_only(
            Attempt,
            connection.alias,
            id=attempt_pk,
            learner_id=learner_pk,
            score=score,
            total=total,
        )
        best.quiz = load_only(
            Quiz,
            connection.alias,
            id=quiz_pk,
            section_id=self.section_id,
            pass_mark=pass_mark,
        )
        return best


def section_page_state(
    *, course_slug: str, number: str, user, learner_id: int | None
) -> SectionPageState:
    """The section (404 when unknown, or a draft and ``user`` is not staff) and the
    learner's state on it. ``learner_id`` is the anonymous learner's, from the session."""
    if user.is_authenticated:
        sql, learner_key = _BY_USER, user.pk
    else:
        sql, learner_key = _BY_SESSION, learner_id
    params = [
        learner_key,
        course_slug,
        number,
        Section.Status.PUBLISHED,
        bool(getattr(user, "is_staff", False)),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        raise Http404("No such section.")
    return SectionPageState(
        section_id=row[0],
        content_version=row[5],
        row=row,
        course_slug=course_slug,
        number=number,
        user_id=user.pk,
    )
