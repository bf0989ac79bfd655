"""Just enough HTML reading to walk the site with Django's test client: elements by id,
forms with their fields, so a test fills in a form the way a browser would submit it."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    attrs: dict[str, str]
    fields: list[dict[str, str]] = field(default_factory=list)
    selects: dict[str, list[tuple[str, bool]]] = field(default_factory=dict)
    textareas: dict[str, str] = field(default_factory=dict)

    @property
    def action(self) -> str:
        return self.attrs.get("hx-post") or self.attrs.get("action") or ""

    def data(self) -> dict[str, str | list[str]]:
        """What submitting the form unchanged sends (checked boxes, selected options)."""
        out: dict[str, list[str]] = {}
        for item in self.fields:
            name, kind = item.get("name"), item.get("type", "text")
            if not name or kind in {"submit", "button", "image", "file", "reset"}:
                continue
            if kind in {"checkbox", "radio"} and "checked" not in item:
                continue
            out.setdefault(name, []).append(
                item.get("value", "on" if kind in {"checkbox", "radio"} else "")
            )
        for name, options in self.selects.items():
            chosen = [value for value, selected in options if selected] or [
                options[0][0] if options else ""
            ]
            out.setdefault(name, []).extend(chosen[:1])
        for name, text in self.textareas.items():
            out.setdefault(name, []).append(text)
        return {
            name: values[0] if len(values) == 1 else values
            for name, values in out.items()
        }

    def first_value(self, name: str) -> str | None:
        """The value of the first radio or checkbox called ``name``."""
        for item in self.fields:
            if item.get("name") == name:
                return item.get("value")
        return None


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: dict[str, dict[str, str]] = {}
        self.forms: list[Form] = []
        self._select: str | None = None
        self._option: dict[str, str] | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.ids[values["id"]] = {"tag": tag, **values}
        form = self.forms[-1] if self.forms else None
        if tag == "form":
            self.forms.append(Form(values))
        elif form is None:
            return
        elif tag in {"input", "button"}:
            form.fields.append(
                {"type": "submit" if tag == "button" else "text", **values}
            )
        elif tag == "select":
            self._select = values.get("name", "")
            form.selects[self._select] = []
        elif tag == "option" and self._select is not None:
            form.selects[self._select].append(
                (values.get("value", ""), "selected" in values)
            )
        elif tag == "textarea":
            self._textarea = values.get("name", "")
            form.textareas[self._textarea] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None and self.forms:
            self.forms[-1].textareas[self._textarea] += data


def read(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader


def element(html: str, element_id: str) -> dict[str, str] | None:
    """The attributes of the element with ``element_id`` (and its tag), or None."""
    return read(html).ids.get(element_id)


def forms(html: str) -> list[Form]:
    return read(html).forms
