"""The section page of the admin: every part inline, dialogue scripts, Markdown preview,
drafts, duplicate and publish, the admin log and who may do what."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from courses.models import Chapter, Course, Learner, SectionProgress
from lessons.models import (
    Dialogue,
    DialogueLine,
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
from quizzes.models import Choice, Question, Quiz
from tests.admin_forms import add_inline_forms, form_data
from tests.courses.factories import (
    ChapterFactory,
    SectionProgressFactory,
    StaffUserFactory,
    UserFactory,
)
from tests.lessons.factories import (
    DialogueFactory,
    DialogueLineFactory,
    DraftSectionFactory,
    ExplainerFactory,
    SectionFactory,
    section_with_every_part,
)

pytestmark = pytest.mark.django_db

PARTS = [
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
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def instructor(db):
    user = StaffUserFactory()
    user.groups.add(Group.objects.get(name="Instructors"))
    return user


@pytest.fixture
def instructor_client(client, instructor):
    client.force_login(instructor)
    return client


def change_url(section: Section) -> str:
    return reverse("admin:lessons_section_change", args=[section.pk])


def change_form(client: Client, section: Section) -> dict:
    response = client.get(change_url(section))
    assert response.status_code == 200
    return form_data(response.content, "section_form")


def post_ok(client: Client, url: str, data: dict) -> None:
    response = client.post(url, data)
    if response.status_code != 302:
        errors = response.context and [
            response.context["adminform"].form.errors,
            [
                (f.formset.prefix, f.formset.errors, f.formset.non_form_errors())
                for f in response.context["inline_admin_formsets"]
            ],
        ]
        raise AssertionError(f"not saved: {errors}")


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


def test_section_change_page_edits_every_part_inline_in_order(admin_client):
    section = section_with_every_part(2)
    response = admin_client.get(change_url(section))
    html = response.content.decode()
    assert response.status_code == 200
    places = [html.index(f'name="{prefix}-TOTAL_FORMS"') for prefix in PARTS]
    assert places == sorted(places)  # in the order the section page shows them
    assert section.explainers.first().statement in html
    # Each part is collapsible (<details>: Enter or Space opens it), and positioned.
    assert html.count("<details>") >= len(PARTS)
    assert 'name="explainers-0-position"' in html
    # The quiz lists its questions, linked to the question page, and offers to add one.
    question = section.quiz.questions.first()
    assert reverse("admin:quizzes_question_change", args=[question.pk]) in html
    assert f"{reverse('admin:quizzes_question_add')}?quiz={section.quiz.pk}" in html


@pytest.mark.parametrize("n", [1, 10])
def test_the_section_page_costs_the_same_queries_whatever_its_size(
    admin_client, django_assert_max_num_queries, n
):
    section = section_with_every_part(n)
    admin_client.get(change_url(section))  # warm the content-type and session caches
    with django_assert_max_num_queries(36):
        response = admin_client.get(change_url(section))
    assert response.content.decode().count('class="md-preview-body') >= 3 + 5 * n


def test_a_section_with_every_part_is_authored_in_the_admin_and_shown_on_the_site(
    admin_client,
):
    chapter = ChapterFactory(number=15)
    response = admin_client.get(reverse("admin:lessons_section_add"))
    data = form_data(response.content, "section_form")
    # The three summary forms come with their levels set.
    assert [data[f"summaries-{n}-level"] for n in range(3)] == [
        "basic",
        "medium",
        "detailed",
    ]
    data |= {
        "course": chapter.course.pk,
        "chapter": chapter.pk,
        "number": "15.1",
        "title": "What are Foundation Models?",
        "slug": "foundation-models",
        "position": "",
        "status": "published",
        "summaries-0-text": "Models trained **broadly**, then adapted.",
        "summaries-1-text": "The medium summary.",
        "summaries-2-text": "The detailed summary.",
    }
    add_inline_forms(
        data,
        "dialogues",
        [
            {
                "title": "Why foundations",
                "position": "",
                "script": "Teacher: One model, many tasks.\r\nStudent 1: Like a base?",
            }
        ],
    )
    add_inline_forms(
        data,
        "explainers",
        [
            {
                "title": "Scale",
                "position": "0",
                "statement": "Scale changes what a model can do.",
                "explanation": "More data and parameters.",
                "analogy": "Like a library.",
            }
        ],
    )
    add_inline_forms(
        data,
        "key_concepts",
        [{"term": "Pretraining", "position": "", "description": "Learning first."}],
    )
    add_inline_forms(
        data,
        "examples",
        [{"title": "Code assistants", "position": "", "text": "They complete code."}],
    )
    add_inline_forms(
        data,
        "memory_aids",
        [
            {
                "kind": "acronym",
                "title": "BASE",
                "position": "",
                "text": "Broad, Adaptable, Scaled, Emergent.",
            }
        ],
    )
    add_inline_forms(
        data,
        "flashcards",
        [
            {
                "key": "fm-definition",
                "position": "",
                "front": "What is a foundation model?",
                "back": "A broadly trained model.",
                "hint": "",
            }
        ],
    )
    add_inline_forms(
        data,
        "glossary_terms",
        [
            {
                "term": "Foundation model",
                "position": "",
                "definition": "A model others build on.",
                "aliases": "FM\r\nbase model",
            }
        ],
    )
    add_inline_forms(
        data,
        "videos",
        [
            {
                "title": "A talk",
                "position": "",
                "url": "https://www.youtube.com/watch?v=abcdefghijk",
            }
        ],
    )
    add_inline_forms(data, "quiz", [{"title": "Practice quiz", "pass_mark": "70"}])
    post_ok(admin_client, reverse("admin:lessons_section_add"), data)

    section = Section.objects.get(course=chapter.course, number="15.1")
    assert section.position == 0
    assert {s.level for s in section.summaries.all()} == set(Summary.Level.values)
    lines = list(section.dialogues.get().lines.all())
    assert [(line.speaker, line.role, line.text) for line in lines] == [
        ("Teacher", "teacher", "One model, many tasks."),
        ("Student 1", "student", "Like a base?"),
    ]
    assert section.glossary_terms.get().aliases == ["FM", "base model"]
    assert section.quiz.title == "Practice quiz"
    assert LogEntry.objects.filter(
        object_id=str(section.pk), action_flag=ADDITION
    ).exists()

    # A question, with its choices, through the question page.
    add = admin_client.get(
        reverse("admin:quizzes_question_add") + f"?quiz={section.quiz.pk}"
    )
    question_data = form_data(add.content, "question_form")
    assert question_data["quiz"] == str(section.quiz.pk)
    question_data |= {
        "key": "fm-what",
        "kind": "single_choice",
        "prompt": "What is a foundation model?",
        "explanation": "It is trained broadly.",
        "choices-0-text": "A broadly trained model",
        "choices-0-is_correct": "on",
        "choices-1-text": "A database",
    }
    response = admin_client.post(reverse("admin:quizzes_question_add"), question_data)
    assert response.status_code == 302
    assert response["Location"] == change_url(section) + "#quiz-group"
    question = Question.objects.get(key="fm-what")
    assert question.position == 0
    assert list(question.choices.values_list("position", "is_correct")) == [
        (0, True),
        (1, False),
    ]

    # Link the memory aid to the flashcard, now that both exist.
    data = change_form(admin_client, section)
    card = section.flashcards.get()
    data["memory_aids-0-flashcards"] = str(card.pk)
    post_ok(admin_client, change_url(section), data)
    assert list(section.memory_aids.get().flashcards.all()) == [card]

    page = Client().get(section.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    for text in [
        "Models trained <strong>broadly</strong>, then adapted.",
        "One model, many tasks.",
        "Scale changes what a model can do.",
        "Pretraining",
        "Code assistants",
        "BASE",
        "What is a foundation model?",
        "A model others build on.",
        "A talk",
        "Practice quiz",
    ]:
        assert text in html, text
    quiz_page = Client().get(section.get_absolute_url() + "quiz/")
    assert "A broadly trained model" in quiz_page.content.decode()


def test_posting_the_page_unchanged_changes_nothing(admin_client):
    section = section_with_every_part(2)
    before = {
        model: sorted(model.objects.values_list("pk", flat=True))
        for model in (DialogueLine, Explainer, Flashcard, MemoryAid)
    }
    post_ok(admin_client, change_url(section), change_form(admin_client, section))
    after = {
        model: sorted(model.objects.values_list("pk", flat=True))
        for model in (DialogueLine, Explainer, Flashcard, MemoryAid)
    }
    assert after == before
    entry = LogEntry.objects.filter(object_id=str(section.pk)).latest("pk")
    assert entry.get_change_message() == "No fields changed."


def test_parts_can_swap_places_and_a_blank_position_goes_last(admin_client):
    section = SectionFactory()
    first = ExplainerFactory(section=section, position=0, title="First")
    second = ExplainerFactory(section=section, position=1, title="Second")
    data = change_form(admin_client, section)
    data["explainers-0-position"], data["explainers-1-position"] = "1", "0"
    add_inline_forms(
        data,
        "explainers",
        [
            {
                "title": "Third",
                "position": "",
                "statement": "s",
                "explanation": "e",
                "analogy": "a",
            }
        ],
    )
    post_ok(admin_client, change_url(section), data)
    assert list(section.explainers.values_list("title", flat=True)) == [
        "Second",
        "First",
        "Third",
    ]
    assert {first.pk, second.pk} <= set(section.explainers.values_list("pk", flat=True))


def test_two_parts_in_one_place_are_refused(admin_client):
    section = SectionFactory()
    ExplainerFactory(section=section, position=0)
    ExplainerFactory(section=section, position=1)
    data = change_form(admin_client, section)
    data["explainers-1-position"] = "0"
    response = admin_client.post(change_url(section), data)
    assert response.status_code == 200
    assert "Please correct the duplicate data for position." in (
        response.content.decode()
    )
    assert list(section.explainers.values_list("position", flat=True)) == [0, 1]


# ---------------------------------------------------------------- dialogue scripts


@pytest.fixture
def dialogue():
    dialogue = DialogueFactory(section=SectionFactory(), position=0)
    for position, (speaker, role, text) in enumerate(
        [
            ("Teacher", "teacher", "What is *pretraining*?"),
            ("Student 2", "student", "Learning from lots of text."),
        ]
    ):
        DialogueLineFactory(
            dialogue=dialogue, position=position, speaker=speaker, role=role, text=text
        )
    return dialogue


def test_a_dialogue_is_shown_as_its_script(admin_client, dialogue):
    data = change_form(admin_client, dialogue.section)
    assert data["dialogues-0-script"] == (
        "Teacher: What is *pretraining*?\nStudent 2: Learning from lots of text.\n"
    )


def test_a_dialogue_script_round_trips_and_is_stored_as_lines(admin_client, dialogue):
    section = dialogue.section
    kept = dialogue.lines.get(position=0).pk
    data = change_form(admin_client, section)
    data["dialogues-0-script"] = (
        "Teacher: What is *pretraining*?\r\n"
        "\r\n"
        "Priya Rao: Reading a lot first.\r\n"
        "Teacher 2:   And then?  \r\n"
    )
    post_ok(admin_client, change_url(section), data)
    lines = list(dialogue.lines.all())
    assert [(line.position, line.speaker, line.role, line.text) for line in lines] == [
        (0, "Teacher", "teacher", "What is *pretraining*?"),
        (1, "Priya Rao", "student", "Reading a lot first."),
        (2, "Teacher 2", "teacher", "And then?"),
    ]
    assert lines[0].pk == kept  # an unchanged line keeps its row
    assert lines[0].text_html == "What is <em>pretraining</em>?"
    # And it reads back as the same script.
    assert change_form(admin_client, section)["dialogues-0-script"] == (
        "Teacher: What is *pretraining*?\n"
        "Priya Rao: Reading a lot first.\n"
        "Teacher 2: And then?\n"
    )
    # Fewer lines: the rest go.
    data = change_form(admin_client, section)
    data["dialogues-0-script"] = "Teacher: Only this."
    post_ok(admin_client, change_url(section), data)
    assert list(dialogue.lines.values_list("speaker", "text")) == [
        ("Teacher", "Only this.")
    ]


def test_a_bad_script_is_refused_with_the_line_numbers_at_fault(admin_client, dialogue):
    section = dialogue.section
    data = change_form(admin_client, section)
    data["dialogues-0-script"] = (
        "Teacher: Fine.\r\nno speaker here\r\n\r\nStudent:\r\nStudent 1: Fine too."
    )
    response = admin_client.post(change_url(section), data)
    assert response.status_code == 200
    formset = next(
        f.formset
        for f in response.context["inline_admin_formsets"]
        if f.formset.prefix == "dialogues"
    )
    assert formset.forms[0].errors["script"] == [
        "Script line 2 should read 'Speaker: text', like 'Teacher: Welcome.'",
        "Script line 4 should read 'Speaker: text', like 'Teacher: Welcome.'",
    ]
    html = response.content.decode()
    assert "Script line 2 should read" in html
    assert "Script line 4 should read" in html
    assert list(dialogue.lines.values_list("text", flat=True)) == [
        "What is *pretraining*?",
        "Learning from lots of text.",
    ]


def test_a_blank_script_is_refused(admin_client, dialogue):
    data = change_form(admin_client, dialogue.section)
    data["dialogues-0-script"] = "  \r\n  "
    response = admin_client.post(change_url(dialogue.section), data)
    assert response.status_code == 200
    assert dialogue.lines.count() == 2


def test_the_dialogue_page_edits_the_script_too(admin_client, dialogue):
    url = reverse("admin:lessons_dialogue_change", args=[dialogue.pk])
    data = form_data(admin_client.get(url).content, "dialogue_form")
    data["script"] = "Teacher: New.\nStudent 1: Newer."
    response = admin_client.post(url, data)
    assert response.status_code == 302
    assert list(dialogue.lines.values_list("speaker", "role")) == [
        ("Teacher", "teacher"),
        ("Student 1", "student"),
    ]


# ---------------------------------------------------------------- Markdown preview

PREVIEW = "admin:lessons_section_markdown_preview"


def test_the_preview_renders_markdown_as_the_site_does(admin_client):
    response = admin_client.post(
        reverse(PREVIEW),
        {"text": "Some **bold**\n\n| a |\n|---|\n| 1 |\n\n<script>alert(1)</script>"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>bold</strong>" in html
    assert "<table>" in html
    assert "<script" not in html
    inline = admin_client.post(reverse(PREVIEW), {"text": "*one*", "inline": "1"})
    assert inline.content.decode().strip() == "<em>one</em>"
    empty = admin_client.post(reverse(PREVIEW), {"text": "  "})
    assert "Nothing to preview yet." in empty.content.decode()


def test_the_preview_is_post_only_and_refuses_huge_texts(admin_client):
    assert admin_client.get(reverse(PREVIEW)).status_code == 405
    response = admin_client.post(reverse(PREVIEW), {"text": "x" * 100_001})
    assert response.status_code == 400


def test_the_preview_is_for_staff_only(client, user):
    response = client.post(reverse(PREVIEW), {"text": "**x**"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    client.force_login(user)
    response = client.post(reverse(PREVIEW), {"text": "**x**"})
    assert response.status_code == 302
    assert "<strong>" not in response.content.decode()


def test_the_preview_needs_the_csrf_token(instructor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(instructor)
    assert client.post(reverse(PREVIEW), {"text": "**x**"}).status_code == 403
    section = SectionFactory()
    client.get(change_url(section))  # sets the CSRF cookie, as the page does
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse(PREVIEW), {"text": "**x**"}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 200
    assert "<strong>x</strong>" in response.content.decode()


def test_markdown_fields_carry_their_preview(admin_client):
    section = section_with_every_part(1)
    html = admin_client.get(change_url(section)).content.decode()
    assert "django_htmx/htmx-2.min.js" in html
    assert "admin-studio/studio.js" in html
    assert f'hx-post="{reverse(PREVIEW)}"' in html
    assert 'data-md-preview="block"' in html
    assert 'data-md-preview="inline"' in html  # flashcard faces
    # The preview of saved text is there before any typing (no JavaScript needed).
    assert "The <strong>basic</strong> summary." in html
    assert "<script>" not in html.split("</head>")[1].replace("<script src", "")


# ---------------------------------------------------------------- drafts and view on site


def test_view_on_site_works_for_a_draft_and_shows_the_draft_banner(admin_client):
    section = DraftSectionFactory()
    html = admin_client.get(change_url(section)).content.decode()
    view_on_site = reverse(
        "admin:view_on_site", args=[_content_type_id(Section), section.pk]
    )
    assert view_on_site in html
    response = admin_client.get(view_on_site)
    assert response.status_code == 302
    assert response["Location"].endswith(section.get_absolute_url())
    page = admin_client.get(section.get_absolute_url())
    assert page.status_code == 200
    assert "Draft" in page.content.decode()


def _content_type_id(model) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model).pk


def test_a_draft_is_hidden_from_everyone_but_staff(client, user, staff_user):
    section = DraftSectionFactory()
    assert client.get(section.get_absolute_url()).status_code == 404
    client.force_login(user)
    assert client.get(section.get_absolute_url()).status_code == 404
    assert client.get(section.get_absolute_url() + "quiz/").status_code == 404
    client.force_login(staff_user)
    response = client.get(section.get_absolute_url())
    assert response.status_code == 200
    assert "Draft: only staff can see this section." in response.content.decode()


def test_a_published_section_has_no_draft_banner(client):
    section = SectionFactory()
    assert "Draft:" not in client.get(section.get_absolute_url()).content.decode()


# ---------------------------------------------------------------- publish and duplicate


def test_publish_and_unpublish_from_the_section_page_are_logged(instructor_client):
    section = DraftSectionFactory()
    html = instructor_client.get(change_url(section)).content.decode()
    assert ">Publish</button>" in html
    publish = reverse("admin:lessons_section_publish", args=[section.pk])
    assert instructor_client.get(publish).status_code == 302  # a GET changes nothing
    section.refresh_from_db()
    assert section.status == "draft"

    response = instructor_client.post(publish)
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.status == "published"
    assert Client().get(section.get_absolute_url()).status_code == 200
    entry = LogEntry.objects.get(object_id=str(section.pk), action_flag=CHANGE)
    assert entry.get_change_message() == "Published."
    html = instructor_client.get(change_url(section)).content.decode()
    assert ">Unpublish</button>" in html

    instructor_client.post(
        reverse("admin:lessons_section_unpublish", args=[section.pk])
    )
    section.refresh_from_db()
    assert section.status == "draft"
    assert Client().get(section.get_absolute_url()).status_code == 404
    assert LogEntry.objects.filter(
        object_id=str(section.pk), change_message="Unpublished."
    ).exists()


def test_publish_and_unpublish_actions_log_each_section(instructor_client):
    drafts = DraftSectionFactory.create_batch(2)
    published = SectionFactory()
    changelist = reverse("admin:lessons_section_changelist")
    response = instructor_client.post(
        changelist,
        {
            "action": "publish_sections",
            "_selected_action": [s.pk for s in [*drafts, published]],
        },
    )
    assert response.status_code == 302
    assert set(Section.objects.values_list("status", flat=True)) == {"published"}
    logged = LogEntry.objects.filter(change_message="Published.")
    assert sorted(int(e.object_id) for e in logged) == sorted(s.pk for s in drafts)

    instructor_client.post(
        changelist,
        {"action": "unpublish_sections", "_selected_action": [published.pk]},
    )
    published.refresh_from_db()
    assert published.status == "draft"


def test_duplicate_copies_every_part_as_a_new_draft(instructor_client):
    section = section_with_every_part(2, number="3.1", title="Scale")
    section.chapter.number = 3
    section.chapter.save()
    SectionFactory(chapter=section.chapter, course=section.course, number="3.4")
    response = instructor_client.post(
        reverse("admin:lessons_section_duplicate", args=[section.pk])
    )
    copy = Section.objects.exclude(pk=section.pk).latest("pk")
    assert response.status_code == 302
    assert response["Location"] == change_url(copy)
    assert copy.status == "draft"
    assert copy.number == "3.5"  # the next free number in the chapter
    assert copy.slug == f"{section.slug}-copy"
    assert copy.title == "Scale (copy)"
    for part in [
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
        assert getattr(copy, part).count() == getattr(section, part).count(), part
    assert DialogueLine.objects.filter(dialogue__section=copy).count() == 4
    original_keys = set(section.flashcards.values_list("key", flat=True))
    copy_keys = set(copy.flashcards.values_list("key", flat=True))
    assert copy_keys == {f"{key}-copy" for key in original_keys}
    for aid in copy.memory_aids.all():
        assert {card.section_id for card in aid.flashcards.all()} == {copy.pk}
    assert copy.quiz.questions.count() == 2
    assert Choice.objects.filter(question__quiz=copy.quiz).count() == 4
    assert section.quiz.questions.count() == 2  # the original keeps its own
    entry = LogEntry.objects.get(object_id=str(copy.pk), action_flag=ADDITION)
    assert entry.get_change_message() == f"Duplicated from section {section.number}."

    # A second copy gets another number and slug.
    instructor_client.post(
        reverse("admin:lessons_section_duplicate", args=[section.pk])
    )
    second = Section.objects.latest("pk")
    assert (second.number, second.slug) == ("3.6", f"{section.slug}-copy-2")
    assert set(second.flashcards.values_list("key", flat=True)) == {
        f"{key}-copy-2" for key in original_keys
    }


def test_duplicate_is_post_only(instructor_client):
    section = SectionFactory()
    response = instructor_client.get(
        reverse("admin:lessons_section_duplicate", args=[section.pk])
    )
    assert response.status_code == 302
    assert Section.objects.count() == 1


def test_the_duplicate_action_copies_each_selected_section(instructor_client):
    sections = SectionFactory.create_batch(2)
    instructor_client.post(
        reverse("admin:lessons_section_changelist"),
        {
            "action": "duplicate_sections",
            "_selected_action": [s.pk for s in sections],
        },
    )
    assert Section.objects.filter(status="draft").count() == 2
    assert LogEntry.objects.filter(action_flag=ADDITION).count() == 2


def test_an_unknown_section_is_a_404(instructor_client):
    url = reverse("admin:lessons_section_publish", args=[999_999])
    assert instructor_client.post(url).status_code == 404


# ---------------------------------------------------------------- permissions


def test_the_instructors_group_covers_every_section_action(instructor):
    for perm in ["lessons.add_section", "lessons.change_section"]:
        assert instructor.has_perm(perm)


def test_an_instructor_sees_every_action(instructor_client):
    section = SectionFactory()
    response = instructor_client.get(reverse("admin:lessons_section_changelist"))
    actions = [
        value
        for value, _label in response.context["action_form"].fields["action"].choices
    ]
    assert {"publish_sections", "unpublish_sections", "duplicate_sections"} <= set(
        actions
    )
    html = instructor_client.get(change_url(section)).content.decode()
    assert ">Duplicate section</button>" in html
    assert ">Unpublish</button>" in html


def test_staff_without_permissions_can_do_none_of_it(client, staff_user):
    section = SectionFactory()
    client.force_login(staff_user)
    assert client.get(change_url(section)).status_code == 403
    for name in ["publish", "unpublish", "duplicate"]:
        url = reverse(f"admin:lessons_section_{name}", args=[section.pk])
        assert client.post(url).status_code == 403, name
    assert Section.objects.count() == 1
    assert not LogEntry.objects.exists()


def test_change_permission_without_add_cannot_duplicate(client, staff_user):
    staff_user.user_permissions.add(
        Permission.objects.get(codename="change_section"),
        Permission.objects.get(codename="view_section"),
    )
    client.force_login(staff_user)
    section = DraftSectionFactory()
    html = client.get(change_url(section)).content.decode()
    assert ">Publish</button>" in html
    assert "Duplicate section" not in html
    url = reverse("admin:lessons_section_duplicate", args=[section.pk])
    assert client.post(url).status_code == 403
    response = client.get(reverse("admin:lessons_section_changelist"))
    actions = [v for v, _ in response.context["action_form"].fields["action"].choices]
    assert "duplicate_sections" not in actions
    assert "publish_sections" in actions
    publish = reverse("admin:lessons_section_publish", args=[section.pk])
    assert client.post(publish).status_code == 302


def test_view_permission_alone_cannot_publish(client, staff_user):
    staff_user.user_permissions.add(Permission.objects.get(codename="view_section"))
    client.force_login(staff_user)
    section = DraftSectionFactory()
    html = client.get(change_url(section)).content.decode()
    assert ">Publish</button>" not in html
    publish = reverse("admin:lessons_section_publish", args=[section.pk])
    assert client.post(publish).status_code == 403
    section.refresh_from_db()
    assert section.status == "draft"


def test_students_cannot_reach_the_admin(client, user):
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    section = SectionFactory()
    response = client.post(reverse("admin:lessons_section_publish", args=[section.pk]))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_an_instructor_authors_a_section_through_the_forms(instructor_client):
    """The same page as for a superuser: the group's permissions cover every part."""
    section = section_with_every_part(1)
    data = change_form(instructor_client, section)
    data["explainers-0-title"] = "Renamed by an instructor"
    post_ok(instructor_client, change_url(section), data)
    assert section.explainers.get().title == "Renamed by an instructor"
    entry = LogEntry.objects.get(object_id=str(section.pk), action_flag=CHANGE)
    assert "Renamed by an instructor" in entry.get_change_message()


def test_the_site_shows_an_admin_edit_at_once(admin_client, dialogue):
    """The section page is cached; every save in the admin makes it fresh."""
    section = dialogue.section
    section.status = "draft"
    section.save()
    assert "Learning from lots of text." in (
        admin_client.get(section.get_absolute_url()).content.decode()
    )
    data = change_form(admin_client, section)
    data["dialogues-0-script"] = "Teacher: A new line.\r\nStudent 2: Learning again."
    post_ok(admin_client, change_url(section), data)
    html = admin_client.get(section.get_absolute_url()).content.decode()
    assert "A new line." in html
    assert "Learning from lots of text." not in html
    assert "Draft: only staff can see this section." in html
    admin_client.post(reverse("admin:lessons_section_publish", args=[section.pk]))
    anonymous = Client().get(section.get_absolute_url()).content.decode()
    assert "A new line." in anonymous
    assert "Draft:" not in anonymous
