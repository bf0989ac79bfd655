"""The plain section page cached whole with holes (lessons/page_shell.py): each visitor's
own parts are theirs, the rest is the same text, and the holes' markers never leak."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from courses.models import Learner
from lessons import page_shell, page_state
from tests.courses.factories import UserFactory
from tests.lessons.factories import section_with_every_part
from tests.quizzes.factories import AttemptFactory

pytestmark = pytest.mark.django_db

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CSRF_HEADER = re.compile(r'"X-CSRFToken": "([^"]+)"')


def without_tokens(html: str) -> str:
    return CSRF_HEADER.sub("", CSRF_INPUT.sub("", html))


@pytest.fixture
def section():
    return section_with_every_part(2, title="Shell section")


def page(client: Client, section, **params: str) -> str:
    response = client.get(section.get_absolute_url(), params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "\x1f" not in html  # no marker ever reaches a visitor
    return html


def shells() -> list[str]:
    return [key for key in cache._cache if ":page-shell:" in key]  # locmem's keys


# ---------------------------------------------------------------- split and fill


def test_split_takes_the_holes_out_and_fill_puts_new_ones_in():
    marker = page_shell.new_marker()
    html = f"<a>{marker}x{marker}one{marker}<b>{marker}y{marker}two{marker}</b>"
    shell, page_text = page_shell.split(html, marker)
    assert page_text == "<a>one<b>two</b>"
    assert shell.holes == ("x", "y")
    assert shell.parts == ("<a>", "<b>", "</b>")
    assert shell.fill({"x": lambda: "1", "y": lambda: "2"}) == "<a>1<b>2</b>"


def test_unbalanced_or_nested_markers_are_refused():
    marker = page_shell.new_marker()
    with pytest.raises(ValueError, match="unbalanced"):
        page_shell.split(f"a{marker}x{marker}b", marker)


def test_markers_are_unguessable():
    assert page_shell.new_marker() != page_shell.new_marker()


# ---------------------------------------------------------------- the page


def test_the_plain_page_is_stored_once_and_served_from_it(
    client, section, django_assert_max_num_queries
):
    first = page(client, section)
    assert len(shells()) == 1
    with django_assert_max_num_queries(2):  # the session and the page's state
        second = page(client, section)
    # The same page but for the CSRF token, which is masked afresh for every response.
    assert without_tokens(first) == without_tokens(second)
    assert "Shell section" in second


def test_urls_with_a_fragment_state_are_not_shells(client, section):
    page(client, section, card="2", side="back")
    page(client, section, dialogue="1", line="2")
    assert shells() == []
    page(client, section, level="medium")
    assert len(shells()) == 1


def test_each_learner_gets_their_own_holes(section):
    first, second = Client(), Client()
    page(first, section)
    first.post(
        reverse("lessons:mark-done", args=[section.course.slug, section.number]),
        {"done": "true"},
    )
    AttemptFactory(learner=Learner.objects.get(), quiz=section.quiz, score=2, total=2)
    user = UserFactory(username="ada")
    third = Client()
    third.force_login(user)

    mine = page(first, section)
    theirs = page(second, section)
    account = page(third, section)
    assert len(shells()) == 1  # all three from one shell
    assert "Done: you marked this section done" in mine
    assert "Your best score: 100 %, passed." in mine
    assert "Practise again" in mine
    assert "Not done yet." in theirs
    assert "Your best score" not in theirs
    assert "Take the practice quiz" in theirs
    assert "Log in" in theirs
    assert "ada" not in theirs
    assert '<span class="username">ada</span>' in account
    assert "Log out" in account
    assert "Log in" not in account


def test_the_csrf_token_of_a_page_from_the_shell_is_accepted(section):
    client = Client(enforce_csrf_checks=True)
    page(client, section)
    html = page(client, section)  # from the shell
    (token,) = set(CSRF_INPUT.findall(html))
    response = client.post(
        reverse("lessons:mark-done", args=[section.course.slug, section.number]),
        {"done": "true", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert "Done: you marked this section done" in page(client, section)


def test_staff_and_students_have_separate_shells(section):
    staff = Client()
    staff.force_login(UserFactory(is_staff=True))
    page(staff, section)
    page(Client(), section)
    assert len(shells()) == 2


def test_a_new_release_has_new_keys(monkeypatch):
    before = page_shell.key("section", 1, 1, "basic", False)
    monkeypatch.setattr(page_shell, "release", lambda: "another-release")
    assert page_shell.key("section", 1, 1, "basic", False) != before


def test_the_summary_fragment_is_stored_once_per_level_and_version(
    client, section, htmx_headers
):
    url = section.get_absolute_url()
    headers = htmx_headers("summary-panel")
    first = client.get(url, {"level": "medium"}, headers=headers).content.decode()
    again = client.get(url, {"level": "medium"}, headers=headers).content.decode()
    assert first == again
    assert "<strong>medium</strong>" in again
    assert "<html" not in again
    assert [key for key in shells() if ":summary:" in key]
    summary = section.summaries.get(level="medium")
    summary.text = "A *changed* medium summary."
    summary.save()  # a new version: a new entry
    changed = client.get(url, {"level": "medium"}, headers=headers).content.decode()
    assert "<em>changed</em>" in changed


@pytest.fixture
def made(monkeypatch) -> list[str]:
    """The names of the models whose instances the section's state makes from here on."""
    names: list[str] = []
    real_load = page_state.load_only
    monkeypatch.setattr(
        page_state,
        "load_only",
        lambda model, alias, **values: (
            names.append(model.__name__) or real_load(model, alias, **values)
        ),
    )
    return names


