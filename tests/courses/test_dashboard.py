"""The dashboard: its numbers from known history, its charts and tables, the weekly goal,
and that it only ever shows the request's own learner.

"Today" is an argument of the functions under test (and patched into the view), so no
assertion depends on the clock.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.urls import reverse

from courses.dashboard import (
    ACTIVITY_DAYS,
    WEEKLY_GOAL_INVALID,
    DayCount,
    activity_days,
    dashboard_for,
    learner_set_weekly_goal,
    quiz_scores,
    week_goal,
    weekly_goal_parse,
)
from courses.learners import SESSION_KEY
from courses.models import Learner
from quizzes.models import Attempt
from tests.courses.factories import (
    ChapterFactory,
    CourseFactory,
    LearnerFactory,
    SectionProgressFactory,
    StudyDayFactory,
    UserFactory,
)
from tests.lessons.factories import DraftSectionFactory, SectionFactory
from tests.quizzes.factories import AttemptFactory, QuizFactory

# A Wednesday; its week runs from Monday 2 March to Sunday 8 March 2026.
TODAY = date(2026, 3, 4)
MONDAY, SUNDAY = date(2026, 3, 2), date(2026, 3, 8)
URL = "/dashboard/"
GOAL_URL = "/dashboard/goal/"

# Session, learner, progress, attempts, best attempts, sections, study days; a logged-in
# user adds the user. The drill figures add 8: settings, drill sections, the four queue
# counts, reviews per day, and the last 30 days' reviews and those remembered.
# Asserted for 1 and 30 courses, attempts and days.
DASHBOARD_QUERIES = 16


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


@pytest.fixture
def frozen_today(monkeypatch):
    """The view's today is TODAY."""
    monkeypatch.setattr("courses.views.today_utc", lambda: TODAY)
    return TODAY


@pytest.fixture
def sections(db):
    """Course "Foundation Models", chapter 15: 15.1 to 15.4 published, 15.5 a draft."""
    chapter = ChapterFactory(
        number=15, course=CourseFactory(title="Foundation Models"), title="LLMs"
    )
    published = [
        SectionFactory(chapter=chapter, position=n, title=f"Part {n + 1}")
        for n in range(4)
    ]
    draft = DraftSectionFactory(chapter=chapter, position=4, title="Coming soon")
    return [*published, draft]


def as_learner(client: Client, learner: Learner) -> Client:
    """Make ``client`` the anonymous visitor whose session holds ``learner``."""
    session = client.session
    session[SESSION_KEY] = learner.pk
    session.save()
    return client


# ---------------------------------------------------------------- pure functions


def test_activity_covers_the_56_days_ending_today_and_fills_gaps_with_zero():
    rows = [
        DayCount(TODAY, 3),
        DayCount(TODAY - timedelta(days=1), 2),
        DayCount(TODAY - timedelta(days=55), 1),  # the first day of the window
        DayCount(TODAY - timedelta(days=56), 9),  # one day too old
        DayCount(TODAY + timedelta(days=1), 9),  # tomorrow: not yet
    ]
    activity = activity_days(rows, today=TODAY)
    assert len(activity.days) == ACTIVITY_DAYS == 56
    assert activity.start == date(2026, 1, 8)
    assert activity.end == TODAY
    assert [d.day for d in activity.days] == [
        date(2026, 1, 8) + timedelta(days=n) for n in range(56)
    ]
    actions = {d.day: d.actions for d in activity.days if d.actions}
    assert actions == {TODAY: 3, TODAY - timedelta(days=1): 2, date(2026, 1, 8): 1}
    assert activity.total_actions == 6
    assert activity.days_studied == 3


def test_the_week_runs_monday_to_sunday_and_counts_days_with_actions():
    rows = [
        DayCount(date(2026, 3, 1), 5),  # Sunday: last week
        DayCount(MONDAY, 3),
        DayCount(date(2026, 3, 3), 0),  # a row without actions is no study day
        DayCount(TODAY, 1),
    ]
    week = week_goal(rows, today=TODAY, goal=4)
    assert (week.start, week.end) == (MONDAY, SUNDAY)
    assert [d.day.weekday() for d in week.days] == list(range(7))
    assert [d.studied for d in week.days] == [True, False, True] + [False] * 4
    assert [d.is_today for d in week.days] == [False, False, True] + [False] * 4
    assert [d.is_future for d in week.days] == [False] * 3 + [True] * 4
    assert week.studied == 2
    assert (week.goal, week.met, week.days_to_go) == (4, False, 2)
    assert week.days_left == 4  # Thursday to Sunday; today is already studied


