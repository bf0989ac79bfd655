"""Study activity: one row per learner and day, counted as they study."""

from __future__ import annotations

from datetime import date
from functools import cache

from django.db import connections, router
from django.utils import timezone

from courses.models import StudyDay


@cache
def activity_upsert_sql(alias: str) -> str:
    # One statement whether or not today's row exists yet (SQLite 3.24+, PostgreSQL 9.5+),
    # atomic under concurrent requests: the unique (learner, day) constraint arbitrates.
    # Through the ORM it was an UPDATE, then on the day's first action a savepoint, an
    # INSERT and its release: four statements in every drill review's transaction.
    ops = connections[alias].ops
    table = ops.quote_name(StudyDay._meta.db_table)
    learner, day, actions = (
        ops.quote_name(StudyDay._meta.get_field(name).column)
        for name in ("learner", "day", "actions")
    )
    return (
        f"INSERT INTO {table} AS studied ({learner}, {day}, {actions}) VALUES (%s, %s, 1) "
        f"ON CONFLICT ({learner}, {day}) DO UPDATE SET {actions} = studied.{actions} + 1"
    )


def activity_record(*, learner_id: int, on: date | None = None) -> None:
    """Count one study action (a section opened, an answer checked, a card reviewed)."""
    day = on or timezone.now().date()
    alias = router.db_for_write(StudyDay)
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(
            activity_upsert_sql(alias),
            [learner_id, connection.ops.adapt_datefield_value(day)],
        )
