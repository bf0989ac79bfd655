from __future__ import annotations

import pytest
from django.urls import reverse

from courses.models import Chapter, Course, Learner, SectionProgress
from lessons.models import (
    Dialogue,
    Example,
    Explainer,
    Flashcard,
    GlossaryTerm,
    KeyConcept,
    MemoryAid,
    Section,
    Summary,
    Video,
)
from quizzes.models import Question, Quiz
from tests.courses.factories import SectionProgressFactory, UserFactory
from tests.lessons.factories import section_with_every_part

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "model",
    [
        Course,
        Chapter,
        Learner,
        SectionProgress,
        Section,
        Summary,
        Dialogue,
        Explainer,
        KeyConcept,
        Example,
        MemoryAid,
        Flashcard,
        GlossaryTerm,
        Video,
        Quiz,
        Question,
    ],
)
def test_every_model_has_an_admin_list(admin_client, model):
    section_with_every_part(1)
    SectionProgressFactory()
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert admin_client.get(url).status_code == 200


def test_section_change_page_edits_every_part_inline(admin_client):
    section = section_with_every_part(2)
    response = admin_client.get(
        reverse("admin:lessons_section_change", args=[section.pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    for prefix in [
        "summaries",
        "dialogues",
        "explainers",
        "key_concepts",
        "examples",
        "memory_aids",
        "flashcards",
        "glossary_terms",
        "videos",
    ]:
        assert f'name="{prefix}-TOTAL_FORMS"' in html, prefix
    assert section.explainers.first().statement in html


def test_students_cannot_reach_the_admin(client, user):
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
