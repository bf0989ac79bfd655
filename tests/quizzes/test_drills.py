from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courses.models import Learner
from quizzes import drills, scheduling
from quizzes.drill_views import RATING_INVALID
from quizzes.models import DrillSettings, ReviewCard, ReviewLog
from tests.courses.factories import UserFactory
from tests.lessons.factories import FlashcardFactory, MemoryAidFactory, SectionFactory
from tests.quizzes.factories import QuestionFactory, QuizFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def section():
    section = SectionFactory()
    FlashcardFactory.create_batch(3, section=section)
    QuestionFactory(
        quiz=QuizFactory(section=section), hints=["Think of the first one."]
    )
    return section


def open_section(client, section) -> Learner:
    client.get(section.get_absolute_url())
    return Learner.objects.latest("pk")


def token_in(html: str) -> str:
    match = re.search(r'name="token" value="([^"]+)"', html) or re.search(
        r"\?token=([^&\"]+)&amp;answer=1", html
    )
    assert match, "no card token in the page"
    from urllib.parse import unquote

    return unquote(match[1])


def test_opened_sections_become_cards_new_ones_up_to_the_daily_limit(client, section):
    learner = open_section(client, section)
    DrillSettings.objects.create(learner=learner, new_per_day=2)
    html = client.get(reverse("drill:drill")).content.decode()
    assert (
        ReviewCard.objects.filter(learner=learner).count() == 4
    )  # 3 flashcards + 1 question
    assert "0 due and 2 new for today" in html


def test_a_flashcard_review_by_forms_schedules_the_card_once(client, section):
    learner = open_section(client, section)
    html = client.get(reverse("drill:drill")).content.decode()
    token = token_in(html)
    assert "Show answer" in html
    answer = client.get(
        reverse("drill:drill"), {"token": token, "answer": "1"}
    ).content.decode()
    for label in ("Again", "Hard", "Good", "Easy"):
        assert f">{label}</button>" in answer
    assert re.search(r'id="interval-1">\d+ min<', answer)
    for _ in range(2):  # a double click posts the same token twice
        response = client.post(reverse("drill:review"), {"token": token, "rating": "3"})
        assert response.status_code == 302
    log = ReviewLog.objects.get()
    card = log.card
    assert card.learner == learner
    assert card.last_review == log.reviewed_at
    assert card.due > log.reviewed_at
    replayed = scheduling.card_replay(card, [log])
    assert replayed.due == card.due


@pytest.mark.parametrize("rating", ["0", "5", "good", ""])
def test_a_tampered_rating_is_refused_and_records_nothing(client, section, rating):
    open_section(client, section)
    token = token_in(client.get(reverse("drill:drill")).content.decode())
    response = client.post(reverse("drill:review"), {"token": token, "rating": rating})
    assert response.status_code == 400
    assert RATING_INVALID in response.content.decode()
    assert not ReviewLog.objects.exists()


def test_a_forged_or_foreign_token_is_refused(client, section):
    from django.test import Client

    other = Client()
    open_section(other, section)
    foreign = token_in(other.get(reverse("drill:drill")).content.decode())
    open_section(client, section)
    for token in (foreign, "forged-token", foreign[:-3] + "abc"):
        response = client.post(reverse("drill:review"), {"token": token, "rating": "3"})
        assert response.status_code == 400
    assert not ReviewLog.objects.exists()


def test_due_cards_come_first_most_overdue_first_then_new(client, section):
    learner = open_section(client, section)
    client.get(reverse("drill:drill"))
    now = timezone.now()
    cards = list(ReviewCard.objects.filter(flashcard__isnull=False).order_by("pk"))
    for card, days_overdue in zip(cards[:2], [1, 5], strict=True):
        card.last_review = now - timedelta(days=days_overdue + 3)
        card.due = now - timedelta(days=days_overdue)
        card.stability, card.difficulty, card.state = 3.0, 5.0, ReviewCard.State.REVIEW
        card.save()
    settings = drills.settings_for(learner)
    section_ids = drills.drill_section_ids(learner=learner, settings=settings)
    ordered = list(
        drills.queue(
            learner=learner, section_ids=section_ids, now=now, include_new=True
        )
    )
    assert ordered[:2] == [cards[1], cards[0]]
    assert all(card.last_review is None for card in ordered[2:])


