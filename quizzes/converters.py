from __future__ import annotations


class ExportFormatConverter:
    """The formats flashcards export to: CSV, or an Anki package."""

    regex = r"csv|apkg"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
