"""Prepared requests for the HTTP benchmark (bench/http.py), written as files for wrk.

Run by bench/http.py as ``python -m bench.http_prepare OUT THREADS RUNS POSTS`` with the
server's environment (DJANGO_SETTINGS_MODULE=bench.settings, DATABASE_URL, SECRET_KEY),
after the course files are loaded. It creates, straight in the database, returning
students: a session (cookie) and a CSRF secret each, open quiz attempts, drill cards and
signed drill tokens, and writes for every page, run and wrk thread (one connection each)
a file ``OUT/<page>.<run>.<thread>`` of requests, one a line: method, path, body, then
header name and value pairs, separated by tabs (bench/http.lua reads them).

Every quiz answer and drill review is a real first write: each run gets its own slice of
unanswered questions, and its own drill students whose every card is reviewed once with a
fresh token, so that a review's response shows the next card (POSTS per thread and run;
if wrk needs more it wraps around, which bench/http.py reports).
"""

from __future__ import annotations

import os
import random
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import django


def main(argv: list[str]) -> int:
    out, threads, runs, posts = Path(argv[0]), int(argv[1]), int(argv[2]), int(argv[3])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction
    from django.middleware.csrf import _get_new_csrf_string
    from django.urls import reverse
    from django.utils import timezone

    from courses.learners import SESSION_KEY
    from courses.models import Learner, SectionProgress
    from lessons.models import Section
    from quizzes import attempts, drills
    from quizzes.models import (
        AttemptQuestion,
        DrillSettings,
        Question,
        Quiz,
        ReviewCard,
    )

    rng = random.Random(7)
    out.mkdir(parents=True, exist_ok=True)
    section = (
        Section.objects.filter(status=Section.Status.PUBLISHED)
        .select_related("course")
        .order_by("course__slug", "chapter__number", "position")
        .first()
    )
    if section is None:
        raise SystemExit("no published section: load the course files first")
    section_url = section.get_absolute_url()
    quizzes = list(Quiz.objects.filter(section__course=section.course))
    section_ids = list(
        Section.objects.filter(course=section.course).values_list("pk", flat=True)
    )

    def student() -> tuple[Learner, str, str]:
        learner = Learner.objects.create()
        session = SessionStore()
        session[SESSION_KEY] = learner.pk
        session.create()
        csrf = _get_new_csrf_string()
        cookie = (
            f"{settings.SESSION_COOKIE_NAME}={session.session_key}; "
            f"{settings.CSRF_COOKIE_NAME}={csrf}"
        )
        return learner, cookie, csrf

    def line(method: str, path: str, body: str = "", **headers: str) -> str:
        pairs = [part for item in headers.items() for part in item]
        return "\t".join([method, path, body or "-", *pairs]) + "\n"

    def post_headers(cookie: str, csrf: str, target: str) -> dict[str, str]:
        return {
            "Cookie": cookie,
            "X-CSRFToken": csrf,
            "HX-Request": "true",
            "HX-Target": target,
            "Content-Type": "application/x-www-form-urlencoded",
        }

    def answer(item: AttemptQuestion) -> dict[str, str] | None:
        kind = item.question.kind
        first = item.choice_order[0] if item.choice_order else None
        if kind in {Question.Kind.SINGLE_CHOICE, Question.Kind.TRUE_FALSE}:
            return {"item": item.pk, "choice": rng.choice(item.choice_order)}
        if kind == Question.Kind.MULTIPLE_CHOICE:
            return {"item": item.pk, "choices": first}
        if kind == Question.Kind.SHORT_ANSWER:
            return {"item": item.pk, "text": "a foundation model"}
        if kind == Question.Kind.NUMERIC:
            return {"item": item.pk, "text": "42"}
        return None  # ordering and matching: not in the mix

    with transaction.atomic():
        # GET pages: one returning student per connection.
        for thread in range(threads):
            _learner, cookie, _csrf = student()
            gets = {
                "hello": line("GET", "/bench/hello/"),
                "catalog": line("GET", "/", Cookie=cookie),
                "section": line("GET", section_url, Cookie=cookie),
                "summary": line(
                    "GET",
                    section_url + "?level=medium",
                    Cookie=cookie,
                    **{"HX-Request": "true", "HX-Target": "summary-panel"},
                ),
            }
            for run in range(runs):
                for page, text in gets.items():
                    (out / f"{page}.{run}.{thread}").write_text(text)

        # Quiz answers: students with every quiz open, each question answered once.
        for thread in range(threads):
            for run in range(runs):
                lines: list[str] = []
                while len(lines) < posts:
                    learner, cookie, csrf = student()
                    for quiz in quizzes:
                        attempt = attempts.attempt_open(learner=learner, quiz=quiz)
                        path = reverse(
                            "quizzes:check",
                            args=[quiz.section.course.slug, quiz.section.number],
                        )
                        items = AttemptQuestion.objects.filter(
                            attempt=attempt
                        ).select_related("question")
                        for item in items:
                            data = answer(item)
                            if data is not None:
                                lines.append(
                                    line(
                                        "POST",
                                        path,
                                        urlencode(data),
                                        **post_headers(cookie, csrf, "question-answer"),
                                    )
                                )
                (out / f"quiz.{run}.{thread}").write_text("".join(lines[:posts]))

        # Drill reviews: for every connection and run, students whose drill holds
        # the course's cards, each card reviewed once with a fresh token (a new
        # showing), so that nearly every response shows the next card, as a student's
        # does; a student's last review shows the end of the queue.
        review_path = reverse("drill:review")
        shown = timezone.now() - timedelta(seconds=5)
        opened = timezone.now() - timedelta(days=1)

        def drill_student() -> tuple[list[ReviewCard], str, str]:
            learner, cookie, csrf = student()
            # The course's sections opened: their cards join the drill, all new today.
            SectionProgress.objects.bulk_create(
                SectionProgress(
                    learner=learner,
                    section_id=pk,
                    first_opened_at=opened,
                    last_opened_at=opened,
                )
                for pk in section_ids
            )
            DrillSettings.objects.create(
                learner=learner, new_per_day=500, reviews_per_day=2000
            )
            drills.cards_ensure(learner=learner, section_ids=section_ids)
            cards = list(ReviewCard.objects.filter(learner=learner).order_by("pk"))
            rng.shuffle(cards)
            return cards, cookie, csrf

        for thread in range(threads):
            for run in range(runs):
                lines = []
                while len(lines) < posts:
                    cards, cookie, csrf = drill_student()
                    for card in cards:
                        token = drills.card_token(card, shown_at=shown)
                        rating = rng.choices([1, 2, 3, 4], weights=[10, 15, 65, 10])[0]
                        lines.append(
                            line(
                                "POST",
                                review_path,
                                urlencode({"token": token, "rating": rating}),
                                **post_headers(cookie, csrf, "drill-card"),
                            )
                        )
                (out / f"drill.{run}.{thread}").write_text("".join(lines[:posts]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
