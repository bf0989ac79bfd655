"""WAL checkpoints outside requests.

In WAL mode SQLite appends every commit to the ``-wal`` file and, by default, the commit
that takes the WAL past 1,000 pages also copies them back into the database file (a
checkpoint). On a large database that copy is random writes all over the file: in the
drill benchmark (docs/performance.md) about one review in a hundred paid 25–35 ms for it,
which was the whole p99. So request connections do not checkpoint: each process runs
one daemon thread per database file that, every ``INTERVAL`` seconds, runs a PASSIVE
checkpoint on its own connection (it never blocks readers or writers, and with the GIL
released while SQLite works, it barely touches a request running beside it). The next
commit after a complete checkpoint starts the WAL over from its beginning.

The thread keeps the WAL at what about a second of writes adds (a review adds about 10
pages): it checkpoints, then again while writes landed during its last pass, a few times
at most, so that the next commit usually finds the WAL fully copied and starts it over.
Under writes without a pause, a PASSIVE checkpoint never quite catches up and the WAL
keeps growing; request connections therefore keep SQLite's automatic checkpoint, at
``BACKSTOP_PAGES`` instead of 1,000: the commit that takes the WAL past it checkpoints
what the thread has not copied yet (usually little), as every commit would without the
thread. The WAL file is cut back to ``SIZE_LIMIT_BYTES`` when it starts over.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from pathlib import Path

log = logging.getLogger(__name__)

INTERVAL = 1.0  # seconds between checkpoints
BACKSTOP_PAGES = 10_000  # about 40 MB of 4 KiB pages: the WAL's automatic checkpoint
CATCH_UP_PASSES = 5  # checkpoints in a row at most, while writes land during them
SIZE_LIMIT_BYTES = 4 * 2**20  # the WAL file is cut back to this when it restarts


def connection_prepare(conn: sqlite3.Connection) -> None:
    """Settings for a connection that serves requests: it leaves checkpoints to the thread."""
    conn.execute(f"PRAGMA wal_autocheckpoint = {BACKSTOP_PAGES}")
    conn.execute(f"PRAGMA journal_size_limit = {SIZE_LIMIT_BYTES}")


class Checkpointer(threading.Thread):
    """Checkpoints one database file's WAL every ``interval`` seconds, until ``stop``."""

    def __init__(self, path: str, interval: float | None = None) -> None:
        super().__init__(name=f"sqlite-checkpoint {Path(path).name}", daemon=True)
        self.path = path
        self.interval = INTERVAL if interval is None else interval
        self.stopping = threading.Event()
        self.passes = 0
        # The last pass's (busy, frames in the WAL, frames copied to the database).
        self.last: tuple[int, int, int] | None = None
        self._conn: sqlite3.Connection | None = None
        self._busy = threading.Lock()  # one round at a time (a test may call one too)

    def run(self) -> None:
        # No lower CPU priority (nice) for this thread: it shares the GIL with requests,
        # and a request waited 14-24 ms for it when it was descheduled holding the GIL.
        while not self.stopping.wait(self.interval):
            try:
                self.checkpoint()
            except sqlite3.Error as error:
                self.close()
                if not os.path.exists(self.path):
                    break  # the database is gone (a test's file): nothing to look after
                log.warning("WAL checkpoint of %s failed: %s", self.path, error)
        self.close()

    def checkpoint(self) -> tuple[int, int, int]:
        """One round: PASSIVE checkpoints (they never wait for or block a reader or a
        writer) until one finds no frame added since the one before."""
        with self._busy:
            return self._round()

    def _round(self) -> tuple[int, int, int]:
        if self._conn is None:
            # mode=rw: never create the file if it is gone.
            self._conn = sqlite3.connect(
                f"{Path(self.path).as_uri()}?mode=rw",
                uri=True,
                isolation_level=None,
                check_same_thread=False,
            )
        previous = None
        for _ in range(CATCH_UP_PASSES):
            self.last = self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            self.passes += 1
            busy, frames, _done = self.last
            if busy or frames <= 0 or frames == previous:
                break  # another checkpoint runs, no WAL, or nothing new: done
            previous = frames
        return self.last

    def close(self) -> None:
        with self._busy:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def stop(self) -> None:
        self.stopping.set()
        if self.is_alive() and self is not threading.current_thread():
            self.join()


_running: dict[tuple[int, str], Checkpointer] = {}
_lock = threading.Lock()


def ensure(path: str) -> Checkpointer:
    """This process's checkpointer for the database file ``path``, started if need be.

    Keyed by process id: a forked worker (gunicorn) does not inherit its parent's threads.
    """
    key = (os.getpid(), os.path.realpath(path))
    with _lock:
        running = _running.get(key)
        if running is None or not running.is_alive():
            running = _running[key] = Checkpointer(key[1])
            running.start()
        return running


def stop(path: str) -> None:
    """Stop this process's checkpointer for ``path`` (tests, before removing the file)."""
    with _lock:
        running = _running.pop((os.getpid(), os.path.realpath(path)), None)
    if running is not None:
        running.stop()
