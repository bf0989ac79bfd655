"""The htmx drill review in few statements (quizzes/reviewing.py), against the ORM code
it stands for: drills.review_record, queue_counts, next_card, drill_views._summary."""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_htmx.middleware import HtmxDetails

from courses.models import Learner, SectionProgress, StudyDay
from quizzes import drill_views, drills, reviewing, scheduling
from quizzes.attempts import option_orders
from quizzes.models import DrillSettings, ReviewCard, ReviewLog
from tests.courses.factories import UserFactory
from tests.lessons.factories import FlashcardFactory, MemoryAidFactory, SectionFactory
from tests.quizzes.factories import ChoiceFactory, QuestionFactory, QuizFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true", "HX-Target": "drill-card"}


@pytest.fixture
def sections():
    first, second = SectionFactory(), SectionFactory()
    for section in (first, second):
        FlashcardFactory.create_batch(3, section=section)
        QuestionFactory(quiz=QuizFactory(section=section))
    return first, second


def learner_with(sections, *, chosen=(), settings=True) -> Learner:
    learner = Learner.objects.create()
    now = timezone.now()
    for section in sections:
        SectionProgress.objects.create(
            learner=learner, section=section, first_opened_at=now, last_opened_at=now
        )
    drills.cards_ensure(learner=learner, section_ids=[s.pk for s in sections])
    if settings:
        saved = DrillSettings.objects.create(
            learner=learner, desired_retention=0.85, new_per_day=3, reviews_per_day=7
        )
        saved.sections.set(chosen)
    return learner


def submit(learner: Learner, card: ReviewCard, *, rating=3, now=None, token=None):
    now = now or timezone.now()
    token = token or drills.card_token(card, shown_at=now - timedelta(seconds=4))
    return reviewing.review_submit(
        user_id=learner.user_id,
        learner_id=None if learner.user_id else learner.pk,
        token=token,
        payload=drills.token_payload(token),
        rating=rating,
        now=now,
    )


@pytest.mark.parametrize("chosen", [False, True])
@pytest.mark.parametrize("saved", [False, True])
def test_the_drill_read_with_the_lock_is_what_the_orm_reads(sections, chosen, saved):
    learner = learner_with(
        sections, chosen=[sections[1]] if chosen else [], settings=saved
    )
    card = ReviewCard.objects.filter(learner=learner).first()
    reviewed = submit(learner, card)
    settings = drills.settings_or_defaults(learner)
    assert reviewed.drill.learner.pk == learner.pk
    assert reviewed.drill.section_ids == sorted(
        drills.drill_section_ids(learner=learner, settings=settings)
    )
    got = reviewed.drill.settings
    assert (got.pk, got.desired_retention, got.new_per_day, got.reviews_per_day) == (
        settings.pk,
        settings.desired_retention,
        settings.new_per_day,
        settings.reviews_per_day,
    )
    assert not DrillSettings.objects.filter(learner=learner).exists() or saved


def test_a_review_records_what_review_record_records(sections):
    """The same reviews through both ways: the same logs and the same card state."""
    now = timezone.now()
    ours, theirs = learner_with(sections), learner_with(sections)
    pairs = list(
        zip(
            ReviewCard.objects.filter(learner=ours).order_by("pk"),
            ReviewCard.objects.filter(learner=theirs).order_by("pk"),
            strict=True,
        )
    )
    for step, rating in enumerate([3, 1, 4, 2, 3, 1]):
        at = now + timedelta(hours=step * 7)
        mine, other = pairs[step % 2]
        question = mine.question_id is not None
        token = drills.card_token(mine, shown_at=at - timedelta(seconds=9))
        reviewed = submit(ours, mine, rating=rating, now=at, token=token)
        assert reviewed.created
        assert not question
        drills.review_record(
            learner=theirs,
            token=drills.card_token(other, shown_at=at - timedelta(seconds=9)),
            rating=rating,
            now=at,
        )
        log = ReviewLog.objects.get(pk=reviewed.log.pk)
        assert (log.rating, log.reviewed_at, log.duration_ms, log.card_id) == (
            rating,
            at,
            9000,
            mine.pk,
        )
        assert log.token == drills.log_key(token)
    # One study action a review, on the day of the review.
    days = Counter(
        log.reviewed_at.date() for log in ReviewLog.objects.filter(learner=ours)
    )
    assert dict(
        StudyDay.objects.filter(learner=ours).values_list("day", "actions")
    ) == dict(days)
    fields = ["state", "step", "stability", "difficulty", "due", "last_review"]
    fields += ["first_review"]
    for mine, other in pairs[:2]:
        mine.refresh_from_db()
        other.refresh_from_db()
        assert [getattr(mine, f) for f in fields] == [getattr(other, f) for f in fields]
        replayed = scheduling.card_replay(mine, list(mine.logs.order_by("pk")))
        assert replayed.due == mine.due


