"""The drill queue: which card comes next, and recording a review exactly once.

Due cards come first, most overdue first (and, at the same due time, the least stable,
which is the least likely to be remembered). Then new cards, up to the learner's daily
limit. Reviews a day are capped too, so a learner back after a break catches up over
several days instead of facing hundreds of cards at once.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from django.core import signing
from django.db import connections, router
from django.db.models import (
    Count,
    F,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from config.raw_rows import aware
from courses.activity import activity_record, activity_upsert_sql
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
    have = ReviewCard.objects.filter(learner=learner).values_list(
        "flashcard_id", "question_id"
    )
    have_cards, have_questions = set(), set()
    for flashcard_id, question_id in have:
        if flashcard_id:
            have_cards.add(flashcard_id)
        else:
            have_questions.add(question_id)
    now = timezone.now()
    new = [
        ReviewCard(
            learner=learner,
            flashcard_id=pk,
            section_id=section,
            due=now,
            created_at=now,
        )
        for pk, section in Flashcard.objects.filter(section_id__in=section_ids)
        .order_by("section_id", "position")
        .values_list("pk", "section_id")
        if pk not in have_cards
    ]
    new += [
        ReviewCard(
            learner=learner, question_id=pk, section_id=section, due=now, created_at=now
        )
        for pk, section in Question.objects.filter(quiz__section_id__in=section_ids)
        .order_by("quiz_id", "position")
        .values_list("pk", "quiz__section_id")
        if pk not in have_questions
    ]
    # A concurrent request may create the same cards: the unique constraints keep one.
    ReviewCard.objects.bulk_create(new, ignore_conflicts=True)


def cards_follow_sections(*, course_id: int) -> None:
    """Give the review cards of a course's flashcards and questions that moved to another
    section (a course file edit keeps them by id) their new section."""
    ReviewCard.objects.filter(flashcard__section__course_id=course_id).exclude(
        section_id=F("flashcard__section_id")
    ).update(
        section_id=Subquery(
            Flashcard.objects.filter(pk=OuterRef("flashcard_id")).values("section_id")
        )
    )
    ReviewCard.objects.filter(question__quiz__section__course_id=course_id).exclude(
        section_id=F("question__quiz__section_id")
    ).update(
        section_id=Subquery(
            Question.objects.filter(pk=OuterRef("question_id")).values(
                "quiz__section_id"
            )
        )
    )


def in_sections(section_ids: Iterable[int]) -> Q:
    return Q(section_id__in=list(section_ids))


def day_start(now: datetime) -> datetime:
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


def _as_array(connection) -> bool:
    # On PostgreSQL the sections are one array parameter: one statement (prepared once)
    # for any number of sections, and few enough parameters for psycopg to cache its
    # conversion of the statement (it does not past 50).
    return connection.vendor == "postgresql"


def in_drill_sql(connection, sections: int) -> str:
    """The condition "a card of the drill's ``sections`` sections", on ``section_id``;
    its parameters are ``in_drill_params``."""
    if not sections:
        return "1 = 0"
    if _as_array(connection):
        return "section_id = ANY(%s)"
    return f"section_id IN ({', '.join(['%s'] * sections)})"


def in_drill_params(connection, section_ids: list[int]) -> list:
    return [section_ids] if _as_array(connection) and section_ids else section_ids


@lru_cache(maxsize=64)
def _counts_sql(alias: str, sections: int) -> str:
    """The statement counting a learner's queue, for ``sections`` drill sections."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    in_drill = in_drill_sql(connection, sections)
    # Cards introduced today count whatever their section, as their reviews do.
    return (
        f"SELECT COUNT(CASE WHEN {in_drill} AND last_review IS NOT NULL AND due <= %s"
        " THEN 1 END),"
        f" COUNT(CASE WHEN {in_drill} AND last_review IS NULL THEN 1 END),"
        " COUNT(CASE WHEN first_review >= %s THEN 1 END),"
        f" (SELECT COUNT(*) FROM {quote(ReviewLog._meta.db_table)}"
        "  WHERE learner_id = %s AND reviewed_at >= %s)"
        f" FROM {quote(ReviewCard._meta.db_table)} WHERE learner_id = %s"
    )


