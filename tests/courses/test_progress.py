from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Learner, SectionProgress
from courses.progress import continue_with, progress_set_done, visit_due
from tests.courses.factories import ChapterFactory
from tests.lessons.factories import SectionFactory

pytestmark = pytest.mark.django_db


def opened(learner, section, minutes_ago: int, done: bool = False) -> SectionProgress:
    at = timezone.now() - timedelta(minutes=minutes_ago)
    return SectionProgress.objects.create(
        learner=learner,
        section=section,
        first_opened_at=at,
        last_opened_at=at,
        done_at=at if done else None,
    )


@pytest.fixture
def chapter_sections():
    chapter = ChapterFactory(number=15)
    return [
        SectionFactory(chapter=chapter, position=i, number=f"15.{i + 1}")
        for i in range(4)
    ]


def test_continue_with_the_last_opened_section_when_not_done(chapter_sections):
    learner = Learner.objects.create()
    progress = {
        p.section_id: p
        for p in [
            opened(learner, chapter_sections[0], 10, done=True),
            opened(learner, chapter_sections[2], 5),
        ]
    }
    assert continue_with(chapter_sections, progress) == chapter_sections[2]


def test_continue_with_the_next_not_done_after_the_last_opened(chapter_sections):
    learner = Learner.objects.create()
    rows = [
        opened(learner, chapter_sections[1], 5, done=True),
        opened(learner, chapter_sections[2], 50, done=True),
    ]
    assert (
        continue_with(chapter_sections, {p.section_id: p for p in rows})
        == chapter_sections[3]
    )


def test_nothing_to_continue_before_starting_or_when_all_done(chapter_sections):
    learner = Learner.objects.create()
    assert continue_with(chapter_sections, {}) is None
    rows = [opened(learner, s, i, done=True) for i, s in enumerate(chapter_sections)]
    assert continue_with(chapter_sections, {p.section_id: p for p in rows}) is None


def test_outline_shows_done_sections_and_where_to_continue(client, chapter_sections):
    client.get(chapter_sections[0].get_absolute_url())
    client.post(
        reverse("lessons:mark-done", args=[chapter_sections[0].course.slug, "15.1"]),
        {"done": "true"},
    )
    html = client.get(chapter_sections[0].course.get_absolute_url()).content.decode()
    assert "1 of 4 sections done (25 %)." in html
    assert "Continue with 15.2" in html
    assert html.count('class="badge done"') == 1


def test_another_learners_progress_is_not_shown(client, chapter_sections):
    other = Learner.objects.create()
    progress_set_done(learner=other, section=chapter_sections[0], done=True)
    html = client.get(chapter_sections[0].course.get_absolute_url()).content.decode()
    assert "Done</span>" not in html
    assert "Continue with" not in html


@pytest.mark.parametrize("n_sections", [2, 20])
def test_outline_with_progress_costs_constant_queries(
    client, django_assert_max_num_queries, n_sections
):
    chapter = ChapterFactory()
    sections = SectionFactory.create_batch(n_sections, chapter=chapter)
    for section in sections:
        client.get(section.get_absolute_url())
    # course, chapters, sections, session, learner, progress, quiz attempts, drill cards due
    with django_assert_max_num_queries(8):
        response = client.get(chapter.course.get_absolute_url())
    assert response.status_code == 200


def test_catalog_offers_to_continue_started_courses_only(client, chapter_sections):
    untouched = SectionFactory(chapter__course__title="Untouched course")
    client.get(chapter_sections[0].get_absolute_url())
    client.post(
        reverse("lessons:mark-done", args=[chapter_sections[0].course.slug, "15.1"]),
        {"done": "true"},
    )
    html = client.get("/").content.decode()
    assert html.count("Continue with") == 1
    assert "Continue with 15.2" in html
    assert untouched.course.title in html


def test_a_passed_quiz_makes_a_section_done_and_the_page_says_why(
    client, chapter_sections
):
    from quizzes.models import Attempt
    from tests.quizzes.factories import QuizFactory

    section = chapter_sections[0]
    client.get(section.get_absolute_url())
    learner = Learner.objects.get()
    quiz = QuizFactory(section=section, pass_mark=70)
    now = timezone.now()
    Attempt.objects.create(
        learner=learner, quiz=quiz, total=10, score=8, finished_at=now
    )
    html = client.get(section.get_absolute_url()).content.decode()
    assert "Done: you passed its practice quiz (80 %)." in html
    outline = client.get(section.course.get_absolute_url()).content.decode()
    assert "1 of 4 sections done (25 %)." in outline
    assert "Continue with 15.2" in outline


def test_a_failed_quiz_does_not_make_a_section_done(client, chapter_sections):
    from quizzes.models import Attempt
    from tests.quizzes.factories import QuizFactory

    section = chapter_sections[0]
    client.get(section.get_absolute_url())
    quiz = QuizFactory(section=section, pass_mark=70)
    Attempt.objects.create(
        learner=Learner.objects.get(),
        quiz=quiz,
        total=10,
        score=6,
        finished_at=timezone.now(),
    )
    outline = client.get(section.course.get_absolute_url()).content.decode()
    assert "0 of 4 sections done (0 %)." in outline


def test_outline_shows_drill_cards_due_per_section(client, chapter_sections):
    from quizzes.models import ReviewCard
    from tests.lessons.factories import FlashcardFactory

    section = chapter_sections[1]
    FlashcardFactory.create_batch(2, section=section)
    client.get(section.get_absolute_url())
    now = timezone.now()
    ReviewCard.objects.update(
        last_review=now - timedelta(days=3),
        due=now - timedelta(days=1),
        stability=2,
        difficulty=5,
        state=2,
    )
    html = client.get(section.course.get_absolute_url()).content.decode()
    assert html.count("cards due</a>") == 1
    assert '<a class="badge" href="/drill/">2 cards due</a>' in html


def test_a_visit_is_due_when_none_was_recorded_this_minute_of_this_day():
    noon = timezone.now().replace(hour=12, minute=0, second=0, microsecond=0)
    assert visit_due(None, noon)
    assert not visit_due(noon, noon + timedelta(seconds=59))
    assert visit_due(noon, noon + timedelta(minutes=1))
    # Across midnight it is a new day's visit, however close.
    late = noon.replace(hour=23, minute=59, second=50)
    assert visit_due(late, late + timedelta(seconds=15))
