"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Nothing here downloads a browser (never run ``playwright install``): the tests launch
``/usr/bin/chromium`` from Debian's ``chromium`` package, and skip with a reason when it is
missing, except under ``CI=true``, where a missing browser fails the run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
