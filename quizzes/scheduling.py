"""Spaced repetition with FSRS (the ``fsrs`` package), over ``ReviewCard`` rows.

A card's stored state is always what replaying its review log gives: fuzzing is off, so
the schedule is a pure function of the ratings and their times, and each log row keeps
the desired retention it was scheduled with.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache

import fsrs

from quizzes.models import ReviewCard, ReviewLog

DEFAULT_RETENTION = 0.9
RATINGS = [fsrs.Rating.Again, fsrs.Rating.Hard, fsrs.Rating.Good, fsrs.Rating.Easy]


@lru_cache(maxsize=32)
def scheduler_for(desired_retention: float) -> fsrs.Scheduler:
    """The FSRS scheduler for a desired retention (default parameters, no fuzzing)."""
    return fsrs.Scheduler(desired_retention=desired_retention, enable_fuzzing=False)


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def to_fsrs(card: ReviewCard) -> fsrs.Card:
    return fsrs.Card(
        card_id=card.pk,
        state=fsrs.State(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=_utc(card.due),
        last_review=_utc(card.last_review) if card.last_review else None,
    )


def fresh_fsrs_card(card: ReviewCard) -> fsrs.Card:
    """The state of ``card`` before any review."""
    return fsrs.Card(card_id=card.pk, due=_utc(card.created_at))


def apply_fsrs(card: ReviewCard, state: fsrs.Card) -> None:
    """Copy an ``fsrs.Card``'s scheduling state onto the row (not saved)."""
    card.state = state.state.value
    card.step = state.step
    card.stability = state.stability
    card.difficulty = state.difficulty
    card.due = state.due
    card.last_review = state.last_review


def review(
    card: ReviewCard, rating: int, *, at: datetime, desired_retention: float
) -> fsrs.Card:
    """The card's state after a review with ``rating`` (1 Again … 4 Easy) at ``at``."""
    state, _log = scheduler_for(desired_retention).review_card(
        to_fsrs(card), fsrs.Rating(rating), _utc(at)
    )
    return state


def card_replay(card: ReviewCard, logs: list[ReviewLog]) -> fsrs.Card:
    """Replay ``logs`` (in time order) from the card's first state."""
    state = fresh_fsrs_card(card)
    for log in logs:
        scheduler = scheduler_for(log.desired_retention)
        state, _ = scheduler.review_card(
            state, fsrs.Rating(log.rating), _utc(log.reviewed_at)
        )
    return state


def retrievability(
    card: ReviewCard, *, at: datetime, desired_retention: float = DEFAULT_RETENTION
) -> float:
    return scheduler_for(desired_retention).get_card_retrievability(
        to_fsrs(card), _utc(at)
    )


def next_intervals(
    card: ReviewCard, *, at: datetime, desired_retention: float
) -> dict[int, timedelta]:
    """For each rating, how long until the card would come back (as Anki shows on its buttons)."""
    return {
        rating.value: review(
            card, rating.value, at=at, desired_retention=desired_retention
        ).due
        - _utc(at)
        for rating in RATINGS
    }


def interval_words(interval: timedelta) -> str:
    """'1 min', '10 min', '5 h', '3 days', '2 mo', '1.5 yr'."""
    seconds = max(0, interval.total_seconds())
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))} min"
    if seconds < 86400:
        return f"{round(seconds / 3600)} h"
    days = seconds / 86400
    if days < 31:
        count = round(days)
        return f"{count} day{'s' if count != 1 else ''}"
    if days < 365:
        return f"{round(days / 30.4)} mo"
    years = days / 365
    return f"{years:.1f} yr".replace(".0 ", " ")
