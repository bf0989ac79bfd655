"""A flashcard's front in the drill card fragment, rendered from plain values.

After most reviews htmx swaps in the next flashcard's front, and the template engine
was the largest cost of that response after its SQL. The front shows the same for
every learner and every showing except its token, so, as the section page's holes are
(lessons/page_holes.py), it is rendered from a tuple of exactly what it shows and kept
per process, with a placeholder for the token. The partial sees those values and
nothing else: a value missing from the tuple renders empty, which the tests comparing
it with the plain render catch.
"""

from __future__ import annotations

import secrets
from typing import NamedTuple

from django.template.defaultfilters import urlencode
from django.utils.html import escape

from lessons import page_holes
from quizzes.models import ReviewCard

TEMPLATE = "quizzes/drill.html#drill-card"
# Letters and digits: neither the URL quoting nor the escaping changes it.
TOKEN_PLACEHOLDER = f"token{secrets.token_hex(16)}"


class SectionRef(NamedTuple):
    number: str
    title: str


class Front(NamedTuple):
    front_html: str
    hint: str


class Card(NamedTuple):
    """``card`` as the front of a flashcard uses it."""

    section: SectionRef
    flashcard: Front
    question: None = None


def flashcard_front(card: ReviewCard, token: str) -> str:
    """The card fragment showing ``card``'s front (a flashcard) for its showing
    ``token``, as ``drill_views._render`` would show it without memory aids."""
    section, flashcard = card.section, card.flashcard
    values = Card(
        SectionRef(section.number, section.title),
        Front(flashcard.front_html, flashcard.hint),
    )
    text = page_holes.render(
        TEMPLATE, csrf_token="", card=values, show_answer=False, token=TOKEN_PLACEHOLDER
    )
    # What ``{{ token|urlencode }}`` prints.
    return text.replace(TOKEN_PLACEHOLDER, escape(urlencode(token)))
