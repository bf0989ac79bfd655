from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizzes import scheduling
from quizzes.models import ReviewCard, ReviewLog

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def new_card(pk: int = 1) -> ReviewCard:
    return ReviewCard(pk=pk, due=T0, created_at=T0)


def run(
    ratings: list[int], gaps_hours: list[float] | None = None, retention: float = 0.9
):
    """Review a card with ``ratings``, each when it is due (or after the given gaps)."""
    card = new_card()
    logs = []
    at = T0
    for index, rating in enumerate(ratings):
        at = (
            at + timedelta(hours=gaps_hours[index]) if gaps_hours else max(at, card.due)
        )
        state = scheduling.review(card, rating, at=at, desired_retention=retention)
        scheduling.apply_fsrs(card, state)
        logs.append(
            ReviewLog(rating=rating, reviewed_at=at, desired_retention=retention)
        )
    return card, logs


def test_intervals_grow_with_good():
    card, _ = run([3, 3, 3, 3, 3])
    intervals = []
    at = card.last_review
    for _ in range(3):
        at = card.due
        state = scheduling.review(card, 3, at=at, desired_retention=0.9)
        intervals.append(state.due - at)
        scheduling.apply_fsrs(card, state)
    assert intervals[0] < intervals[1] < intervals[2]


def test_again_shrinks_the_interval():
    card, _ = run([3, 3, 3, 3])
    at = card.due
    good = scheduling.review(card, 3, at=at, desired_retention=0.9).due - at
    again = scheduling.review(card, 1, at=at, desired_retention=0.9).due - at
    assert again < good
    assert again <= timedelta(minutes=10)


def test_higher_retention_means_shorter_intervals():
    card, _ = run([3, 3, 3])
    at = card.due
    relaxed = scheduling.review(card, 3, at=at, desired_retention=0.8).due
    strict = scheduling.review(card, 3, at=at, desired_retention=0.97).due
    assert strict < relaxed


def test_next_intervals_are_ordered_by_rating():
    card, _ = run([3, 3])
    intervals = scheduling.next_intervals(card, at=card.due, desired_retention=0.9)
    assert intervals[1] < intervals[2] <= intervals[3] < intervals[4]


@pytest.mark.parametrize(
    ("interval", "words"),
    [
        (timedelta(seconds=20), "1 min"),
        (timedelta(minutes=10), "10 min"),
        (timedelta(hours=5), "5 h"),
        (timedelta(days=1), "1 day"),
        (timedelta(days=3), "3 days"),
        (timedelta(days=61), "2 mo"),
        (timedelta(days=730), "2 yr"),
    ],
)
def test_interval_words(interval, words):
    assert scheduling.interval_words(interval) == words


@settings(max_examples=60, deadline=None)
@given(
    ratings=st.lists(st.integers(min_value=1, max_value=4), min_size=1, max_size=15),
    gaps=st.lists(
        st.floats(min_value=0.01, max_value=24 * 90), min_size=15, max_size=15
    ),
    retention=st.sampled_from([0.8, 0.85, 0.9, 0.95, 0.97]),
)
def test_replaying_the_log_gives_the_stored_state(ratings, gaps, retention):
    card, logs = run(ratings, gaps[: len(ratings)], retention)
    replayed = scheduling.card_replay(new_card(), logs)
    assert replayed.state.value == card.state
    assert replayed.step == card.step
    assert replayed.stability == pytest.approx(card.stability)
    assert replayed.difficulty == pytest.approx(card.difficulty)
    assert replayed.due == card.due
    assert replayed.last_review == card.last_review
