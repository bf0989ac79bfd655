from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from lessons.models import Section, Summary
from tests.lessons.factories import FlashcardFactory, SectionFactory, SummaryFactory
from tests.quizzes.factories import QuestionFactory, QuizFactory

pytestmark = pytest.mark.django_db


def violates(make) -> bool:
    try:
        with transaction.atomic():
            make()
    except IntegrityError:
        return True
    return False


def test_one_summary_per_level_per_section():
    section = SectionFactory()
    Summary.objects.create(section=section, level="basic", text="one")
    assert violates(
        lambda: Summary.objects.create(section=section, level="basic", text="two")
    )


def test_summary_level_must_be_a_known_level():
    assert violates(
        lambda: Summary.objects.create(
            section=SectionFactory(), level="expert", text="x"
        )
    )


def test_section_number_is_unique_in_a_course_and_well_formed():
    section = SectionFactory(number="15.1")
    assert violates(lambda: SectionFactory(chapter=section.chapter, number="15.1"))
    assert violates(lambda: SectionFactory(number="15.x"))


def test_section_status_must_be_draft_or_published():
    assert violates(lambda: SectionFactory(status="archived"))


def test_flashcard_ids_and_positions_are_unique_in_a_section():
    card = FlashcardFactory()
    assert violates(lambda: FlashcardFactory(section=card.section, key=card.key))
    assert violates(
        lambda: FlashcardFactory(section=card.section, position=card.position)
    )


def test_quiz_pass_mark_is_a_percentage():
    assert violates(lambda: QuizFactory(pass_mark=0))
    assert violates(lambda: QuizFactory(pass_mark=101))


def test_numeric_question_needs_an_answer_and_a_non_negative_tolerance():
    assert violates(lambda: QuestionFactory(kind="numeric", numeric_answer=None))
    assert violates(
        lambda: QuestionFactory(kind="numeric", numeric_answer=1, tolerance=-1)
    )
    assert not violates(
        lambda: QuestionFactory(kind="numeric", numeric_answer=175, tolerance=0)
    )


def test_section_url_uses_course_slug_and_number():
    section = SectionFactory(
        chapter__course__slug="ml", chapter__number=15, number="15.1"
    )
    assert section.get_absolute_url() == "/courses/ml/15.1/"
    assert Section.objects.get(pk=section.pk).is_published
    assert str(SummaryFactory(section=section, level="medium")) == "Medium summary"


@pytest.mark.parametrize(
    ("url", "embed"),
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        (
            "https://youtu.be/dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://www.youtube.com/results?search_query=foundation+models", None),
        ('https://www.youtube.com/watch?v=bad"id', None),
        ("https://vimeo.com/12345", None),
    ],
)
def test_video_embeds_only_youtube_videos_with_the_privacy_enhanced_player(url, embed):
    from tests.lessons.factories import VideoFactory

    assert VideoFactory(url=url).embed_url == embed