def test_a_repeated_or_foreign_token_changes_nothing(sections):
    learner, other = learner_with(sections), learner_with(sections)
    card = ReviewCard.objects.filter(learner=learner).first()
    token = drills.card_token(card, shown_at=timezone.now())
    with pytest.raises(drills.TokenInvalid):
        submit(other, card, token=token)
    first = submit(learner, card, token=token, rating=3)
    card.refresh_from_db()
    state = (card.due, card.stability, card.last_review)
    again = submit(learner, card, token=token, rating=1)
    assert (again.created, again.log.pk, again.log.rating) == (False, first.log.pk, 3)
    card.refresh_from_db()
    assert (card.due, card.stability, card.last_review) == state
    assert ReviewLog.objects.count() == 1
    with pytest.raises(drills.TokenInvalid):  # no learner at all
        reviewing.review_submit(
            user_id=None,
            learner_id=None,
            token=token,
            payload=drills.token_payload(token),
            rating=3,
            now=timezone.now(),
        )


def test_an_accounts_learner_is_found_by_the_account(sections):
    user = UserFactory()
    learner = learner_with(sections)
    Learner.objects.filter(pk=learner.pk).update(user=user)
    learner.refresh_from_db()
    card = ReviewCard.objects.filter(learner=learner).first()
    assert submit(learner, card).drill.learner.pk == learner.pk
    token = drills.card_token(card, shown_at=timezone.now())
    with pytest.raises(drills.TokenInvalid):  # not by its id as an anonymous one
        reviewing.review_submit(
            user_id=None,
            learner_id=learner.pk,
            token=token,
            payload=drills.token_payload(token),
            rating=3,
            now=timezone.now(),
        )


def summary_by_orm(learner, started, section_ids) -> dict:
    request = RequestFactory().get("/")
    request.session = {drill_views.SESSION_KEY: started.isoformat()}
    return drill_views._summary(learner, request, section_ids)


@pytest.mark.parametrize("chosen", [False, True])
def test_the_queue_and_summary_are_what_the_orm_counts(sections, chosen):
    learner = learner_with(sections, chosen=[sections[0]] if chosen else [])
    now = timezone.now()
    cards = list(ReviewCard.objects.filter(learner=learner).order_by("pk"))
    # Yesterday's reviews (before the session and the day), then today's.
    for index, card in enumerate(cards[:6]):
        at = now - timedelta(days=1, minutes=index) if index < 2 else now
        submit(learner, card, rating=1 + index % 4, now=at)
    ReviewCard.objects.filter(pk=cards[0].pk).update(due=now - timedelta(hours=1))
    reviewed = submit(learner, cards[7], now=now)
    drill = reviewed.drill
    started = now - timedelta(hours=2)
    checked = 0
    for at in (now, now + timedelta(days=3), now + timedelta(days=400)):
        counts, summary = reviewing.queue_now(
            drill=drill, now=at, session_started=started
        )
        assert counts == drills.queue_counts(
            learner=learner,
            settings=drills.settings_for(learner),
            section_ids=drill.section_ids,
            now=at,
        )
        expected = summary_by_orm(learner, started, drill.section_ids)
        assert summary.__dict__ == expected
        checked += counts.total > 0
    assert checked  # some of them had cards to show


