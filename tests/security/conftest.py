"""The browser fixtures of tests/e2e (Debian's Chromium, CSP violations fail a test)."""

from __future__ import annotations

from tests.e2e.conftest import (  # noqa: F401 (fixtures, found by name)
    browser_type_launch_args,
    csp_violations,
)
