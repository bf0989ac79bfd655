"""Two app servers, one PostgreSQL, one Redis: nothing lives in an app server.

Two gunicorn processes run the production settings (debug off; plain HTTP through the
tests-only ``DJANGO_INSECURE_HTTP=1``) on two ports against one database and one Redis
database. One client (one cookie jar) alternates between them: a student's session,
section progress and quiz answer made through one are there through the other, and an
instructor's edit saved in the admin of one is seen through the other at once, even
though the other had just served (and cached) the section.

Needs PostgreSQL and Redis: ``TWO_SERVERS_DATABASE_URL`` (dropped and re-created) and
``TWO_SERVERS_REDIS_URL`` (flushed). Skipped with the reason when either is unreachable,
except under ``CI=true``, where that fails.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.lessons import course_files

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get(
    "TWO_SERVERS_DATABASE_URL",
    "postgres://postgres@127.0.0.1:5432/lectern_two_servers",
)
REDIS_URL = os.environ.get("TWO_SERVERS_REDIS_URL", "redis://127.0.0.1:6379/3")
SECTION = f"/courses/{course_files.COURSE_SLUG}/15.1/"


def unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI=true requires the two-server test to run")
    pytest.skip(reason)


# ------------------------------------------------------------------ infrastructure
def recreate_database() -> None:
    import psycopg

    parts = urllib.parse.urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    maintenance = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    try:
        connection = psycopg.connect(maintenance, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        unavailable(f"PostgreSQL unreachable at {maintenance}: {error}")
    with connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database() -> None:
    import psycopg

    parts = urllib.parse.urlsplit(DATABASE_URL)
    maintenance = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True, connect_timeout=3) as connection:
        connection.execute(
            f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)'
        )


def flush_redis() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).flushdb()
    except redis.exceptions.ConnectionError as error:
        unavailable(f"Redis unreachable at {REDIS_URL}: {error}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Servers:
    urls: tuple[str, str]
    editor: tuple[str, str]  # username, password of a staff account
    logs: tuple[Path, Path]

    def client(self) -> Client:
        return Client(logs=self.logs)


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    recreate_database()
    flush_redis()
    tmp = tmp_path_factory.mktemp("two-servers")
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DJANGO_DEBUG": "0",
        "DJANGO_INSECURE_HTTP": "1",  # plain HTTP: no redirect, cookies not Secure
        "SECRET_KEY": secrets.token_urlsafe(50),  # one key, shared like in production
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "STATIC_ROOT": str(tmp / "static"),
        "PYTHONUNBUFFERED": "1",
    }
    password = secrets.token_urlsafe(16)

    def manage(*args: str, **extra: str) -> None:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**env, **extra},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, f"manage.py {args[0]}:\n{result.stderr[-3000:]}"

    manage("migrate", "--no-input")
    manage("collectstatic", "--no-input")
    manage("loadcourse", str(course_files.write(tmp, course_files.course_text())))
    manage(
        "createsuperuser",
        "--no-input",
        "--username=editor",
        "--email=editor@example.org",
        DJANGO_SUPERUSER_PASSWORD=password,
    )

    processes, urls = [], []
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    assert gunicorn, "gunicorn is not installed next to this Python"
    with contextlib.ExitStack() as stack:
        stack.callback(drop_database)
        stack.callback(stop, processes)
        for n in (1, 2):
            port = free_port()
            log = stack.enter_context((tmp / f"server{n}.log").open("w"))
            processes.append(
                subprocess.Popen(
                    [
                        gunicorn,
                        "config.wsgi",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        "2",
                        # gunicorn 27's control socket has one default path per user.
                        "--no-control-socket",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
            urls.append(f"http://127.0.0.1:{port}")
        for url, process in zip(urls, processes, strict=True):
            wait_until_up(url, process)
        yield Servers(
            urls=(urls[0], urls[1]),
            editor=("editor", password),
            logs=(tmp / "server1.log", tmp / "server2.log"),
        )


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_until_up(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the server for {url} exited"
        try:
            with urllib.request.urlopen(url + "/", timeout=10) as response:
                if response.status == 200:
                    return
        except OSError:  # refused while binding, timed out while a worker boots
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within 90 s")


# ------------------------------------------------------------------ a tiny browser
class FormParser(HTMLParser):
    """The fields of every <form> as a browser would submit them (successful controls)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._textarea: tuple[str, list[str]] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(
                {"action": a.get("action", ""), "fields": [], "id": a.get("id", "")}
            )
        if not self.forms or "disabled" in a:
            return
        fields = self.forms[-1]["fields"]
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    fields.append((a["name"], a.get("value", "on")))
                self.forms[-1].setdefault("options", []).append(
                    (a["name"], a.get("value", "on"))
                )
            elif kind not in {"submit", "button", "image", "reset", "file"}:
                fields.append((a["name"], a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self._textarea = (a["name"], [])
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            fields.append((self._select, a.get("value", "")))

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._textarea[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea:
            name, text = self._textarea
            # Browsers drop the newline that follows <textarea>.
            self.forms[-1]["fields"].append((name, "".join(text).removeprefix("\n")))
            self._textarea = None
        elif tag == "select":
            self._select = None


def forms_of(html: str) -> list[dict]:
    parser = FormParser()
    parser.feed(html)
    return parser.forms


class Client:
    """One user agent (one cookie jar) that can talk to either server."""

    def __init__(self, logs: tuple[Path, ...] = ()) -> None:
        self.logs = logs
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, url: str) -> str:
        return self._open(url)

    def post(self, url: str, fields: list[tuple[str, str]]) -> str:
        return self._open(url, urllib.parse.urlencode(fields).encode())

    def _open(self, url: str, data: bytes | None = None) -> str:
        try:
            with self.opener.open(url, data=data, timeout=30) as response:
                return response.read().decode()
        except urllib.error.HTTPError as error:
            # The servers' logs hold the traceback of a 500.
            logs = "\n".join(
                f"--- {log}\n{log.read_text()[-3000:]}" for log in self.logs
            )
            method = "POST" if data else "GET"
            raise AssertionError(f"{method} {url}: {error.code}\n{logs}") from error

    def submit(
        self, base: str, page: str, *, action: str, values: dict[str, str] | None = None
    ) -> str:
        """GET ``page`` from ``base``, fill in the form posting to ``action``, submit it."""
        html = self.get(base + page)
        form = next((f for f in forms_of(html) if f["action"].startswith(action)), None)
        assert form, f"no form posting to {action} on {page}"
        fields = [(k, v) for k, v in form["fields"] if k not in (values or {})]
        fields += list((values or {}).items())
        return self.post(base + urllib.parse.urljoin(page, form["action"]), fields)


# ------------------------------------------------------------------ the tests
def answered_count(html: str) -> int:
    match = re.search(r"(\d+) of \d+ answered", html)
    assert match, "the quiz page shows no answered count"
    return int(match.group(1))


def test_a_students_session_progress_and_answers_carry_across(servers: Servers):
    one, two = servers.urls
    student = servers.client()
    username = f"student-{secrets.token_hex(4)}"
    password = secrets.token_urlsafe(16)

    # Sign up (and so log in) through server 1; server 2 knows the session.
    student.submit(
        one,
        "/accounts/signup/",
        action="/accounts/signup/",
        values={"username": username, "password1": password, "password2": password},
    )
    assert username in student.get(two + "/dashboard/")

    # Mark the section done through server 2; server 1 shows it done.
    assert "Not done yet" in student.get(one + SECTION)
    student.submit(two, SECTION, action=f"{SECTION}done/")
    assert "you marked this section done" in student.get(one + SECTION)

    # Answer the first question through server 1; server 2 shows it answered.
    quiz = SECTION + "quiz/"
    html = student.get(one + quiz + "?q=1")
    assert answered_count(html) == 0
    form = next(f for f in forms_of(html) if f["action"].endswith("/quiz/check/"))
    choice = next(value for name, value in form.get("options", []) if name == "choice")
    student.post(one + form["action"], [*form["fields"], ("choice", choice)])
    html = student.get(two + quiz + "?q=1")
    assert answered_count(html) == 1
    assert not any(f["action"].endswith("/quiz/check/") for f in forms_of(html))


def test_an_edit_through_one_server_is_seen_through_the_other_at_once(
    servers: Servers,
):
    one, two = servers.urls
    reader = servers.client()
    # Both servers serve (and may cache) the section before the edit.
    before = reader.get(two + SECTION)
    reader.get(one + SECTION)
    new_text = f"Revised summary {secrets.token_hex(6)}"
    assert new_text not in before

    editor = servers.client()
    username, password = servers.editor
    editor.submit(
        one,
        "/admin/login/?next=/admin/",
        action="/admin/login/",
        values={"username": username, "password": password},
    )
    changelist = editor.get(one + "/admin/lessons/section/")
    section_url = re.search(
        r'href="(/admin/lessons/section/\d+/change/)[^"]*"', changelist
    )
    assert section_url, "no section in the admin"
    change_page = section_url.group(1)
    form = next(
        f for f in forms_of(editor.get(one + change_page)) if f["id"].endswith("_form")
    )
    # The basic summary, wherever the admin puts it: the field holding its text.
    old = "A **basic** summary."
    fields = [(k, new_text if v.strip() == old else v) for k, v in form["fields"]]
    assert fields != form["fields"], "the basic summary is not on the change form"
    response = editor.post(one + change_page, [*fields, ("_save", "Save")])
    assert "errornote" not in response, response[:3000]

    assert new_text in reader.get(two + SECTION)
    assert new_text in reader.get(one + SECTION)
