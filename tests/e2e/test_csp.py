"""The Content-Security-Policy holds in Chromium, and the violation watch catches breaches."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.courses.factories import StaffUserFactory
from tests.lessons.factories import SectionFactory, SummaryFactory, VideoFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def section():
    section = SectionFactory(title="Serving under a strict policy")
    SummaryFactory(section=section, level="basic", text="A **basic** summary.")
    VideoFactory(section=section, title="A talk", url="https://youtu.be/abcdefghijk")
    return section


def test_inline_script_and_style_are_blocked_and_reported(
    page: Page, live_server, section, csp_violations
):
    page.goto(live_server.url + section.get_absolute_url())
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.__injected = true";
          document.body.append(script);
          const box = document.createElement("div");
          box.innerHTML = '<p style="color: red">styled</p>';
          document.body.append(box);
        }"""
    )
    page.wait_for_timeout(200)  # let the reports reach the test process
    assert page.evaluate("window.__injected") is None
    reports = "\n".join(csp_violations)
    assert "script-src" in reports
    assert "style-src" in reports
    csp_violations.clear()  # provoked on purpose: not a failure of this test


def test_violations_without_javascript_are_reported(
    browser: Browser, live_server, section, csp_violations
):
    """With JavaScript off only Chromium's console reports are left; they are watched too."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.route(
        live_server.url + "/csp-probe/",
        lambda route: route.fulfill(
            content_type="text/html",
            headers={"Content-Security-Policy": "style-src 'self'"},
            body='<!DOCTYPE html><title>probe</title><p style="color: red">x</p>',
        ),
    )
    page.goto(live_server.url + "/csp-probe/")
    page.wait_for_timeout(200)
    context.close()
    assert any("Content Security Policy" in v for v in csp_violations)
    csp_violations.clear()


def test_the_video_player_loads_under_the_policy(page: Page, live_server, section):
    """frame-src lets in the privacy-enhanced player, and only when asked for."""
    page.goto(live_server.url + section.get_absolute_url())
    expect(page.locator("iframe")).to_have_count(0)
    page.get_by_role("button", name="Play here").click()
    frame = page.locator("iframe")
    expect(frame).to_have_attribute(
        "src", "https://www.youtube-nocookie.com/embed/abcdefghijk"
    )
    # No network here: the frame fails to load, but the policy must not be what stops it.
    page.wait_for_timeout(500)


def test_the_admin_runs_under_the_policy(page: Page, live_server, section):
    """Django's admin and our authoring tools need no inline script or style."""
    admin = StaffUserFactory(is_superuser=True)
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill(admin.username)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    expect(
        page.get_by_role("link", name="Log out").or_(
            page.get_by_role("button", name="Log out")
        )
    ).to_be_visible()
    for path in (
        "/admin/",
        "/admin/lessons/section/",
        f"/admin/lessons/section/{section.pk}/change/",
        "/admin/courses/course/",
        "/admin/lessons/section/add/",
    ):
        response = page.goto(live_server.url + path)
        assert response is not None
        assert response.ok, path
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    # The violations, if any, fail this test at teardown (conftest.csp_violations).


@pytest.mark.csp_expected("img-src")
def test_expected_violations_are_left_out_and_others_kept(
    page: Page, live_server, section, csp_violations
):
    """csp_expected("img-src") lets a blocked image pass, never a blocked script."""
    page.goto(live_server.url + section.get_absolute_url())
    page.evaluate(
        """() => {
          const image = document.createElement("img");
          image.src = "https://images.example.org/x.png";
          image.alt = "";
          document.body.append(image);
          const script = document.createElement("script");
          script.textContent = "window.__injected = true";
          document.body.append(script);
        }"""
    )
    page.wait_for_timeout(200)
    reports = "\n".join(csp_violations)
    assert "images.example.org" not in reports
    assert "script-src" in reports
    csp_violations.clear()
