"""CPU per request of the benchmark's pages, in-process: the quick loop for speed work.

``make bench-http`` measures pages behind gunicorn and wrk, which takes minutes and an
idle machine. This runs the same prepared requests (bench/http_prepare.py) straight
through Django's WSGI handler in this process and reports the CPU time and the SQL
statements of each, which other load on the machine barely moves::

    .venv/bin/python -m bench.request_cpu            # every page, SQLite
    .venv/bin/python -m bench.request_cpu section    # one page
    PROFILE=1 .venv/bin/python -m bench.request_cpu section   # and a pyinstrument profile
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lectern_cpu .venv/bin/python -m bench.request_cpu

The database is created afresh in a temporary directory (SQLite) or dropped and
re-created (PostgreSQL), with ``fixtures/*.yaml`` loaded.
"""

from __future__ import annotations

import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("hello", "catalog", "section", "summary", "quiz", "drill")
REQUESTS = int(os.environ.get("REQUESTS", "300"))


def out(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def environ_for(text: str) -> dict:
    method, path, body, *pairs = text.rstrip("\n").split("\t")
    body = "" if body == "-" else body
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body.encode()),
        "CONTENT_LENGTH": str(len(body)),
    }
    for name, value in zip(pairs[::2], pairs[1::2], strict=True):
        key = name.upper().replace("-", "_")
        if key == "CONTENT_TYPE":
            environ["CONTENT_TYPE"] = value
        else:
            environ[f"HTTP_{key}"] = value
    return environ


def setup() -> Path:
    """Django against a fresh database with the course files loaded, and the prepared
    requests of one connection in ``<work>/req``; returns ``work``."""
    work = Path(tempfile.mkdtemp(prefix="lectern-cpu-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_DEBUG="0",
        DJANGO_INSECURE_HTTP="1",
        SECRET_KEY="request-cpu-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        STATIC_ROOT=str(work / "static"),
    )
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{work / 'db.sqlite3'}")
    if os.environ["DATABASE_URL"].startswith("postgres"):
        from bench.http import pg_recreate

        pg_recreate(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    call_command("loadcourse", *sorted(str(p) for p in ROOT.glob("fixtures/*.yaml")))
    from bench import http_prepare

    http_prepare.main([str(work / "req"), "1", "1", str(REQUESTS + 20)])
    return work


def main(argv: list[str]) -> int:
    pages = argv or list(PAGES)
    work = setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    handler = WSGIHandler()
    statements: list[str] = []

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    def call(text: str) -> str:
        status = []
        chunks = handler(environ_for(text), lambda s, h, e=None: status.append(s))
        b"".join(chunks)
        getattr(chunks, "close", lambda: None)()
        return status[0]

    out(f"{'page':10} {'CPU p50 ms':>10} {'CPU mean':>9} {'stmts':>6}  status")
    for page in pages:
        lines = (work / "req" / f"{page}.0.0").read_text().splitlines(keepends=True)
        for text in lines[:20]:  # warm-up: caches, connection, template loader
            call(text)
        lines = lines[20:] or lines
        times = []
        statuses = set()
        profiler = None
        if os.environ.get("PROFILE"):
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0002)
            profiler.start()
        statements.clear()
        with connection.execute_wrapper(count):
            for index in range(REQUESTS):
                text = lines[index % len(lines)]
                start = time.process_time()
                statuses.add(call(text))
                times.append((time.process_time() - start) * 1000)
        if profiler:
            profiler.stop()
        out(
            f"{page:10} {statistics.median(times):10.2f} {statistics.mean(times):9.2f}"
            f" {len(statements) / REQUESTS:6.1f}  {', '.join(sorted(statuses))}"
        )
        if os.environ.get("SQL"):
            for sql in statements[-int(len(statements) / REQUESTS) :]:
                out(f"    {sql[:160]}")
        if profiler:
            out(
                profiler.output_text(
                    unicode=False,
                    color=False,
                    show_all=bool(os.environ.get("PROFILE_ALL")),
                )
            )
    cleanup(work)
    return 0


def cleanup(work: Path) -> None:
    """Drop what setup() made: the temporary directory, and a PostgreSQL database."""
    from django.db import connections

    connections.close_all()
    if os.environ["DATABASE_URL"].startswith("postgres"):
        from bench.http import pg_drop

        pg_drop(os.environ["DATABASE_URL"])
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
