"""Load and fault test: simulated students against gunicorn, then the database is checked
against what the students saw acknowledged.

``make loadtest`` runs ``python -m bench.loadtest``. For SQLite and then PostgreSQL, and
each first without faults and then with one gunicorn worker killed (SIGKILL) every
``KILL_EVERY`` seconds, it makes a fresh database with the course files loaded, starts
gunicorn with production settings (bench/settings.py) and runs ``STUDENTS`` threads for
``SECONDS``. Each student is a browser with htmx's headers: it opens the catalog and two
sections, then takes a whole practice quiz (every question answered, then Finish) and does
rounds of ``REVIEWS`` drill reviews (Show answer, or answer the question, then a rating),
one answer and one review in turn so that both go on however slow the machine, and
starts over with other sections when the quiz is finished, until the time is up. About
one POST in six is sent twice, in turn or at the same moment from two threads (a double click). A
request that fails (connection reset by a killed worker, a 5xx) is retried, the same
request with the same item or token, up to five times.

Afterwards a child process reads the database: every quiz answer and drill review a
student saw acknowledged (a 200 with the feedback, or with the next card) must be there
exactly once, and there must be nothing the students did not send. 5xx answers are
counted; with faults, connection errors are expected and only the writes are judged.

Environment (defaults in brackets): ``LOADTEST_STUDENTS`` [50], ``LOADTEST_SECONDS``
[60], ``LOADTEST_REVIEWS`` [20], ``LOADTEST_KILL_EVERY`` [10], ``LOADTEST_WORKERS`` [3],
``LOADTEST_DBS`` [sqlite,postgres], ``LOADTEST_MODES`` [steady,kill],
``LOADTEST_PG_URL`` [postgres://postgres@127.0.0.1:5432/helper_bench_http] (dropped and
re-created), ``LOADTEST_PORT`` [8766], ``LOADTEST_DOC`` [1 at full size]: write
docs/reliability.md. A quick run: ``LOADTEST_STUDENTS=5 LOADTEST_SECONDS=10 make loadtest``.
"""

from __future__ import annotations

import hashlib
import html
import http.client
import json
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

from bench.http import (
    PYTHON,
    ROOT,
    Server,
    loadavg,
    machine,
    manage,
    pg_drop,
    pg_recreate,
    server_env,
)

DOC = ROOT / "docs" / "reliability.md"
COURSE = "advanced-machine-learning"
RETRIES = 5


def out(text: str = "") -> None:
    print(text, flush=True)  # noqa: T201  (a command-line tool)


@dataclass
class Config:
    students: int
    seconds: int
    reviews: int
    kill_every: int
    workers: int
    dbs: list[str]
    modes: list[str]
    pg_url: str
    port: int
    doc: bool

    @classmethod
    def from_env(cls) -> Config:
        env = os.environ
        students = int(env.get("LOADTEST_STUDENTS", "50"))
        seconds = int(env.get("LOADTEST_SECONDS", "60"))
        full = students >= 50 and seconds >= 60
        return cls(
            students=students,
            seconds=seconds,
            reviews=int(env.get("LOADTEST_REVIEWS", "20")),
            kill_every=int(env.get("LOADTEST_KILL_EVERY", "10")),
            workers=int(env.get("LOADTEST_WORKERS", "3")),
            dbs=[d for d in env.get("LOADTEST_DBS", "sqlite,postgres").split(",") if d],
            modes=[m for m in env.get("LOADTEST_MODES", "steady,kill").split(",") if m],
            pg_url=env.get(
                "LOADTEST_PG_URL",
                "postgres://postgres@127.0.0.1:5432/helper_bench_http",
            ),
            port=int(env.get("LOADTEST_PORT", "8766")),
            doc=env.get("LOADTEST_DOC", "1" if full else "0") == "1",
        )


# ---------------------------------------------------------------- the students