@pytest.mark.parametrize(
    ("today", "studied"),
    [
        (MONDAY, 1),  # a new week: Sunday's study belongs to the week before
        (SUNDAY, 2),  # the last day of the week still counts Monday
        (date(2026, 3, 9), 0),  # the next Monday starts again from nothing
    ],
)
def test_week_boundaries(today, studied):
    rows = [DayCount(date(2026, 3, 1), 1), DayCount(MONDAY, 1), DayCount(SUNDAY, 1)]
    week = week_goal(rows, today=today, goal=3)
    assert week.start.weekday() == 0
    assert week.start <= today <= week.end
    assert week.studied == studied


def test_a_week_meets_its_goal_on_reaching_it():
    rows = [DayCount(MONDAY + timedelta(days=n), 1) for n in range(3)]
    week = week_goal(rows, today=TODAY, goal=3)
    assert (week.studied, week.met, week.days_to_go) == (3, True, 0)
    assert week_goal(rows, today=TODAY, goal=4).met is False


def test_today_unstudied_still_counts_as_a_day_left():
    week = week_goal([], today=TODAY, goal=2)
    assert week.days_left == 5  # Wednesday to Sunday


@pytest.mark.parametrize(
    ("value", "goal"),
    [
        ("1", 1),
        ("7", 7),
        ("4", 4),
        ("0", None),
        ("8", None),
        ("-1", None),
        ("3.5", None),
        ("four", None),
        ("", None),
        (None, None),
        ("٣", None),  # an Arabic-Indic digit: isdigit() but not a plain number
    ],
)
def test_weekly_goal_parse(value, goal):
    assert weekly_goal_parse(value) == goal


def test_the_dashboard_shows_drill_figures(client, db):
    from django.utils import timezone

    from quizzes import drills
    from quizzes.models import ReviewCard, ReviewLog
    from tests.lessons.factories import FlashcardFactory, SectionFactory

    section = SectionFactory()
    FlashcardFactory.create_batch(3, section=section)
    client.get(section.get_absolute_url())
    learner = Learner.objects.get()
    now = timezone.now()
    for index, (card, rating) in enumerate(
        zip(ReviewCard.objects.all(), [1, 3], strict=False)
    ):
        ReviewLog.objects.create(
            card=card,
            rating=rating,
            reviewed_at=now,
            duration_ms=1,
            desired_retention=0.9,
            token=str(index),
        )
    stats = drills.drill_stats(learner=learner, now=now)
    assert (
        stats.reviews_30_days,
        stats.remembered_30_days,
        stats.retention_percent,
    ) == (2, 1, 50)
    assert stats.reviews_per_day[-1] == (now.date(), 2)
    html = client.get(URL).content.decode()
    assert "Remembered 50 % of 2 reviews in the last 30 days" in html
    assert 'id="drill-chart"' in html


# ---------------------------------------------------------------- from the database


@pytest.mark.django_db
def test_quiz_scores_are_full_finished_attempts_in_time_order(sections):
    learner = LearnerFactory()
    quiz = QuizFactory(section=sections[0], pass_mark=70)
    later = AttemptFactory(learner=learner, quiz=quiz, score=9, started_at=at(TODAY))
    first = AttemptFactory(
        learner=learner, quiz=quiz, score=4, started_at=at(date(2026, 3, 2))
    )
    AttemptFactory(  # a retry of the missed questions: practice, not a score
        learner=learner, quiz=quiz, score=6, total=6, retry_of=first
    )
    AttemptFactory(  # still open
        learner=learner, quiz=quiz, score=None, finished_at=None
    )
    AttemptFactory(quiz=quiz, score=10)  # someone else's
    (scores,) = dashboard_for(learner=learner, today=TODAY).quizzes
    assert scores.quiz == quiz
    assert scores.pass_mark == 70
    assert [(p.score, p.total, p.percent, p.passed) for p in scores.points] == [
        (4, 10, 40, False),
        (9, 10, 90, True),
    ]
    assert [p.finished_at for p in scores.points] == [
        first.finished_at,
        later.finished_at,
    ]
    assert scores.best == 90