def queue_counts(
    *, learner: Learner, settings: DrillSettings, section_ids: list[int], now: datetime
) -> QueueCounts:
    """Today's queue in one statement over two index ranges: the learner's cards
    (``review_card_learner_due``) and their reviews of today (``review_log_learner_time``).

    Written in SQL because it runs on every drill page: building these counts through
    the ORM (two queries) took several times longer in Python than running them.
    """
    alias = ReviewCard.objects.db
    connection = connections[alias]
    at = connection.ops.adapt_datetimefield_value
    today = at(day_start(now))
    sections = in_drill_params(connection, section_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            _counts_sql(alias, len(section_ids)),
            [*sections, at(now), *sections, today] + [learner.pk, today, learner.pk],
        )
        due_total, new_total, introduced, reviews = cursor.fetchone()
    room = max(0, settings.reviews_per_day - reviews)
    return QueueCounts(
        due=min(due_total, room),
        due_total=due_total,
        new=min(new_total, max(0, settings.new_per_day - introduced), room),
    )


def _ready(
    *, learner: Learner, section_ids: list[int], now: datetime, new: bool
) -> QuerySet[ReviewCard]:
    """The drill's due cards, most overdue first (then the least stable: a reviewed card
    always has a stability), or with ``new`` its new cards in the order they came.

    Bare card rows of one learner, filtered and ordered on their own columns, so the
    ``review_card_learner_due`` index serves both the filter and the order.
    """
    cards = ReviewCard.objects.filter(in_sections(section_ids), learner=learner)
    if new:
        return cards.filter(last_review__isnull=True).order_by("due", "pk")
    return cards.filter(last_review__isnull=False, due__lte=now).order_by(
        "due", "stability", "pk"
    )


def queue(
    *, learner: Learner, section_ids: list[int], now: datetime, include_new: bool
) -> list[ReviewCard]:
    """Every card to review now, in order: due ones, then (``include_new``) new ones."""
    cards = list(_ready(learner=learner, section_ids=section_ids, now=now, new=False))
    if include_new:
        cards += _ready(learner=learner, section_ids=section_ids, now=now, new=True)
    return cards


# What showing a card needs: its section and its flashcard or question.
CARD_DISPLAY = ("section", "flashcard", "question")


def next_card(
    *,
    learner: Learner,
    settings: DrillSettings,
    section_ids: list[int],
    now: datetime,
    counts: QueueCounts | None = None,
) -> ReviewCard | None:
    """The next card to review, with what showing it needs, in one query (one more
    counting the queue unless the caller passes the ``counts`` it already has)."""
    if counts is None:
        counts = queue_counts(
            learner=learner, settings=settings, section_ids=section_ids, now=now
        )
    # Due cards first; new ones once none is due. Counts passed in may be a little old
    # (another tab reviewed the last due card): then the new cards are next.
    for new, wanted in ((False, counts.due), (True, counts.new)):
        if not wanted:
            continue
        picked = _ready(learner=learner, section_ids=section_ids, now=now, new=new)
        # The pick is a subquery, so the joins for showing the card touch one row only.
        card = next(
            iter(
                ReviewCard.objects.select_related(*CARD_DISPLAY).filter(
                    pk=Subquery(picked.values("pk")[:1])
                )
            ),
            None,
        )
        if card is not None:
            return card
    return None


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


def token_payload(token: str) -> dict:
    """What a token carries, if it is ours and recent; else ``TokenInvalid`` (no query)."""
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        raise TokenInvalid(TOKEN_INVALID) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("card"), int):
        raise TokenInvalid(TOKEN_INVALID)
    return payload


def read_token(token: str, *, learner: Learner) -> tuple[ReviewCard, dict]:
    """The card a token was issued for (with what showing it needs), if it belongs to
    ``learner``; else ``TokenInvalid``."""
    payload = token_payload(token)
    card = (
        ReviewCard.objects.select_related(*CARD_DISPLAY)
        .filter(pk=payload["card"], learner=learner)
        .first()
    )
    if card is None:
        raise TokenInvalid(TOKEN_INVALID)
    return card, payload


