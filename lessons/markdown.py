"""Markdown to sanitised HTML, in one place, for the site, the loader and the admin."""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt

# CommonMark with tables, strikethrough and typographic quotes and dashes.
# markdown-it-py, not Python-Markdown: its parser stays linear on hostile input
# (Python-Markdown took over 20 s on 8,000 "[" in one text), and it renders on save.
_PARSER = MarkdownIt("commonmark", {"typographer": True}).enable(
    ["table", "strikethrough", "replacements", "smartquotes"]
)

# Everything Markdown with tables and code produces, and nothing that can run script.
_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s", "strong", "sub",
    "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "code": {"class"},
}
_URL_SCHEMES = {"http", "https", "mailto"}
# Table column alignment as classes: the CSP forbids style attributes.
_ALIGN_CLASSES = {"align-left", "align-center", "align-right"}
_ALLOWED_CLASSES = {"td": _ALIGN_CLASSES, "th": _ALIGN_CLASSES}
_ALIGN_STYLE = re.compile(r'<(td|th) style="text-align:(left|center|right)">')


def render_markdown(text: str, *, inline: bool = False) -> str:
    """Render Markdown to sanitised HTML.

    ``inline`` drops the paragraph around a one-paragraph text, for short fields shown
    inside other elements (a flashcard face, a dialogue line, a choice).
    """
    if not text or not text.strip():
        return ""
    html = _ALIGN_STYLE.sub(r'<\1 class="align-\2">', _PARSER.render(text).strip())
    clean = nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        allowed_classes=_ALLOWED_CLASSES,
    )
    if (
        inline
        and clean.startswith("<p>")
        and clean.endswith("</p>")
        and clean.count("<p>") == 1
    ):
        clean = clean[3:-4]
    return clean