def test_the_next_card_is_the_one_next_card_picks(sections):
    learner = learner_with(sections)
    now = timezone.now()
    cards = list(ReviewCard.objects.filter(learner=learner).order_by("pk"))
    # Today so far: one review, of a card new today.
    drill = submit(learner, cards[5], now=now - timedelta(minutes=1)).drill
    reviewed = ReviewCard.objects.filter(pk__in=[cards[1].pk, cards[2].pk])
    reviewed.update(
        last_review=now - timedelta(days=5), stability=2.0, difficulty=5.0, state=2
    )
    # Two cards due at the same time: the less stable one first.
    reviewed.update(due=now - timedelta(days=1))
    ReviewCard.objects.filter(pk=cards[2].pk).update(stability=1.0)
    settings = drill.settings

    def pick(reviews_per_day: int, new_per_day: int) -> int | None:
        settings.reviews_per_day, settings.new_per_day = reviews_per_day, new_per_day
        ours = reviewing.next_card(drill=drill, now=now)
        theirs = drills.next_card(
            learner=learner,
            settings=settings,
            section_ids=drill.section_ids,
            now=now,
        )
        assert ours == theirs
        return ours.pk if ours else None

    # Due first, whatever the new cards' cap; none once today's reviews reach theirs.
    assert [pick(7, 3), pick(7, 1), pick(1, 3)] == [cards[2].pk, cards[2].pk, None]
    reviewed.update(due=now + timedelta(days=1))
    # Nothing due: the first new card, while both caps leave room.
    assert [pick(7, 3), pick(7, 1), pick(1, 3)] == [cards[0].pk, None, None]


def test_the_next_card_comes_with_what_its_front_shows(
    sections, django_assert_num_queries
):
    learner = learner_with(sections)
    now = timezone.now()
    drill = submit(learner, ReviewCard.objects.filter(learner=learner).last()).drill
    with django_assert_num_queries(1):
        card = reviewing.next_card(drill=drill, now=now)
        front = (card.section.number, card.section.title, card.flashcard.front_html)
        assert (card.flashcard.back_html, card.flashcard.hint, card.question) == (
            card.flashcard.back_html,
            "",
            None,
        )
    flashcard = card.flashcard
    assert front == (
        sections[0].number,
        sections[0].title,
        type(flashcard).objects.get(pk=flashcard.pk).front_html,
    )
    # A question: its text and choices from the cache once one learner has seen it.
    ReviewCard.objects.filter(learner=learner, flashcard__isnull=False).update(
        last_review=now, due=now + timedelta(days=2), stability=3, difficulty=5
    )
    for queries in (3, 1):  # the card, then the question and its choices; then cached
        with django_assert_num_queries(queries):
            card = reviewing.next_card(drill=drill, now=now)
            assert [c.text for c in card.question.choices.all()] == ["Right", "Wrong"]
            assert card.question.prompt_html
    # An edit of a choice bumps the section's version: the next showing has it.
    ChoiceFactory(question=card.question, position=2, text="Also wrong")
    card = reviewing.next_card(drill=drill, now=now)
    assert [c.text for c in card.question.choices.all()][-1] == "Also wrong"


def test_memory_aids_are_the_flashcards(sections, django_assert_num_queries):
    learner = learner_with(sections)
    card = ReviewCard.objects.filter(learner=learner, flashcard__isnull=False).first()
    aids = [
        MemoryAidFactory(section=sections[0], position=n, flashcards=[card.flashcard])
        for n in (2, 1)
    ]
    MemoryAidFactory(section=sections[0], position=0)  # another card's
    bare = ReviewCard.objects.get(pk=card.pk)
    with django_assert_num_queries(1):
        got = reviewing.memory_aids(bare)
        front = bare.flashcard.front_html
        assert [(a.pk, a.title, a.get_kind_display()) for a in got] == [
            (a.pk, a.title, a.get_kind_display()) for a in reversed(aids)
        ]
    assert front == card.flashcard.front_html
    assert got[0].text_html == aids[1].text_html
    other = ReviewCard.objects.filter(learner=learner, flashcard__isnull=False).last()
    assert reviewing.memory_aids(other) == []


def shown_by(learner: Learner, card_id: int):
    return reviewing.card_shown(
        user_id=learner.user_id,
        learner_id=None if learner.user_id else learner.pk,
        card_id=card_id,
    )


