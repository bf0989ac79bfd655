"""The section page of the admin: every part of a section on one page, in order.

Each part is a collapsible inline (``<details>``, so keyboard users open it with Enter or
Space) placed by its ``position``; Markdown fields carry a live preview; a dialogue is
edited as a script. The page also duplicates, publishes and unpublishes the section (as
changelist actions too), each logged in the admin log. Forms live in
``lessons.admin_forms``; the writes in ``lessons.authoring`` and ``quizzes.authoring``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse

from lessons import admin_views
from lessons.admin_forms import (
    DialogueForm,
    FlashcardFormSet,
    LinesField,
    MarkdownTextarea,
    MemoryAidFormSet,
    PositionedFormSet,
    SectionForm,
    TabularPositionedFormSet,
)
from lessons.authoring import section_duplicate, section_set_status
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
from quizzes.admin import QuizInline
from quizzes.admin_statistics import section_statistics_summary
from quizzes.authoring import quiz_duplicate
from quizzes.models import Quiz

# Links typed without a scheme are taken as https (Django 6's default; 5.2 warns).
URL_FIELDS_HTTPS = {models.URLField: {"assume_scheme": "https"}}


class MarkdownWidgets:
    """Give every Markdown field of the model a ``MarkdownTextarea`` with its preview."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        model = db_field.model
        if db_field.name in getattr(model, "markdown_fields", ()):
            inline = db_field.name in getattr(model, "inline_markdown_fields", ())
            kwargs["widget"] = MarkdownTextarea(
                attrs={"rows": 3 if inline else 6}, inline=inline
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class PartInline(MarkdownWidgets, admin.StackedInline):
    extra = 0
    classes = ["collapse"]
    formset = PositionedFormSet


class SummaryInline(MarkdownWidgets, admin.StackedInline):
    model = Summary
    extra = 0
    max_num = 3
    classes = ["collapse"]

    def get_extra(self, request: HttpRequest, obj: Section | None = None, **kwargs):
        # A form for each missing level (pre-set by SectionAdmin.get_formset_kwargs);
        # those left empty are not saved.
        have = obj.summaries.count() if obj is not None and obj.pk else 0
        return 3 - have


class DialogueInline(PartInline):
    model = Dialogue
    form = DialogueForm

    def get_queryset(self, request: HttpRequest) -> QuerySet[Dialogue]:
        return super().get_queryset(request).prefetch_related("lines")


class ExplainerInline(PartInline):
    model = Explainer


class KeyConceptInline(PartInline):
    model = KeyConcept


class ExampleInline(PartInline):
    model = Example


class MemoryAidInline(PartInline):
    model = MemoryAid
    formset = MemoryAidFormSet

    def get_queryset(self, request: HttpRequest) -> QuerySet[MemoryAid]:
        return super().get_queryset(request).prefetch_related("flashcards")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "flashcards":
            # Checkboxes, without the admin's "add another" popup; the formset limits the
            # choices to the section's own flashcards.
            return forms.ModelMultipleChoiceField(
                queryset=Flashcard.objects.none(),
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class FlashcardInline(PartInline):
    model = Flashcard
    formset = FlashcardFormSet


class GlossaryTermInline(PartInline):
    model = GlossaryTerm

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "aliases":
            return LinesField(
                required=False,
                label="Aliases",
                help_text="Other spellings, one per line.",
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class VideoInline(admin.TabularInline):
    model = Video
    extra = 0
    classes = ["collapse"]
    formset = TabularPositionedFormSet
    formfield_overrides = URL_FIELDS_HTTPS


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    form = SectionForm
    list_display = ["number", "title", "course", "status", "updated_at"]
    list_filter = ["status", "course"]
    search_fields = ["number", "title"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["course"]
    actions = ["publish_sections", "unpublish_sections", "duplicate_sections"]
    # The section's own fields come first; read-only summaries (the section's statistics)
    # go in fieldsets of their own after this one.
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "course",
                    "chapter",
                    "number",
                    "title",
                    "slug",
                    "position",
                    "status",
                ]
            },
        ),
    ]
    # In the order the section page shows them.
    inlines = [
        SummaryInline,
        DialogueInline,
        ExplainerInline,
        KeyConceptInline,
        ExampleInline,
        MemoryAidInline,
        FlashcardInline,
        GlossaryTermInline,
        VideoInline,
        QuizInline,
    ]

    def get_formset_kwargs(self, request, obj, inline, prefix) -> dict[str, Any]:
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, SummaryInline):
            have = (
                set(obj.summaries.values_list("level", flat=True)) if obj.pk else set()
            )
            kwargs["initial"] = [
                {"level": level} for level in Summary.Level.values if level not in have
            ]
        return kwargs

    # ------------------------------------------------------------ views and buttons

    def get_urls(self) -> list[URLPattern]:
        def wrap(view):
            return self.admin_site.admin_view(view)

        # Before the default URLs, whose "<path:object_id>/" would take them.
        return [
            path(
                "markdown-preview/",
                wrap(admin_views.markdown_preview),
                name="lessons_section_markdown_preview",
            ),
            path(
                "<path:object_id>/duplicate/",
                wrap(self.duplicate_view),
                name="lessons_section_duplicate",
            ),
            path(
                "<path:object_id>/publish/",
                wrap(self.publish_view),
                name="lessons_section_publish",
            ),
            path(
                "<path:object_id>/unpublish/",
                wrap(self.unpublish_view),
                name="lessons_section_unpublish",
            ),
            *super().get_urls(),
        ]

    def has_duplicate_permission(
        self, request: HttpRequest, obj: Section | None = None
    ) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(
            request, obj
        )

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        context["has_duplicate_permission"] = obj is not None and (
            self.has_duplicate_permission(request, obj)
        )
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def _section_or_404(self, request: HttpRequest, object_id: str) -> Section:
        section = self.get_object(request, unquote(object_id))
        if section is None:
            raise Http404("No such section.")
        return section

    def _change_url(self, section: Section) -> str:
        return reverse("admin:lessons_section_change", args=[section.pk])

    def _duplicate(self, request: HttpRequest, section: Section) -> Section:
        with transaction.atomic():
            copy = section_duplicate(section=section)
            quiz = Quiz.objects.filter(section=section).first()
            if quiz is not None:
                quiz_duplicate(quiz=quiz, section=copy)
            self.log_addition(
                request, copy, f"Duplicated from section {section.number}."
            )
        return copy

    def _set_status(self, request: HttpRequest, section: Section, status: str) -> bool:
        changed = section_set_status(section=section, status=status)
        if changed:
            verb = "Published" if status == Section.Status.PUBLISHED else "Unpublished"
            self.log_change(request, section, f"{verb}.")
        return changed

    def duplicate_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:lessons_section_changelist"))
        section = self._section_or_404(request, object_id)
        if not self.has_duplicate_permission(request, section):
            raise PermissionDenied
        copy = self._duplicate(request, section)
        self.message_user(
            request,
            f"Section {section.number} duplicated as {copy.number}, a draft: "
            "edit it here.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(self._change_url(copy))

    def _status_view(
        self, request: HttpRequest, object_id: str, status: str
    ) -> HttpResponse:
        section = self._section_or_404(request, object_id)
        if request.method != "POST":
            return HttpResponseRedirect(self._change_url(section))
        if not self.has_change_permission(request, section):
            raise PermissionDenied
        changed = self._set_status(request, section, status)
        state = "published" if status == Section.Status.PUBLISHED else "a draft"
        self.message_user(
            request,
            f"Section {section.number} is {'now' if changed else 'already'} {state}.",
            messages.SUCCESS if changed else messages.INFO,
        )
        return HttpResponseRedirect(self._change_url(section))

    def publish_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._status_view(request, object_id, Section.Status.PUBLISHED)

    def unpublish_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._status_view(request, object_id, Section.Status.DRAFT)

    # ------------------------------------------------------------ changelist actions

    @admin.action(description="Publish the selected sections", permissions=["change"])
    def publish_sections(self, request: HttpRequest, queryset: QuerySet) -> None:
        changed = sum(
            self._set_status(request, section, Section.Status.PUBLISHED)
            for section in queryset
        )
        self.message_user(request, f"Published {changed} section(s).")

    @admin.action(
        description="Unpublish the selected sections (make them drafts)",
        permissions=["change"],
    )
    def unpublish_sections(self, request: HttpRequest, queryset: QuerySet) -> None:
        changed = sum(
            self._set_status(request, section, Section.Status.DRAFT)
            for section in queryset
        )
        self.message_user(request, f"Unpublished {changed} section(s).")

    @admin.action(
        description="Duplicate the selected sections (as drafts)",
        permissions=["duplicate"],  # has_duplicate_permission: add and change
    )
    def duplicate_sections(self, request: HttpRequest, queryset: QuerySet) -> None:
        copies = [self._duplicate(request, section) for section in queryset]
        numbers = ", ".join(copy.number for copy in copies)
        self.message_user(request, f"Duplicated {len(copies)} section(s): {numbers}.")

    # ------------------------------------------------------------ learners' statistics

    def get_fieldsets(self, request: HttpRequest, obj: Section | None = None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and request.user.has_perm("quizzes.view_quiz"):
            fieldsets.append(("Learners", {"fields": ["learner_statistics"]}))
        return fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: Section | None = None):
        return [*super().get_readonly_fields(request, obj), "learner_statistics"]

    @admin.display(description="Statistics")
    def learner_statistics(self, section: Section) -> str:
        return section_statistics_summary(section)


# The parts also have pages of their own (the section page is where to edit them).


@admin.register(Dialogue)
class DialogueAdmin(admin.ModelAdmin):
    form = DialogueForm
    fields = ["section", "title", "position", "script"]
    list_display = ["title", "section"]
    list_select_related = ["section"]


class PartAdmin(MarkdownWidgets, admin.ModelAdmin):
    list_display = ["__str__", "section"]
    list_select_related = ["section"]


for model in (Summary, Explainer, KeyConcept, Example, MemoryAid, Flashcard):
    admin.site.register(model, PartAdmin)


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(PartAdmin):
    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "aliases":
            return LinesField(
                required=False, help_text="Other spellings, one per line."
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Video)
class VideoAdmin(admin.ModelAdmin):
    list_display = ["title", "section", "url"]
    list_select_related = ["section"]
    formfield_overrides = URL_FIELDS_HTTPS