def log_key(token: str) -> str:
    # The token is long and signed; its nonce and card make it unique, so store a digest.
    return hashlib.sha256(token.encode()).hexdigest()


# What scheduling a card reads, in this order (attnames): the lock's columns.
CARD_STATE = (
    "id",
    "learner_id",
    "section_id",
    "flashcard_id",
    "question_id",
    "state",
    "step",
    "stability",
    "difficulty",
    "due",
    "last_review",
    "first_review",
    "created_at",
)
_CARD_TIMES = frozenset({"due", "last_review", "first_review", "created_at"})


def columns(model: type[Model], names: Iterable[str], table: str = "") -> str:
    """``names`` (attnames) as the quoted columns of ``model``'s table (as ``table``, if
    given), for hand-written SQL."""
    quote = connection_for(model).ops.quote_name
    prefix = f"{table}." if table else ""
    fields = {field.attname: field for field in model._meta.concrete_fields}
    return ", ".join(prefix + quote(fields[name].column) for name in names)


def connection_for(model: type[Model]):
    return connections[router.db_for_write(model)]


def card_from_row(values: Sequence) -> ReviewCard:
    """A ``ReviewCard`` as the ORM would load it with the ``CARD_STATE`` columns."""
    row = [
        aware(value) if name in _CARD_TIMES else value
        for name, value in zip(CARD_STATE, values, strict=True)
    ]
    return ReviewCard.from_db(connection_for(ReviewCard).alias, CARD_STATE, row)


@dataclass(frozen=True)
class _WriteSql:
    insert: str  # the log (RETURNING its id where the database can)
    update: str  # the card's new state
    # PostgreSQL: the log, the card and the day's activity in one statement (data-
    # modifying CTEs), one round trip instead of three.
    together: str | None


@lru_cache(maxsize=8)
def _write_sql(alias: str) -> _WriteSql:
    """A review's statements, written out: through the ORM, building them cost more
    Python than the database spent running them."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    cards = quote(ReviewCard._meta.db_table)
    logs = quote(ReviewLog._meta.db_table)

    def col(model: type[Model], name: str) -> str:
        return quote(model._meta.get_field(name).column)

    fields = ("card", "learner", "rating", "reviewed_at", "duration_ms")
    fields += ("desired_retention", "correct", "token")
    insert = (
        f"INSERT INTO {logs} ({', '.join(col(ReviewLog, name) for name in fields)})"
        f" VALUES ({', '.join(['%s'] * len(fields))})"
    )
    if connection.features.can_return_columns_from_insert:
        insert += f" RETURNING {col(ReviewLog, 'id')}"
    state = ("state", "step", "stability", "difficulty", "due", "last_review")
    state += ("first_review",)
    update = (
        f"UPDATE {cards} SET {', '.join(f'{col(ReviewCard, name)} = %s' for name in state)}"
        f" WHERE {col(ReviewCard, 'id')} = %s"
    )
    together = None
    if connection.vendor == "postgresql":
        together = (
            f"WITH logged AS ({insert}), moved AS ({update}),"
            f" studied AS ({activity_upsert_sql(alias)}) SELECT * FROM logged"
        )
    return _WriteSql(insert, update, together)


def review_write(
    card: ReviewCard,
    *,
    payload: dict,
    key: str,
    rating: int,
    now: datetime,
    desired_retention: float,
) -> ReviewLog:
    """Inside the caller's transaction, with ``card`` locked: the log, the card's new state
    and the day's activity (three statements; one on PostgreSQL). ``card`` gets its new
    state; the log is
    returned (its ``card`` is ``card``). The log's unique token raises ``IntegrityError``
    when this showing was recorded already."""
    connection = connection_for(ReviewCard)
    ops = connection.ops
    sql = _write_sql(connection.alias)
    if card.last_review is not None and card.last_review > now:
        # A review of another showing took the lock first, though it began later: this
        # one counts as after it, so the log's time order stays the order applied.
        now = card.last_review
    shown_at = datetime.fromtimestamp(payload["shown"], tz=now.tzinfo)
    duration = min(max(0, int((now - shown_at).total_seconds() * 1000)), 2**31 - 1)
    # The server's verdict on a question, carried by the token since grading.
    correct = payload.get("correct") if card.question_id else None
    state = scheduling.review(card, rating, at=now, desired_retention=desired_retention)
    scheduling.apply_fsrs(card, state)
    if card.first_review is None:
        card.first_review = now
    at = ops.adapt_datetimefield_value
    logged = [card.pk, card.learner_id, rating, at(now), duration]
    logged += [desired_retention, correct, key]
    moved = [card.state, card.step, card.stability, card.difficulty, at(card.due)]
    moved += [at(card.last_review), at(card.first_review), card.pk]
    with connection.cursor() as cursor:
        if sql.together:
            studied = [card.learner_id, ops.adapt_datefield_value(now.date())]
            cursor.execute(sql.together, logged + moved + studied)
            log_id = cursor.fetchone()[0]
        else:
            cursor.execute(sql.insert, logged)
            if connection.features.can_return_columns_from_insert:
                log_id = cursor.fetchone()[0]
            else:
                log_id = ops.last_insert_id(cursor, ReviewLog._meta.db_table, "id")
            cursor.execute(sql.update, moved)
    if not sql.together:
        activity_record(learner_id=card.learner_id, on=now.date())
    log = ReviewLog(
        pk=log_id,
        card=card,
        learner_id=card.learner_id,
        rating=rating,
        reviewed_at=now,
        duration_ms=duration,
        desired_retention=desired_retention,
        correct=correct,
        token=key,
    )
    log._state.adding, log._state.db = False, connection.alias
    return log


def review_repeated(*, key: str, learner_id: int) -> ReviewLog | None:
    """The log a repeated post of a showing recorded first (its card with it), if it is
    ``learner_id``'s."""
    log = ReviewLog.objects.select_related("card").filter(token=key).first()
    return log if log is not None and log.learner_id == learner_id else None


