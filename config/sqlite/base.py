"""Django's SQLite backend, with the WAL checkpoints moved from commits to a thread.

A connection to a database file in WAL mode gets ``wal_autocheckpoint`` raised to a
backstop that a running checkpointer never lets the WAL reach, and its process gets a
checkpointer thread for that file (one per process and file, started with the first
connection). In-memory databases (the test databases) are left as Django makes them.
"""

from __future__ import annotations

from django.db.backends.sqlite3 import base

from config.sqlite import checkpointer


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        conn = super().get_new_connection(conn_params)
        if self.is_in_memory_db():
            return conn
        (mode,) = conn.execute("PRAGMA journal_mode").fetchone()
        path = conn.execute("PRAGMA database_list").fetchone()[2]
        if mode.lower() == "wal" and path:
            checkpointer.connection_prepare(conn)
            checkpointer.ensure(path)
        return conn
