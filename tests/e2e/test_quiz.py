"""A student takes the practice quiz in Chromium: with htmx, without JavaScript, resuming.

Every control is found by its role and accessible name, as a screen-reader user would find
it; the ordering and matching answers are given with the keyboard alone.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Locator, Page, expect

from quizzes.forms import NOT_AN_OPTION
from quizzes.models import Answer, Question, Quiz
from tests.e2e.a11y import axe_violations, describe
from tests.quizzes.factories import QuizFactory
from tests.quizzes.test_views import question_of_every_kind

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TOTAL = 7  # question_of_every_kind: single, true/false, multiple, short, numeric, ...
HINTS = ["Read the options.", "It is the one called Right."]


@pytest.fixture
def quiz() -> Quiz:
    """A published section's quiz with one question of every kind, in a known order."""
    quiz = QuizFactory(section__title="What are Foundation Models?")
    questions = question_of_every_kind(quiz)
    single = questions["single_choice"]
    single.hints = HINTS
    single.save()
    return quiz


def quiz_url(live_server, quiz: Quiz) -> str:
    section = quiz.section
    return live_server.url + reverse(
        "quizzes:quiz", args=[section.course.slug, section.number]
    )


def panel(page: Page, position: int, total: int = TOTAL) -> Locator:
    """The question panel, a region named by its heading "Question N of M"."""
    return page.get_by_role("region", name=f"Question {position} of {total}")


def step_link(page: Page, position: int, state: str) -> Locator:
    """A link of the "Questions" navigation, named like "3, not answered"."""
    name = re.compile(rf"^{position}\s*, {state}$")
    questions = page.get_by_role("navigation", name="Questions")
    return questions.get_by_role("link", name=name)


def remember_page(page: Page) -> None:
    """Mark the document, so a full reload (which would drop the mark) can be detected."""
    page.evaluate("window.__marker = 1")


def assert_not_reloaded(page: Page) -> None:
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"


def choose_place(page: Page, item: str, place: int, *, arrows: bool = False) -> None:
    """Give an ordering item its place with the keyboard: type the digit, or arrow to it."""
    select = page.get_by_role("combobox", name=item)
    select.focus()
    if arrows:
        current = int(select.input_value())
        key = "ArrowDown" if place > current else "ArrowUp"
        for _ in range(abs(place - current)):
            page.keyboard.press(key)
    else:
        page.keyboard.press(str(place))
    expect(select).to_be_focused()
    expect(select).to_have_value(str(place))


def choose_match(page: Page, left: str, right: str) -> None:
    """Match a left item to a right one with the keyboard: type its first letter."""
    select = page.get_by_role("combobox", name=left)
    select.focus()
    page.keyboard.press(right[0])
    expect(select).to_be_focused()
    expect(select.locator("option:checked")).to_have_text(right)


def answer(page: Page, kind: str, *, right: bool = True) -> None:
    """Fill in the current question's form (right, or wrong for the choice kinds)."""
    if kind == Question.Kind.SINGLE_CHOICE:
        name = "Right" if right else "Wrong"
        page.get_by_role("radio", name=name, exact=True).check()
    elif kind == Question.Kind.TRUE_FALSE:
        name = "True" if right else "False"
        page.get_by_role("radio", name=name, exact=True).check()
    elif kind == Question.Kind.MULTIPLE_CHOICE:
        page.get_by_role("checkbox", name="Alpha").check()
        if right:
            page.get_by_role("checkbox", name="Beta").check()
    elif kind == Question.Kind.SHORT_ANSWER:
        page.get_by_role("textbox", name="Type your answer").fill("  The Fine-Tuning. ")
    elif kind == Question.Kind.NUMERIC:
        page.get_by_role("textbox", name="Type a number").fill("1.75375e2")
    elif kind == Question.Kind.ORDERING:
        choose_place(page, "First", 1)
        choose_place(page, "Second", 2)
        choose_place(page, "Third", 3, arrows=True)
    elif kind == Question.Kind.MATCHING:
        choose_match(page, "BERT", "Google")
        choose_match(page, "LLaMA", "Meta")


def check(page: Page, *, keyboard: bool = False) -> None:
    button = page.get_by_role("button", name="Check")
    if keyboard:
        button.focus()
        page.keyboard.press("Enter")
    else:
        button.click()


