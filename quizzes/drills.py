"""The drill queue: which card comes next, and recording a review exactly once.

Due cards come first, most overdue first (and, at the same due time, the least stable,
which is the least likely to be remembered). Then new cards, up to the learner's daily
limit. Reviews a day are capped too, so a learner back after a break catches up over
several days instead of facing hundreds of cards at once.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.utils import timezone

from courses.activity import activity_record
from courses.models import Learner, SectionProgress
from lessons.models import Flashcard
from quizzes import scheduling
from quizzes.models import DrillSettings, Question, ReviewCard, ReviewLog

TOKEN_SALT = "quizzes.drill-card"
TOKEN_MAX_AGE = timedelta(days=2)
SECONDS_PER_REVIEW = 12  # for "about N minutes" estimates

TOKEN_INVALID = (
    "This card was shown in another session or too long ago. Here is the queue again."
)


class TokenInvalid(Exception):
    pass


def settings_for(learner: Learner) -> DrillSettings:
    settings, _ = DrillSettings.objects.get_or_create(learner=learner)
    return settings


def settings_or_defaults(learner: Learner) -> DrillSettings:
    """The learner's settings, or unsaved defaults: for reading without writing."""
    return DrillSettings.objects.filter(learner=learner).first() or DrillSettings(
        learner=learner
    )


def drill_section_ids(*, learner: Learner, settings: DrillSettings) -> list[int]:
    """The sections the learner chose, or every section they opened."""
    chosen = list(settings.sections.values_list("pk", flat=True)) if settings.pk else []
    if chosen:
        return chosen
    return list(
        SectionProgress.objects.filter(learner=learner).values_list(
            "section_id", flat=True
        )
    )


def cards_ensure(*, learner: Learner, section_ids: Iterable[int]) -> None:
    """Create the missing review cards: one per flashcard and quiz question of the sections."""
    section_ids = list(section_ids)
    if not section_ids:
        return
    have_cards = set(
        ReviewCard.objects.filter(learner=learner, flashcard__isnull=False).values_list(
            "flashcard_id", flat=True
        )
    )
    have_questions = set(
        ReviewCard.objects.filter(learner=learner, question__isnull=False).values_list(
            "question_id", flat=True
        )
    )
    now = timezone.now()
    new = [
        ReviewCard(learner=learner, flashcard_id=pk, due=now, created_at=now)
        for pk in Flashcard.objects.filter(section_id__in=section_ids)
        .order_by("section_id", "position")
        .values_list("pk", flat=True)
        if pk not in have_cards
    ]
    new += [
        ReviewCard(learner=learner, question_id=pk, due=now, created_at=now)
        for pk in Question.objects.filter(quiz__section_id__in=section_ids)
        .order_by("quiz_id", "position")
        .values_list("pk", flat=True)
        if pk not in have_questions
    ]
    # A concurrent request may create the same cards: the unique constraints keep one.
    ReviewCard.objects.bulk_create(new, ignore_conflicts=True)


def in_sections(section_ids: Iterable[int]) -> Q:
    ids = list(section_ids)
    return Q(flashcard__section_id__in=ids) | Q(question__quiz__section_id__in=ids)


def _day_start(now: datetime) -> datetime:
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


@dataclass(frozen=True)
class QueueCounts:
    due: int  # due reviews still allowed today
    due_total: int  # every due review, beyond today's cap too
    new: int  # new cards still allowed today

    @property
    def total(self) -> int:
        return self.due + self.new

    @property
    def minutes(self) -> int:
        return max(1, round(self.total * SECONDS_PER_REVIEW / 60)) if self.total else 0


def _reviewed_today(learner: Learner, now: datetime) -> tuple[int, int]:
    """(reviews today, new cards first reviewed today)."""
    today = ReviewLog.objects.filter(
        card__learner=learner, reviewed_at__gte=_day_start(now)
    )
    reviews = today.count()
    introduced = (
        ReviewCard.objects.filter(
            learner=learner, logs__reviewed_at__gte=_day_start(now)
        )
        .exclude(logs__reviewed_at__lt=_day_start(now))
        .distinct()
        .count()
    )
    return reviews, introduced


