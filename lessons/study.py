"""What the section page shows for a request: summary level, dialogue steps, flashcard.

Every interactive part of the section page is a plain link carrying its state in the
query string (``?level=``, ``?dialogue=&line=``, ``?card=&side=&order=``), so the page
works without JavaScript and HTMX only swaps the part that changed. Bad values fall back
to defaults: a hand-edited URL never gives an error.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from lessons.models import (
    Dialogue,
    DialogueLine,
    Flashcard,
    MemoryAid,
    MemoryAidKind,
    Summary,
    SummaryLevel,
)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _query(anchor: str, **params: Any) -> str:
    return f"?{urlencode(params)}#{anchor}"


# Django builds an enum's ``values`` afresh on every read; this is read on every page.
SUMMARY_LEVELS = frozenset(SummaryLevel.values)


def summary_level(requested: str | None, preferred: str | None) -> str:
    """The level asked for, else the learner's last one, else basic."""
    for level in (requested, preferred):
        if level in SUMMARY_LEVELS:
            return level
    return SummaryLevel.BASIC


@dataclass(frozen=True)
class LevelTab:
    value: str
    label: str
    selected: bool

    @property
    def url(self) -> str:
        """For the link: scrolls back to the summary after a full page load."""
        return _query("summary", level=self.value)

    @property
    def fragment_url(self) -> str:
        """For htmx: fetched, then pushed to the address bar so the URL can be shared."""
        return f"?{urlencode({'level': self.value})}"


def level_tabs(level: str) -> list[LevelTab]:
    return [
        LevelTab(value, str(label), value == level)
        for value, label in SummaryLevel.choices
    ]


def summary_for(summaries: Sequence[Summary], level: str) -> Summary | None:
    return next((summary for summary in summaries if summary.level == level), None)


@dataclass(frozen=True)
class DialogueStep:
    """One dialogue with the first ``shown`` of its lines visible."""

    number: int  # 1-based place on the page; the element id is dialogue-<number>
    dialogue: Dialogue
    lines: Sequence[DialogueLine]
    shown: int

    @property
    def anchor(self) -> str:
        return f"dialogue-{self.number}"

    @property
    def all_shown(self) -> bool:
        return self.shown >= len(self.lines)

    @property
    def next_url(self) -> str:
        return _query(self.anchor, dialogue=self.number, line=self.shown + 1)

    @property
    def all_url(self) -> str:
        return _query(self.anchor, dialogue=self.number, line="all")

    @property
    def restart_url(self) -> str:
        return _query(self.anchor, dialogue=self.number, line=1)

    @property
    def newest_line(self) -> DialogueLine | None:
        return self.lines[self.shown - 1] if self.lines and self.shown else None

    def visible(self) -> list[tuple[DialogueLine, bool]]:
        """Every line with whether it is shown; hidden lines stay in the page for screen readers."""
        return [(line, index < self.shown) for index, line in enumerate(self.lines)]


def dialogue_steps(
    dialogues: Sequence[Dialogue], params: Mapping[str, str]
) -> list[DialogueStep]:
    """Each dialogue starts at its first line; the one named by ``?dialogue=`` at ``?line=``."""
    chosen = _int(params.get("dialogue"), 0)
    steps = []
    for number, dialogue in enumerate(dialogues, start=1):
        lines = list(dialogue.lines.all())
        shown = 1
        if number == chosen:
            shown = (
                len(lines)
                if params.get("line") == "all"
                else _int(params.get("line"), 1)
            )
        steps.append(
            DialogueStep(number, dialogue, lines, max(1, min(shown, len(lines))))
        )
    return steps


@dataclass(frozen=True)
class FlashcardView:
    """One card of the deck, in the deck's current order, front or back."""

    card: Flashcard
    index: int  # 1-based place in the current order
    total: int
    back: bool
    order: int | None  # shuffle seed; None for the authored order
    next_order: int  # the seed the Shuffle control uses

    def _url(self, index: int, *, back: bool = False, order: int | None = None) -> str:
        params: dict[str, Any] = {"card": index}
        if back:
            params["side"] = "back"
        if order is not None:
            params["order"] = order
        return _query("flashcards", **params)

    @property
    def flip_url(self) -> str:
        return self._url(self.index, back=not self.back, order=self.order)

    # The deck wraps around, so both controls always lead somewhere.
    @property
    def next_url(self) -> str:
        return self._url(self.index % self.total + 1, order=self.order)

    @property
    def previous_url(self) -> str:
        return self._url((self.index - 2) % self.total + 1, order=self.order)

    @property
    def shuffle_url(self) -> str:
        return self._url(1, order=self.next_order)

    @property
    def unshuffle_url(self) -> str:
        return self._url(1)


def flashcard_view(
    cards: Sequence[Flashcard], params: Mapping[str, str]
) -> FlashcardView | None:
    if not cards:
        return None
    order = _int(params.get("order"), 0) or None
    deck = list(cards)
    if order is not None:
        random.Random(order).shuffle(deck)
    index = max(1, min(_int(params.get("card"), 1), len(deck)))
    next_order = random.SystemRandom().randrange(1, 1_000_000)
    return FlashcardView(
        deck[index - 1],
        index,
        len(deck),
        params.get("side") == "back",
        order,
        next_order,
    )


def memory_aid_groups(aids: Sequence[MemoryAid]) -> list[tuple[str, list[MemoryAid]]]:
    """Memory aids grouped under their kind's name, kinds in a fixed order: Rhyme, Story,
    Memory gem, Acronym; empty kinds left out."""
    return [
        (str(label), [aid for aid in aids if aid.kind == kind])
        for kind, label in MemoryAidKind.choices
        if any(aid.kind == kind for aid in aids)
    ]
