"""A drill review over htmx, in few statements: the most frequent write a student makes.

The drill page itself (drill_views._render) reads the learner, their settings, their
sections, the queue and the next card through the ORM. A review needs the same figures
around one write, and building those queries cost several times what the database
spent running them (docs/performance.md), so here they are written out:

1. ``review_submit``: in the review's transaction, one statement reads the learner (by
   the session or the account), their drill settings and sections, and locks the card;
   then the log, the card's new state and the day's activity (``drills.review_write``:
   three statements, one on PostgreSQL).
2. ``next_card``: one statement picks the next card (as ``drills.next_card`` with fresh
   counts) with its section and flashcard, checking the daily limits against today's
   reviews and new cards rather than counting the whole queue. A quiz question's text
   and options are the same for every learner: they come from the cache, keyed by the
   section's content version (lessons/cache.py). Only when no card is next,
   ``queue_now`` counts the queue (what ``drills.queue_counts`` counts) with the
   session's summary and the next due time, in one statement.
3. ``memory_aids``: after "Again" on a flashcard, its aids and front, in one statement.
4. ``card_shown``: a token's card shown again ("Show answer", the check of a question)
   with the learner's settings, in one statement without a lock.

The views (``drill_views.review``, the htmx "Show answer" of ``drill`` and ``check``)
render only the card fragment htmx swaps in; a plain form post or link still gets the
page (or its redirect), and so does any other htmx request.
Each is tested against the ORM code it stands for (tests/quizzes/test_reviewing.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from django.core.cache import cache
from django.db import IntegrityError, connections, transaction

from config.raw_rows import aware
from courses.models import Learner, SectionProgress
from lessons.cache import TIMEOUT
from lessons.models import Flashcard, MemoryAid, Section
from quizzes import drills
from quizzes.models import DrillSettings, Question, ReviewCard, ReviewLog


@dataclass
class Drill:
    """A learner's drill as a review reads it."""

    learner: Learner  # pk and user_id
    settings: DrillSettings  # saved or defaults: retention and daily limits
    section_ids: list[int]  # as drills.drill_section_ids


@dataclass
class Reviewed:
    drill: Drill
    log: ReviewLog  # log.card: the card, bare
    created: bool  # False: this showing was recorded already, by an earlier post


def _ids(value: str | list | None) -> list[int]:
    """Section ids aggregated by the database: text on SQLite, an array on PostgreSQL."""
    if not value:
        return []
    if isinstance(value, str):
        return sorted(int(pk) for pk in value.split(","))
    return sorted(value)


def _id_list(connection, column: str, rest: str) -> str:
    """The ids of ``SELECT column rest`` as one value (``_ids`` reads it)."""
    if connection.vendor == "postgresql":
        return f"ARRAY(SELECT {column} {rest})"
    return f"(SELECT group_concat({column}) {rest})"


@lru_cache(maxsize=8)
def _submit_sql(alias: str, by_user: bool) -> str:
    connection = connections[alias]
    quote = connection.ops.quote_name
    through = DrillSettings.sections.through
    chosen = _id_list(
        connection,
        f"m.{quote(through._meta.get_field('section').column)}",
        f"FROM {quote(through._meta.db_table)} m"
        f" WHERE m.{quote(through._meta.get_field('drillsettings').column)} = d.id",
    )
    opened = _id_list(
        connection,
        "p.section_id",
        f"FROM {quote(SectionProgress._meta.db_table)} p WHERE p.learner_id = l.id",
    )
    match = "l.user_id = %s" if by_user else "l.id = %s AND l.user_id IS NULL"
    lock = " FOR UPDATE OF c" if connection.features.has_select_for_update else ""
    return (
        f"SELECT {drills.columns(ReviewCard, drills.CARD_STATE, 'c')}, l.user_id,"
        " d.id, d.desired_retention, d.new_per_day, d.reviews_per_day,"
        f" {chosen}, {opened}"
        f" FROM {quote(ReviewCard._meta.db_table)} c"
        f" JOIN {quote(Learner._meta.db_table)} l ON l.id = c.learner_id"
        f" LEFT JOIN {quote(DrillSettings._meta.db_table)} d ON d.learner_id = l.id"
        f" WHERE c.id = %s AND {match}{lock}"
    )


