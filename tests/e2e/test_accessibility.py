"""Every page passes axe-core's WCAG 2.2 A/AA rules, light and dark, and fits 390 px.

The pages are served by pytest-django's ``live_server`` (with its static files) and opened
in Chromium, so axe sees the real CSS: colour contrast is checked in each colour scheme.
"""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Page

from lessons.models import Section
from tests.courses.factories import ChapterFactory, CourseFactory
from tests.e2e.a11y import axe_violations, describe
from tests.lessons.factories import section_with_every_part

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390
SCHEMES = ["light", "dark"]
SHIPPED_COURSE = settings.BASE_DIR / "fixtures" / "advanced-machine-learning.yaml"

# Markdown that tends to push a narrow page sideways: a table, a code block, a long
# identifier in running text (no hyphen or space where a line could break).
WIDE_MARKDOWN = (
    "| Model | Parameters | Modality | Released by |\n"
    "| --- | --- | --- | --- |\n"
    "| GPT-3 | 175 billion | text | a research laboratory |\n\n"
    "```python\n"
    "foundation_model = pretrain(corpus=every_document_we_could_find, objective='next token')\n"
    "```\n\n"
    "Call `AutoModelForSequenceClassification.from_pretrained_with_adapter_weights()` once.\n"
)


def _course_with_a_section() -> Section:
    """A published course: one chapter, one section with two of every part."""
    course = CourseFactory(title="Foundation Models", description="What they are.")
    chapter = ChapterFactory(course=course, title="Modern Topics")
    return section_with_every_part(
        2, chapter=chapter, title="What are Foundation Models?"
    )


def _page_urls(section: Section) -> dict[str, str]:
    return {
        "catalog": reverse("courses:catalog"),
        "outline": section.course.get_absolute_url(),
        "section": section.get_absolute_url(),
    }


def _open(page: Page, url: str, *, scheme: str = "light") -> None:
    """Open a page in a colour scheme and check it really came with its stylesheet."""
    page.emulate_media(color_scheme=scheme)
    response = page.goto(url)
    assert response is not None
    assert response.status == 200, url
    assert page.evaluate(f"matchMedia('(prefers-color-scheme: {scheme})').matches")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background != "rgba(0, 0, 0, 0)", f"{url}: app.css did not load"


def _horizontal_overflow(page: Page) -> int:
    """How many CSS pixels the document is wider than the viewport (0 when it fits)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_axe_reports_violations_in_a_broken_page(page: Page):
    """The check can fail: a page with known problems yields those rules, described."""
    page.set_content(
        "<!DOCTYPE html><html><head><title>Broken</title></head><body><main>"
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        "<button></button>"
        '<p class="faint" style="color:#bbb;background:#fff">Barely visible text</p>'
        "</main></body></html>"
    )
    violations = axe_violations(page)
    found = {violation["id"] for violation in violations}
    assert {"html-has-lang", "image-alt", "button-name", "color-contrast"} <= found
    report = describe(violations)
    assert "image-alt (critical): Images must have alternative text" in report
    assert "Barely visible text" in report  # the offending node's HTML


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", ["catalog", "outline", "section"])
def test_page_has_no_axe_violations(page: Page, live_server, name: str, scheme: str):
    url = _page_urls(_course_with_a_section())[name]
    _open(page, live_server.url + url, scheme=scheme)
    violations = axe_violations(page)
    assert not violations, f"{name} ({scheme}):\n{describe(violations)}"


@pytest.mark.parametrize("name", ["catalog", "outline", "section"])
def test_page_fits_a_phone_without_horizontal_scrolling(
    page: Page, live_server, name: str
):
    section = _course_with_a_section()
    summary = section.summaries.get(level="basic")
    summary.text = WIDE_MARKDOWN
    summary.save()
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    _open(page, live_server.url + _page_urls(section)[name])
    assert page.evaluate("document.documentElement.clientWidth") == PHONE_WIDTH
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH, (
        f"{name} is {_horizontal_overflow(page)} px too wide at {PHONE_WIDTH} px"
    )


def test_the_shipped_course_pages_pass_axe_and_fit_a_phone(page: Page, live_server):
    """The real course (tables, code, long dialogues) in both schemes and at 390 px."""
    call_command("loadcourse", str(SHIPPED_COURSE), stdout=io.StringIO())
    sections = list(
        Section.objects.select_related("course").order_by("chapter__number", "position")
    )
    assert sections
    urls = {"catalog": reverse("courses:catalog")}
    urls["outline"] = sections[0].course.get_absolute_url()
    urls.update((f"section {s.number}", s.get_absolute_url()) for s in sections)

    problems = []
    for scheme in SCHEMES:
        for name, url in urls.items():
            _open(page, live_server.url + url, scheme=scheme)
            violations = axe_violations(page)
            if violations:
                problems.append(f"{name} ({scheme}):\n{describe(violations)}")
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    for name, url in urls.items():
        _open(page, live_server.url + url)
        if page.evaluate("document.documentElement.scrollWidth") > PHONE_WIDTH:
            problems.append(
                f"{name} is {_horizontal_overflow(page)} px too wide at {PHONE_WIDTH} px"
            )
    assert not problems, "\n\n".join(problems)