def expect_feedback(
    region: Locator, verdict: str, explanation: str, *, right_answer: str = ""
) -> None:
    """The feedback replaced the form: the verdict, the explanation, no Check button."""
    expect(region.get_by_text(verdict, exact=True)).to_be_visible()
    expect(region.get_by_role("heading", name="Why")).to_be_visible()
    expect(region).to_contain_text(explanation)
    if right_answer:
        expect(region).to_contain_text(f"The right answer: {right_answer}")
    expect(region.get_by_role("button", name="Check")).to_have_count(0)


def collect_problems(page: Page) -> list[str]:
    """Console errors, uncaught exceptions, failed requests and HTTP errors from now on."""
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(f"console: {message.text}")
            if message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"pageerror: {error}"))
    page.on(
        "requestfailed",
        lambda request: problems.append(
            f"failed: {request.method} {request.url} {request.failure}"
        ),
    )
    page.on(
        "response",
        lambda response: (
            problems.append(f"HTTP {response.status}: {response.url}")
            if response.status >= 400
            else None
        ),
    )
    return problems


def test_a_student_answers_every_kind_with_htmx(page: Page, live_server, quiz):
    problems = collect_problems(page)
    page.goto(quiz_url(live_server, quiz))
    remember_page(page)
    first = panel(page, 1)
    expect(first).to_contain_text("Pick the right one")
    expect(first).to_contain_text(f"0 of {TOTAL} answered")

    # A hint, swapped in place; the form stays.
    first.get_by_role("button", name="Show a hint").click()
    hints = first.get_by_role("list", name="Hints")
    expect(hints).to_have_text(f"Hint 1 of 2: {HINTS[0]}")
    assert_not_reloaded(page)
    expect(first.get_by_role("button", name="Show a hint")).to_be_visible()

    # Each question: answer, Check, feedback in place, then the next question.
    steps = [
        (Question.Kind.SINGLE_CHOICE, True, "Single explained", ""),
        (Question.Kind.TRUE_FALSE, False, "TF explained", "True"),
        (Question.Kind.MULTIPLE_CHOICE, True, "MC explained", ""),
        (Question.Kind.SHORT_ANSWER, True, "Short explained", ""),
        (Question.Kind.NUMERIC, True, "Numeric explained", ""),
        (Question.Kind.ORDERING, True, "Order explained", ""),
        (Question.Kind.MATCHING, True, "Match explained", ""),
    ]
    for position, (kind, right, explanation, right_answer) in enumerate(steps, 1):
        region = panel(page, position)
        expect(region).to_be_visible()
        answer(page, kind, right=right)
        keyboard = kind in {Question.Kind.ORDERING, Question.Kind.MATCHING}
        check(page, keyboard=keyboard)
        verdict = "Right!" if right else "Not quite."
        expect_feedback(region, verdict, explanation, right_answer=right_answer)
        expect(region).to_contain_text(f"{position} of {TOTAL} answered")
        assert_not_reloaded(page)
        if position == 1:
            expect(region).to_contain_text("You used 1 hint.")
        if position < TOTAL:
            region.get_by_role("link", name="Next question →").click()
            expect(page).to_have_url(f"{quiz_url(live_server, quiz)}?q={position + 1}")
            assert_not_reloaded(page)
        else:
            expect(region.get_by_role("link", name="Next question →")).to_have_count(0)

    # Finish: a full page post and redirect to the result.
    page.get_by_role("button", name="Finish").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your result")
    expect(page.get_by_text("6 of 7 right (86 %): passed")).to_be_visible()
    review = page.get_by_role("list").filter(
        has=page.get_by_role("heading", name="Question 1")
    )
    questions = review.get_by_role("heading", level=3)
    expect(questions).to_have_text([f"Question {n}" for n in range(1, TOTAL + 1)])
    for prompt in ["Pick the right one", "Is it true?", "Match them"]:
        expect(review).to_contain_text(prompt)
    expect(review.get_by_text("Not quite.", exact=True)).to_have_count(1)
    expect(review.get_by_text("Right!", exact=True)).to_have_count(TOTAL - 1)

    # Retry only the one missed: a new attempt of one question, the true/false one.
    page.get_by_role("button", name="Retry the 1 I missed").click()
    retry = panel(page, 1, total=1)
    expect(retry).to_contain_text("Is it true?")
    expect(retry).to_contain_text("0 of 1 answered")
    expect(retry.get_by_role("radio", name="True", exact=True)).not_to_be_checked()

    assert not problems, "\n".join(problems)


