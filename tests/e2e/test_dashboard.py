"""The dashboard in Chromium, with history in it: axe-core finds nothing in light or dark
(tables shown or not), it fits 390 px, and the weekly goal is set with htmx and without
JavaScript."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from courses.models import Learner
from tests.courses.factories import (
    ChapterFactory,
    CourseFactory,
    SectionProgressFactory,
    StudyDayFactory,
)
from tests.e2e.a11y import axe_violations, describe
from tests.lessons.factories import SectionFactory
from tests.quizzes.factories import AttemptFactory, QuizFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390
SCHEMES = ["light", "dark"]


def _study(page: Page, live_server) -> Learner:
    """Open a section in the browser (which makes the session's learner), then give that
    learner some history: a section done, quiz attempts below and above the pass mark,
    and study on a few days of the last eight weeks."""
    course = CourseFactory(title="Foundation Models")
    chapter = ChapterFactory(course=course, number=15, title="Modern Topics")
    sections = [
        SectionFactory(chapter=chapter, position=n, title=title)
        for n, title in enumerate(
            ["What are Foundation Models?", "Scaling", "Adaptation", "Risks"]
        )
    ]
    page.goto(live_server.url + sections[0].get_absolute_url())
    learner = Learner.objects.get()
    now = timezone.now()
    SectionProgressFactory(
        learner=learner, section=sections[1], first_opened_at=now, done_at=now
    )
    quiz = QuizFactory(section=sections[2], pass_mark=70)
    for days_ago, score in [(20, 4), (9, 6), (2, 9)]:
        AttemptFactory(
            learner=learner,
            quiz=quiz,
            score=score,
            started_at=now - timedelta(days=days_ago),
        )
    today = now.date()
    for days_ago, actions in [(0, 3), (1, 7), (6, 1), (30, 12), (55, 2)]:
        day = today - timedelta(days=days_ago)
        learner.study_days.update_or_create(day=day, defaults={"actions": actions})
    StudyDayFactory(day=today, actions=40)  # another learner's: never shown
    return learner


def _open_dashboard(page: Page, live_server, scheme: str = "light") -> None:
    page.emulate_media(color_scheme=scheme)
    response = page.goto(live_server.url + reverse("courses:dashboard"))
    assert response is not None
    assert response.status == 200
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background != "rgba(0, 0, 0, 0)", "app.css did not load"


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_dashboard_with_history_has_no_axe_violations(
    page: Page, live_server, scheme: str
):
    _study(page, live_server)
    _open_dashboard(page, live_server, scheme)
    expect(page.get_by_role("heading", name="Your dashboard", level=1)).to_be_visible()
    expect(page.get_by_text("2 of 4 sections done (50 %)")).to_be_visible()
    expect(page.get_by_role("link", name="Continue with 15.4")).to_be_visible()
    activity = page.get_by_role("img", name="Study actions per day")
    expect(activity).to_be_visible()
    expect(
        page.get_by_role("img", name="Quiz scores for 15.3 Adaptation")
    ).to_be_visible()
    problems = []
    violations = axe_violations(page)
    if violations:
        problems.append(f"dashboard ({scheme}):\n{describe(violations)}")

    for summary in page.get_by_text("Show as a table").all():
        summary.click()
    expect(page.get_by_role("table", name="Study actions per day")).to_be_visible()
    table = page.get_by_role("table", name="Finished full attempts")
    expect(table).to_be_visible()
    expect(table.get_by_role("row")).to_have_count(4)  # header and three attempts
    violations = axe_violations(page)
    if violations:
        problems.append(f"dashboard, tables open ({scheme}):\n{describe(violations)}")
    assert not problems, "\n\n".join(problems)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_empty_dashboard_has_no_axe_violations(
    page: Page, live_server, scheme: str
):
    _open_dashboard(page, live_server, scheme)
    expect(page.get_by_text("Your dashboard fills in as you study.")).to_be_visible()
    violations = axe_violations(page)
    assert not violations, f"empty dashboard ({scheme}):\n{describe(violations)}"


def test_the_dashboard_fits_a_phone(page: Page, live_server):
    _study(page, live_server)
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    _open_dashboard(page, live_server)
    for summary in page.get_by_text("Show as a table").all():
        summary.click()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"the dashboard is {width - PHONE_WIDTH} px too wide"
    chart = page.get_by_role("img", name="Study actions per day").bounding_box()
    assert chart is not None
    assert chart["width"] <= PHONE_WIDTH


def test_setting_the_weekly_goal_with_htmx_swaps_only_the_goal(page: Page, live_server):
    learner = _study(page, live_server)
    _open_dashboard(page, live_server)
    page.evaluate("window.__marker = 1")
    page.get_by_label("Weekly goal").select_option("2")
    page.get_by_role("button", name="Save goal").click()
    expect(page.get_by_role("status").filter(has_text="Saved")).to_have_text(
        "Saved: your goal is 2 days a week."
    )
    expect(page.get_by_text("of 2 days", exact=False)).to_be_visible()
    assert page.evaluate("window.__marker") == 1  # swapped, not reloaded
    expect(page.get_by_role("button", name="Save goal")).to_be_focused()
    learner.refresh_from_db()
    assert learner.weekly_goal == 2


def test_setting_the_weekly_goal_without_javascript(browser: Browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        learner = _study(page, live_server)
        _open_dashboard(page, live_server)
        page.get_by_label("Weekly goal").select_option("6")
        page.get_by_role("button", name="Save goal").click()
        expect(page).to_have_url(
            live_server.url + reverse("courses:dashboard") + "#weekly-goal"
        )
        expect(page.get_by_label("Weekly goal")).to_have_value("6")
        learner.refresh_from_db()
        assert learner.weekly_goal == 6
    finally:
        context.close()