@dataclass
class Tally:
    """What the students did and saw, shared by all of them (under a lock)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: int = 0
    status: Counter = field(default_factory=Counter)
    connection_errors: int = 0
    retries: int = 0
    doubles: int = 0
    items_sent: set = field(default_factory=set)
    items_acked: set = field(default_factory=set)
    tokens_sent: set = field(default_factory=set)
    tokens_acked: set = field(default_factory=set)
    quizzes_finished: int = 0
    drill_rounds: int = 0
    pages: int = 0
    failures: list = field(default_factory=list)  # requests that never succeeded

    def count(self, status: int | None) -> None:
        with self.lock:
            self.requests += 1
            if status is None:
                self.connection_errors += 1
            else:
                self.status[status // 100 * 100] += 1


class Student:
    def __init__(self, port: int, tally: Tally, rng: random.Random) -> None:
        self.port = port
        self.tally = tally
        self.rng = rng
        self.cookies: dict[str, str] = {}

    # -- HTTP

    def _once(
        self, method: str, path: str, data: dict | None, headers: dict
    ) -> tuple[int | None, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        all_headers = dict(headers)
        if self.cookies:
            all_headers["Cookie"] = "; ".join(
                f"{k}={v}" for k, v in self.cookies.items()
            )
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
            all_headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        try:
            connection.request(method, path, body=body, headers=all_headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            status = response.status
        except (OSError, http.client.HTTPException):
            status, text = None, ""
        finally:
            connection.close()
        self.tally.count(status)
        return status, text

    def request(
        self,
        method: str,
        path: str,
        data: dict | None = None,
        *,
        htmx_target: str | None = None,
    ) -> tuple[int | None, str]:
        """Send, and send again while the answer is a connection error or a 5xx."""
        headers = (
            {"HX-Request": "true", "HX-Target": htmx_target} if htmx_target else {}
        )
        for attempt in range(RETRIES + 1):
            status, text = self._once(method, path, data, headers)
            if status is not None and status < 500:
                return status, text
            if attempt < RETRIES:
                with self.tally.lock:
                    self.tally.retries += 1
                time.sleep(0.2 * (attempt + 1))
        with self.tally.lock:
            self.tally.failures.append((method, path, status))
        return status, text

    def post(self, path: str, data: dict, target: str) -> tuple[int | None, str]:
        """A POST, sometimes doubled: again right after, or twice at the same moment."""
        roll = self.rng.random()
        if roll < 0.08:
            with self.tally.lock:
                self.tally.doubles += 1
            results: list = [None, None]

            def send(index: int) -> None:
                results[index] = self.request("POST", path, data, htmx_target=target)

            threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            ok = [r for r in results if r and r[0] == 200]
            return ok[0] if ok else results[0]
        first = self.request("POST", path, data, htmx_target=target)
        if roll < 0.16:
            with self.tally.lock:
                self.tally.doubles += 1
            second = self.request("POST", path, data, htmx_target=target)
            if first[0] != 200 and second[0] == 200:
                return second
        return first

    # -- pages

    def browse(self, sections: list[str]) -> None:
        self.request("GET", "/")
        for number in self.rng.sample(sections, k=min(2, len(sections))):
            status, _text = self.request("GET", f"/courses/{COURSE}/{number}/")
            if status == 200:
                with self.tally.lock:
                    self.tally.pages += 1

    def quiz(self, number: str) -> Iterator[None]:
        """A whole practice quiz: every question answered, then Finish; yields after
        each answer so that the student can take turns with the drill."""
        base = f"/courses/{COURSE}/{number}/quiz/"
        status, text = self.request("GET", base)
        if status != 200:
            return
        total = len(set(re.findall(r'hx-get="\?q=(\d+)"', text))) or 1
        for position in range(1, total + 1):
            status, text = self.request(
                "GET", f"{base}?q={position}", htmx_target="question-panel"
            )
            form = _form(text, "/check/")
            if status != 200 or form is None:
                continue  # answered already (a retried earlier answer), or no form
            data = _answer(form, self.rng)
            item = int(data["item"])
            with self.tally.lock:
                self.tally.items_sent.add(item)
            status, text = self.post(f"{base}check/", data, "question-answer")
            if status == 200 and 'id="question-feedback"' in text:
                with self.tally.lock:
                    self.tally.items_acked.add(item)
            yield
        status, text = self.request("GET", base)
        attempt = re.search(r'name="attempt" value="(\d+)"', text)
        if attempt:
            status, _ = self.request("POST", f"{base}finish/", {"attempt": attempt[1]})
            if status in {200, 302}:
                with self.tally.lock:
                    self.tally.quizzes_finished += 1

    def drill(self, reviews: int) -> Iterator[None]:
        """``reviews`` drill reviews (fewer if nothing is due); yields after each."""
        status, text = self.request("GET", "/drill/")
        done = 0
        while status == 200 and done < reviews:
            show = re.search(r'id="show-answer"[^>]*hx-get="([^"]+)"', text)
            check = _form(text, "/drill/check/")
            rate = _form(text, "/drill/review/")
            if rate is not None:
                token = rate["token"][0][1]
                with self.tally.lock:
                    self.tally.tokens_sent.add(token)
                rating = self.rng.choices([1, 2, 3, 4], weights=[10, 15, 65, 10])[0]
                status, text = self.post(
                    "/drill/review/", {"token": token, "rating": rating}, "drill-card"
                )
                if status == 200 and 'id="drill-card"' in text:
                    with self.tally.lock:
                        self.tally.tokens_acked.add(token)
                    done += 1
                yield
            elif check is not None:
                status, text = self.post(
                    "/drill/check/", _answer(check, self.rng), "drill-card"
                )
            elif show is not None:
                status, text = self.request(
                    "GET", "/drill/" + html.unescape(show[1]), htmx_target="drill-card"
                )
            else:
                return  # nothing due
        with self.tally.lock:
            self.tally.drill_rounds += done == reviews

    def run(
        self,
        deadline: float,
        sections: list[str],
        quiz_sections: list[str],
        reviews: int,
    ) -> None:
        """Open sections, then a quiz and a drill round taking turns (one answer, one
        review, ...); a finished quiz or round starts the next with more sections."""
        self.browse(sections)
        quiz = self.quiz(self.rng.choice(quiz_sections))
        drill = self.drill(reviews)
        while time.monotonic() < deadline:
            if next(quiz, "done") == "done":
                self.browse(sections)
                quiz = self.quiz(self.rng.choice(quiz_sections))
            if time.monotonic() < deadline and next(drill, "done") == "done":
                drill = self.drill(reviews)


_FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S)


def _form(text: str, action_end: str) -> dict[str, list[str] | str] | None:
    """The named controls of the first form whose action ends with ``action_end``."""
    for match in _FORM.finditer(text):
        form = match[0]
        action = re.search(r'action="([^"]*)"', form)
        if not action or not action[1].endswith(action_end):
            continue
        controls: dict = {}
        for tag in re.findall(r"<(?:input|select)\b[^>]*>", form):
            name = re.search(r'name="([^"]+)"', tag)
            if not name or name[1] == "csrfmiddlewaretoken":
                continue
            value = re.search(r'value="([^"]*)"', tag)
            kind = re.search(r'type="([^"]+)"', tag)
            controls.setdefault(name[1], []).append(
                (
                    kind[1] if kind else "select",
                    html.unescape(value[1]) if value else "",
                )
            )
        # Options of each select, for ordering and matching questions.
        for select, body in re.findall(
            r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S
        ):
            controls[select] = [
                ("option", v) for v in re.findall(r'value="([^"]*)"', body)
            ]
        return controls
    return None


def _answer(form: dict, rng: random.Random) -> dict:
    """Fill a question's form as a student might: any choice, some text, an order."""
    data: dict = {}
    places = [name for name in form if name.startswith("place-")]
    for name, controls in form.items():
        kinds = {kind for kind, _value in controls}
        values = [value for _kind, value in controls]
        if kinds == {"hidden"}:
            data[name] = values[0]
        elif kinds & {"radio", "checkbox"}:
            data[name] = rng.choice(values)
        elif kinds == {"text"}:
            data[name] = rng.choice(["42", "a foundation model", "transfer learning"])
        elif name.startswith("match-"):
            data[name] = rng.choice([v for v in values if v] or [""])
    order = list(range(1, len(places) + 1))
    rng.shuffle(order)
    for name, place in zip(places, order, strict=True):
        data[name] = str(place)
    return data


