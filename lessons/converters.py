from __future__ import annotations


class SectionNumberConverter:
    """Section numbers like 15.1: digits separated by dots."""

    regex = r"\d+(?:\.\d+)*"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
