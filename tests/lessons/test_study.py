from __future__ import annotations

import pytest

from lessons import study
from tests.lessons.factories import (
    DialogueFactory,
    DialogueLineFactory,
    FlashcardFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("requested", "preferred", "expected"),
    [
        ("medium", "", "medium"),
        (None, "detailed", "detailed"),
        ("bogus", "medium", "medium"),
        (None, "", "basic"),
        ("x", "y", "basic"),
    ],
)
def test_summary_level_prefers_the_request_then_the_learner(
    requested, preferred, expected
):
    assert study.summary_level(requested, preferred) == expected


def dialogue_with(n: int):
    dialogue = DialogueFactory()
    DialogueLineFactory.create_batch(n, dialogue=dialogue)
    return dialogue


@pytest.mark.parametrize(
    ("params", "shown"),
    [
        ({}, 1),
        ({"dialogue": "1", "line": "3"}, 3),
        ({"dialogue": "1", "line": "99"}, 5),
        ({"dialogue": "1", "line": "all"}, 5),
        ({"dialogue": "1", "line": "-4"}, 1),
        ({"dialogue": "1", "line": "x"}, 1),
        ({"dialogue": "2", "line": "3"}, 1),
    ],
)
def test_dialogue_steps_clamp_the_line(params, shown):
    (step,) = study.dialogue_steps([dialogue_with(5)], params)
    assert step.shown == shown
    assert [visible for _line, visible in step.visible()].count(True) == shown
    assert len(step.visible()) == 5  # hidden lines stay in the page for screen readers


def test_dialogue_next_url_steps_one_line():
    (step,) = study.dialogue_steps([dialogue_with(3)], {"dialogue": "1", "line": "2"})
    assert step.next_url == "?dialogue=1&line=3#dialogue-1"
    assert not step.all_shown
    (last,) = study.dialogue_steps([dialogue_with(3)], {"dialogue": "1", "line": "3"})
    assert last.all_shown


def test_flashcards_wrap_around_and_flip():
    section = SectionFactory()
    cards = FlashcardFactory.create_batch(3, section=section)
    first = study.flashcard_view(cards, {})
    assert (first.card, first.index, first.total, first.back) == (cards[0], 1, 3, False)
    assert first.previous_url == "?card=3#flashcards"
    assert first.flip_url == "?card=1&side=back#flashcards"
    last = study.flashcard_view(cards, {"card": "3", "side": "back"})
    assert last.back
    assert last.next_url == "?card=1#flashcards"
    assert study.flashcard_view(cards, {"card": "junk"}).index == 1


def test_shuffle_is_a_stable_permutation_for_its_seed():
    cards = FlashcardFactory.create_batch(10, section=SectionFactory())
    seen = [
        study.flashcard_view(cards, {"order": "42", "card": str(i)}).card
        for i in range(1, 11)
    ]
    assert sorted(c.pk for c in seen) == sorted(c.pk for c in cards)
    assert seen != cards
    again = [
        study.flashcard_view(cards, {"order": "42", "card": str(i)}).card
        for i in range(1, 11)
    ]
    assert again == seen
    view = study.flashcard_view(cards, {"order": "42"})
    assert "order=42" in view.next_url
    assert f"order={view.next_order}" in view.shuffle_url


def test_no_cards_no_view():
    assert study.flashcard_view([], {}) is None


def test_memory_aids_are_grouped_by_kind_in_a_fixed_order():
    from tests.lessons.factories import MemoryAidFactory

    section = SectionFactory()
    acronym = MemoryAidFactory(section=section, kind="acronym")
    rhyme = MemoryAidFactory(section=section, kind="rhyme")
    gem = MemoryAidFactory(section=section, kind="memory_gem")
    second_rhyme = MemoryAidFactory(section=section, kind="rhyme")
    groups = study.memory_aid_groups([acronym, rhyme, gem, second_rhyme])
    assert groups == [
        ("Rhyme", [rhyme, second_rhyme]),
        ("Memory gem", [gem]),
        ("Acronym", [acronym]),
    ]
