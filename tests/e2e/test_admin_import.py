"""An instructor imports an edited course file in the admin: upload, preview, apply.

axe-core checks the custom admin pages (import, preview, question statistics) in light
and dark.
"""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.db import connection
from django.urls import reverse
from playwright.sync_api import Page, expect

from lessons.content import load_course_files
from lessons.models import Section
from tests.courses.factories import StaffUserFactory
from tests.courses.test_admin_import import FIXTURE, edited_fixture
from tests.e2e.a11y import WCAG_TAGS, describe
from tests.quizzes.test_statistics import World

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"  # UserFactory's


def _instructors() -> Group:
    """The Instructors group as its data migration makes it: a transactional test starts
    from an emptied database."""
    migration = importlib.import_module("courses.migrations.0004_instructors_group")
    migration.create_instructors(django_apps, SimpleNamespace(connection=connection))
    return Group.objects.get(name=migration.GROUP)


def _log_in_as_instructor(page: Page, base_url: str) -> None:
    user = StaffUserFactory()
    user.groups.add(_instructors())
    page.goto(base_url + reverse("admin:login"))
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()


_axe = Axe()


def _no_violations(page: Page, what: str) -> None:
    """axe on our own content (``#content``: the heading and what follows it). The stock
    admin's breadcrumbs fail link-in-text-block (white links in pale text, no underline)
    in Django 5.2, which is not ours to fix here."""
    options = {
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "resultTypes": ["violations"],
    }
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        # The admin's links fade between colours (transition: color 0.15s): let them
        # settle, or axe measures a colour halfway between the two themes.
        page.wait_for_timeout(400)
        violations = _axe.run(page, context="#content", options=options).response[
            "violations"
        ]
        assert not violations, f"{what} ({scheme}):\n{describe(violations)}"


def test_instructor_previews_and_applies_a_course_file(
    page: Page, live_server, tmp_path
):
    load_course_files([FIXTURE])
    text, expected = edited_fixture()
    edited = tmp_path / "advanced-machine-learning.yaml"
    edited.write_text(text, encoding="utf-8")
    base_url = live_server.url
    _log_in_as_instructor(page, base_url)

    page.goto(base_url + reverse("admin:courses_course_changelist"))
    page.get_by_role("link", name="Import a course file").click()
    expect(page.get_by_role("heading", name="Import a course file")).to_be_visible()
    _no_violations(page, "import page")

    page.get_by_label("Course file").set_input_files(str(edited))
    page.get_by_role("button", name="Preview").click()

    table = page.get_by_role("table", name="What applying the file changes")
    expect(table).to_be_visible()
    sections = table.get_by_role("row", name="Sections")
    expected_cells = [
        str(expected["sections"][how]) for how in ("added", "changed", "removed")
    ]
    expect(sections.get_by_role("cell")).to_have_text(expected_cells)
    assert not Section.objects.filter(slug="a-new-section").exists()  # only a preview
    _no_violations(page, "import preview")

    page.get_by_role("button", name="Apply").click()

    expect(page.get_by_text("Imported advanced-machine-learning.yaml")).to_be_visible()
    assert Section.objects.filter(slug="a-new-section").exists()


def test_an_invalid_file_shows_its_errors_accessibly(page: Page, live_server, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("slug: Not A Slug\ntitle: x\nchapters: []\n", encoding="utf-8")
    _log_in_as_instructor(page, live_server.url)
    page.goto(live_server.url + reverse("admin:courses_course_import"))
    page.get_by_label("Course file").set_input_files(str(bad))
    page.get_by_role("button", name="Preview").click()
    errors = page.get_by_role("heading", name="bad.yaml has 2 errors")
    expect(errors).to_be_visible()
    expect(page.get_by_text("bad.yaml:1: slug:")).to_be_visible()
    _no_violations(page, "import errors")


def test_question_statistics_page_is_accessible(page: Page, live_server):
    world = World()
    _log_in_as_instructor(page, live_server.url)
    page.goto(live_server.url + reverse("admin:quizzes_quiz_changelist"))
    page.get_by_role("link", name="Question statistics").first.click()
    table = page.get_by_role("table", name="Question statistics of")
    expect(table).to_be_visible()
    table.get_by_role("link", name="First-attempt facility").click()
    expect(page).to_have_url(
        f"{live_server.url}{reverse('admin:quizzes_quiz_statistics', args=[world.quiz.pk])}?o=facility"
    )
    expect(
        page.get_by_role("columnheader", name="First-attempt facility")
    ).to_have_attribute("aria-sort", "ascending")
    _no_violations(page, "question statistics")
