"""Glossary terms that link themselves where the section's text uses them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from html import escape

from lessons.models import GlossaryTerm

# Tags whose text must stay as it is: links can't nest, code is literal, headings stay clean.
_SKIP = {"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6"}
# Quote-aware, so a ">" inside an attribute value never ends a tag early.
_TAG = re.compile(r"""(<(?:[^>"']|"[^"]*"|'[^']*')*>)""")
_TAG_NAME = re.compile(r"^</?\s*([a-zA-Z0-9]+)")

Glossary = tuple[
    tuple[str, tuple[str, ...]], ...
]  # (anchor, spellings), longest spelling first


def glossary_index(terms: Iterable[GlossaryTerm]) -> Glossary:
    """The section's terms and aliases, ready for ``link_terms`` (hashable, so cacheable)."""
    index = [
        (term.anchor, tuple(sorted({term.term, *term.aliases}, key=len, reverse=True)))
        for term in terms
    ]
    return tuple(sorted(index, key=lambda entry: -len(entry[1][0])))


@lru_cache(maxsize=4096)
def _pattern(glossary: Glossary) -> re.Pattern[str] | None:
    spellings = sorted(
        {s for _anchor, names in glossary for s in names if s.strip()},
        key=len,
        reverse=True,
    )
    if not spellings:
        return None
    # Matched as they appear in the HTML (R&D as R&amp;D), never from inside an entity
    # (a term "lt" must not split "&lt;", nor "x" the "&#x3c;").
    alternatives = "|".join(re.escape(escape(s, quote=False)) for s in spellings)
    return re.compile(rf"(?<![\w&#-])({alternatives})(?![\w-])", re.IGNORECASE)


@lru_cache(maxsize=8192)
def link_terms(html: str, glossary: Glossary) -> str:
    """Link the first use of each glossary term in ``html`` to its glossary entry.

    ``html`` is sanitised Markdown output; only text between tags changes, never inside
    links, code or headings. Pure and cached: the same text and glossary give the same
    result without redoing the work.
    """
    pattern = _pattern(glossary)
    if pattern is None or not html:
        return html
    anchors = {
        escape(name, quote=False).casefold(): anchor
        for anchor, names in glossary
        for name in names
    }
    linked: set[str] = set()
    skipping: list[str] = []
    out = []
    for piece in _TAG.split(html):
        if piece.startswith("<"):
            match = _TAG_NAME.match(piece)
            if match and match[1].lower() in _SKIP and not piece.endswith("/>"):
                if piece.startswith("</"):
                    if skipping:
                        skipping.pop()
                else:
                    skipping.append(match[1].lower())
            out.append(piece)
            continue
        if skipping:
            out.append(piece)
            continue

        def replace(match: re.Match[str]) -> str:
            anchor = anchors[match[1].casefold()]
            if anchor in linked:
                return match[0]
            linked.add(anchor)
            return f'<a class="glossary-link" href="#{anchor}">{match[1]}</a>'

        out.append(pattern.sub(replace, piece))
    return "".join(out)
