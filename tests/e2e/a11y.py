"""Run axe-core inside a Playwright page and describe what it finds.

axe-core comes from the PyPI package ``axe-playwright-python``, which ships ``axe.min.js``
(axe 4.12.1 in 0.1.8); its sync ``Axe.run`` evaluates that script in the page, then
``axe.run``.
"""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

# WCAG 2.0, 2.1 and 2.2, levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_axe = Axe()


def axe_violations(page: Page) -> list[dict]:
    """The WCAG A/AA violations axe finds in the page as it is now."""
    options = {
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "resultTypes": ["violations"],
    }
    return _axe.run(page, options=options).response["violations"]


def describe(violations: list[dict]) -> str:
    """One paragraph per violation: rule, impact, help and each offending node."""
    lines = []
    for violation in violations:
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']}"
            f"\n  {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"  - {target}\n    {node['html'][:200]}")
            summary = node.get("failureSummary")
            if summary:
                lines.extend(f"    {line}" for line in summary.splitlines())
    return "\n".join(lines)