# ---------------------------------------------------------------- a run


def killer(
    server: Server, every: int, stop: threading.Event, killed: list[int]
) -> None:
    """SIGKILL one of this run's gunicorn workers (children of its master) every ``every`` s."""
    while not stop.wait(every):
        children = subprocess.run(
            ["ps", "--ppid", str(server.process.pid), "-o", "pid="],
            capture_output=True,
            text=True,
        ).stdout.split()
        if children:
            pid = int(random.choice(children))
            try:
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
            except ProcessLookupError:
                pass


def one_run(config: Config, db: str, mode: str, work: Path) -> dict:
    secret = secrets.token_urlsafe(50)
    if db == "sqlite":
        db_url = f"sqlite:///{work / f'loadtest-{mode}.sqlite3'}"
    else:
        pg_recreate(config.pg_url)
        db_url = config.pg_url
    env = server_env(db_url, work / "static", secret, "")
    manage(env, "migrate", "--no-input")
    manage(
        env, "loadcourse", *sorted(str(p) for p in (ROOT / "fixtures").glob("*.yaml"))
    )
    manage(env, "collectstatic", "--no-input", "--verbosity", "0")
    sections = json.loads(
        subprocess.run(
            [PYTHON, "-m", "bench.loadtest", "--sections"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    tally = Tally()
    server = Server(
        env, config.port, config.workers, work / f"gunicorn-{db}-{mode}.log"
    )
    killed: list[int] = []
    stop = threading.Event()
    loads = [loadavg()]
    started = time.monotonic()
    deadline = started + config.seconds
    try:
        if mode == "kill":
            threading.Thread(
                target=killer,
                args=(server, config.kill_every, stop, killed),
                daemon=True,
            ).start()
        students = [
            threading.Thread(
                target=Student(config.port, tally, random.Random(i)).run,
                args=(deadline, sections["all"], sections["quiz"], config.reviews),
            )
            for i in range(config.students)
        ]
        for thread in students:
            thread.start()
        while any(t.is_alive() for t in students):
            time.sleep(1)
            loads.append(loadavg())
        stop.set()
        elapsed = time.monotonic() - started
    finally:
        stop.set()
        server.stop()
    sent = {
        "items_sent": sorted(tally.items_sent),
        "items_acked": sorted(tally.items_acked),
        "tokens_sent": sorted(tally.tokens_sent),
        "tokens_acked": sorted(tally.tokens_acked),
    }
    sent_file = work / f"sent-{db}-{mode}.json"
    sent_file.write_text(json.dumps(sent))
    check = json.loads(
        subprocess.run(
            [PYTHON, "-m", "bench.loadtest", "--check", str(sent_file)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    log = (work / f"gunicorn-{db}-{mode}.log").read_text()
    if db == "postgres":
        pg_drop(config.pg_url)
    return {
        "db": db,
        "mode": mode,
        "elapsed": elapsed,
        "requests": tally.requests,
        "status": dict(tally.status),
        "connection_errors": tally.connection_errors,
        "retries": tally.retries,
        "doubles": tally.doubles,
        "failures": len(tally.failures),
        "pages": tally.pages,
        "quizzes_finished": tally.quizzes_finished,
        "drill_rounds": tally.drill_rounds,
        "answers_sent": len(tally.items_sent),
        "answers_acked": len(tally.items_acked),
        "reviews_sent": len(tally.tokens_sent),
        "reviews_acked": len(tally.tokens_acked),
        "killed": len(killed),
        "tracebacks": log.count("Traceback"),
        "load": [min(loads), max(loads)],
        **check,
    }


def verdict(result: dict) -> tuple[bool, list[str]]:
    problems = []
    if result["answers_missing"] or result["reviews_missing"]:
        problems.append(
            f"acknowledged but missing: {result['answers_missing']} answers, "
            f"{result['reviews_missing']} reviews"
        )
    if result["answers_duplicated"] or result["reviews_duplicated"]:
        problems.append("counted twice")
    if result["answers_unsent"] or result["reviews_unsent"]:
        problems.append("rows no student sent")
    if result["mode"] == "steady":
        if result["status"].get(500, 0):
            problems.append("server errors")
        if result["answers_unacked"] or result["reviews_unacked"]:
            problems.append("rows the students never saw acknowledged")
        if result["connection_errors"]:
            problems.append("connection errors")
    return not problems, problems


# ---------------------------------------------------------------- child modes (Django)


def child_sections() -> int:
    import django

    django.setup()
    from lessons.models import Section

    rows = list(
        Section.objects.filter(
            status=Section.Status.PUBLISHED, course__slug=COURSE
        ).values_list("number", "quiz__id")
    )
    print(  # noqa: T201
        json.dumps(
            {
                "all": [number for number, _quiz in rows],
                "quiz": [number for number, quiz in rows if quiz],
            }
        )
    )
    return 0


def child_check(path: str) -> int:
    """Compare the database with what the students sent and saw acknowledged."""
    import django

    django.setup()
    from django.db.models import Count

    from quizzes.models import Answer, AttemptQuestion, ReviewLog

    sent = json.loads(Path(path).read_text())
    items = {
        row["pk"]: (row["attempt_id"], row["question_id"])
        for row in AttemptQuestion.objects.filter(pk__in=sent["items_sent"]).values(
            "pk", "attempt_id", "question_id"
        )
    }
    answers = Counter(Answer.objects.values_list("attempt_id", "question_id"))
    acked_keys = {items[i] for i in sent["items_acked"] if i in items}
    sent_keys = {items[i] for i in sent["items_sent"] if i in items}
    digest = {hashlib.sha256(t.encode()).hexdigest(): t for t in sent["tokens_sent"]}
    acked_digests = {
        hashlib.sha256(t.encode()).hexdigest() for t in sent["tokens_acked"]
    }
    logs = Counter(ReviewLog.objects.exclude(token="").values_list("token", flat=True))
    per_token = (
        ReviewLog.objects.values("token").annotate(n=Count("pk")).filter(n__gt=1)
    )
    result = {
        "answers_in_db": sum(answers.values()),
        "answers_missing": sum(1 for key in acked_keys if answers[key] == 0),
        "answers_duplicated": sum(1 for n in answers.values() if n > 1),
        "answers_unsent": sum(1 for key in answers if key not in sent_keys),
        "answers_unacked": sum(
            1 for key in answers if key in sent_keys and key not in acked_keys
        ),
        "reviews_in_db": sum(logs.values()),
        "reviews_missing": sum(1 for d in acked_digests if logs[d] == 0),
        "reviews_duplicated": per_token.count(),
        "reviews_unsent": sum(1 for d in logs if d not in digest),
        "reviews_unacked": sum(
            1 for d in logs if d in digest and d not in acked_digests
        ),
    }
    print(json.dumps(result))  # noqa: T201
    return 0


# ---------------------------------------------------------------- report


def render_table(results: list[dict]) -> str:
    rows = [
        "| database | faults | requests | 2xx/3xx | 4xx | 5xx | connection errors (retried) "
        "| answers acknowledged / in the database | reviews acknowledged / in the database "
        "| quizzes finished | drill rounds done | lost | counted twice | not sent "
        "| doubles sent | verdict |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        status = {int(k): v for k, v in r["status"].items()}
        ok, problems = verdict(r)
        faults = (
            f"worker SIGKILLed every {r['kill_every']} s ({r['killed']} kills)"
            if r["mode"] == "kill"
            else "none"
        )
        rows.append(
            f"| {r['db']} | {faults} | {r['requests']:,} | "
            f"{status.get(200, 0) + status.get(300, 0):,} | {status.get(400, 0):,} | "
            f"{status.get(500, 0):,} | {r['connection_errors']:,} ({r['retries']:,} retries, "
            f"{r['failures']} gave up) | {r['answers_acked']:,} / {r['answers_in_db']:,} | "
            f"{r['reviews_acked']:,} / {r['reviews_in_db']:,} | "
            f"{r['quizzes_finished']} | {r['drill_rounds']} | "
            f"{r['answers_missing'] + r['reviews_missing']} | "
            f"{r['answers_duplicated'] + r['reviews_duplicated']} | "
            f"{r['answers_unsent'] + r['reviews_unsent']} | {r['doubles']:,} | "
            f"{'pass' if ok else '**FAIL**: ' + '; '.join(problems)} |"
        )
    return "\n".join(rows)


def render_doc(results: list[dict], config: Config) -> str:
    loads = [x for r in results for x in r["load"]]
    return "\n".join(
        [
            "# Reliability",
            "",
            "What happens to students' work under load and when app servers die, measured "
            "with `make loadtest` (bench/loadtest.py). This file is rewritten by it.",
            "",
            f"Last run: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC.",
            "",
            f"- Machine: {machine()}.",
            "- Command: `make loadtest` (`.venv/bin/python -m bench.loadtest`). A quick run: "
            "`LOADTEST_STUDENTS=5 LOADTEST_SECONDS=10 make loadtest` (it leaves this file "
            "alone unless `LOADTEST_DOC=1`).",
            f"- Server: gunicorn, {config.workers} sync workers, production settings "
            "(`bench/settings.py`, DEBUG off), on 127.0.0.1, a fresh database with "
            "`fixtures/*.yaml` loaded; SQLite as configured (WAL, `BEGIN IMMEDIATE`), "
            "PostgreSQL stock.",
            f"- Load: {config.students} simulated students (threads, stdlib `http.client`) "
            f"for {config.seconds} s. Each opens the catalog and two sections, then takes a "
            "whole practice quiz (every question, then Finish) while doing rounds of "
            f"{config.reviews} drill reviews, one answer and one review in turn; a finished "
            "quiz starts the next, with two more sections. About 8 % of the POSTs are sent twice in turn and 8 % "
            "twice at the same moment; a connection error or 5xx is retried with the same "
            f"item or token, up to {RETRIES} times.",
            f"- Faults: in the second run of each database one gunicorn worker is killed "
            f"with SIGKILL every {config.kill_every} s (the master starts a new one).",
            f"- Load average (1 min) during the runs: {min(loads):.1f}–{max(loads):.1f} "
            "(other sessions share this machine).",
            "",
            render_table(results),
            "",
            "`lost`: answers and reviews a student saw acknowledged (a 200 with the "
            "feedback, or with the next card) that are not in the database; `counted "
            "twice`: an answer or review stored more than once; `not sent`: rows no "
            "student sent. With faults a write can commit while its answer is lost with "
            "the worker: the retry then gets the first result back, and it is counted once.",
            "",
        ]
    )


def main(argv: list[str]) -> int:
    if argv[:1] == ["--sections"]:
        return child_sections()
    if argv[:1] == ["--check"]:
        return child_check(argv[1])
    config = Config.from_env()
    results = []
    with tempfile.TemporaryDirectory(prefix="lectern-loadtest-") as tmp:
        for db in config.dbs:
            for mode in config.modes:
                work = Path(tmp) / f"{db}-{mode}"
                work.mkdir()
                out(f"[{db}] {mode}: {config.students} students for {config.seconds} s")
                result = one_run(config, db, mode, work)
                result["kill_every"] = config.kill_every
                results.append(result)
                ok, problems = verdict(result)
                out(json.dumps(result))
                out(
                    f"[{db}] {mode}: {'pass' if ok else 'FAIL: ' + '; '.join(problems)}"
                )
    out()
    out(render_table(results))
    if config.doc:
        DOC.write_text(render_doc(results, config))
        out(f"\nwritten to {DOC.relative_to(ROOT)}")
    return 0 if all(verdict(r)[0] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
