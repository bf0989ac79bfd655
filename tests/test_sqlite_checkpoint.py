"""SQLite WAL checkpoints happen in a thread, not in the commits of requests
(config/sqlite/checkpointer.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.db.utils import ConnectionHandler

from config.sqlite import checkpointer

ROOT = Path(__file__).resolve().parent.parent
PAGE = 4096
WAL_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}


@pytest.fixture
def file_db(tmp_path, monkeypatch, django_db_blocker):
    """A connection through the project's SQLite backend to a database file in WAL mode
    (not the test database), its checkpointer thread idle (a long interval) unless the
    test starts its own."""
    monkeypatch.setattr(checkpointer, "INTERVAL", 3600)
    path = tmp_path / "wal.sqlite3"
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "config.sqlite",
                "NAME": str(path),
                "OPTIONS": dict(WAL_OPTIONS),
            }
        }
    )
    db = handler["default"]
    with django_db_blocker.unblock():
        with db.cursor() as cursor:
            cursor.execute("CREATE TABLE filler (data BLOB)")
        yield db, path
        db.close()
    checkpointer.stop(str(path))


def write_pages(db, pages: int, per_commit: int = 1200) -> None:
    """About ``pages`` pages of rows, committed ``per_commit`` pages at a time."""
    while pages > 0:
        rows = min(pages, per_commit)
        with db.cursor() as cursor:
            cursor.execute("BEGIN IMMEDIATE")
            cursor.executemany(
                "INSERT INTO filler VALUES (randomblob(4000))", [()] * rows
            )
            cursor.execute("COMMIT")
        pages -= rows


def wal_pages(path: Path) -> int:
    return os.path.getsize(f"{path}-wal") // PAGE


def test_sqlite_settings_use_the_checkpointing_backend(tmp_path):
    code = (
        "import json, config.settings.base as s;"
        "print(json.dumps(s.DATABASES['default'], default=str))"
    )
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_DEBUG": "1",
    }
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    database = json.loads(done.stdout)
    assert database["ENGINE"] == "config.sqlite"
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]


def test_request_connections_leave_checkpoints_to_the_thread(file_db):
    db, path = file_db
    with db.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        assert cursor.fetchone()[0] == checkpointer.BACKSTOP_PAGES
    running = checkpointer._running[(os.getpid(), os.path.realpath(path))]
    assert running.is_alive()

    write_pages(db, 3600)

    # With SQLite's default (a checkpoint by the commit that passes 1,000 pages) the next
    # commit would start the WAL over, and it would stay at about one commit's pages.
    assert wal_pages(path) > 3500


def test_a_checkpoint_lets_the_next_commit_start_the_wal_over(file_db):
    db, path = file_db
    write_pages(db, 3600)
    assert wal_pages(path) > 3500

    busy, frames, copied = checkpointer.ensure(str(path)).checkpoint()
    assert (busy, copied) == (0, frames)
    assert frames > 3500
    write_pages(db, 1)

    assert wal_pages(path) * PAGE <= checkpointer.SIZE_LIMIT_BYTES


def test_the_thread_checkpoints_on_its_own(file_db, monkeypatch):
    db, path = file_db
    checkpointer.stop(str(path))  # the idle one: start one that runs often
    monkeypatch.setattr(checkpointer, "INTERVAL", 0.05)
    running = checkpointer.ensure(str(path))
    write_pages(db, 3600)

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        last = running.last
        if last is not None and last[1] == last[2] > 3500:
            break
        time.sleep(0.05)
    write_pages(db, 1)

    assert running.passes > 0
    assert wal_pages(path) * PAGE <= checkpointer.SIZE_LIMIT_BYTES


def test_a_stopped_checkpointer_leaves_a_deleted_database_alone(file_db, monkeypatch):
    db, path = file_db
    checkpointer.stop(str(path))
    monkeypatch.setattr(checkpointer, "INTERVAL", 0.01)
    running = checkpointer.ensure(str(path))
    db.close()
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)

    running.join(timeout=5)

    assert not running.is_alive()
    assert not path.exists()  # not created again by the thread's reconnection


@pytest.mark.django_db
def test_in_memory_test_databases_are_left_as_django_makes_them():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    connection.ensure_connection()
    assert connection.is_in_memory_db()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        assert cursor.fetchone()[0] == 1000
    assert not any(path == "" for _pid, path in checkpointer._running)