@pytest.mark.parametrize("saved", [False, True])
def test_a_card_shown_again_is_what_read_token_reads(
    sections, saved, django_assert_num_queries
):
    learner = learner_with(sections, settings=saved)
    cards = ReviewCard.objects.filter(learner=learner).order_by("pk")
    flashcard = cards.filter(flashcard__isnull=False).first()
    question = cards.filter(question__isnull=False).first()
    expected_settings = drills.settings_or_defaults(learner)
    # A question's text and choices: from the cache once one learner has seen it.
    for card, queries in ((flashcard, 1), (question, 3), (question, 1)):
        token = drills.card_token(card, shown_at=timezone.now())
        orm, _payload = drills.read_token(token, learner=learner)
        with django_assert_num_queries(queries):
            got, settings = shown_by(learner, card.pk)
            shown = (
                got.section.number,
                got.section.title,
                got.flashcard and (got.flashcard.front_html, got.flashcard.back_html),
                got.flashcard and got.flashcard.hint,
                got.question and got.question.prompt_html,
                got.question and [c.text for c in got.question.choices.all()],
                settings.desired_retention,
                settings.learner.pk,
            )
        assert shown == (
            orm.section.number,
            orm.section.title,
            orm.flashcard and (orm.flashcard.front_html, orm.flashcard.back_html),
            orm.flashcard and orm.flashcard.hint,
            orm.question and orm.question.prompt_html,
            orm.question and [c.text for c in orm.question.choices.all()],
            expected_settings.desired_retention,
            learner.pk,
        )
        assert [getattr(got, name) for name in drills.CARD_STATE] == [
            getattr(orm, name) for name in drills.CARD_STATE
        ]
        assert settings.pk == expected_settings.pk


def test_a_card_shown_again_is_only_its_learners(sections):
    learner, other = learner_with(sections), learner_with(sections)
    card = ReviewCard.objects.filter(learner=learner).first()
    assert shown_by(other, card.pk) is None
    assert reviewing.card_shown(user_id=None, learner_id=None, card_id=card.pk) is None
    user = UserFactory()
    Learner.objects.filter(pk=learner.pk).update(user=user)
    # An account's learner: by the account, never by its id as an anonymous one.
    assert reviewing.card_shown(user_id=user.pk, learner_id=None, card_id=card.pk)
    assert (
        reviewing.card_shown(user_id=None, learner_id=learner.pk, card_id=card.pk)
        is None
    )
    assert (
        reviewing.card_shown(user_id=UserFactory().pk, learner_id=None, card_id=card.pk)
        is None
    )


# ---------------------------------------------------------------- the view


def page_token(html: str) -> str:
    from urllib.parse import unquote

    match = re.search(r'name="token" value="([^"]+)"', html) or re.search(
        r"\?token=([^&\"]+)&amp;answer=1", html
    )
    return unquote(match[1])


def without_tokens(html: str) -> str:
    return re.sub(r"token=[^\"&]+|value=\"[^\"]{40,}\"", "TOKEN", html)


def fragment_by_render(client, learner, *, context=None) -> str:
    """The card fragment as drill_views._render makes it (the full page's code)."""
    request = RequestFactory().post("/", headers=HTMX)
    request.session = client.session
    request.user = AnonymousUser()
    request.htmx = HtmxDetails(request)
    response = drill_views._render(request, learner, after_review=True, context=context)
    return response.content.decode()


def test_an_htmx_review_shows_what_the_page_would_in_few_statements(
    client, sections, django_assert_num_queries
):
    client.get(sections[0].get_absolute_url())
    learner = Learner.objects.latest("pk")
    DrillSettings.objects.create(learner=learner, new_per_day=2)
    html = client.get(reverse("drill:drill")).content.decode()
    for following in ("Show answer", "All done for now"):
        # The session row; SAVEPOINT (BEGIN outside tests); the learner, settings and
        # sections read with the card's lock; the log, the card, the day's activity
        # (one statement on PostgreSQL); RELEASE; the next card; only when there is
        # none, the queue and the summary.
        writes = 1 if connection.vendor == "postgresql" else 3
        with django_assert_num_queries(5 + writes + (following != "Show answer")):
            response = client.post(
                reverse("drill:review"),
                {"token": page_token(html), "rating": "3"},
                headers=HTMX,
            )
        html = response.content.decode()
        assert following in html
        assert "<html" not in html
        assert without_tokens(html) == without_tokens(
            fragment_by_render(client, learner)
        )
    assert "This session: 2 reviews, 2 remembered" in html


