"""Django's database sessions, with the row read by one hand-written statement.

Every request that carries a session cookie reads its row. Through the ORM, building
that query costs more Python than the rest of a cached section page
(docs/performance.md); this is the same query, written out. Creating, saving, expiring
and deleting sessions are Django's own (``SESSION_ENGINE = "config.session_store"``).
"""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Session | None:
        model = self.model
        connection = connections[router.db_for_read(model)]
        table = connection.ops.quote_name(model._meta.db_table)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data FROM {table} "
                "WHERE session_key = %s AND expire_date > %s",
                [self.session_key, now],
            )
            row = cursor.fetchone()
        if row is None:  # unknown or expired: as Django's, start a new session
            self._session_key = None
            return None
        return model(session_key=self.session_key, session_data=row[0])