def queue_counts(
    *, learner: Learner, settings: DrillSettings, section_ids: list[int], now: datetime
) -> QueueCounts:
    cards = ReviewCard.objects.filter(in_sections(section_ids), learner=learner)
    due_total = cards.filter(last_review__isnull=False, due__lte=now).count()
    new_total = cards.filter(last_review__isnull=True).count()
    reviews, introduced = _reviewed_today(learner, now)
    room = max(0, settings.reviews_per_day - reviews)
    return QueueCounts(
        due=min(due_total, room),
        due_total=due_total,
        new=min(new_total, max(0, settings.new_per_day - introduced), room),
    )


def queue(
    *, learner: Learner, section_ids: list[int], now: datetime, include_new: bool
) -> QuerySet[ReviewCard]:
    """Cards to review now in order: due ones (most overdue first), then new ones."""
    ready = Q(last_review__isnull=False, due__lte=now)
    if include_new:
        ready |= Q(last_review__isnull=True)
    return (
        ReviewCard.objects.filter(in_sections(section_ids), ready, learner=learner)
        .select_related("flashcard__section", "question__quiz__section")
        .annotate(
            never_reviewed=Case(
                When(last_review__isnull=True, then=Value(1)), default=Value(0)
            )
        )
        .order_by("never_reviewed", "due", F("stability").asc(nulls_last=True), "pk")
    )


def next_card(
    *,
    learner: Learner,
    settings: DrillSettings,
    section_ids: list[int],
    now: datetime,
    counts: QueueCounts | None = None,
) -> ReviewCard | None:
    """The next card to review; pass ``counts`` when the caller already has them."""
    if counts is None:
        counts = queue_counts(
            learner=learner, settings=settings, section_ids=section_ids, now=now
        )
    if counts.due == 0 and counts.new == 0:
        return None
    return queue(
        learner=learner, section_ids=section_ids, now=now, include_new=counts.new > 0
    ).first()


# ---------------------------------------------------------------- showing and rating a card


def card_token(
    card: ReviewCard,
    *,
    shown_at: datetime,
    hints: int = 0,
    order: list[int] | None = None,
    match: list[int] | None = None,
    correct: bool | None = None,
) -> str:
    """A signed, single-use token for one showing of a card (it keys the review log).

    ``correct`` is set once a question has been graded, so the log records the server's
    verdict, never one the browser sends.
    """
    payload = {
        "card": card.pk,
        "shown": shown_at.timestamp(),
        "nonce": secrets.token_hex(8),
        "hints": hints,
        "order": order or [],
        "match": match or [],
        "correct": correct,
    }
    return signing.dumps(payload, salt=TOKEN_SALT, compress=True)


def read_token(token: str, *, learner: Learner) -> tuple[ReviewCard, dict]:
    """The card a token was issued for, if it belongs to ``learner``; else ``TokenInvalid``."""
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        raise TokenInvalid(TOKEN_INVALID) from None
    card = (
        ReviewCard.objects.select_related(
            "flashcard__section", "question__quiz__section"
        )
        .filter(pk=payload.get("card"), learner=learner)
        .first()
    )
    if card is None:
        raise TokenInvalid(TOKEN_INVALID)
    return card, payload


def _log_key(token: str) -> str:
    # The token is long and signed; its nonce and card make it unique, so store a digest.
    return hashlib.sha256(token.encode()).hexdigest()