def test_after_a_break_the_daily_cap_limits_reviews(client, section):
    learner = open_section(client, section)
    client.get(reverse("drill:drill"))
    DrillSettings.objects.filter(learner=learner).update(
        reviews_per_day=2, new_per_day=0
    )
    now = timezone.now()
    ReviewCard.objects.update(
        last_review=now - timedelta(days=40),
        due=now - timedelta(days=30),
        stability=2.0,
        difficulty=5.0,
        state=2,
    )
    html = client.get(reverse("drill:drill")).content.decode()
    assert "2 due and 0 new for today" in html
    assert "You have 4 cards due" in html


def test_a_question_card_is_graded_and_the_rating_suggested(client, section):
    open_section(client, section)
    DrillSettings.objects.filter(learner__isnull=False).update(new_per_day=20)
    card = ReviewCard.objects.none()
    client.get(reverse("drill:drill"))
    # Make the question the next card.
    now = timezone.now()
    ReviewCard.objects.filter(flashcard__isnull=False).update(
        due=now + timedelta(days=3), last_review=now, stability=3, difficulty=5, state=2
    )
    html = client.get(reverse("drill:drill")).content.decode()
    assert "Quiz question" in html
    token = token_in(html)
    card = ReviewCard.objects.get(question__isnull=False)
    wrong = card.question.choices.get(is_correct=False)
    feedback = client.post(
        reverse("drill:check"), {"token": token, "choice": wrong.pk}
    ).content.decode()
    assert "Not quite." in feedback
    assert re.search(
        r'value="1" data-key="1" class="button primary"', feedback
    )  # Again suggested
    rating_token = token_in(feedback)
    client.post(
        reverse("drill:review"),
        {"token": rating_token, "rating": "1", "correct": "true"},
    )  # a forged verdict is ignored
    log = ReviewLog.objects.get()
    assert (log.rating, log.correct, log.card_id) == (1, False, card.pk)


def test_a_right_answer_after_a_hint_suggests_hard(client, section):
    open_section(client, section)
    client.get(reverse("drill:drill"))
    now = timezone.now()
    ReviewCard.objects.filter(flashcard__isnull=False).update(
        due=now + timedelta(days=3), last_review=now, stability=3, difficulty=5, state=2
    )
    token = token_in(client.get(reverse("drill:drill")).content.decode())
    hinted = client.post(reverse("drill:hint"), {"token": token}).content.decode()
    assert "Hint 1 of 1: Think of the first one." in hinted
    card = ReviewCard.objects.get(question__isnull=False)
    right = card.question.choices.get(is_correct=True)
    feedback = client.post(
        reverse("drill:check"), {"token": token_in(hinted), "choice": right.pk}
    ).content.decode()
    assert "Right!" in feedback
    assert re.search(
        r'value="2" data-key="2" class="button primary"', feedback
    )  # Hard suggested


def test_again_on_a_flashcard_shows_its_memory_aids(client, section):
    open_section(client, section)
    html = client.get(reverse("drill:drill")).content.decode()
    token = token_in(html)
    card, _payload = drills.read_token(token, learner=Learner.objects.latest("pk"))
    MemoryAidFactory(
        section=section, title="A rhyme that helps", flashcards=[card.flashcard]
    )
    response = client.post(
        reverse("drill:review"),
        {"token": token, "rating": "1"},
        headers={"HX-Request": "true", "HX-Target": "drill-card"},
    )
    html = response.content.decode()
    assert "This might help you remember" in html
    assert "A rhyme that helps" in html
    assert "<html" not in html


