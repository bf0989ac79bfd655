"""Django's database sessions, with the row read by one hand-written statement.

Every request that carries a session cookie reads its row. Through the ORM, building
that query costs more Python than the rest of a cached section page
(docs/performance.md); this is the same query, written out. Checking the data's
signature is the other half of a read, and a returning student sends the same data
again and again: each process keeps the data it has checked (the signed text is the key,
so anything changed is checked afresh). Creating, saving, expiring and deleting sessions
are Django's own (``SESSION_ENGINE = "config.session_store"``).
"""

from __future__ import annotations

import copy
from functools import lru_cache

from django.conf import settings
from django.contrib.sessions.backends import db
from django.core import signing
from django.db import connections, router
from django.utils import timezone

# Checked session data kept per process: a few hundred bytes each.
CHECKED_KEPT = 4096


@lru_cache(maxsize=CHECKED_KEPT)
def _checked(
    session_data: str, salt: str, serializer: type, keys: tuple[str, ...]
) -> dict:
    """The data, if its signature holds under ``keys`` (the secret key, then the
    fallbacks); raises otherwise, and a failure is not kept."""
    return signing.loads(
        session_data,
        key=keys[0],
        fallback_keys=keys[1:],
        salt=salt,
        serializer=serializer,
    )


class SessionStore(db.SessionStore):
    def load(self) -> dict:
        data = self._session_data_from_db()
        return self.decode(data) if data is not None else {}

    def decode(self, session_data: str) -> dict:
        keys = (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS)
        try:
            checked = _checked(session_data, self.key_salt, self.serializer, keys)
        except Exception:  # Django's own decode logs a bad signature and starts afresh
            return super().decode(session_data)
        return copy.deepcopy(checked)  # the session is changed in place; the kept isn't

    def _session_data_from_db(self) -> str | None:
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
        return row[0]
