"""A student studies a section in Chromium: with JavaScript (htmx swaps) and without it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from lessons.models import Summary
from tests.e2e.a11y import axe_violations, describe
from tests.lessons.factories import (
    DialogueFactory,
    DialogueLineFactory,
    FlashcardFactory,
    SectionFactory,
    SummaryFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def section():
    section = SectionFactory(title="What are Foundation Models?")
    for level in Summary.Level.values:
        SummaryFactory(
            section=section,
            level=level,
            text=f"The {level} summary of foundation models.",
        )
    dialogue = DialogueFactory(section=section, title="What makes a foundation model")
    speakers = [
        ("Teacher", "teacher"),
        ("Student 1", "student"),
        ("Teacher", "teacher"),
        ("Student 2", "student"),
    ]
    for position, (speaker, role) in enumerate(speakers):
        DialogueLineFactory(
            dialogue=dialogue,
            position=position,
            speaker=speaker,
            role=role,
            text=f"Line {position + 1} said by {speaker}.",
        )
    for n in range(1, 4):
        FlashcardFactory(
            section=section, position=n, front=f"Question {n}?", back=f"Answer {n}."
        )
    return section


def remember_page(page: Page) -> None:
    """Mark the document, so a full reload (which would drop the mark) can be detected."""
    page.evaluate("window.__sameDocument = true")


def assert_not_reloaded(page: Page) -> None:
    assert page.evaluate("window.__sameDocument === true"), "the page was reloaded"


def visible_lines(page: Page) -> int:
    return page.locator("#dialogue-1 .line:not(.line-pending)").count()


def test_a_student_studies_a_section_with_htmx(page: Page, live_server, section):
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            errors.append(message.text) if message.type == "error" else None
        ),
    )
    page.goto(live_server.url + section.get_absolute_url())
    remember_page(page)

    # Summary levels: only the summary is swapped and the URL says which level.
    page.get_by_role("tab", name="Medium").click()
    expect(page.locator("#summary-text")).to_contain_text("The medium summary")
    expect(page).to_have_url(
        f"{live_server.url}{section.get_absolute_url()}?level=medium"
    )
    expect(page.get_by_role("tab", name="Medium")).to_have_attribute(
        "aria-selected", "true"
    )
    page.get_by_role("tab", name="Medium").press(
        "ArrowRight"
    )  # the tabs pattern, by keyboard
    expect(page.locator("#summary-text")).to_contain_text("The detailed summary")
    assert_not_reloaded(page)

    # The dialogue, one line at a time, to its end.
    assert visible_lines(page) == 1
    for shown in range(2, 5):
        page.get_by_role("link", name="Next line").click()
        expect(page.locator("#dialogue-1 .line:not(.line-pending)")).to_have_count(
            shown
        )
    expect(page.get_by_text("End of the dialogue.")).to_be_visible()
    expect(page.get_by_role("link", name="Next line")).to_have_count(0)
    expect(page.locator("#dialogue-1-live")).to_have_text(
        "Student 2: Line 4 said by Student 2."
    )
    assert_not_reloaded(page)

    # Flashcards by keyboard: Space flips, the arrow keys move, focus stays on the card.
    card = page.locator("#flashcard-face")
    card.focus()
    page.keyboard.press("Space")
    expect(page.locator("#flashcard-side")).to_have_text("Answer")
    expect(card).to_contain_text("Answer 1.")
    expect(card).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(page.locator("#flashcard-count")).to_have_text("Card 2 of 3")
    expect(card).to_contain_text("Question 2?")
    expect(card).to_be_focused()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press(
        "ArrowLeft"
    )  # pressed before the first card arrived; the deck wraps
    expect(page.locator("#flashcard-count")).to_have_text("Card 3 of 3")
    expect(page.locator("#flashcard-live")).to_contain_text("Card 3 of 3, question")
    assert_not_reloaded(page)

    # Mark as done: the button swaps in place and the state survives a reload.
    button = page.get_by_role("button", name="Mark as done")
    expect(button).to_have_attribute("aria-pressed", "false")
    button.click()
    expect(page.get_by_role("button", name="Mark as done")).to_have_attribute(
        "aria-pressed", "true"
    )
    assert_not_reloaded(page)
    page.reload()
    expect(page.get_by_role("button", name="Mark as done")).to_have_attribute(
        "aria-pressed", "true"
    )
    # The level chosen is remembered on reload without ?level=.
    page.goto(live_server.url + section.get_absolute_url())
    expect(page.locator("#summary-text")).to_contain_text("The detailed summary")
    assert not errors, errors


def test_the_same_journey_works_without_javascript(
    browser: Browser, live_server, section
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    base = live_server.url + section.get_absolute_url()
    page.goto(base)

    page.get_by_role("tab", name="Medium").click()
    expect(page).to_have_url(f"{base}?level=medium#summary")
    expect(page.locator("#summary-text")).to_contain_text("The medium summary")

    for shown in range(2, 5):
        page.get_by_role("link", name="Next line").click()
        expect(page.locator("#dialogue-1 .line:not(.line-pending)")).to_have_count(
            shown
        )
    expect(page.get_by_text("End of the dialogue.")).to_be_visible()
    page.get_by_role("link", name="Start again").click()
    page.get_by_role("link", name="Show all").click()
    expect(page.locator("#dialogue-1 .line-pending")).to_have_count(0)

    page.get_by_role("link", name="Flip").click()
    expect(page.locator("#flashcard-face")).to_contain_text("Answer 1.")
    page.get_by_role("link", name="Next card").click()
    expect(page.locator("#flashcard-count")).to_have_text("Card 2 of 3")
    page.get_by_role("link", name="Previous card").click()
    expect(page.locator("#flashcard-count")).to_have_text("Card 1 of 3")
    page.get_by_role("link", name="Shuffle").click()
    expect(page.locator("#flashcard-count")).to_have_text("Card 1 of 3 (shuffled)")

    page.get_by_role("button", name="Mark as done").click()
    expect(page.get_by_role("button", name="Mark as done")).to_have_attribute(
        "aria-pressed", "true"
    )
    page.goto(live_server.url + section.course.get_absolute_url())
    expect(page.locator(".badge.done")).to_have_text("Done")
    context.close()


def test_listen_appears_only_where_speech_synthesis_exists(
    browser: Browser, live_server, section
):
    context = browser.new_context()
    context.add_init_script(
        "Object.defineProperty(window, 'speechSynthesis', {value: undefined});"
        "Object.defineProperty(window, 'SpeechSynthesisUtterance', {value: undefined});"
    )
    page = context.new_page()
    page.goto(live_server.url + section.get_absolute_url())
    expect(page.get_by_role("link", name="Next line")).to_be_visible()
    expect(page.get_by_role("button", name="Listen")).to_have_count(0)
    context.close()


def test_listen_reads_the_dialogue_with_a_voice_per_speaker(
    browser: Browser, live_server, section
):
    """Speech is stubbed in the page (headless Chromium has no voices): the script is checked."""
    context = browser.new_context()
    context.add_init_script(
        """
        window.__spoken = [];
        const voices = [{name: "A", lang: "en-GB"}, {name: "B", lang: "en-US"}, {name: "C", lang: "en-IN"}];
        window.SpeechSynthesisUtterance = function (text) { this.text = text; };
        Object.defineProperty(window, "speechSynthesis", {value: {
          paused: false, getVoices: () => voices,
          speak(u) { window.__spoken.push([u.text, u.voice && u.voice.name]); if (u.onstart) u.onstart(); },
          cancel() {}, pause() { this.paused = true; }, resume() { this.paused = false; },
        }});
        """
    )
    page = context.new_page()
    page.goto(live_server.url + section.get_absolute_url())
    page.locator("#dialogue-1").get_by_role("button", name="Listen").click()
    spoken = page.evaluate("window.__spoken")
    assert [text for text, _voice in spoken] == [
        "Teacher: Line 1 said by Teacher.",
        "Student 1: Line 2 said by Student 1.",
        "Teacher: Line 3 said by Teacher.",
        "Student 2: Line 4 said by Student 2.",
    ]
    voices = {text.split(":")[0]: voice for text, voice in spoken}
    assert (
        len(set(voices.values())) == 3
    )  # Teacher, Student 1 and Student 2 sound different
    expect(page.locator("#dialogue-1 .line.speaking")).to_have_count(
        1
    )  # the line being read
    expect(
        page.locator("#dialogue-1").get_by_role("button", name="Stop")
    ).to_be_enabled()
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_section_after_swaps_has_no_axe_violations(
    page: Page, live_server, section, scheme
):
    page.emulate_media(color_scheme=scheme)
    page.goto(live_server.url + section.get_absolute_url())
    page.get_by_role("tab", name="Detailed").click()
    page.get_by_role("link", name="Next line").click()
    page.get_by_role("link", name="Flip").click()
    page.get_by_role("button", name="Mark as done").click()
    expect(page.get_by_role("button", name="Mark as done")).to_have_attribute(
        "aria-pressed", "true"
    )
    violations = axe_violations(page)
    assert not violations, describe(violations)