def test_cram_never_changes_the_schedule(client, section):
    open_section(client, section)
    client.get(reverse("drill:drill"))
    before = list(
        ReviewCard.objects.values_list(
            "pk", "due", "last_review", "stability"
        ).order_by("pk")
    )
    for _ in range(5):
        html = client.get(reverse("drill:cram")).content.decode()
        assert "A random card" in html
        pk = re.search(r"\?card=(\d+)&amp;answer=1", html)[1]
        assert (
            "Answer"
            in client.get(
                reverse("drill:cram"), {"card": pk, "answer": "1"}
            ).content.decode()
        )
    assert (
        list(
            ReviewCard.objects.values_list(
                "pk", "due", "last_review", "stability"
            ).order_by("pk")
        )
        == before
    )
    assert not ReviewLog.objects.exists()


def test_settings_are_validated(client, section):
    learner = open_section(client, section)
    for data in (
        {"desired_retention": "0.5", "new_per_day": "20"},
        {"desired_retention": "0.9", "new_per_day": "-1"},
        {"desired_retention": "x", "new_per_day": "1"},
        {"desired_retention": "0.9", "new_per_day": "5", "sections": ["999999"]},
    ):
        assert client.post(reverse("drill:settings"), data).status_code == 400
    response = client.post(
        reverse("drill:settings"),
        {"desired_retention": "0.95", "new_per_day": "5", "sections": [section.pk]},
    )
    assert response.status_code == 302
    settings = DrillSettings.objects.get(learner=learner)
    assert (
        settings.desired_retention,
        settings.new_per_day,
        list(settings.sections.all()),
    ) == (0.95, 5, [section])


def test_picking_the_next_card_and_reviewing_cost_few_queries(
    client, section, django_assert_num_queries, django_assert_max_num_queries
):
    learner = open_section(client, section)
    client.get(reverse("drill:drill"))
    settings = drills.settings_for(learner)
    section_ids = drills.drill_section_ids(learner=learner, settings=settings)
    now = timezone.now()
    with django_assert_num_queries(1):  # the learner's cards and today's logs
        counts = drills.queue_counts(
            learner=learner, settings=settings, section_ids=section_ids, now=now
        )
    with django_assert_num_queries(1) as picked:
        card = drills.next_card(
            learner=learner,
            settings=settings,
            section_ids=section_ids,
            now=now,
            counts=counts,
        )
    (pick,) = picked.captured_queries
    assert "JOIN" not in pick["sql"].split("(SELECT", 1)[1]  # the pick joins nothing
    with django_assert_num_queries(0):  # what the card page shows came with it
        assert (card.section.title, card.flashcard.front) == (
            section.title,
            card.flashcard.front,
        )
    # SAVEPOINT (the transaction, in the test's), SELECT … FOR UPDATE, INSERT log,
    # UPDATE card, INSERT … ON CONFLICT activity, RELEASE: one read, three writes. On
    # PostgreSQL the three writes are one statement (WITH … INSERT, UPDATE, INSERT).
    writes = (
        ["WITH"]
        if connection.vendor == "postgresql"
        else ["INSERT", "UPDATE", "INSERT"]
    )
    for rating in (3, 1):  # the day's first review (its activity row is new), another
        token = drills.card_token(card, shown_at=now)
        with django_assert_num_queries(3 + len(writes)) as recorded:
            _log, created = drills.review_record(
                learner=learner, token=token, rating=rating, now=now
            )
        assert created
        statements = [q["sql"].split()[0] for q in recorded.captured_queries]
        assert statements == ["SAVEPOINT", "SELECT", *writes, "RELEASE"]


def test_a_review_of_someone_elses_card_or_a_repeat_changes_nothing(client, section):
    learner = open_section(client, section)
    client.get(reverse("drill:drill"))
    other = Learner.objects.create()
    card = ReviewCard.objects.filter(learner=learner).first()
    token = drills.card_token(card, shown_at=timezone.now())
    with pytest.raises(drills.TokenInvalid):
        drills.review_record(
            learner=other,
            token=token,
            rating=3,
            now=timezone.now(),
        )
    first, created = drills.review_record(
        learner=learner, token=token, rating=3, now=timezone.now()
    )
    assert created
    card.refresh_from_db()
    state = (card.due, card.stability, card.last_review)
    again, created = drills.review_record(
        learner=learner, token=token, rating=1, now=timezone.now()
    )
    assert (again.pk, created) == (first.pk, False)
    card.refresh_from_db()
    assert (card.due, card.stability, card.last_review) == state
    assert ReviewLog.objects.get().learner_id == learner.pk


