"""A flashcard's front from plain values (quizzes/drill_card.py) is the plain render."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from courses.models import Learner
from lessons import page_holes
from quizzes import drill_card, drill_views, drills
from quizzes.models import Question, ReviewCard
from tests.lessons.factories import FlashcardFactory, SectionFactory
from tests.quizzes.factories import QuizFactory
from tests.quizzes.test_views import question_of_every_kind

pytestmark = pytest.mark.django_db

# A token as drills.card_token makes them: colons, which the link quotes.
TOKEN = "eyJjIjo1fQ:1u2v3w:AbC-_dEf"


def cards_of(*flashcards) -> list[ReviewCard]:
    learner = Learner.objects.create()
    drills.cards_ensure(
        learner=learner, section_ids={card.section_id for card in flashcards}
    )
    return list(
        ReviewCard.objects.filter(learner=learner)
        .select_related(*drills.CARD_DISPLAY)
        .order_by("flashcard__pk")
    )


def plain(card: ReviewCard, token: str) -> str:
    """What drill_views._render shows in the fragment, through the template engine."""
    context = {"card": card, "show_answer": False, "token": token, "has_sections": True}
    return render_to_string(drill_card.TEMPLATE, context, RequestFactory().get("/"))


def test_the_front_is_the_plain_render_byte_for_byte():
    section = SectionFactory(title="Tokens & <tags> in “quotes”")
    with_hint = FlashcardFactory(
        section=section,
        front="What is **attention**?",
        hint="Think of <weights> & sums",
    )
    without_hint = FlashcardFactory(section=section, front="A `code` front & more")
    cards = cards_of(with_hint, without_hint)
    for card, token in zip(cards, (TOKEN, "plain"), strict=True):
        assert drill_card.flashcard_front(card, token) == plain(card, token)
    shown = drill_card.flashcard_front(cards[0], TOKEN)
    assert "Think of &lt;weights&gt; &amp; sums" in shown
    assert "Tokens &amp; &lt;tags&gt;" in shown
    assert "?token=eyJjIjo1fQ%3A1u2v3w%3AAbC-_dEf&amp;answer=1" in shown


def test_each_showing_gets_its_own_token_from_one_kept_text():
    first, second = cards_of(
        *FlashcardFactory.create_batch(2, section=SectionFactory())
    )
    page_holes.memo_clear()
    texts = [drill_card.flashcard_front(first, token) for token in ("one", "two")]
    assert page_holes._text.cache_info().hits == 1  # rendered once, kept for the second
    assert texts[0] == texts[1].replace("token=two", "token=one")
    assert texts[0] != texts[1]
    # Another card is another text: its own front, not the first one's.
    other = drill_card.flashcard_front(second, "one")
    assert second.flashcard.front_html in other
    assert first.flashcard.front_html not in other


def test_the_back_is_the_plain_render_byte_for_byte():
    section = SectionFactory(title="Tokens & <tags>")
    flashcard = FlashcardFactory(
        section=section, front="Front & *more*", back="Back <with> **bold**"
    )
    (card,) = cards_of(flashcard)
    settings = drills.settings_or_defaults(card.learner)
    ratings = drill_views._rating_buttons(card, settings, timezone.now())
    got = drill_card.flashcard_back(card, TOKEN, ratings=ratings, csrf_token="CSRF1")
    context = {"card": card, "show_answer": True, "token": TOKEN, "ratings": ratings}
    expected = render_to_string(drill_card.TEMPLATE, {**context, "csrf_token": "CSRF1"})
    assert got == expected
    assert f'name="token" value="{TOKEN}"' in got
    assert 'name="csrfmiddlewaretoken" value="CSRF1"' in got
    assert [f'id="interval-{r["value"]}">{r["interval"]}<' in got for r in ratings] == [
        True
    ] * 4
    # Another showing, another CSRF token: the same kept text, filled in afresh.
    again = drill_card.flashcard_back(card, "other", ratings=ratings, csrf_token="C2")
    assert again == got.replace(TOKEN, "other").replace("CSRF1", "C2")


def test_a_questions_front_is_the_plain_render_for_every_kind():
    quiz = QuizFactory(section=SectionFactory(title="Q & <A>"))
    questions = question_of_every_kind(quiz)
    Question.objects.filter(quiz=quiz).update(hints=["A <first> hint", "Another"])
    learner = Learner.objects.create()
    drills.cards_ensure(learner=learner, section_ids=[quiz.section_id])
    settings = drills.settings_or_defaults(learner)
    cards = ReviewCard.objects.filter(learner=learner).select_related(
        *drills.CARD_DISPLAY
    )
    assert {card.question.kind for card in cards} == set(questions)
    for card in cards:
        for _showing in range(3):  # shuffled afresh each time, and kept texts reused
            shown = drill_views._show(card, settings, timezone.now())
            token = shown["token"]
            got = drill_card.question_front(card, token, shown=shown, csrf_token="C1")
            context = {**shown, "has_sections": True, "csrf_token": "C1"}
            assert got == render_to_string(drill_card.TEMPLATE, context), card.question
            assert got.count(f'name="token" value="{token}"') == 2  # check and hint
            assert "Hint 1 of 2" not in got
            assert "A &lt;first&gt; hint" not in got  # none shown yet
