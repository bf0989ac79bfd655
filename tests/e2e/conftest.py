"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

The live server runs the project's middleware, Content-Security-Policy included, and every
browser test fails on any CSP violation Chromium reports (``csp_violations`` below).

Nothing here downloads a browser (never run ``playwright install``): the tests launch
``/usr/bin/chromium`` from Debian's ``chromium`` package, and skip with a reason when it is
missing, except under ``CI=true``, where a missing browser fails the run.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page

# Playwright's sync API runs an event loop in the test thread, so Django's guard against
# sync ORM calls from async code would trip on factories and fixtures (playwright-pytest#29).
# Set here only: production settings must keep the guard.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Debian's package; CHROMIUM=/path/to/chrome points elsewhere on other machines.
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))

# Headless in a sandboxed machine with no network but loopback: without the
# background-networking flags Chromium keeps trying (and failing) to reach Google.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Launch Debian's Chromium (headless unless ``--headed``) with the flags above."""
    if not CHROMIUM.exists():
        reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI=true requires the browser tests to run")
        pytest.skip(reason)
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": CHROMIUM_ARGS,
    }


# Reports every violation to the test process as it happens, so none is lost when the page
# navigates away afterwards.
_REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  window.__lecternCspViolation({
    directive: event.violatedDirective,
    blocked: event.blockedURI,
    source: event.sourceFile + ":" + event.lineNumber,
    sample: event.sample,
  });
});
"""


# Chromium's message names the directive: ... directive: "img-src 'self'" / 'script-src ...'
_DIRECTIVE = re.compile(r"""directive:? ["']([a-z-]+)""")


def _watch(
    context: BrowserContext, violations: list[str], expected: set[str]
) -> BrowserContext:
    """Collect the CSP violations of every page of ``context`` into ``violations``,
    but for those of the ``expected`` directives (``script-src`` covers ``script-src-elem``
    and ``script-src-attr``: Chromium's events name those, its messages the policy's)."""

    def is_expected(directive: str) -> bool:
        return any(directive == d or directive.startswith(d + "-") for d in expected)

    def on_console(message: ConsoleMessage) -> None:
        # Chromium logs each violation as an error, with JavaScript on or off.
        if "Content Security Policy" not in message.text:
            return
        directive = _DIRECTIVE.search(message.text)
        if directive and is_expected(directive.group(1)):
            return
        page = message.page.url if message.page else "?"
        violations.append(f"{page}: {message.text}")

    def on_event(source: dict, report: dict) -> None:
        if is_expected(report["directive"]):
            return
        violations.append(f"{source['page'].url}: securitypolicyviolation {report}")

    context.on("console", on_console)
    context.expose_binding("__lecternCspViolation", on_event)
    context.add_init_script(script=_REPORT_VIOLATIONS)
    return context


@pytest.fixture(autouse=True)
def csp_violations(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """Fail the test (at teardown) on any CSP violation in any page it opened.

    Every browser context the test makes, pytest-playwright's ``page`` as well as
    ``browser.new_context(...)`` in the test, is watched. A test that provokes a violation
    on purpose asserts on this list and empties it. A test that shows hostile content
    whose blocking is the point (an external image in the XSS corpus) names the
    directives it expects with ``@pytest.mark.csp_expected("img-src")``.
    """
    marker = request.node.get_closest_marker("csp_expected")
    expected = set(marker.args) if marker else set()
    violations: list[str] = []
    new_context = Browser.new_context
    new_page = Browser.new_page

    def watched_new_context(self: Browser, *args, **kwargs) -> BrowserContext:
        return _watch(new_context(self, *args, **kwargs), violations, expected)

    def watched_new_page(self: Browser, *args, **kwargs) -> Page:
        page = new_page(self, *args, **kwargs)
        _watch(page.context, violations, expected)
        return page

    monkeypatch.setattr(Browser, "new_context", watched_new_context)
    monkeypatch.setattr(Browser, "new_page", watched_new_page)
    yield violations
    if violations:
        pytest.fail(
            "Content-Security-Policy violations:\n" + "\n".join(violations),
            pytrace=False,
        )