def _learner_settings(learner_id: int, row: Sequence) -> DrillSettings:
    """The learner and their settings (defaults when they have none yet), as read by
    ``l.user_id, d.id, d.desired_retention, d.new_per_day, d.reviews_per_day``."""
    user_id, settings_pk, retention, new_per_day, reviews_per_day = row
    alias = drills.connection_for(ReviewCard).alias
    learner = Learner.from_db(alias, ["id", "user_id"], [learner_id, user_id])
    if settings_pk is None:
        return DrillSettings(learner=learner)
    settings = DrillSettings.from_db(
        alias,
        ["id", "learner_id", "desired_retention", "new_per_day", "reviews_per_day"],
        [settings_pk, learner_id, retention, new_per_day, reviews_per_day],
    )
    settings.learner = learner
    return settings


def _drill(learner_id: int, row: tuple) -> Drill:
    """The learner, settings (defaults when they have none yet) and sections read."""
    settings = _learner_settings(learner_id, row[:5])
    chosen, opened = row[5:]
    return Drill(settings.learner, settings, _ids(chosen) or _ids(opened))


def review_submit(
    *,
    user_id: int | None,
    learner_id: int | None,
    token: str,
    payload: dict,
    rating: int,
    now: datetime,
) -> Reviewed:
    """Record a rating as ``drills.review_record`` does, reading the learner's drill in
    the same statement that locks the card. The learner is the account's (``user_id``)
    or else the anonymous session's (``learner_id``). ``TokenInvalid`` when there is no
    such learner or the card is not theirs (the caller tells the two apart)."""
    connection = drills.connection_for(ReviewCard)
    by_user = user_id is not None
    if not by_user and learner_id is None:
        raise drills.TokenInvalid(drills.TOKEN_INVALID)
    key = drills.log_key(token)
    width = len(drills.CARD_STATE)
    try:
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute(
                    _submit_sql(connection.alias, by_user),
                    [payload["card"], user_id if by_user else learner_id],
                )
                row = cursor.fetchone()
            if row is None:
                raise drills.TokenInvalid(drills.TOKEN_INVALID)
            card = drills.card_from_row(row[:width])
            drill = _drill(card.learner_id, row[width:])
            log = drills.review_write(
                card,
                payload=payload,
                key=key,
                rating=rating,
                now=now,
                desired_retention=drill.settings.desired_retention,
            )
    except IntegrityError:  # this showing was recorded already: the first one stands
        first = drills.review_repeated(key=key, learner_id=card.learner_id)
        if first is None:
            raise
        return Reviewed(drill, first, False)
    return Reviewed(drill, log, True)


# ---------------------------------------------------------------- what comes next


@dataclass(frozen=True)
class Summary:
    """The session's reviews, shown when no card is left (``drill_views._summary``)."""

    reviewed: int
    right: int
    minutes: float
    next_due: datetime | None


@lru_cache(maxsize=64)
def _queue_sql(alias: str, sections: int) -> str:
    connection = connections[alias]
    quote = connection.ops.quote_name
    in_drill = drills.in_drill_sql(connection, sections)
    logs = quote(ReviewLog._meta.db_table)
    # One pass over the learner's cards (review_card_learner_due), one over today's
    # reviews (review_log_learner_time, covering) and one over the session's.
    return (
        "SELECT k.due_total, k.new_total, k.introduced, k.next_due,"
        " t.reviews, s.reviewed, s.remembered, s.ms FROM"
        " (SELECT"
        f" COUNT(CASE WHEN {in_drill} AND last_review IS NOT NULL AND due <= %s"
        " THEN 1 END) AS due_total,"
        f" COUNT(CASE WHEN {in_drill} AND last_review IS NULL THEN 1 END) AS new_total,"
        " COUNT(CASE WHEN first_review >= %s THEN 1 END) AS introduced,"
        f" MIN(CASE WHEN {in_drill} AND last_review IS NOT NULL THEN due END)"
        " AS next_due"
        f" FROM {quote(ReviewCard._meta.db_table)} WHERE learner_id = %s) k,"
        f" (SELECT COUNT(*) AS reviews FROM {logs}"
        " WHERE learner_id = %s AND reviewed_at >= %s) t,"
        " (SELECT COUNT(*) AS reviewed,"
        " COUNT(CASE WHEN rating > %s THEN 1 END) AS remembered,"
        " COALESCE(SUM(duration_ms), 0) AS ms"
        f" FROM {logs} WHERE learner_id = %s AND reviewed_at >= %s) s"
    )


