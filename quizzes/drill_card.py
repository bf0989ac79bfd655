"""A drill card's face in the card fragment, rendered from plain values.

After a review htmx swaps in the next card's front (a flashcard's, or a question with
its answer form), and "Show answer" swaps in a flashcard's back; the template engine
was the largest cost of those responses after their SQL. A face shows the same for
every learner and every showing except its tokens (a question its options' shuffled
order, the back its rating intervals), so, as the section page's holes are
(lessons/page_holes.py), it is rendered from a tuple of exactly what it shows and kept
per process, with placeholders for the tokens. The partial sees those values and
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


class Faces(NamedTuple):
    front_html: str
    back_html: str
    hint: str


class Card(NamedTuple):
    """``card`` as a flashcard's faces use it."""

    section: SectionRef
    flashcard: Faces
    question: None = None


class Rating(NamedTuple):
    """One rating button, as ``drill_views._rating_buttons`` gives it."""

    value: int
    label: str
    interval: str
    suggested: bool


class Question(NamedTuple):
    """``card.question`` (and ``item.question``) as a question's front uses it."""

    kind: str
    prompt_html: str
    hints: tuple[str, ...]


class QuestionCard(NamedTuple):
    section: SectionRef
    question: Question
    flashcard: None = None


class Item(NamedTuple):
    """``item``: the showing, as its hint form reads it."""

    question: Question
    hints_shown: int


class Option(NamedTuple):
    """A choice as the answer fields show it (``options`` and ``match_options``)."""

    pk: int
    text_html: str
    match: str


def _card(card: ReviewCard) -> Card:
    section, flashcard = card.section, card.flashcard
    return Card(
        SectionRef(section.number, section.title),
        Faces(flashcard.front_html, flashcard.back_html, flashcard.hint),
    )


def flashcard_front(card: ReviewCard, token: str) -> str:
    """The card fragment showing ``card``'s front (a flashcard) for its showing
    ``token``, as ``drill_views._render`` would show it without memory aids."""
    text = page_holes.render(
        TEMPLATE,
        csrf_token="",
        card=_card(card),
        show_answer=False,
        token=TOKEN_PLACEHOLDER,
    )
    # The front has the token in its link only: what ``{{ token|urlencode }}`` prints.
    return text.replace(TOKEN_PLACEHOLDER, escape(urlencode(token)))


def flashcard_back(
    card: ReviewCard, token: str, *, ratings: list[dict], csrf_token: str
) -> str:
    """The card fragment showing ``card``'s back (a flashcard) with its rating buttons
    for its showing ``token``, as ``drill_views._render`` would show it."""
    text = page_holes.render(
        TEMPLATE,
        csrf_token=csrf_token,
        card=_card(card),
        show_answer=True,
        token=TOKEN_PLACEHOLDER,
        ratings=tuple(
            Rating(r["value"], str(r["label"]), r["interval"], r["suggested"])
            for r in ratings
        ),
    )
    # The back has the token in its form's field only: what ``{{ token }}`` prints.
    return text.replace(TOKEN_PLACEHOLDER, escape(token))


def question_front(
    card: ReviewCard, token: str, *, shown: dict, csrf_token: str
) -> str:
    """The card fragment showing ``card``'s question with its answer form, for the
    showing ``token`` whose context ``drill_views._show`` made (``shown``: the item,
    its options in their shuffled order, the hints shown), as ``drill_views._render``
    would show it."""
    section, question = card.section, card.question
    face = Question(question.kind, question.prompt_html, tuple(question.hints))
    text = page_holes.render(
        TEMPLATE,
        csrf_token=csrf_token,
        card=QuestionCard(SectionRef(section.number, section.title), face),
        show_answer=False,
        token=TOKEN_PLACEHOLDER,
        item=Item(face, shown["item"].hints_shown),
        options=tuple(Option(c.pk, c.text_html, c.match) for c in shown["options"]),
        match_options=tuple(
            Option(c.pk, c.text_html, c.match) for c in shown["match_options"]
        ),
        hints=tuple(shown["hints"]),
    )
    # A question has the token in its forms' fields only: what ``{{ token }}`` prints.
    return text.replace(TOKEN_PLACEHOLDER, escape(token))