def review_record(
    *,
    learner: Learner,
    token: str,
    rating: int,
    now: datetime,
    payload: dict | None = None,
) -> tuple[ReviewLog, bool]:
    """Record the rating of the showing ``token`` stands for, once; return (log, created).

    The drill view's review (``quizzes.reviewing.review_submit``) for a learner already
    loaded: one transaction that reads and locks the card, inserts the log, saves the
    card's new state and counts the day's activity. A second post of the same token hits
    the token's unique constraint and returns the first log, changing nothing. A token
    that is not ``learner``'s raises ``TokenInvalid``. ``log.card`` is the card, bare.
    ``payload``: the token's, when the caller has read it already.
    """
    from quizzes import reviewing  # which builds on this module

    reviewed = reviewing.review_submit(
        user_id=learner.user_id,
        learner_id=learner.pk,
        token=token,
        payload=payload if payload is not None else token_payload(token),
        rating=rating,
        now=now,
    )
    return reviewed.log, reviewed.created


def review_cards_merge(*, source: Learner, target: Learner) -> None:
    """Move ``source``'s drill cards and settings to ``target``. Where both have a card for
    the same flashcard or question, every review of both is kept, in time order, and the
    card's state is replayed from the merged log."""
    theirs = {
        (card.flashcard_id, card.question_id): card
        for card in ReviewCard.objects.filter(learner=target)
    }
    ReviewLog.objects.filter(learner=source).update(learner=target)
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
        kept.first_review = logs[0].reviewed_at if logs else None
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
            learner=learner,
            reviewed_at__gte=day_start(now) - timedelta(days=STATS_DAYS - 1),
        )
        .annotate(day=TruncDate("reviewed_at"))
        .values("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    recent = ReviewLog.objects.filter(
        learner=learner, reviewed_at__gte=now - timedelta(days=30)
    ).aggregate(
        total=Count("pk"),
        remembered=Count("pk", filter=~Q(rating=ReviewLog.Rating.AGAIN)),
    )
    total, remembered = recent["total"], recent["remembered"]
    days = [first_day + timedelta(days=offset) for offset in range(STATS_DAYS)]
    return DrillStats(
        counts, [(day, per_day.get(day, 0)) for day in days], total, remembered
    )