def queue_now(
    *, drill: Drill, now: datetime, session_started: datetime
) -> tuple[drills.QueueCounts, Summary]:
    """Today's queue (as ``drills.queue_counts``) and the session's summary since
    ``session_started``, in one statement."""
    connection = drills.connection_for(ReviewCard)
    at = connection.ops.adapt_datetimefield_value
    day_start = at(drills.day_start(now))
    sections = drills.in_drill_params(connection, drill.section_ids)
    learner_id = drill.learner.pk
    with connection.cursor() as cursor:
        cursor.execute(
            _queue_sql(connection.alias, len(drill.section_ids)),
            [*sections, at(now), *sections, day_start, *sections, learner_id]
            + [learner_id, day_start]
            + [ReviewLog.Rating.AGAIN, learner_id, at(session_started)],
        )
        row = cursor.fetchone()
    due_total, new_total, introduced, next_due, reviews, reviewed, right, ms = row
    settings = drill.settings
    room = max(0, settings.reviews_per_day - reviews)
    counts = drills.QueueCounts(
        due=min(due_total, room),
        due_total=due_total,
        new=min(new_total, max(0, settings.new_per_day - introduced), room),
    )
    summary = Summary(reviewed, right, round(ms / 60000, 1), aware(next_due))
    return counts, summary


_DISPLAY = (
    ("number", "title", "content_version"),
    ("front_html", "back_html", "hint"),
)


@lru_cache(maxsize=64)
def _next_sql(alias: str, sections: int) -> str:
    connection = connections[alias]
    quote = connection.ops.quote_name
    in_drill = drills.in_drill_sql(connection, sections)
    cards = quote(ReviewCard._meta.db_table)
    logs = quote(ReviewLog._meta.db_table)
    # The picks of drills._ready: bare rows of one learner, in review_card_learner_due.
    due = (
        f"(SELECT id FROM {cards} WHERE learner_id = %s AND {in_drill}"
        " AND last_review IS NOT NULL AND due <= %s"
        " ORDER BY due, stability, id LIMIT 1)"
    )
    new = (
        f"(SELECT id FROM {cards} WHERE learner_id = %s AND {in_drill}"
        " AND last_review IS NULL ORDER BY due, id LIMIT 1)"
    )
    # The daily limits as queue_counts applies them: a due card while today's reviews
    # are under the cap; else a new card while today's new cards are under theirs too.
    reviews = (
        f"(SELECT COUNT(*) FROM {logs} WHERE learner_id = %s AND reviewed_at >= %s)"
    )
    introduced = (
        f"(SELECT COUNT(*) FROM {cards} WHERE learner_id = %s AND first_review >= %s)"
    )
    pick = (
        f"CASE WHEN {reviews} < %s THEN COALESCE({due},"
        f" CASE WHEN {introduced} < %s THEN {new} END) END"
    )
    return (
        f"SELECT {_display_columns()} FROM {cards} c{_display_joins(alias)}"
        f" WHERE c.id = {pick}"
    )


def _display_columns() -> str:
    """A card's state, its section's and its flashcard's: what ``_displayed`` reads."""
    section, flashcard = _DISPLAY
    return (
        f"{drills.columns(ReviewCard, drills.CARD_STATE, 'c')},"
        f" {drills.columns(Section, section, 's')},"
        f" {drills.columns(Flashcard, flashcard, 'f')}"
    )


def _display_joins(alias: str) -> str:
    quote = connections[alias].ops.quote_name
    return (
        f" JOIN {quote(Section._meta.db_table)} s ON s.id = c.section_id"
        f" LEFT JOIN {quote(Flashcard._meta.db_table)} f ON f.id = c.flashcard_id"
    )


_DISPLAY_WIDTH = len(drills.CARD_STATE) + sum(len(names) for names in _DISPLAY)


def _displayed(alias: str, row: Sequence) -> ReviewCard:
    """The card of a ``_display_columns`` row, with what showing it needs: its section,
    and its flashcard or its question with choices (from the cache)."""
    width = len(drills.CARD_STATE)
    card = drills.card_from_row(row[:width])
    section_fields, flashcard_fields = _DISPLAY
    number, title, version = row[width : width + 3]
    card.section = Section.from_db(
        alias, ["id", *section_fields], [card.section_id, number, title, version]
    )
    if card.flashcard_id:
        card.flashcard = Flashcard.from_db(
            alias,
            ["id", "section_id", *flashcard_fields],
            [card.flashcard_id, card.section_id, *row[width + 3 : _DISPLAY_WIDTH]],
        )
        card.question = None
    else:
        card.flashcard = None
        card.question = _question(
            card.question_id, section_id=card.section_id, version=version
        )
    return card


