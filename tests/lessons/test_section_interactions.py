from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from courses.models import Learner, SectionProgress
from lessons.views import MARK_DONE_INVALID
from tests.lessons.factories import (
    DialogueFactory,
    DialogueLineFactory,
    DraftSectionFactory,
    FlashcardFactory,
    SectionFactory,
    SummaryFactory,
)

pytestmark = pytest.mark.django_db


def done_url(section) -> str:
    return reverse("lessons:mark-done", args=[section.course.slug, section.number])


def test_first_visit_creates_an_anonymous_learner_and_records_the_visit(client):
    section = SectionFactory()
    client.get(section.get_absolute_url())
    learner = Learner.objects.get()
    assert learner.user is None
    assert client.session["learner_id"] == learner.pk
    progress = SectionProgress.objects.get(learner=learner, section=section)
    assert progress.done_at is None
    client.get(section.get_absolute_url())
    assert Learner.objects.count() == 1
    assert SectionProgress.objects.count() == 1


def test_signed_in_learner_is_tied_to_the_account(client, user):
    client.force_login(user)
    client.get(SectionFactory().get_absolute_url())
    assert Learner.objects.get().user == user


def test_chosen_level_is_remembered_on_other_sections(client):
    first, second = SectionFactory(), SectionFactory()
    for section in (first, second):
        for level in ("basic", "detailed"):
            SummaryFactory(
                section=section, level=level, text=f"{section.title} {level} text"
            )
    client.get(first.get_absolute_url(), {"level": "detailed"})
    html = client.get(second.get_absolute_url()).content.decode()
    assert f"{second.title} detailed text" in html
    assert 'aria-selected="true" aria-controls="summary-text"' in html


def test_dialogue_next_line_fragment_shows_one_more_line(client, htmx_headers):
    section = SectionFactory()
    dialogue = DialogueFactory(section=section)
    lines = DialogueLineFactory.create_batch(4, dialogue=dialogue)
    response = client.get(
        section.get_absolute_url(),
        {"dialogue": "1", "line": "2"},
        headers=htmx_headers("dialogue-1"),
    )
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="dialogue-1"' in html
    assert html.count("line-pending") == 2
    assert "Line 2 of 4" in html
    assert 'hx-swap-oob="innerHTML"' in html
    assert f"Teacher: {lines[1].text}" in html  # announced to screen readers


def test_dialogue_show_all_without_javascript(client):
    section = SectionFactory()
    DialogueLineFactory.create_batch(4, dialogue=DialogueFactory(section=section))
    html = client.get(
        section.get_absolute_url(), {"dialogue": "1", "line": "all"}
    ).content.decode()
    assert "<html" in html
    assert "line-pending" not in html
    assert "End of the dialogue." in html


def test_unknown_dialogue_target_gives_the_full_page(client, htmx_headers):
    section = SectionFactory()
    DialogueLineFactory(dialogue=DialogueFactory(section=section))
    html = client.get(
        section.get_absolute_url(), headers=htmx_headers("dialogue-7")
    ).content.decode()
    assert "<html" in html


def test_flashcard_fragment_flips_and_moves(client, htmx_headers):
    section = SectionFactory()
    cards = FlashcardFactory.create_batch(3, section=section)
    html = client.get(
        section.get_absolute_url(),
        {"card": "2", "side": "back"},
        headers=htmx_headers("flashcard-panel"),
    ).content.decode()
    assert "<html" not in html
    assert "Card 2 of 3" in html
    assert cards[1].back_html in html
    assert cards[1].front_html not in html
    assert "Card 2 of 3, answer" in html  # the flip is announced


def test_mark_as_done_toggles_and_counts_once(client):
    section = SectionFactory()
    client.get(section.get_absolute_url())
    for _ in range(2):  # a double-submitted form
        response = client.post(done_url(section), {"done": "true"})
        assert response.status_code == 302
    progress = SectionProgress.objects.get()
    assert progress.done_at is not None
    first_done_at = progress.done_at
    client.post(done_url(section), {"done": "true"})
    progress.refresh_from_db()
    assert progress.done_at == first_done_at
    html = client.get(section.get_absolute_url()).content.decode()
    assert 'aria-pressed="true"' in html
    client.post(done_url(section), {"done": "false"})
    progress.refresh_from_db()
    assert progress.done_at is None
    assert SectionProgress.objects.count() == 1


def test_mark_as_done_with_htmx_returns_the_form(client, htmx_headers):
    section = SectionFactory()
    response = client.post(
        done_url(section), {"done": "true"}, headers=htmx_headers("mark-done-form")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<form id="mark-done-form"')
    assert 'aria-pressed="true"' in html
    assert 'value="false"' in html


@pytest.mark.parametrize("value", ["", "yes", "1", "true; drop table"])
def test_tampered_mark_done_is_refused_and_changes_nothing(client, value):
    section = SectionFactory()
    response = client.post(done_url(section), {"done": value})
    assert response.status_code == 400
    assert response.content.decode() == MARK_DONE_INVALID
    assert not SectionProgress.objects.exists()


def test_mark_done_needs_post_and_a_visible_section(client):
    section = SectionFactory()
    assert client.get(done_url(section)).status_code == 405
    assert (
        client.post(done_url(DraftSectionFactory()), {"done": "true"}).status_code
        == 404
    )


def test_mark_done_is_protected_by_csrf():
    section = SectionFactory()
    client = Client(enforce_csrf_checks=True)
    page = client.get(section.get_absolute_url())
    assert client.post(done_url(section), {"done": "true"}).status_code == 403
    token = page.cookies["csrftoken"].value
    response = client.post(
        done_url(section),
        {"done": "true"},
        headers={"X-CSRFToken": token, "HX-Request": "true"},
    )
    assert response.status_code == 200
    assert SectionProgress.objects.get().done_at is not None
