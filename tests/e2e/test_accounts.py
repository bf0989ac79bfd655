"""Account pages in Chromium: axe-core finds nothing in light or dark, at 390 px they fit,
and an anonymous student who signs up finds their work on the account."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from playwright.sync_api import Page, expect

from courses.models import Learner
from tests.courses.factories import UserFactory
from tests.e2e.a11y import axe_violations, describe
from tests.lessons.factories import FlashcardFactory, SectionFactory
from tests.quizzes.factories import QuestionFactory, QuizFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"  # UserFactory's
PHONE_WIDTH = 390
SCHEMES = ["light", "dark"]
PAGES = ["login", "signup", "password_reset", "password_change"]


@pytest.fixture(autouse=True)
def _no_throttle_counts():
    cache.clear()  # the live server runs in this process: same locmem cache
    yield
    cache.clear()


def log_in(page: Page, base_url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(base_url + reverse("login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def _open(page: Page, url: str, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)
    response = page.goto(url)
    assert response is not None
    assert response.status == 200, url
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background != "rgba(0, 0, 0, 0)", f"{url}: app.css did not load"


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", PAGES)
def test_account_page_has_no_axe_violations(
    page: Page, live_server, name: str, scheme: str
):
    if name == "password_change":
        log_in(page, live_server.url, UserFactory().username)
        expect(page.get_by_role("button", name="Log out")).to_be_visible()
    _open(page, live_server.url + reverse(name), scheme)
    violations = axe_violations(page)
    assert not violations, f"{name} ({scheme}):\n{describe(violations)}"


@pytest.mark.parametrize("scheme", SCHEMES)
def test_forms_with_errors_have_no_axe_violations(page: Page, live_server, scheme):
    """Error messages (a failed login, a refused sign-up) pass too, in both schemes."""
    page.emulate_media(color_scheme=scheme)
    user = UserFactory()
    log_in(page, live_server.url, user.username, "not the password")
    expect(page.get_by_role("alert")).to_contain_text("Please enter a correct")
    expect(page.get_by_label("Username")).to_have_value(user.username)
    problems = [
        f"login ({scheme}):\n{describe(v)}" for v in [axe_violations(page)] if v
    ]

    page.goto(live_server.url + reverse("signup"))
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Password confirmation").fill("different")
    page.get_by_role("button", name="Sign up").click()
    username = page.get_by_label("Username")
    expect(username).to_have_attribute("aria-invalid", "true")
    expect(username).to_have_accessible_description(
        re.compile(r"A user with that username already exists\.")
    )
    violations = axe_violations(page)
    if violations:
        problems.append(f"signup ({scheme}):\n{describe(violations)}")
    assert not problems, "\n\n".join(problems)


@pytest.mark.parametrize("signed_in", [False, True])
def test_header_and_account_pages_fit_a_phone(page: Page, live_server, signed_in):
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    if signed_in:
        user = UserFactory(username="a-rather-long-username-for-a-narrow-phone-screen")
        log_in(page, live_server.url, user.username)
        expect(page.get_by_role("button", name="Log out")).to_be_visible()
        names = ["password_change", "courses:catalog"]
    else:
        names = ["login", "signup", "password_reset", "courses:catalog"]
    for name in names:
        page.goto(live_server.url + reverse(name))
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE_WIDTH, f"{name} is {width} px wide"


def test_an_anonymous_student_signs_up_and_finds_their_progress(
    page: Page, live_server
):
    section = SectionFactory(title="What are Foundation Models?")
    FlashcardFactory(
        section=section, front="What is a foundation model?", back="A base."
    )
    QuestionFactory(quiz=QuizFactory(section=section), prompt="Pick the right one")
    page.goto(live_server.url + section.get_absolute_url())
    done = page.get_by_role("button", name="Mark as done")
    done.click()
    expect(done).to_have_attribute("aria-pressed", "true")
    # A quiz, answered and finished, and one drill review, all before signing up.
    page.get_by_role("link", name="Take the practice quiz").click()
    page.get_by_role("radio", name="Right", exact=True).check()
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_text("Right!", exact=True)).to_be_visible()
    page.get_by_role("button", name="Finish").click()
    expect(page.get_by_text("1 of 1 right (100 %): passed")).to_be_visible()
    page.goto(live_server.url + "/drill/")
    page.get_by_role("link", name="Show answer").click()
    page.get_by_role("button", name="Good").click()
    expect(page.get_by_text("Pick the right one")).to_be_visible()

    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password", exact=True).fill("a fresh lectern passphrase")
    page.get_by_label("Password confirmation").fill("a fresh lectern passphrase")
    page.get_by_role("button", name="Sign up").click()

    header = page.get_by_role("banner")
    expect(header).to_contain_text("ada")
    expect(header.get_by_role("button", name="Log out")).to_be_visible()
    expect(header.get_by_role("link", name="Log in")).to_have_count(0)
    page.goto(live_server.url + section.course.get_absolute_url())
    expect(page.get_by_text("1 of 1 section done")).to_be_visible()
    expect(page.get_by_text("Quiz 100 %, passed")).to_be_visible()
    page.goto(live_server.url + "/dashboard/")
    expect(
        page.get_by_text("Remembered 100 % of 1 review in the last 30 days")
    ).to_be_visible()
    page.wait_for_load_state("networkidle")
    learner = Learner.objects.get()
    assert learner.user.username == "ada"
    assert learner.quiz_attempts.count() == 1
    assert learner.review_cards.filter(last_review__isnull=False).count() == 1

    header.get_by_role("button", name="Log out").click()
    expect(
        page.get_by_role("banner").get_by_role("link", name="Log in")
    ).to_be_visible()