def test_a_student_takes_the_quiz_without_javascript(
    browser: Browser, live_server, quiz
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(quiz_url(live_server, quiz))
        assert page.evaluate("typeof htmx") == "undefined"  # no script ran
        first = panel(page, 1)
        answer(page, Question.Kind.SINGLE_CHOICE)
        with page.expect_navigation():
            check(page)
        # Post, redirect, the feedback on a whole new page, scrolled to the panel.
        expect(page).to_have_url(f"{quiz_url(live_server, quiz)}?q=1#question-panel")
        expect_feedback(first, "Right!", "Single explained")
        expect(first).to_contain_text(f"1 of {TOTAL} answered")

        with page.expect_navigation():
            first.get_by_role("link", name="Next question →").click()
        second = panel(page, 2)
        answer(page, Question.Kind.TRUE_FALSE, right=False)
        with page.expect_navigation():
            check(page)
        expect_feedback(second, "Not quite.", "TF explained", right_answer="True")

        with page.expect_navigation():
            page.get_by_role("button", name="Finish").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your result")
        expect(page.get_by_text("1 of 7 right (14 %): not passed yet")).to_be_visible()
        expect(page.get_by_text("5 questions left unanswered")).to_be_visible()
    finally:
        context.close()


def test_answers_survive_a_reload_and_the_quiz_resumes(page: Page, live_server, quiz):
    url = quiz_url(live_server, quiz)
    page.goto(url)
    answer(page, Question.Kind.SINGLE_CHOICE)
    check(page)
    expect(panel(page, 1).get_by_text("Right!", exact=True)).to_be_visible()
    panel(page, 1).get_by_role("link", name="Next question →").click()
    answer(page, Question.Kind.TRUE_FALSE, right=False)
    check(page)
    expect(panel(page, 2).get_by_text("Not quite.", exact=True)).to_be_visible()

    def expect_resumed(tab: Page) -> None:
        third = panel(tab, 3)
        expect(third).to_contain_text("Pick all")
        expect(third).to_contain_text(f"2 of {TOTAL} answered")
        expect(step_link(tab, 1, "right")).to_be_visible()
        expect(step_link(tab, 2, "wrong")).to_be_visible()
        expect(step_link(tab, 3, "not answered")).to_be_visible()

    # Reloading the pushed URL ?q=2 shows question 2 answered; the plain URL resumes.
    page.reload()
    expect_feedback(panel(page, 2), "Not quite.", "TF explained", right_answer="True")
    page.goto(url)
    expect_resumed(page)

    other = page.context.new_page()
    other.goto(url)
    expect_resumed(other)
    # The answer given in the first tab is shown, not a fresh form.
    with other.expect_navigation():
        step_link(other, 1, "right").click()
    expect_feedback(panel(other, 1), "Right!", "Single explained")
    expect(panel(other, 1)).to_contain_text("Your answer, right")
    assert Answer.objects.count() == 2


def test_a_tampered_answer_is_refused_in_place(page: Page, live_server, quiz):
    page.goto(quiz_url(live_server, quiz))
    remember_page(page)
    region = panel(page, 1)
    wrong = region.get_by_role("radio", name="Wrong", exact=True)
    wrong.evaluate("radio => { radio.value = '999999'; }")
    wrong.check()
    check(page)

    message = page.locator("#question-message")
    expect(message.get_by_role("alert")).to_have_text(NOT_AN_OPTION)
    assert_not_reloaded(page)
    expect(region.get_by_role("button", name="Check")).to_be_visible()
    expect(wrong).to_be_checked()  # nothing the student did was thrown away
    assert not Answer.objects.exists()
    violations = axe_violations(page)
    assert not violations, describe(violations)

    # An honest answer still goes through, and replaces the message.
    region.get_by_role("radio", name="Right", exact=True).check()
    check(page)
    expect_feedback(region, "Right!", "Single explained")
    expect(message).to_be_empty()
    assert Answer.objects.count() == 1


def test_a_check_swaps_in_only_what_changed_and_the_page_keeps_working(
    page: Page, live_server, quiz
):
    """The htmx check answers with the feedback and, out of band, the question's step
    and the answered count: the swapped-in step link must work as the others do."""
    problems = collect_problems(page)
    page.goto(quiz_url(live_server, quiz))
    remember_page(page)
    page.get_by_role("radio", name="Wrong", exact=True).check()
    check(page)
    expect(panel(page, 1).get_by_text("Not quite.", exact=True)).to_be_visible()
    expect(panel(page, 1)).to_contain_text(f"1 of {TOTAL} answered")
    link = step_link(page, 1, "wrong")
    expect(link).to_be_visible()
    expect(link).to_have_attribute("aria-current", "step")
    expect(link).not_to_have_attribute("hx-swap-oob", "true")
    step_link(page, 3, "not answered").click()
    expect(panel(page, 3)).to_be_visible()
    step_link(page, 1, "wrong").click()  # the swapped-in link, with htmx too
    expect(panel(page, 1)).to_contain_text("Not quite.")
    assert_not_reloaded(page)
    for part in ("#question-panel", "#question-answer", "#question-message"):
        assert page.locator(part).count() == 1, part
    assert not problems, problems


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_quiz_and_result_pages_have_no_axe_violations(
    page: Page, live_server, quiz, scheme: str
):
    page.emulate_media(color_scheme=scheme)
    page.goto(quiz_url(live_server, quiz))
    problems = []

    def audit(name: str) -> None:
        violations = axe_violations(page)
        if violations:
            problems.append(f"{name} ({scheme}):\n{describe(violations)}")

    panel(page, 1).get_by_role("button", name="Show a hint").click()
    expect(page.get_by_role("list", name="Hints")).to_be_visible()
    audit("unanswered question with a hint")

    answer(page, Question.Kind.SINGLE_CHOICE, right=False)
    check(page)
    expect(panel(page, 1).get_by_text("Not quite.", exact=True)).to_be_visible()
    audit("wrong-answer feedback")

    step_link(page, 3, "not answered").click()
    answer(page, Question.Kind.MULTIPLE_CHOICE, right=False)
    check(page)
    expect(panel(page, 3)).to_contain_text("Partly right")
    audit("multiple-choice feedback with marks")

    step_link(page, 7, "not answered").click()
    answer(page, Question.Kind.MATCHING)
    check(page)
    expect(panel(page, 7).get_by_text("Right!", exact=True)).to_be_visible()
    audit("matching feedback")

    page.get_by_role("button", name="Finish").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your result")
    audit("result")
    assert not problems, "\n\n".join(problems)


def test_the_quiz_fits_a_phone(page: Page, live_server, quiz):
    """The ordering and matching questions, the widest forms, and their feedback."""
    page.set_viewport_size({"width": 390, "height": 844})
    width = (
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    for position, kind in [(6, Question.Kind.ORDERING), (7, Question.Kind.MATCHING)]:
        page.goto(f"{quiz_url(live_server, quiz)}?q={position}")
        assert page.evaluate(width) == 0, f"question {position} is too wide"
        answer(page, kind)
        check(page)
        expect(panel(page, position).get_by_text("Right!", exact=True)).to_be_visible()
        assert page.evaluate(width) == 0, f"question {position} feedback is too wide"


def test_after_check_the_keyboard_focus_is_on_the_feedback(
    page: Page, live_server, quiz
):
    page.goto(quiz_url(live_server, quiz))
    page.get_by_role("radio", name="Right", exact=True).check()
    check(page, keyboard=True)
    region = panel(page, 1)
    expect(region.get_by_text("Right!", exact=True)).to_be_visible()
    expect(region.locator("#question-feedback")).to_be_focused(timeout=2000)


def test_the_questions_navigation_follows_htmx_swaps(page: Page, live_server, quiz):
    page.goto(quiz_url(live_server, quiz))
    answer(page, Question.Kind.SINGLE_CHOICE)
    check(page)
    expect(panel(page, 1).get_by_text("Right!", exact=True)).to_be_visible()
    panel(page, 1).get_by_role("link", name="Next question →").click()
    expect(panel(page, 2)).to_be_visible()
    expect(step_link(page, 1, "right")).to_be_visible(timeout=2000)
    expect(step_link(page, 2, "not answered")).to_have_attribute(
        "aria-current", "step", timeout=2000
    )
