from __future__ import annotations

import pytest
from django.urls import reverse

from tests.courses.factories import ChapterFactory, CourseFactory
from tests.lessons.factories import DraftSectionFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_catalog_lists_courses_with_published_sections(client):
    section = SectionFactory(chapter__course__title="Machine Learning")
    CourseFactory(title="Empty course")
    response = client.get(reverse("courses:catalog"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Machine Learning" in html
    assert section.course.get_absolute_url() in html
    assert "Empty course" not in html


def test_catalog_hides_a_course_whose_sections_are_all_drafts(client):
    DraftSectionFactory(chapter__course__title="Secret course")
    assert "Secret course" not in client.get("/").content.decode()


def test_outline_lists_chapters_and_sections_in_order(client):
    chapter = ChapterFactory(number=15, title="Foundation Models")
    later = SectionFactory(chapter=chapter, number="15.2", position=1, title="Kinds")
    first = SectionFactory(
        chapter=chapter, number="15.1", position=0, title="Definition"
    )
    response = client.get(chapter.course.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "15. Foundation Models" in html
    assert html.index(first.title) < html.index(later.title)
    assert first.get_absolute_url() in html


def test_outline_hides_drafts_from_students_and_shows_them_to_staff(client, staff_user):
    draft = DraftSectionFactory(title="Unfinished section")
    url = draft.course.get_absolute_url()
    assert "Unfinished section" not in client.get(url).content.decode()
    client.force_login(staff_user)
    html = client.get(url).content.decode()
    assert "Unfinished section" in html
    assert "Draft" in html


def test_unknown_course_is_404(client):
    assert client.get("/courses/no-such-course/").status_code == 404


@pytest.mark.parametrize("n_sections", [1, 20])
def test_outline_query_count_does_not_grow_with_sections(
    client, django_assert_max_num_queries, n_sections
):
    chapter = ChapterFactory()
    SectionFactory.create_batch(n_sections, chapter=chapter)
    with django_assert_max_num_queries(3):
        response = client.get(chapter.course.get_absolute_url())
    assert response.content.decode().count('class="number"') == n_sections


@pytest.mark.parametrize("n_courses", [1, 10])
def test_catalog_query_count_does_not_grow_with_courses(
    client, django_assert_max_num_queries, n_courses
):
    SectionFactory.create_batch(n_courses)
    with django_assert_max_num_queries(1):
        response = client.get("/")
    assert response.content.decode().count('class="card"') == n_courses


def test_catalog_answers_head_for_health_checks_and_refuses_post(client):
    SectionFactory()
    assert client.head(reverse("courses:catalog")).status_code == 200
    assert client.post(reverse("courses:catalog")).status_code == 405