def review_record(
    *,
    card: ReviewCard,
    token: str,
    payload: dict,
    rating: int,
    now: datetime,
    settings: DrillSettings,
    correct: bool | None = None,
) -> tuple[ReviewLog, bool]:
    """Record the rating of one showing of ``card`` once; return (log, created).

    A second post of the same token returns the first log and changes nothing.
    """
    key = _log_key(token)
    existing = ReviewLog.objects.filter(token=key).first()
    if existing is not None:
        return existing, False
    shown_at = datetime.fromtimestamp(payload["shown"], tz=now.tzinfo)
    duration = max(0, int((now - shown_at).total_seconds() * 1000))
    try:
        with transaction.atomic():
            locked = ReviewCard.objects.select_for_update().get(pk=card.pk)
            state = scheduling.review(
                locked, rating, at=now, desired_retention=settings.desired_retention
            )
            log = ReviewLog.objects.create(
                card=locked,
                rating=rating,
                reviewed_at=now,
                duration_ms=min(duration, 2**31 - 1),
                desired_retention=settings.desired_retention,
                correct=correct,
                token=key,
            )
            scheduling.apply_fsrs(locked, state)
            locked.save(
                update_fields=[
                    "state",
                    "step",
                    "stability",
                    "difficulty",
                    "due",
                    "last_review",
                ]
            )
    except IntegrityError:  # the same token posted twice at once: the first one stands
        return ReviewLog.objects.get(token=key), False
    activity_record(learner_id=card.learner_id, on=now.date())
    return log, True


def review_cards_merge(*, source: Learner, target: Learner) -> None:
    """Move ``source``'s drill cards and settings to ``target``. Where both have a card for
    the same flashcard or question, every review of both is kept, in time order, and the
    card's state is replayed from the merged log."""
    theirs = {
        (card.flashcard_id, card.question_id): card
        for card in ReviewCard.objects.filter(learner=target)
    }
    for card in ReviewCard.objects.filter(learner=source):
        kept = theirs.get((card.flashcard_id, card.question_id))
        if kept is None:
            card.learner = target
            card.save(update_fields=["learner"])
            continue
        card.logs.update(card=kept)
        kept.created_at = min(kept.created_at, card.created_at)
        logs = list(kept.logs.order_by("reviewed_at", "pk"))
        scheduling.apply_fsrs(kept, scheduling.card_replay(kept, logs))
        kept.save()
        card.delete()
    if not DrillSettings.objects.filter(learner=target).exists():
        DrillSettings.objects.filter(learner=source).update(learner=target)


@dataclass(frozen=True)
class DrillStats:
    """The drill figures on the dashboard."""

    counts: QueueCounts
    reviews_per_day: list[
        tuple[datetime, int]
    ]  # the last STATS_DAYS days, oldest first
    reviews_30_days: int
    remembered_30_days: int

    @property
    def retention_percent(self) -> int | None:
        """Share of the last 30 days' reviews not rated Again."""
        if not self.reviews_30_days:
            return None
        return round(100 * self.remembered_30_days / self.reviews_30_days)


STATS_DAYS = 14


def drill_stats(*, learner: Learner, now: datetime) -> DrillStats:
    """Due today (with minutes), reviews per day and recent retention, in a few queries."""
    from django.db.models import Count
    from django.db.models.functions import TruncDate

    settings = settings_or_defaults(learner)
    section_ids = drill_section_ids(learner=learner, settings=settings)
    counts = queue_counts(
        learner=learner, settings=settings, section_ids=section_ids, now=now
    )
    today = now.date()
    first_day = today - timedelta(days=STATS_DAYS - 1)
    per_day = dict(
        ReviewLog.objects.filter(
            card__learner=learner, reviewed_at__date__gte=first_day
        )
        .annotate(day=TruncDate("reviewed_at"))
        .values("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    recent = ReviewLog.objects.filter(
        card__learner=learner, reviewed_at__gte=now - timedelta(days=30)
    )
    total = recent.count()
    remembered = recent.exclude(rating=ReviewLog.Rating.AGAIN).count() if total else 0
    days = [first_day + timedelta(days=offset) for offset in range(STATS_DAYS)]
    return DrillStats(
        counts, [(day, per_day.get(day, 0)) for day in days], total, remembered
    )
