"""The section page's cache (lessons/cache.py): keyed by section, version and level,
invalidated by every edit, and never holding a learner's own state."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from courses.models import Learner, SectionProgress
from lessons import page_shell
from lessons.cache import changes_batched
from lessons.models import Section, Summary
from quizzes.models import Question
from tests.admin_forms import form_data
from tests.courses.factories import UserFactory
from tests.lessons.course_files import COURSE_SLUG, course_text, replace_once, write
from tests.lessons.factories import (
    DialogueLineFactory,
    ExampleFactory,
    ExplainerFactory,
    FlashcardFactory,
    GlossaryTermFactory,
    KeyConceptFactory,
    MemoryAidFactory,
    SectionFactory,
    VideoFactory,
    section_with_every_part,
)
from tests.lessons.test_views import (
    SECTION_FRAGMENT_WARM_QUERIES,
    SECTION_PAGE_WARM_QUERIES,
)
from tests.quizzes.factories import AttemptFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def version(section: Section) -> int:
    return Section.objects.values_list("content_version", flat=True).get(pk=section.pk)


def page(client: Client, section: Section, **params: str) -> str:
    response = client.get(section.get_absolute_url(), params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def section():
    return section_with_every_part(2, title="Cached section")


# ---------------------------------------------------------------- invalidation


def test_a_warm_page_costs_fewer_queries_and_shows_the_same(
    client, section, django_assert_max_num_queries, django_assert_num_queries
):
    page(client, section)  # the learner and session, and the cache, are made here
    with django_assert_max_num_queries(SECTION_PAGE_WARM_QUERIES):
        warm = page(client, section)
    assert "Cached section" in warm
    assert "The **basic** summary" not in warm  # rendered Markdown, from the cache
    assert "<strong>basic</strong>" in warm


def test_a_warm_summary_fragment_costs_two_queries(
    client, section, htmx_headers, django_assert_max_num_queries
):
    page(client, section)
    headers = htmx_headers("summary-panel")
    url = section.get_absolute_url()
    client.get(url, {"level": "medium"}, headers=headers)  # stores the level, warms it
    with django_assert_max_num_queries(SECTION_FRAGMENT_WARM_QUERIES):
        response = client.get(url, {"level": "medium"}, headers=headers)
    html = response.content.decode()
    assert "<strong>medium</strong>" in html
    assert "<html" not in html


def test_an_edited_summary_shows_at_once(client, section):
    assert "<strong>basic</strong> summary" in page(client, section)
    before = version(section)
    summary = Summary.objects.get(section=section, level="basic")
    summary.text = "A *rewritten* summary."
    summary.save()
    assert version(section) == before + 1
    html = page(client, section)
    assert "<em>rewritten</em>" in html
    assert "<strong>basic</strong> summary" not in html


@pytest.mark.parametrize(
    ("factory", "field", "marker"),
    [
        (ExplainerFactory, "title", "Explainer renamed"),
        (KeyConceptFactory, "term", "Concept renamed"),
        (ExampleFactory, "title", "Example renamed"),
        (MemoryAidFactory, "title", "Aid renamed"),
        (GlossaryTermFactory, "term", "Glossary renamed"),
        (VideoFactory, "title", "Video renamed"),
        (FlashcardFactory, "back", "Back renamed"),
    ],
)
def test_saving_or_deleting_any_part_invalidates(
    client, section, factory, field, marker
):
    part = factory(section=section)
    page(client, section)
    setattr(part, field, marker)
    part.save()
    html = page(client, section)
    assert marker in html or field == "back"  # the back is in the printable sheet
    if field == "back":
        assert marker in html.replace("<p>", "").replace("</p>", "")
    before = version(section)
    part.delete()
    assert version(section) == before + 1
    assert marker not in page(client, section)


def test_a_dialogue_line_edit_and_memory_aid_links_invalidate(client, section):
    line = DialogueLineFactory(dialogue=section.dialogues.first(), text="Old line.")
    page(client, section)
    line.text = "New line."
    line.save()
    assert "New line." in page(client, section)
    before = version(section)
    section.memory_aids.first().flashcards.clear()
    assert version(section) == before + 1


def test_quiz_questions_invalidate_the_question_count(client, section):
    assert "2 questions" in page(client, section)
    question = QuestionFactory(quiz=section.quiz)
    assert "3 questions" in page(client, section)
    Question.objects.get(pk=question.pk).delete()
    assert "2 questions" in page(client, section)


def test_a_neighbour_renamed_added_or_deleted_shows_in_the_pager(client, section):
    page(client, section)
    following = SectionFactory(chapter=section.chapter, title="The next one")
    assert "The next one" in page(client, section)
    following.title = "Renamed next one"
    following.save()
    assert "Renamed next one" in page(client, section)
    following.delete()
    assert "Renamed next one" not in page(client, section)


def test_course_and_chapter_titles_invalidate_every_section(client, section):
    page(client, section)
    course = section.course
    course.title = "A Renamed Course"
    course.save()
    chapter = section.chapter
    chapter.title = "A Renamed Chapter"
    chapter.save()
    html = page(client, section)
    assert "A Renamed Course" in html
    assert "A Renamed Chapter" in html


def test_an_admin_edit_of_a_part_is_seen_at_once(client, section):
    visitor = Client()
    page(visitor, section)  # warm
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:lessons_section_change", args=[section.pk])
    data = form_data(client.get(url).content, "section_form")
    (text_field,) = [
        name
        for name, value in data.items()
        if name.endswith("-text") and "basic" in str(value)
    ]
    data[text_field] = "Edited in the *admin*."
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    html = page(visitor, section)
    assert "Edited in the <em>admin</em>." in html


def test_a_stale_instance_saved_later_cannot_roll_the_version_back(section):
    stale = Section.objects.get(pk=section.pk)
    ExampleFactory(section=section)  # bumps the version in the database
    bumped = version(section)
    stale.title = "Saved from an old form"
    stale.save()
    assert version(section) > bumped
    assert stale.content_version == version(section)  # refreshed, not an expression
    saved = version(section)
    stale.save(update_fields=["title"])
    assert version(section) > saved


def test_batched_changes_bump_once(section):
    before = version(section)
    with changes_batched(section_q(section)):
        ExampleFactory(section=section)
        ExampleFactory(section=section)
    assert version(section) == before + 1
    with changes_batched(section_q(section)):
        pass  # nothing changed: no bump
    assert version(section) == before + 1


def section_q(section: Section):
    from django.db.models import Q

    return Q(pk=section.pk)


def load(path) -> str:
    out = StringIO()
    call_command("loadcourse", str(path), stdout=out)
    return out.getvalue()


def test_loadcourse_invalidates_what_it_changed_and_only_then(client, tmp_path):
    path = write(tmp_path, course_text())
    load(path)
    section = Section.objects.get(course__slug=COURSE_SLUG, number="15.1")
    assert "A <strong>basic</strong> summary." in page(client, section)
    before = version(section)
    assert load(path).endswith("unchanged\n")
    assert version(section) == before

    write(tmp_path, replace_once(course_text(), "A **basic** summary.", "A *new* one."))
    load(path)
    assert version(section) == before + 1  # once for the whole load
    html = page(client, section)
    assert "A <em>new</em> one." in html
    assert "A <strong>basic</strong> summary." not in html


# ---------------------------------------------------------------- keys


def test_each_level_has_its_own_entry(client, section):
    basic = page(client, section)
    medium = page(client, section, level="medium")
    detailed = page(client, section, level="detailed")
    assert "<strong>basic</strong>" in basic
    assert "<strong>medium</strong>" in medium
    assert "<strong>detailed</strong>" in detailed
    assert "<strong>basic</strong>" not in medium + detailed
    # The cached entries are reused: the same level again is the same text.
    assert "<strong>medium</strong>" in page(client, section, level="medium")


def test_the_version_is_in_the_key(client, section):
    page(client, section)
    # A write that bypasses the signals (a raw update) is not seen until a bump:
    Summary.objects.filter(section=section, level="basic").update(
        text_html="<p>Changed behind the cache's back.</p>"
    )
    assert "behind the cache" not in page(client, section)
    Section.objects.filter(pk=section.pk).update(content_version=version(section) + 1)
    assert "behind the cache" in page(client, section)


def test_a_new_release_never_reads_the_old_releases_fragments(
    client, section, monkeypatch
):
    page(client, section, card="1")  # fragments only: a flashcard URL is not a shell
    Summary.objects.filter(section=section, level="basic").update(
        text_html="<p>Rendered by the new templates.</p>"
    )
    assert "new templates" not in page(client, section, card="1")
    monkeypatch.setattr(page_shell, "release", lambda: "the-next-release")
    assert "new templates" in page(client, section, card="1")


def test_a_dialogue_stepped_by_url_is_rendered_not_cached(client, section):
    page(client, section)
    assert "End of the dialogue." not in page(client, section)
    assert "End of the dialogue." in page(client, section, dialogue="1", line="2")
    assert "End of the dialogue." not in page(client, section)


# ---------------------------------------------------------------- learners' state


def test_a_second_learner_never_sees_the_first_learners_state(section):
    first, second = Client(), Client()
    page(first, section)
    first.post(
        reverse("lessons:mark-done", args=[section.course.slug, section.number]),
        {"done": "true"},
    )
    learner = Learner.objects.get()
    AttemptFactory(learner=learner, quiz=section.quiz)
    mine = page(first, section, level="detailed", card="2", side="back")
    assert "Done: you marked this section done" in mine
    assert "Your best score" in mine
    assert "Card 2 of 2" in mine

    theirs = page(second, section)  # every fragment is warm now
    assert "Not done yet." in theirs
    assert "Your best score" not in theirs
    assert "Card 1 of 2" in theirs
    assert "<strong>basic</strong>" in theirs  # not the first learner's level
    assert SectionProgress.objects.filter(done_at__isnull=False).count() == 1
