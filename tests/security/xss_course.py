"""A course file that carries the XSS corpus into every text field, and an HTML checker.

``xss_course_text()`` spreads the payloads of ``xss_payloads`` over a few sections: in each,
every payload has its own example, flashcard, glossary term, video and dialogue line, and
one in three of them an explainer, a key concept or a memory aid, so each is tried alone in
block and inline Markdown fields (text, front, back, definition, the line's text,
statement…) and in plain-text fields (titles, terms, hints, speakers, aliases…); the
summaries, quiz prompts, explanations, choices, hints, accepted answers, ordering items
and matching pairs carry them together.
Glossary terms named after entity and tag names ("lt", "script", "onerror"…) make the
glossary linker work inside the escaped payloads.

``page_problems(html)`` lists what a page must never contain: an on* attribute, a script
that is not one of ours, a javascript:/data:/vbscript: URL, an iframe/object/embed/base,
a meta refresh.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from html.parser import HTMLParser

import yaml

from tests.security.xss_payloads import Payload, payloads

COURSE_SLUG = "xss-course"
CHAPTER = 15
SECTIONS = 5
# Spellings of entities and tag names that occur inside escaped payloads.
TRAP_TERMS = ["lt", "gt", "quot", "amp", "script", "onerror", "img", "alert", "x"]
KINDS = ["rhyme", "story", "memory_gem", "acronym"]


def fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit]


def one_line(text: str) -> str:
    return " ".join(text.split("\n"))


def _speaker(payload: Payload) -> str:
    text = one_line(payload.text).strip()
    if ":" in text or not text or len(text) > 60:
        return "Teacher" if payload.number % 2 else "Student 1"
    return text


def _questions(group: list[Payload], section: int) -> list[dict]:
    texts = [p.text for p in group]
    chunks = [group[k::7] for k in range(7)]

    def common(k: int, kind: str) -> dict:
        chunk = chunks[k] or group[:1]
        return {
            "id": f"q{section}-{kind.replace('_', '-')}",
            "kind": kind,
            "prompt": "\n\n".join(p.text for p in chunk),
            "explanation": "\n\n".join(p.text for p in reversed(chunk)),
            "hints": [p.text for p in chunk],
        }

    return [
        {
            **common(0, "single_choice"),
            "choices": [
                {"text": text, "correct": i == 0, "feedback": text}
                for i, text in enumerate(texts)
            ],
        },
        {
            **common(1, "multiple_choice"),
            "choices": [
                {"text": text, "correct": i % 2 == 0, "feedback": text}
                for i, text in enumerate(texts[0::2])
            ],
        },
        {**common(2, "true_false"), "answer": True},
        {**common(3, "short_answer"), "accepted": texts},
        {**common(4, "numeric"), "answer": 42, "tolerance": 0},
        {**common(5, "ordering"), "items": texts[1::2]},
        {
            **common(6, "matching"),
            "pairs": [{"left": t, "right": fit(t, 300)} for t in texts[0::3]],
        },
    ]


def _section(index: int, group: list[Payload]) -> dict:
    n = index + 1
    glossary: dict[str, dict] = {}
    for p in group:
        term = fit(p.text, 200).strip()
        if term and term.casefold() not in glossary:
            glossary[term.casefold()] = {
                "term": term,
                "definition": p.text,
                "aliases": [p.text],
            }
    if index == 0:
        for term in TRAP_TERMS:
            glossary.setdefault(term, {"term": term, "definition": f"The {term}."})
    return {
        "number": f"{CHAPTER}.{n}",
        "slug": f"xss-section-{n}",
        "title": fit(group[0].text, 200),
        "status": "published",
        "summaries": {
            "basic": "\n\n".join(p.text for p in group),
            "medium": "\n\n".join(p.text for p in reversed(group)),
            "detailed": " ".join(one_line(p.text) for p in group),
        },
        "dialogues": [
            {
                "title": fit(group[-1].text, 200),
                "script": "".join(
                    f"{_speaker(p)}: {one_line(p.text).strip()}\n" for p in group
                ),
            }
        ],
        "explainers": [
            {
                "title": fit(p.text, 200),
                "statement": p.text,
                "explanation": p.text,
                "analogy": p.text,
            }
            for p in group[0::3]
        ],
        "key_concepts": [
            {"term": fit(p.text, 200), "description": p.text} for p in group[1::3]
        ],
        "examples": [{"title": fit(p.text, 200), "text": p.text} for p in group],
        "memory_aids": [
            {
                "kind": KINDS[p.number % 4],
                "title": fit(p.text, 200),
                "text": p.text,
                "flashcards": [f"card-{p.number}"],
            }
            for p in group[2::3]
        ],
        "flashcards": [
            {
                "id": f"card-{p.number}",
                "front": p.text,
                "back": p.text,
                "hint": fit(p.text, 300),
            }
            for p in group
        ],
        "glossary": list(glossary.values()),
        "videos": [
            {
                "title": fit(p.text, 200),
                "url": fit(f"https://example.com/watch?q={one_line(p.text)}", 500),
            }
            for p in group
        ]
        + [
            {
                "title": fit(group[0].text, 200),
                "url": "https://www.youtube.com/watch?v=aaaaaaaaaaa",
            }
        ],
        "quiz": {
            "title": fit(group[1].text, 200),
            "questions": _questions(group, n),
        },
    }


def groups(corpus: list[Payload] | None = None) -> list[list[Payload]]:
    corpus = corpus or payloads()
    return [corpus[k::SECTIONS] for k in range(SECTIONS)]


def xss_course_data() -> dict:
    corpus = payloads()
    return {
        "slug": COURSE_SLUG,
        "title": fit(corpus[0].text, 200),
        "description": "\n".join(p.text for p in corpus),
        "chapters": [
            {
                "number": CHAPTER,
                "title": fit(corpus[1].text, 200),
                "sections": [
                    _section(index, group) for index, group in enumerate(groups(corpus))
                ],
            }
        ],
    }


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data: object) -> bool:
        return True


def xss_course_text() -> str:
    return yaml.dump(
        xss_course_data(),
        Dumper=_NoAliases,
        sort_keys=False,
        allow_unicode=True,
        width=10_000,
    )


# ---------------------------------------------------------------- the checker

_URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "srcset",
    "ping",
}
_BAD_SCHEME = re.compile(r"^(javascript|data|vbscript):", re.IGNORECASE)
_FORBIDDEN_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet"}
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")


def bad_url(value: str) -> bool:
    """Whether a URL would run script or load inline content, as a browser reads it.

    The URL standard strips leading and trailing C0 controls and spaces and removes tabs
    and newlines anywhere; a space inside the scheme leaves no scheme at all.
    """
    value = _TAB_OR_NEWLINE.sub("", value.strip("".join(map(chr, range(0x21)))))
    return bool(_BAD_SCHEME.match(value))


class _Checker(HTMLParser):
    def __init__(self, static_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.static_url = static_url
        self.problems: list[str] = []
        self.text: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        shown = self.get_starttag_text() or tag
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}: {shown}")
            if name in _URL_ATTRIBUTES and value and bad_url(value):
                self.problems.append(f"{name} with a script or data URL: {shown}")
        if tag in _FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}> element: {shown}")
        if tag == "meta" and (dict(attrs).get("http-equiv") or "").lower() == "refresh":
            self.problems.append(f"meta refresh: {shown}")
        if tag == "script":
            src = dict(attrs).get("src") or ""
            if not src.startswith(self.static_url):
                self.problems.append(f"script that is not ours: {shown}")
            self.in_script = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.in_script = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and data.strip():
            self.problems.append(f"inline script: {data[:80]!r}")
        self.text.append(data)


def page_problems(html: str, *, static_url: str = "/static/") -> list[str]:
    checker = _Checker(static_url)
    checker.feed(html)
    checker.close()
    return checker.problems


def page_text(html: str) -> str:
    """The text and attribute values of a page, entities decoded."""
    checker = _Checker("/static/")
    checker.feed(html)
    checker.close()
    return "".join(checker.text)


def scripts_of(corpus: Iterable[Payload]) -> dict[int, str]:
    """The script each payload carries (base64-encoded in some data: URLs), which shows as
    text on a page where the payload was escaped."""
    result = {}
    for p in corpus:
        script = f"alert({p.number})" if p.number % 5 == 0 else f"__xss_{p.number}=1"
        if script not in p.text:
            js = script if p.number % 5 == 0 else f"window.{script}"
            script = base64.b64encode(f"<script>{js}</script>".encode()).decode()
        result[p.number] = script
    return result
