from __future__ import annotations

import re

import pytest

from lessons.models import Summary
from tests.conftest import clear_caches
from tests.lessons.factories import (
    DraftSectionFactory,
    SectionFactory,
    SummaryFactory,
    section_with_every_part,
)

pytestmark = pytest.mark.django_db

# A returning learner with a cold cache: the section row (the cache key's version), its
# flashcards, then the section with its course and chapter, one query per kind of part
# (summaries, dialogues, lines, explainers, key concepts, examples, memory aids, their
# flashcards, flashcards, glossary, videos), then the session, the learner, their progress
# (read and update), today's study activity, their quiz attempts and the neighbouring
# sections.
SECTION_PAGE_QUERIES = 21
# With a warm cache (lessons/cache.py, lessons/page_shell.py) only the session and the
# learner's state on the section (lessons/page_state.py: one statement); a reload within
# a minute of the last recorded visit writes nothing (courses/progress.py).
SECTION_PAGE_WARM_QUERIES = 2
# A warm fragment (summary level, flashcard) records no visit: the same two.
SECTION_FRAGMENT_WARM_QUERIES = 2


def test_section_page_renders_every_part(client):
    section = section_with_every_part(2, title="What are Foundation Models?")
    response = client.get(section.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "What are Foundation Models?" in html
    part = {
        "summary": section.summaries.get(level="basic").text_html,
        "dialogue line": section.dialogues.first().lines.first().text_html,
        "explainer": section.explainers.first().title,
        "explanation": "Detailed explanation",
        "analogy": "Example or analogy",
        "key concept": section.key_concepts.first().term,
        "example": section.examples.first().title,
        "memory aid": section.memory_aids.first().title,
        "flashcard": section.flashcards.first().front_html,
        "mark as done": "Mark as done",
        "glossary": section.glossary_terms.first().term,
        "video": section.videos.first().url,
        "quiz": "2 questions",
    }
    missing = [name for name, text in part.items() if text not in html]
    assert not missing


def test_answer_keys_are_not_on_the_section_page(client):
    section = section_with_every_part(1)
    question = section.quiz.questions.get()
    html = client.get(section.get_absolute_url()).content.decode()
    assert question.prompt not in html
    assert question.explanation not in html
    assert "Not this one." not in html  # a choice's feedback


@pytest.mark.parametrize("level", ["basic", "medium", "detailed"])
def test_summary_level_from_the_query_string(client, level):
    section = SectionFactory()
    for value in Summary.Level.values:
        SummaryFactory(section=section, level=value, text=f"Text at {value} level")
    html = client.get(section.get_absolute_url(), {"level": level}).content.decode()
    assert f"Text at {level} level" in html
    assert sum(f"Text at {value} level" in html for value in Summary.Level.values) == 1


def test_unknown_summary_level_falls_back_to_basic(client):
    section = SectionFactory()
    SummaryFactory(section=section, level="basic", text="Basic text")
    response = client.get(section.get_absolute_url(), {"level": "<script>"})
    assert response.status_code == 200
    assert "Basic text" in response.content.decode()


def test_summary_fragment_for_htmx(client, htmx_headers):
    section = SectionFactory()
    SummaryFactory(section=section, level="medium", text="Medium text")
    response = client.get(
        section.get_absolute_url(),
        {"level": "medium"},
        headers=htmx_headers("summary-panel"),
    )
    html = response.content.decode()
    assert 'id="summary-panel"' in html
    assert "Medium text" in html
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize(
    "headers",
    [
        {"HX-Request": "true", "HX-Target": "no-such-fragment"},
        {"HX-Request": "true", "HX-Target": "summary-panel", "HX-Boosted": "true"},
        {
            "HX-Request": "true",
            "HX-Target": "summary-panel",
            "HX-History-Restore-Request": "true",
        },
    ],
    ids=["unknown-target", "boosted", "history-restore"],
)
def test_full_page_when_htmx_does_not_ask_for_a_known_fragment(client, headers):
    section = SectionFactory()
    html = client.get(section.get_absolute_url(), headers=headers).content.decode()
    assert "<html" in html


def test_draft_section_is_404_for_students_and_visible_to_staff(client, staff_user):
    draft = DraftSectionFactory()
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(staff_user)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Draft" in response.content.decode()


@pytest.mark.parametrize(
    "path", ["/courses/x/15.1/", "/courses/x/foo/", "/courses/x/15..1/"]
)
def test_unknown_or_malformed_section_is_404(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("n", [1, 25])
def test_section_page_query_count_does_not_grow_with_content(
    client, django_assert_max_num_queries, n
):
    section = section_with_every_part(n)
    client.get(
        section.get_absolute_url()
    )  # the first visit creates the learner and session
    clear_caches()
    with django_assert_max_num_queries(SECTION_PAGE_QUERIES):
        cold = client.get(section.get_absolute_url())
    with django_assert_max_num_queries(SECTION_PAGE_WARM_QUERIES):
        warm = client.get(section.get_absolute_url())
    assert cold.status_code == warm.status_code == 200
    assert f"Card 1 of {n}" in cold.content.decode()
    assert _without_tokens(warm) == _without_tokens(cold)


def _without_tokens(response) -> str:
    """The page without what differs per request: CSRF tokens and the shuffle seed."""
    html = response.content.decode()
    html = re.sub(r"[A-Za-z0-9]{64}", "", html)  # masked CSRF tokens
    return re.sub(r"order=\d+", "", html)


@pytest.mark.parametrize("n", [1, 25])
@pytest.mark.parametrize(
    ("target", "params", "marker"),
    [
        ("summary-panel", {"level": "medium"}, 'id="summary-panel"'),
        ("dialogue-1", {"dialogue": "1", "line": "2"}, 'id="dialogue-1"'),
        ("flashcard-panel", {"card": "2", "side": "back"}, 'id="flashcard-panel"'),
    ],
)
def test_fragments_cost_constant_queries_and_vary_on_htmx(
    client, django_assert_max_num_queries, htmx_headers, n, target, params, marker
):
    section = section_with_every_part(n)
    client.get(
        section.get_absolute_url(), params
    )  # creates the learner and stores the level
    with django_assert_max_num_queries(SECTION_PAGE_QUERIES):
        response = client.get(
            section.get_absolute_url(), params, headers=htmx_headers(target)
        )
    html = response.content.decode()
    assert marker in html
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]
    assert "HX-Target" in response["Vary"]