def test_new_cards_first_reviewed_today_count_against_the_daily_limit(client, section):
    learner = open_section(client, section)
    client.get(reverse("drill:drill"))
    DrillSettings.objects.filter(learner=learner).update(new_per_day=3)
    settings = drills.settings_for(learner)
    now = timezone.now()

    def counts():
        return drills.queue_counts(
            learner=learner, settings=settings, section_ids=[section.pk], now=now
        )

    assert (counts().new, counts().due) == (3, 0)
    first, second = ReviewCard.objects.filter(learner=learner).order_by("pk")[:2]
    for card in (first, first, second):  # the same card twice introduces it once
        drills.review_record(
            learner=learner,
            token=drills.card_token(card, shown_at=now),
            rating=1,
            now=now,
        )
    assert counts().new == 1  # 2 introduced of 3, 2 new cards left
    first.refresh_from_db()
    assert first.first_review == now
    # Reviewed before today: not introduced today.
    ReviewCard.objects.filter(pk=second.pk).update(first_review=now - timedelta(days=2))
    assert counts().new == 2


def test_editing_the_course_file_keeps_review_cards_and_logs_of_what_stays(tmp_path):
    from courses.models import Learner as LearnerModel
    from lessons.content import load_course_files
    from lessons.models import Flashcard
    from quizzes.models import Question
    from tests.lessons.course_files import course_text, replace_once, write

    text = course_text()
    load_course_files([write(tmp_path, text)])
    learner = LearnerModel.objects.create()
    kept = ReviewCard.objects.create(
        learner=learner, flashcard=Flashcard.objects.get(key="card-one")
    )
    question_card = ReviewCard.objects.create(
        learner=learner, question=Question.objects.get(key="q-single")
    )
    removed = ReviewCard.objects.create(
        learner=learner, flashcard=Flashcard.objects.get(key="card-three")
    )
    for index, card in enumerate((kept, question_card, removed)):
        ReviewLog.objects.create(
            card=card,
            rating=3,
            reviewed_at=timezone.now(),
            duration_ms=5,
            desired_retention=0.9,
            token=f"t{index}",
        )

    # card-one keeps its id but is reworded; card-three gets a new id, so it is a new card.
    edited = replace_once(
        text,
        "front: What is a foundation model?",
        "front: What is a foundation model, in a line?",
    )
    edited = edited.replace("id: card-three", "id: card-three-renamed")
    load_course_files([write(tmp_path, edited, "edited.yaml")])

    assert set(ReviewCard.objects.values_list("pk", flat=True)) == {
        kept.pk,
        question_card.pk,
    }
    assert ReviewLog.objects.filter(card__in=[kept, question_card]).count() == 2
    reworded = ReviewCard.objects.get(pk=kept.pk).flashcard
    assert reworded.front == "What is a foundation model, in a line?"


def test_flashcards_download_as_csv_and_anki_from_the_section_and_the_drill(
    client, section
):
    import csv
    import io
    import zipfile

    open_section(client, section)
    base = section.get_absolute_url()
    response = client.get(f"{base}flashcards.csv")
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["id"] for row in rows] == list(
        section.flashcards.values_list("key", flat=True)
    )
    package = client.get(f"{base}flashcards.apkg")
    assert "collection.anki2" in zipfile.ZipFile(io.BytesIO(package.content)).namelist()
    drill_csv = client.get(reverse("drill:export", args=["csv"])).content.decode(
        "utf-8-sig"
    )
    assert len(list(csv.DictReader(io.StringIO(drill_csv)))) == 3
    assert client.get(f"{base}flashcards.pdf").status_code == 404
    html = client.get(base).content.decode()
    assert f"{base}flashcards.apkg" in html