@pytest.mark.django_db
def test_quiz_scores_are_listed_in_course_order(sections):
    learner = LearnerFactory()
    quizzes = [QuizFactory(section=section) for section in sections[:3]]
    for quiz in reversed(quizzes):
        AttemptFactory(learner=learner, quiz=quiz)
    result = quiz_scores(
        Attempt.objects.filter(learner=learner).select_related(
            "quiz__section__course", "quiz__section__chapter"
        )
    )
    assert [s.section.number for s in result] == ["15.1", "15.2", "15.3"]


@pytest.mark.django_db
def test_a_section_is_done_when_marked_or_when_its_quiz_is_passed(sections):
    """Of 15.1–15.4: 15.1 marked done, 15.2 passed, 15.3 passed only in a retry, 15.4
    failed. The draft 15.5, though marked done, is not counted at all."""
    learner = LearnerFactory()
    s1, s2, s3, s4, draft = sections
    SectionProgressFactory(
        learner=learner, section=s1, first_opened_at=at(MONDAY), done_at=at(MONDAY)
    )
    passed = AttemptFactory(learner=learner, quiz=QuizFactory(section=s2), score=7)
    assert passed.passed  # 70 % reaches the default pass mark of 70
    quiz3 = QuizFactory(section=s3, pass_mark=80)
    failed = AttemptFactory(learner=learner, quiz=quiz3, score=5)
    AttemptFactory(learner=learner, quiz=quiz3, score=5, total=5, retry_of=failed)
    AttemptFactory(learner=learner, quiz=QuizFactory(section=s4), score=6)
    SectionProgressFactory(learner=learner, section=draft, done_at=at(MONDAY))

    (course,) = dashboard_for(learner=learner, today=TODAY).courses
    assert course.course == s1.course
    assert (course.done, course.total, course.percent) == (2, 4, 50)
    assert course.continue_section == s3  # after 15.1 (opened last), the next not done


@pytest.mark.django_db
def test_continue_with_follows_the_section_opened_last(sections):
    learner = LearnerFactory()
    s1, s2, s3, s4, _ = sections
    SectionProgressFactory(learner=learner, section=s1, first_opened_at=at(MONDAY))
    SectionProgressFactory(
        learner=learner, section=s3, first_opened_at=at(TODAY), done_at=at(TODAY)
    )
    (course,) = dashboard_for(learner=learner, today=TODAY).courses
    assert course.continue_section == s4
    assert (course.done, course.total, course.percent) == (1, 4, 25)


@pytest.mark.django_db
def test_a_course_touched_only_by_a_quiz_continues_with_its_first_section_not_done(
    sections,
):
    learner = LearnerFactory()
    AttemptFactory(learner=learner, quiz=QuizFactory(section=sections[0]), score=10)
    (course,) = dashboard_for(learner=learner, today=TODAY).courses
    assert (course.done, course.total) == (1, 4)
    assert course.continue_section == sections[1]


@pytest.mark.django_db
def test_a_finished_course_has_nothing_to_continue_with(sections):
    learner = LearnerFactory()
    for section in sections[:4]:
        SectionProgressFactory(learner=learner, section=section, done_at=at(MONDAY))
    (course,) = dashboard_for(learner=learner, today=TODAY).courses
    assert (course.done, course.total, course.percent) == (4, 4, 100)
    assert course.continue_section is None


@pytest.mark.django_db
def test_courses_come_most_recently_studied_first_and_untouched_ones_never():
    learner = LearnerFactory()
    old = SectionFactory(chapter__course__title="Old course")
    new = SectionFactory(chapter__course__title="New course")
    SectionFactory(chapter__course__title="Untouched course")
    SectionProgressFactory(learner=learner, section=old, first_opened_at=at(MONDAY))
    AttemptFactory(learner=learner, quiz=QuizFactory(section=new), started_at=at(TODAY))
    titles = [
        c.course.title for c in dashboard_for(learner=learner, today=TODAY).courses
    ]
    assert titles == ["New course", "Old course"]


@pytest.mark.django_db
def test_the_dashboard_reads_the_learners_study_days_for_activity_and_week():
    learner = LearnerFactory(weekly_goal=3)
    StudyDayFactory(learner=learner, day=TODAY, actions=4)
    StudyDayFactory(learner=learner, day=MONDAY, actions=2)
    StudyDayFactory(learner=learner, day=date(2026, 2, 1), actions=7)
    StudyDayFactory(learner=learner, day=date(2025, 12, 1), actions=50)  # too old
    StudyDayFactory(day=TODAY, actions=99)  # another learner's
    data = dashboard_for(learner=learner, today=TODAY)
    assert data.activity.total_actions == 13
    assert data.activity.days_studied == 3
    assert (data.week.studied, data.week.goal) == (2, 3)
    assert not data.is_empty


