"""Students never reach the admin; instructors author content there and nothing else."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse

from lessons.models import Section
from tests.courses.factories import ChapterFactory, StaffUserFactory, UserFactory
from tests.lessons.factories import SectionFactory

PASSWORD = "correct horse battery staple"  # UserFactory's

CONTENT_MODELS = {
    "courses": {"course", "chapter"},
    "lessons": {
        "section",
        "summary",
        "dialogue",
        "dialogueline",
        "explainer",
        "keyconcept",
        "example",
        "memoryaid",
        "flashcard",
        "glossaryterm",
        "video",
    },
    "quizzes": {"quiz", "question", "choice"},
}

# Every inline formset on the section admin page, by prefix.
SECTION_INLINES = [
    "summaries",
    "dialogues",
    "explainers",
    "key_concepts",
    "examples",
    "memory_aids",
    "flashcards",
    "glossary_terms",
    "videos",
    "quiz",
]


@pytest.fixture
def instructor(db):
    user = StaffUserFactory()
    user.groups.add(Group.objects.get(name="Instructors"))
    return user


@pytest.mark.django_db
def test_instructors_may_author_every_content_model_and_nothing_else():
    group = Group.objects.get(name="Instructors")
    granted = set(group.permissions.values_list("content_type__app_label", "codename"))
    expected = {
        (label, f"{action}_{model}")
        for label, models in CONTENT_MODELS.items()
        for model in models
        for action in ("add", "change", "delete", "view")
    }
    assert granted == expected


@pytest.mark.django_db
def test_instructors_have_nothing_on_accounts_or_learner_data(instructor):
    for perm in [
        "courses.view_user",
        "courses.change_user",
        "auth.view_group",
        "auth.change_permission",
        "courses.view_learner",
        "courses.view_sectionprogress",
        "courses.view_studyday",
        "quizzes.view_attempt",
        "quizzes.view_answer",
        "quizzes.view_reviewcard",
    ]:
        assert not instructor.has_perm(perm), perm
    assert instructor.has_perm("lessons.add_section")
    assert instructor.has_perm("quizzes.delete_choice")


@pytest.mark.django_db
def test_an_instructor_edits_and_adds_sections_in_the_admin(client, instructor):
    section = SectionFactory()
    client.force_login(instructor)
    response = client.get(reverse("admin:lessons_section_change", args=[section.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for prefix in SECTION_INLINES:  # every part of a section, editable on one page
        assert f'name="{prefix}-TOTAL_FORMS"' in html, prefix

    chapter = ChapterFactory(course=section.course, number=7)
    data = {
        "course": section.course.pk,
        "chapter": chapter.pk,
        "number": "7.1",
        "slug": "new-section",
        "title": "A new section",
        "status": "draft",
        "position": 0,
    }
    for prefix in SECTION_INLINES:
        data |= {
            f"{prefix}-TOTAL_FORMS": 0,
            f"{prefix}-INITIAL_FORMS": 0,
            f"{prefix}-MIN_NUM_FORMS": 0,
            f"{prefix}-MAX_NUM_FORMS": 1000,
        }
    response = client.post(reverse("admin:lessons_section_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Section.objects.filter(course=section.course, number="7.1").exists()


@pytest.mark.django_db
def test_an_instructor_cannot_open_the_user_or_group_admin(client, instructor):
    client.force_login(instructor)
    assert client.get(reverse("admin:courses_user_changelist")).status_code == 403
    assert (
        client.get(
            reverse("admin:courses_user_change", args=[instructor.pk])
        ).status_code
        == 403
    )
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403
    assert client.get(reverse("admin:courses_learner_changelist")).status_code == 403


@pytest.mark.django_db
def test_a_student_who_signed_up_is_not_staff_and_cannot_reach_the_admin(client):
    client.post(
        reverse("signup"),
        {"username": "student", "password1": PASSWORD, "password2": PASSWORD},
    )
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert client.get(reverse("admin:lessons_section_changelist")).status_code == 302


@pytest.mark.django_db
def test_a_student_cannot_log_in_to_the_admin_with_the_right_password(client):
    student = UserFactory()
    response = client.post(
        reverse("admin:login"), {"username": student.username, "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "staff account" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_instructors_migration_is_reversible():
    call_command("migrate", "courses", "0003", verbosity=0)
    assert not Group.objects.filter(name="Instructors").exists()
    call_command("migrate", "courses", verbosity=0)
    group = Group.objects.get(name="Instructors")
    assert group.permissions.count() == 4 * sum(map(len, CONTENT_MODELS.values()))


@pytest.mark.django_db(transaction=True)
def test_the_migration_creates_the_permissions_it_needs_when_none_exist_yet():
    """On a fresh database permissions come after the migrations (post_migrate)."""
    call_command("migrate", "courses", "0003", verbosity=0)
    Permission.objects.all().delete()
    call_command("migrate", "courses", verbosity=0)
    assert Group.objects.get(name="Instructors").permissions.count() == 64