def test_replaying_every_learners_log_reproduces_every_stored_card(section):
    """Reviews recorded through the drill, for several learners and days, then replayed."""
    import random as stdlib_random

    from courses.models import SectionProgress

    rng = stdlib_random.Random(7)
    start = timezone.now() - timedelta(days=60)
    for _ in range(3):
        learner = Learner.objects.create()
        SectionProgress.objects.create(
            learner=learner,
            section=section,
            first_opened_at=start,
            last_opened_at=start,
        )
        settings = drills.settings_for(learner)
        drills.cards_ensure(learner=learner, section_ids=[section.pk])
        ReviewCard.objects.filter(learner=learner).update(created_at=start, due=start)
        now = start
        for _ in range(25):
            now += timedelta(hours=rng.uniform(0.1, 72))
            settings.desired_retention = rng.choice([0.8, 0.9, 0.95])
            card = rng.choice(list(ReviewCard.objects.filter(learner=learner)))
            token = drills.card_token(card, shown_at=now - timedelta(seconds=5))
            drills.review_record(
                learner=learner,
                token=token,
                rating=rng.randint(1, 4),
                now=now,
            )
    checked = 0
    for card in ReviewCard.objects.filter(last_review__isnull=False):
        logs = list(card.logs.order_by("reviewed_at", "pk"))
        replayed = scheduling.card_replay(card, logs)
        assert card.first_review == logs[0].reviewed_at
        assert {log.learner_id for log in logs} == {card.learner_id}
        assert replayed.state.value == card.state
        assert replayed.due == card.due
        assert replayed.last_review == card.last_review
        assert replayed.stability == pytest.approx(card.stability)
        assert replayed.difficulty == pytest.approx(card.difficulty)
        checked += 1
    assert checked >= 6


def test_the_navigation_shows_cards_due_from_the_first_section_opened(client, section):
    html = client.get(section.get_absolute_url()).content.decode()
    assert ReviewCard.objects.count() == 4
    assert re.search(
        r'<a href="/drill/">Drill <span class="count">4 due<span class="visually-hidden">,</span> · about 1 min</span></a>',
        html,
    )


def test_the_drill_page_counts_its_queue_once(client, section):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    open_section(client, section)
    client.get(reverse("drill:drill"))  # settings and cards exist now
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("drill:drill"))
    counts = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT COUNT(")
    ]
    assert len(counts) == 1  # the learner's cards and today's logs, in one statement


def test_a_flashcard_token_is_refused_where_a_question_is_expected(client, section):
    open_section(client, section)
    token = token_in(
        client.get(reverse("drill:drill")).content.decode()
    )  # a flashcard first
    for name in ("drill:check", "drill:hint"):
        response = client.post(reverse(name), {"token": token, "choice": "1"})
        assert response.status_code == 400
        assert drills.TOKEN_INVALID in response.content.decode()


def test_a_card_whose_flashcard_or_question_moves_section_follows_it(tmp_path):
    from lessons.content import load_course_files
    from lessons.models import Flashcard, Section
    from quizzes.models import Question
    from tests.lessons.course_files import course_text, cut, write

    text = course_text()
    load_course_files([write(tmp_path, text)])
    learner = Learner.objects.create()
    first, second = Section.objects.order_by("number")
    drills.cards_ensure(learner=learner, section_ids=[first.pk, second.pk])
    moving = ReviewCard.objects.get(flashcard__key="card-three")
    staying = ReviewCard.objects.get(flashcard__key="card-one")
    question = ReviewCard.objects.get(question__key="q-true-false")
    assert (moving.section, question.section) == (first, first)

    # card-three moves to 15.2's flashcards, and q-true-false to 15.2's quiz.
    edited, block = cut(text, "          - id: card-three", "        glossary:")
    edited = edited.replace(
        "          - id: card-four", block + "          - id: card-four"
    )
    edited, q_block = cut(
        edited, "            - id: q-true-false", "            - id: q-short"
    )
    edited = edited.rstrip("\n") + "\n" + q_block
    load_course_files([write(tmp_path, edited, "edited.yaml")])

    assert Flashcard.objects.get(key="card-three").section == second
    assert Question.objects.get(key="q-true-false").quiz.section == second
    moving.refresh_from_db()
    staying.refresh_from_db()
    question.refresh_from_db()
    assert (moving.section, staying.section, question.section) == (
        second,
        first,
        second,
    )