@pytest.mark.django_db
def test_another_learners_history_never_counts(sections):
    mine, theirs = LearnerFactory(), LearnerFactory()
    for section in sections[:4]:
        SectionProgressFactory(learner=theirs, section=section, done_at=at(MONDAY))
        AttemptFactory(learner=theirs, quiz=QuizFactory(section=section), score=10)
    StudyDayFactory(learner=theirs, day=TODAY, actions=5)
    data = dashboard_for(learner=mine, today=TODAY)
    assert data.courses == []
    assert data.quizzes == []
    assert data.activity.total_actions == 0
    assert data.week.studied == 0
    assert data.is_empty


def test_setting_the_weekly_goal(db):
    learner = LearnerFactory()
    assert learner.weekly_goal == 4
    learner_set_weekly_goal(learner=learner, goal=6)
    learner.refresh_from_db()
    assert learner.weekly_goal == 6
    with pytest.raises(ValueError, match="1 to 7"):
        learner_set_weekly_goal(learner=learner, goal=8)
    learner.refresh_from_db()
    assert learner.weekly_goal == 6


# ---------------------------------------------------------------- the page


class _Tables(HTMLParser):
    """The cells of each table by id: rows of (header or data) cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._table = dict(attrs).get("id")
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in {"td", "th"} and self._table:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self._table = None
        elif tag in {"td", "th"} and self._cell is not None:
            self.tables[self._table][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables(html: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def svg(html: str, chart_id: str) -> ElementTree.Element:
    match = re.search(rf'<svg [^>]*id="{chart_id}".*?</svg>', html, re.S)
    assert match, f"no chart {chart_id}"
    return ElementTree.fromstring(match[0])


def marks(root: ElementTree.Element, tag: str, css_class: str) -> list:
    return [e for e in root.iter(tag) if css_class in (e.get("class") or "").split()]


@pytest.fixture
def history(sections):
    """A learner with known history: 15.1 done, the quiz of 15.2 taken three times
    (40 %, 80 %, and a retry that doesn't count), study on three days."""
    learner = LearnerFactory(weekly_goal=3)
    s1, s2, *_ = sections
    SectionProgressFactory(
        learner=learner,
        section=s1,
        first_opened_at=at(date(2026, 2, 27)),
        done_at=at(date(2026, 2, 27)),
    )
    SectionProgressFactory(learner=learner, section=s2, first_opened_at=at(MONDAY))
    quiz = QuizFactory(section=s2, pass_mark=75)
    first = AttemptFactory(
        learner=learner, quiz=quiz, score=4, started_at=at(MONDAY, 9)
    )
    AttemptFactory(
        learner=learner,
        quiz=quiz,
        score=6,
        total=6,
        retry_of=first,
        started_at=at(MONDAY, 10),
    )
    AttemptFactory(learner=learner, quiz=quiz, score=8, started_at=at(TODAY, 8))
    StudyDayFactory(learner=learner, day=date(2026, 2, 27), actions=5)
    StudyDayFactory(learner=learner, day=MONDAY, actions=3)
    StudyDayFactory(learner=learner, day=TODAY, actions=2)
    return learner, quiz


def test_the_page_shows_progress_charts_and_tables_from_known_history(
    client, history, frozen_today
):
    learner, quiz = history
    response = as_learner(client, learner).get(URL)
    assert response.status_code == 200
    html = response.content.decode()

    # Progress per course, with the rule on the page.
    assert "Foundation Models" in html
    assert "2 of 4 sections done (50 %)" in html
    assert "Continue with 15.3" in html
    assert (
        reverse("lessons:section-detail", args=[quiz.section.course.slug, "15.3"])
        in html
    )
    assert (
        "A section counts as done when you mark it done or pass its practice quiz"
        in html
    )

    # This week against the goal.
    assert "<strong>2 of 3 days</strong> studied this week" in html
    assert "(Mon 2 Mar to Sun 8 Mar)" in html

    # Study activity: one bar per day, the same numbers in the table.
    activity = svg(html, "activity-chart")
    assert activity.get("role") == "img"
    assert (
        activity.find("title").text == "Study actions per day, 8 Jan 2026 to 4 Mar 2026"
    )
    assert "3 of 56 days studied, 10 actions in all" in activity.find("desc").text
    bars = marks(activity, "rect", "bar")
    assert len(bars) == 56
    busy = {b.find("title").text for b in bars if float(b.get("height")) > 0}
    assert busy == {
        "Fri 27 Feb: 5 actions",
        "Mon 2 Mar: 3 actions",
        "Wed 4 Mar: 2 actions",
    }
    rows = tables(html)["activity-table"]
    assert rows[0] == ["Day", "Actions"]
    assert len(rows) == 1 + 56
    assert rows[1] == ["Thu 8 Jan 2026", "0"]
    assert ["Fri 27 Feb 2026", "5"] in rows
    assert ["Mon 2 Mar 2026", "3"] in rows
    assert rows[-1] == ["Wed 4 Mar 2026", "2"]
    assert sum(int(row[1]) for row in rows[1:]) == 10

    # Quiz scores: one point per full finished attempt, pass mark drawn, same table.
    scores = svg(html, f"quiz-{quiz.pk}-chart")
    assert scores.find("title").text == f"Quiz scores for 15.2 {quiz.section.title}"
    assert scores.find("desc").text == (
        "Line chart of 2 finished attempts in time order, from 2 Mar 2026 to 4 Mar 2026:"
        " first 40 %, latest 80 %, best 80 % (passed). Dashed line: the pass mark, 75 %."
    )
    assert len(marks(scores, "circle", "point")) == 2
    assert [c.get("class") for c in marks(scores, "circle", "point")] == [
        "point point-below",
        "point",
    ]
    assert marks(scores, "text", "reference-label")[0].text == "Pass mark 75 %"
    assert tables(html)[f"quiz-{quiz.pk}-table"] == [
        ["Attempt", "Finished", "Score", "Percent", "Passed"],
        ["1", "2 Mar 2026, 09:05", "4 of 10", "40 %", "No"],
        ["2", "4 Mar 2026, 08:05", "8 of 10", "80 %", "Yes"],
    ]
    assert "Show as a table" in html
    assert "style=" not in html


def test_a_visitor_without_a_learner_gets_an_inviting_empty_dashboard(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your dashboard fills in as you study." in html
    assert 'href="/"' in html
    assert "<strong>0 of 4 days</strong> studied this week" in html
    assert "<svg" not in html
    assert not Learner.objects.exists()  # a GET never creates a learner
    assert SESSION_KEY not in client.session


def test_a_learner_with_no_history_yet_sees_the_empty_dashboard(client, db):
    as_learner(client, LearnerFactory())
    html = client.get(URL).content.decode()
    assert "Your dashboard fills in as you study." in html


def test_an_account_sees_its_own_learner(client, history, frozen_today):
    learner, _ = history
    user = UserFactory()
    learner.user = user
    learner.save()
    client.force_login(user)
    html = client.get(URL).content.decode()
    assert "2 of 4 sections done (50 %)" in html


def test_the_page_never_shows_another_learners_data(client, history, frozen_today):
    """IDOR: the dashboard takes no id; a second learner sees nothing of the first,
    and a session pointing at an account's learner is not that learner."""
    other = as_learner(Client(), LearnerFactory())
    html = other.get(URL).content.decode()
    assert "Foundation Models" not in html
    assert "<svg" not in html
    assert "Your dashboard fills in as you study." in html

    learner, _ = history
    learner.user = UserFactory()
    learner.save()
    thief = as_learner(
        Client(), learner
    )  # an anonymous session can't claim an account's learner
    html = thief.get(URL).content.decode()
    assert "Foundation Models" not in html
    assert "Your dashboard fills in as you study." in html


@pytest.mark.parametrize("size", [1, 30])
def test_the_page_costs_a_constant_number_of_queries(
    client, db, django_assert_max_num_queries, frozen_today, size
):
    user = UserFactory()
    learner = LearnerFactory(user=user)
    for n in range(size):
        section = SectionFactory(chapter__course__title=f"Course {n}")
        SectionProgressFactory(learner=learner, section=section, done_at=at(MONDAY))
        quiz = QuizFactory(section=section)
        for hour in range(size):
            AttemptFactory(learner=learner, quiz=quiz, started_at=at(MONDAY, hour % 24))
        StudyDayFactory(learner=learner, day=TODAY - timedelta(days=n), actions=n + 1)
    client.force_login(user)
    client.get(URL)  # warm the session and any cache
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        response = client.get(URL)
    assert response.status_code == 200
    assert response.content.decode().count('class="point') == size * size


# ---------------------------------------------------------------- htmx and the goal form


def test_the_goal_fragment_comes_alone_to_htmx_and_whole_otherwise(
    client, history, frozen_today, htmx_headers
):
    as_learner(client, history[0])
    response = client.get(URL, headers=htmx_headers("weekly-goal"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="weekly-goal"')
    assert "<html" not in html
    assert "activity-chart" not in html
    assert "HX-Request" in response["Vary"]
    full = client.get(URL)
    assert "<html" in full.content.decode()
    assert "HX-Request" in full["Vary"]
    boosted = client.get(
        URL, headers={**htmx_headers("weekly-goal"), "HX-Boosted": "true"}
    )
    assert "<html" in boosted.content.decode()
    restore = client.get(
        URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in restore.content.decode()
    other = client.get(URL, headers=htmx_headers("activity-chart"))  # not a fragment
    assert "<html" in other.content.decode()


def test_setting_the_goal_without_javascript_redirects_back_to_it(client, db):
    learner = LearnerFactory()
    as_learner(client, learner)
    response = client.post(GOAL_URL, {"weekly_goal": "6"})
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/#weekly-goal"
    learner.refresh_from_db()
    assert learner.weekly_goal == 6
    html = client.get(response["Location"]).content.decode()
    assert '<option value="6" selected>6 days a week</option>' in html
    assert "of 6 days</strong>" in html


def test_setting_the_goal_with_htmx_swaps_the_fragment(
    client, history, frozen_today, htmx_headers
):
    learner, _ = history
    as_learner(client, learner)
    response = client.post(
        GOAL_URL, {"weekly_goal": "2"}, headers=htmx_headers("weekly-goal")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="weekly-goal"')
    assert "<html" not in html
    assert "<strong>2 of 2 days</strong> studied this week" in html
    assert "Goal met for this week." in html
    assert "Saved: your goal is 2 days a week." in html
    learner.refresh_from_db()
    assert learner.weekly_goal == 2


def test_setting_the_goal_creates_the_learner_of_a_new_visitor(client, db):
    response = client.post(GOAL_URL, {"weekly_goal": "5"})
    assert response.status_code == 302
    learner = Learner.objects.get()
    assert learner.weekly_goal == 5
    assert client.session[SESSION_KEY] == learner.pk


@pytest.mark.parametrize("value", ["0", "8", "-3", "2.5", "many", "", None])
def test_a_tampered_goal_is_refused_with_a_message_and_changes_nothing(
    client, db, value
):
    learner = LearnerFactory(weekly_goal=4)
    as_learner(client, learner)
    data = {} if value is None else {"weekly_goal": value}
    response = client.post(GOAL_URL, data)
    assert response.status_code == 400
    assert WEEKLY_GOAL_INVALID in response.content.decode()
    learner.refresh_from_db()
    assert learner.weekly_goal == 4


def test_a_tampered_goal_from_htmx_gets_the_fragment_with_the_error(
    client, db, htmx_headers
):
    learner = LearnerFactory(weekly_goal=4)
    as_learner(client, learner)
    response = client.post(
        GOAL_URL, {"weekly_goal": "9"}, headers=htmx_headers("weekly-goal")
    )
    assert response.status_code == 400  # htmx-config swaps a 400
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="weekly-goal"')
    assert 'role="alert">' + WEEKLY_GOAL_INVALID in html
    assert 'aria-invalid="true"' in html
    learner.refresh_from_db()
    assert learner.weekly_goal == 4


def test_a_tampered_goal_from_a_new_visitor_creates_no_learner(client, db):
    assert client.post(GOAL_URL, {"weekly_goal": "0"}).status_code == 400
    assert not Learner.objects.exists()


def test_the_goal_form_needs_its_csrf_token(db):
    client = Client(enforce_csrf_checks=True)
    learner = LearnerFactory(weekly_goal=4)
    as_learner(client, learner)
    assert client.post(GOAL_URL, {"weekly_goal": "6"}).status_code == 403
    page = client.get(URL).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    response = client.post(GOAL_URL, {"weekly_goal": "6", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.weekly_goal == 6


def test_the_goal_url_only_takes_posts_and_the_page_only_gets(client, db):
    assert client.get(GOAL_URL).status_code == 405
    assert client.post(URL).status_code == 405


def test_urls():
    assert reverse("courses:dashboard") == URL
    assert reverse("courses:dashboard-goal") == GOAL_URL