def test_the_summary_fragment_from_its_shell_makes_no_model_instance(
    client, section, htmx_headers, made
):
    url = section.get_absolute_url()
    headers = htmx_headers("summary-panel")
    client.get(url, {"level": "medium"}, headers=headers)
    made.clear()
    response = client.get(url, {"level": "medium"}, headers=headers)
    assert "<strong>medium</strong>" in response.content.decode()
    # The section, learner, progress and score are never made: the fragment shows none
    # of them, and the learner's stored level is read from the row.
    assert made == []
    # Another level is the learner's from now on (their instance made to save it).
    client.get(url, {"level": "detailed"}, headers=headers)
    assert "Learner" in made
    assert Learner.objects.get().summary_level == "detailed"
    assert "<strong>detailed</strong>" in client.get(url).content.decode()


def test_a_reload_from_its_shell_makes_no_model_instance(client, section, made):
    page(client, section)  # the visit, recorded: its model instances made to write it
    assert made
    made.clear()
    html = page(client, section)
    assert 'name="done" value="true"' in html  # the mark-done hole, from the row
    # Within a minute of the visit nothing is written, and the holes need no instance.
    assert made == []


def test_a_shell_is_kept_by_the_process_until_its_section_changes(
    client, section, monkeypatch
):
    page(client, section)
    page(client, section)
    read = []
    real_get = cache.get
    monkeypatch.setattr(
        page_shell.django_cache, "get", lambda key: read.append(key) or real_get(key)
    )
    assert "Shell section" in page(client, section)
    # The process kept the shell: the cache was not asked for it.
    assert [key for key in read if "page-shell" in key] == []
    section.title = "Renamed section"
    section.save()  # a new version: a new key, so the kept shell is never read again
    html = page(client, section)
    assert "Renamed section" in html
    assert "Shell section" not in html


def test_the_process_keeps_a_bounded_number_of_shells(monkeypatch):
    monkeypatch.setattr(page_shell, "KEPT", 2)
    shell = page_shell.Shell(("x",), ())
    for name in ("a", "b", "c"):
        page_shell.put(name, shell, 60)
    page_shell.get("b")  # used: kept over "c"
    page_shell.put("d", shell, 60)
    assert list(page_shell._kept) == ["b", "d"]