def test_merging_learners_moves_their_logs_and_keeps_the_first_review(section):
    from courses.merge import learner_merge

    account, anonymous = Learner.objects.create(), Learner.objects.create()
    start = timezone.now() - timedelta(days=10)
    for learner, days in ((account, [3, 5]), (anonymous, [1, 4])):
        drills.cards_ensure(learner=learner, section_ids=[section.pk])
        ReviewCard.objects.filter(learner=learner).update(created_at=start, due=start)
        card = ReviewCard.objects.filter(learner=learner).order_by("pk").first()
        for day in days:
            drills.review_record(
                learner=learner,
                token=drills.card_token(card, shown_at=start),
                rating=3,
                now=start + timedelta(days=day),
            )
    learner_merge(source=anonymous, target=account)
    merged = ReviewCard.objects.get(learner=account, last_review__isnull=False)
    logs = list(merged.logs.all())
    assert [log.reviewed_at for log in logs] == [
        start + timedelta(days=day) for day in (1, 3, 4, 5)
    ]
    assert {log.learner_id for log in ReviewLog.objects.all()} == {account.pk}
    assert merged.first_review == start + timedelta(days=1)
    assert scheduling.card_replay(merged, logs).due == merged.due


def test_counts_a_little_old_still_give_the_next_card(client, section):
    """Another tab reviewed the last due card: the new cards are next, not "all done"."""
    learner = open_section(client, section)
    client.get(reverse("drill:drill"))
    settings = drills.settings_for(learner)
    old = drills.QueueCounts(due=1, due_total=1, new=2)  # no card is due in fact
    card = drills.next_card(
        learner=learner,
        settings=settings,
        section_ids=[section.pk],
        now=timezone.now(),
        counts=old,
    )
    assert card is not None
    assert card.last_review is None
    assert card == ReviewCard.objects.filter(learner=learner).order_by("pk").first()


BADGE = re.compile(r'<a href="/drill/">Drill <span class="count">(\d+) due')


def test_a_review_updates_the_badge_without_writing_the_session(
    client, section, django_assert_max_num_queries
):
    open_section(client, section)
    html = client.get(reverse("drill:drill")).content.decode()
    assert (
        BADGE.search(client.get(section.get_absolute_url()).content.decode())[1] == "4"
    )
    with django_assert_max_num_queries(20) as recorded:
        client.post(
            reverse("drill:review"),
            {"token": token_in(html), "rating": "3"},
            headers={"HX-Request": "true", "HX-Target": "drill-card"},
        )
    writes = [q["sql"] for q in recorded.captured_queries if "UPDATE" in q["sql"]]
    assert not [sql for sql in writes if "django_session" in sql]
    made = f'INSERT INTO "{ReviewCard._meta.db_table}"'
    assert not [
        q for q in recorded.captured_queries if made in q["sql"]
    ]  # no cards made again
    # The next page's navigation counts the card just reviewed out at once.
    assert (
        BADGE.search(client.get(section.get_absolute_url()).content.decode())[1] == "3"
    )


def test_logging_in_forgets_the_accounts_badge(client, section):
    other = SectionFactory(course=section.course, chapter=section.chapter)
    FlashcardFactory.create_batch(2, section=other)
    user = UserFactory(password="a long enough password")
    account = Client()
    account.force_login(user)
    assert (
        BADGE.search(account.get(section.get_absolute_url()).content.decode())[1] == "4"
    )
    open_section(client, other)  # anonymously, another section: two more cards
    client.post(
        reverse("login"),
        {"username": user.username, "password": "a long enough password"},
    )
    # The anonymous learner's cards joined the account's, and the badge says so at once.
    assert (
        BADGE.search(client.get(section.get_absolute_url()).content.decode())[1] == "6"
    )


def test_opening_another_section_counts_its_cards_at_once(client, section):
    other = SectionFactory(course=section.course, chapter=section.chapter)
    FlashcardFactory.create_batch(2, section=other)
    assert (
        BADGE.search(client.get(section.get_absolute_url()).content.decode())[1] == "4"
    )
    # Its first visit adds two cards: the badge says so, not the count of a minute ago.
    assert BADGE.search(client.get(other.get_absolute_url()).content.decode())[1] == "6"