def _question(question_id: int, *, section_id: int, version: int) -> Question:
    """A question with its choices, from the cache (the same for every learner)."""
    key = f"quizzes:section:{section_id}:v{version}:question:{question_id}"
    question = cache.get(key)
    if question is None:
        question = Question.objects.prefetch_related("choices").get(pk=question_id)
        cache.set(key, question, TIMEOUT)
    return question


def next_card(*, drill: Drill, now: datetime) -> ReviewCard | None:
    """The next card, as ``drills.next_card`` picks it with fresh counts, with what
    showing its front needs (its section, flashcard or question with choices), in one
    statement: the daily limits are checked against today's reviews and new cards
    without counting the whole queue (a question from the cache, or one more statement
    and its choices')."""
    connection = drills.connection_for(ReviewCard)
    at = connection.ops.adapt_datetimefield_value
    day_start = at(drills.day_start(now))
    sections = drills.in_drill_params(connection, drill.section_ids)
    learner_id = drill.learner.pk
    settings = drill.settings
    params = [learner_id, day_start, settings.reviews_per_day]
    params += [learner_id, *sections, at(now)]
    params += [learner_id, day_start, settings.new_per_day, learner_id, *sections]
    with connection.cursor() as cursor:
        cursor.execute(_next_sql(connection.alias, len(drill.section_ids)), params)
        row = cursor.fetchone()
    if row is None:
        return None
    return _displayed(connection.alias, row)


# ---------------------------------------------------------------- a card shown again


@lru_cache(maxsize=8)
def _shown_sql(alias: str, by_user: bool) -> str:
    quote = connections[alias].ops.quote_name
    match = "l.user_id = %s" if by_user else "l.id = %s AND l.user_id IS NULL"
    return (
        f"SELECT {_display_columns()}, l.user_id,"
        " d.id, d.desired_retention, d.new_per_day, d.reviews_per_day"
        f" FROM {quote(ReviewCard._meta.db_table)} c{_display_joins(alias)}"
        f" JOIN {quote(Learner._meta.db_table)} l ON l.id = c.learner_id"
        f" LEFT JOIN {quote(DrillSettings._meta.db_table)} d ON d.learner_id = l.id"
        f" WHERE c.id = %s AND {match}"
    )


def card_shown(
    *, user_id: int | None, learner_id: int | None, card_id: int
) -> tuple[ReviewCard, DrillSettings] | None:
    """A token's card turned over ("Show answer"), as ``drills.read_token`` finds it for
    the account's learner (``user_id``) or else the session's (``learner_id``), with
    what showing it needs and the learner's settings (defaults when they have none
    yet): one statement, no lock, no write. None when it is not that learner's card."""
    connection = drills.connection_for(ReviewCard)
    by_user = user_id is not None
    if not by_user and learner_id is None:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            _shown_sql(connection.alias, by_user),
            [card_id, user_id if by_user else learner_id],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    card = _displayed(connection.alias, row)
    return card, _learner_settings(card.learner_id, row[_DISPLAY_WIDTH:])


@lru_cache(maxsize=8)
def _aids_sql(alias: str) -> str:
    quote = connections[alias].ops.quote_name
    through = MemoryAid.flashcards.through
    aid_column = quote(through._meta.get_field("memoryaid").column)
    card_column = quote(through._meta.get_field("flashcard").column)
    return (
        f"SELECT f.front_html, {drills.columns(MemoryAid, _AID_FIELDS, 'a')}"
        f" FROM {quote(Flashcard._meta.db_table)} f"
        f" JOIN {quote(through._meta.db_table)} t ON t.{card_column} = f.id"
        f" JOIN {quote(MemoryAid._meta.db_table)} a ON a.id = t.{aid_column}"
        " WHERE f.id = %s ORDER BY a.position, a.id"
    )


_AID_FIELDS = ("id", "kind", "title", "text_html")


def memory_aids(card: ReviewCard) -> list[MemoryAid]:
    """A flashcard card's memory aids (as ``card.flashcard.memory_aids.all()``), its
    flashcard's front with them: one statement."""
    connection = drills.connection_for(MemoryAid)
    with connection.cursor() as cursor:
        cursor.execute(_aids_sql(connection.alias), [card.flashcard_id])
        rows = cursor.fetchall()
    if rows:
        card.flashcard = Flashcard.from_db(
            connection.alias, ["id", "front_html"], [card.flashcard_id, rows[0][0]]
        )
    return [MemoryAid.from_db(connection.alias, _AID_FIELDS, row[1:]) for row in rows]