def test_again_shows_the_memory_aids_as_the_page_would(client, sections):
    client.get(sections[0].get_absolute_url())
    learner = Learner.objects.latest("pk")
    html = client.get(reverse("drill:drill")).content.decode()
    card, _payload = drills.read_token(page_token(html), learner=learner)
    aid = MemoryAidFactory(
        section=sections[0], title="A rhyme that helps", flashcards=[card.flashcard]
    )
    response = client.post(
        reverse("drill:review"),
        {"token": page_token(html), "rating": "1"},
        headers=HTMX,
    )
    html = response.content.decode()
    assert "A rhyme that helps" in html
    expected = fragment_by_render(
        client, learner, context={"aids": [aid], "aids_for": card}
    )
    assert without_tokens(html) == without_tokens(expected)


def test_a_review_without_a_learner_is_a_404_and_a_boosted_one_gets_the_page(
    client, sections
):
    token = drills.card_token(ReviewCard(pk=1), shown_at=timezone.now())
    for data in ({"token": token, "rating": "3"}, {"token": "forged", "rating": "3"}):
        assert client.post(reverse("drill:review"), data).status_code == 404
    client.get(sections[0].get_absolute_url())
    learner = Learner.objects.latest("pk")
    assert not DrillSettings.objects.filter(learner=learner).exists()
    card = ReviewCard.objects.filter(learner=learner).first()
    response = client.post(
        reverse("drill:review"),
        {"token": drills.card_token(card, shown_at=timezone.now()), "rating": "1"},
        headers={"HX-Request": "true", "HX-Boosted": "true", "HX-Target": "main"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert '<p class="meta" id="drill-counts">' in html
    assert ReviewLog.objects.get().card_id == card.pk


def without_csrf(html: str) -> str:
    """The page as rendered but for the CSRF token, masked afresh on every render."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", html)


def answer_by_render(client, learner, token: str) -> str:
    """The turned-over card fragment as the page's code (drill_views._render) makes it."""
    request = RequestFactory().get("/", headers=HTMX)
    request.session = client.session
    request.user = AnonymousUser()
    request.htmx = HtmxDetails(request)
    card, payload = drills.read_token(token, learner=learner)
    context = drill_views._show(
        card,
        drills.settings_for(learner),
        timezone.now(),
        answer=True,
        token=token,
        payload=payload,
    )
    return drill_views._render(request, learner, context=context).content.decode()


@pytest.mark.parametrize("saved", [False, True])
def test_an_htmx_show_answer_shows_what_the_page_would_in_two_statements(
    client, sections, saved, django_assert_num_queries
):
    client.get(sections[0].get_absolute_url())
    learner = Learner.objects.latest("pk")
    if saved:
        DrillSettings.objects.create(learner=learner, desired_retention=0.97)
    html = client.get(reverse("drill:drill")).content.decode()
    token = page_token(html)
    assert "Show answer" in html
    with django_assert_num_queries(2):  # the session row; the card and the settings
        response = client.get(
            reverse("drill:drill"), {"token": token, "answer": "1"}, headers=HTMX
        )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="drill-back"' in html
    assert ">Good</button>" in html
    assert "<html" not in html
    assert without_csrf(html) == without_csrf(answer_by_render(client, learner, token))


def test_an_htmx_show_answer_of_a_question_card_shows_what_the_page_would(
    client, sections
):
    client.get(sections[0].get_absolute_url())
    learner = Learner.objects.latest("pk")
    card = ReviewCard.objects.get(learner=learner, question__isnull=False)
    token = drills.card_token(card, shown_at=timezone.now(), order=[], match=[])
    response = client.get(
        reverse("drill:drill"), {"token": token, "answer": "1"}, headers=HTMX
    )
    html = response.content.decode()
    assert 'id="question-prompt"' in html
    assert without_csrf(html) == without_csrf(answer_by_render(client, learner, token))


def test_a_show_answer_with_a_foreign_token_or_not_htmx_gets_the_page_path(
    client, sections
):
    from django.test import Client

    other = Client()
    other.get(sections[0].get_absolute_url())
    foreign = page_token(other.get(reverse("drill:drill")).content.decode())
    foreign_front = ReviewCard.objects.get(
        pk=drills.token_payload(foreign)["card"]
    ).flashcard.back_html
    client.get(sections[1].get_absolute_url())
    learner = Learner.objects.latest("pk")
    html = client.get(reverse("drill:drill")).content.decode()
    token = page_token(html)
    for forged in (foreign, "forged-token", token[:-3] + "abc"):
        # As before: not turned over, the learner's queue again (their next card).
        response = client.get(
            reverse("drill:drill"), {"token": forged, "answer": "1"}, headers=HTMX
        )
        got = response.content.decode()
        assert response.status_code == 200
        assert "Show answer" in got
        assert 'id="drill-back"' not in got
        assert without_tokens(got) == without_tokens(
            fragment_by_render(client, learner)
        )
    assert foreign_front not in got
    boosted = {"HX-Request": "true", "HX-Boosted": "true", "HX-Target": "main"}
    for headers in ({}, boosted):
        response = client.get(
            reverse("drill:drill"), {"token": token, "answer": "1"}, headers=headers
        )
        got = response.content.decode()
        assert '<p class="meta" id="drill-counts">' in got
        assert 'id="drill-back"' in got


def drill_card_of(page: str) -> str:
    """The card fragment inside the whole page."""
    return re.search(r'<section id="drill-card".*?</section>', page, re.S)[0]


def test_an_htmx_check_shows_what_the_page_would_in_two_statements(
    client, sections, django_assert_num_queries
):
    client.get(sections[0].get_absolute_url())
    learner = Learner.objects.latest("pk")
    card = ReviewCard.objects.get(learner=learner, question__isnull=False)
    choices = {c.is_correct: c.pk for c in card.question.choices.all()}
    order, match = option_orders(card.question, random.Random(0))
    token = drills.card_token(card, shown_at=timezone.now(), order=order, match=match)
    client.post(reverse("drill:check"), {"token": token}, headers=HTMX)  # cached
    for data, shows in (
        ({"token": token, "choice": choices[True]}, "Right!"),
        ({"token": token, "choice": choices[False]}, "Not quite."),
    ):
        with django_assert_num_queries(2):  # the session row; the card and settings
            response = client.post(reverse("drill:check"), data, headers=HTMX)
        html = response.content.decode()
        assert response.status_code == 200
        assert shows in html
        assert "<html" not in html
        page = client.post(reverse("drill:check"), data).content.decode()
        assert '<p class="meta" id="drill-counts">' in page
        assert without_tokens(html).strip() == without_tokens(drill_card_of(page))


def test_an_htmx_check_refuses_what_the_page_refuses(client, sections):
    from django.test import Client

    card = ReviewCard(pk=1)
    forged = {"token": drills.card_token(card, shown_at=timezone.now())}
    assert client.post(reverse("drill:check"), forged, headers=HTMX).status_code == 404
    other = Client()
    other.get(sections[0].get_absolute_url())
    theirs = ReviewCard.objects.get(
        learner=Learner.objects.latest("pk"), question__isnull=False
    )
    client.get(sections[0].get_absolute_url())
    learner = Learner.objects.latest("pk")
    flashcard = ReviewCard.objects.filter(learner=learner, flashcard__isnull=False)[0]
    for card in (theirs, flashcard):
        token = drills.card_token(card, shown_at=timezone.now(), order=[], match=[])
        response = client.post(
            reverse("drill:check"), {"token": token, "choice": "1"}, headers=HTMX
        )
        assert response.status_code == 400
        assert drills.TOKEN_INVALID in response.content.decode()
        assert response["HX-Retarget"] == "#drill-message"
    assert not DrillSettings.objects.exists()
