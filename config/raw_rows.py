"""Rows of hand-written statements, read into what the ORM would have given.

The hot paths that write their SQL out (lessons/page_state.py, quizzes/answering.py,
quizzes/drills.py, quizzes/reviewing.py) get raw values from the driver, which differ by
database: this turns them into model instances and Python values the same way for all.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TypeVar

from django.db.models import Model

M = TypeVar("M", bound=Model)


def aware(value: datetime | str | None) -> datetime | None:
    """SQLite hands back text or naive UTC datetimes; PostgreSQL aware ones."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def json_value(value: object) -> object:
    """A JSON column: text on SQLite, already decoded on PostgreSQL."""
    return json.loads(value) if isinstance(value, str) else value


def load_only(model: type[M], alias: str, **values: object) -> M:
    """An instance as the ORM loads one with only these fields: any other field is
    deferred, so reading one queries for it instead of giving a wrong default."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(alias, names, [values[name] for name in names])
