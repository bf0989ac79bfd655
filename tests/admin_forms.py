"""Read an admin page's form as a browser would submit it, for tests that POST it back.

``form_data(html, form_id)`` returns the form's successful controls (text and hidden
inputs, checked boxes, selected options, textareas) as ``{name: value or [values]}``,
management forms of every inline formset included, so a test changes only what it means
to change and posts the rest as the page had it.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any


class _FormParser(HTMLParser):
    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.depth = 0
        self.data: dict[str, list[str]] = {}
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._option: dict[str, Any] | None = None
        self._select_values: list[str] = []
        self._select_first: str | None = None
        self._select_multiple = False

    def _add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            if a.get("id") == self.form_id:
                self.in_form = True
            return
        if not self.in_form:
            return
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = a.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self._add(name, a.get("value", "on"))
            elif kind not in {"submit", "button", "file", "image", "reset"}:
                self._add(name, a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select, self._select_values, self._select_first = name, [], None
            self._select_multiple = "multiple" in a
        elif tag == "option" and self._select is not None:
            self._option = a
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.in_form:
            self.in_form = False
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            # Browsers drop one newline right after <textarea>.
            self._add(self._textarea, text.removeprefix("\n"))
            self._textarea = None
        elif tag == "option" and self._option is not None:
            value = self._option.get("value", "".join(self._text).strip())
            if self._select_first is None:
                self._select_first = value
            if "selected" in self._option:
                self._select_values.append(value)
            self._option = None
        elif tag == "select" and self._select is not None:
            if not self._select_values and not self._select_multiple:
                # A single select with nothing selected submits its first option.
                self._select_values = [self._select_first or ""]
            for value in self._select_values:
                self._add(self._select, value)
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None or self._option is not None:
            self._text.append(data)


def form_data(html: str | bytes, form_id: str) -> dict[str, Any]:
    """The values the form ``form_id`` would submit, one value or a list per name."""
    if isinstance(html, bytes):
        html = html.decode()
    parser = _FormParser(form_id)
    parser.feed(html)
    if not parser.data:
        raise AssertionError(f"no form #{form_id} with fields in the page")
    return {
        name: values[0] if len(values) == 1 else values
        for name, values in parser.data.items()
    }


def add_inline_forms(
    data: dict[str, Any], prefix: str, rows: list[dict[str, Any]]
) -> dict[str, Any]:
    """Append ``rows`` as new forms of the inline formset ``prefix``."""
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    for offset, row in enumerate(rows):
        for field, value in row.items():
            data[f"{prefix}-{total + offset}-{field}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(total + len(rows))
    return data
