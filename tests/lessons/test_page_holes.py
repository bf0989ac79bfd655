"""The section page's holes rendered from plain values and kept per process
(lessons/page_holes.py): a page from the shell is the page a full render gives, for
every kind of visitor, and visitors who see the same share the holes' text."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse

from courses.models import Learner
from lessons import page_holes
from tests.conftest import clear_caches
from tests.courses.factories import UserFactory
from tests.lessons.factories import section_with_every_part
from tests.lessons.test_page_shell import CSRF_INPUT, page, without_tokens
from tests.quizzes.factories import AttemptFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def section():
    return section_with_every_part(2, title="Holes section")


def fresh_and_from_shell(client: Client, section) -> tuple[str, str]:
    """The page rendered in full (nothing cached), then served from its shell."""
    clear_caches()
    return page(client, section), page(client, section)


def marked_done(section) -> Client:
    client = Client()
    page(client, section)
    client.post(
        reverse("lessons:mark-done", args=[section.course.slug, section.number]),
        {"done": "true"},
    )
    return client


def passed_quiz(section) -> Client:
    client = Client()
    page(client, section)
    AttemptFactory(learner=Learner.objects.get(), quiz=section.quiz, score=2, total=2)
    return client


def signed_in(*, staff: bool) -> Client:
    client = Client()
    client.force_login(UserFactory(username="grace", is_staff=staff))
    return client


@pytest.mark.parametrize(
    "visitor",
    ["new", "marked done", "passed the quiz", "student", "staff"],
)
def test_a_page_from_the_shell_is_the_page_a_full_render_gives(section, visitor):
    client = {
        "new": lambda: Client(),
        "marked done": lambda: marked_done(section),
        "passed the quiz": lambda: passed_quiz(section),
        "student": lambda: signed_in(staff=False),
        "staff": lambda: signed_in(staff=True),
    }[visitor]()
    page(client, section)  # the first visit's writes (progress, drill cards) done
    fresh, from_shell = fresh_and_from_shell(client, section)
    assert without_tokens(from_shell) == without_tokens(fresh)
    # Each form carries the response's own token, not the placeholder.
    tokens = set(CSRF_INPUT.findall(from_shell))
    assert len(tokens) == 1
    assert page_holes.CSRF_PLACEHOLDER not in from_shell


def test_the_drill_badge_hole_shows_the_learners_cards(section):
    client = Client()
    page(client, section)  # the section's cards join the drill: due now
    fresh, from_shell = fresh_and_from_shell(client, section)
    assert " due<span" in fresh
    assert without_tokens(from_shell) == without_tokens(fresh)


def test_visitors_who_see_the_same_share_the_holes_text(section):
    page(Client(), section)  # renders the page, and stores its shell
    page(Client(), section)  # a new visitor: the holes rendered from their values
    before = page_holes._text.cache_info()
    page(Client(), section)  # another new visitor: the same four holes
    after = page_holes._text.cache_info()
    assert after.misses == before.misses
    assert after.hits - before.hits == 4


def test_a_change_of_state_is_a_new_text_not_a_stale_one(section):
    client = Client()
    url = reverse("lessons:mark-done", args=[section.course.slug, section.number])
    page(client, section)
    assert "Not done yet." in page(client, section)
    client.post(url, {"done": "true"})
    assert "Done: you marked this section done" in page(client, section)
    client.post(url, {"done": "false"})
    assert "Not done yet." in page(client, section)


def test_a_hole_sees_only_the_values_it_is_given():
    section = page_holes.SectionRef(7, "1.2", page_holes.CourseRef("ml"))
    done = page_holes.Progress(True, datetime(2026, 3, 4, 12, tzinfo=UTC))
    html = page_holes.render(
        "lessons/section_detail.html#mark-done-form",
        csrf_token="abc123",
        ref=section,
        progress=done,
        best_attempt=None,
    )
    assert 'value="abc123"' in html
    assert "marked this section done on 4 March 2026" in html
    assert "/ml/1.2/" in html
    # Called again with another token: the same text around the new token.
    again = page_holes.render(
        "lessons/section_detail.html#mark-done-form",
        csrf_token="xyz789",
        ref=section,
        progress=done,
        best_attempt=None,
    )
    assert again == html.replace("abc123", "xyz789")
