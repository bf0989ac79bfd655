"""Drilling in Chromium: by mouse, by keyboard, a quiz question in the queue, memory aids."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from quizzes.models import ReviewCard, ReviewLog
from tests.e2e.a11y import axe_violations, describe
from tests.lessons.factories import FlashcardFactory, MemoryAidFactory, SectionFactory
from tests.quizzes.factories import QuestionFactory, QuizFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def section():
    section = SectionFactory(title="Foundation models")
    cards = [
        FlashcardFactory(
            section=section, position=n, front=f"Front {n}?", back=f"Back {n}."
        )
        for n in range(2)
    ]
    MemoryAidFactory(
        section=section,
        kind="rhyme",
        title="Broad once, tuned for each",
        flashcards=[cards[0]],
    )
    QuestionFactory(quiz=QuizFactory(section=section), prompt="Which one is right?")
    return section


def settle(page: Page) -> None:
    """Let the live server finish every request before the test reads the database."""
    page.wait_for_load_state("networkidle")


def start(page: Page, live_server, section) -> None:
    page.goto(
        live_server.url + section.get_absolute_url()
    )  # opening a section adds its cards
    page.goto(live_server.url + "/drill/")
    page.evaluate("window.__sameDocument = true")


def test_a_drill_by_mouse_with_a_question_and_a_memory_aid(
    page: Page, live_server, section
):
    start(page, live_server, section)
    card = page.locator("#drill-card")
    expect(card).to_contain_text("Front 0?")
    card.get_by_role("link", name="Show answer").click()
    expect(card).to_contain_text("Back 0.")
    again = card.get_by_role("button", name="Again")
    expect(again).to_have_accessible_description(re.compile(r"^\d+ min$"))
    again.click()
    expect(
        card.get_by_role("heading", name="This might help you remember")
    ).to_be_visible()
    expect(card).to_contain_text("Broad once, tuned for each")
    # Next: the other flashcard, then the quiz question (new cards in order).
    expect(card).to_contain_text("Front 1?")
    card.get_by_role("link", name="Show answer").click()
    card.get_by_role("button", name="Good").click()
    expect(card).to_contain_text("Which one is right?")
    card.get_by_role("radio", name="Right").check()
    card.get_by_role("button", name="Check").click()
    expect(card).to_contain_text("Right!")
    good = card.get_by_role("button", name="Good")
    expect(good).to_have_class(re.compile(r"\bprimary\b"))  # suggested from the answer
    good.click()
    expect(card.get_by_role("heading", name="All done for now")).to_be_visible()
    assert page.evaluate("window.__sameDocument === true"), "the page was reloaded"
    settle(page)
    assert ReviewLog.objects.count() == 3
    assert ReviewLog.objects.filter(correct=True).count() == 1


def test_a_drill_by_keyboard(page: Page, live_server, section):
    start(page, live_server, section)
    card = page.locator("#drill-card")
    expect(card).to_contain_text("Front 0?")
    page.keyboard.press("Space")
    expect(card).to_contain_text("Back 0.")
    page.keyboard.press("3")
    expect(card).to_contain_text("Front 1?")
    page.keyboard.press("Space")
    expect(card).to_contain_text("Back 1.")
    page.keyboard.press("4")
    expect(card).to_contain_text("Which one is right?")
    settle(page)
    assert list(ReviewLog.objects.order_by("pk").values_list("rating", flat=True)) == [
        3,
        4,
    ]
    assert ReviewCard.objects.filter(last_review__isnull=False).count() == 2


def test_a_drill_without_javascript(browser: Browser, live_server, section):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    start(page, live_server, section)
    page.get_by_role("link", name="Show answer").click()
    expect(page.locator("#drill-card")).to_contain_text("Back 0.")
    page.get_by_role("button", name="Again").click()
    expect(
        page.get_by_role("heading", name="This might help you remember")
    ).to_be_visible()
    settle(page)
    assert ReviewLog.objects.get().rating == 1
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_drill_pages_have_no_axe_violations(page: Page, live_server, section, scheme):
    page.emulate_media(color_scheme=scheme)
    start(page, live_server, section)
    problems = []
    for state in ("front", "back", "aids"):
        if state == "back":
            page.get_by_role("link", name="Show answer").click()
            expect(page.get_by_role("button", name="Again")).to_be_visible()
        if state == "aids":
            page.get_by_role("button", name="Again").click()
            expect(page.get_by_text("This might help you remember")).to_be_visible()
        violations = axe_violations(page)
        if violations:
            problems.append(f"{state}:\n{describe(violations)}")
    page.goto(live_server.url + "/drill/cram/")
    violations = axe_violations(page)
    if violations:
        problems.append(f"cram:\n{describe(violations)}")
    assert not problems, "\n\n".join(problems)
