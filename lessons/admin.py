from __future__ import annotations

from django.contrib import admin
from django.db import models

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


class PartInline(admin.StackedInline):
    extra = 0
    classes = ["collapse"]


class SummaryInline(PartInline):
    model = Summary
    max_num = 3


class DialogueInline(PartInline):
    model = Dialogue
    show_change_link = True


class ExplainerInline(PartInline):
    model = Explainer


class KeyConceptInline(PartInline):
    model = KeyConcept


class ExampleInline(PartInline):
    model = Example


class MemoryAidInline(PartInline):
    model = MemoryAid
    filter_horizontal = ["flashcards"]


class FlashcardInline(PartInline):
    model = Flashcard


class GlossaryTermInline(PartInline):
    model = GlossaryTerm


# Links typed without a scheme are taken as https (Django 6's default; 5.2 warns).
URL_FIELDS_HTTPS = {models.URLField: {"assume_scheme": "https"}}


class VideoInline(admin.TabularInline):
    model = Video
    extra = 0
    classes = ["collapse"]
    formfield_overrides = URL_FIELDS_HTTPS


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "course", "status", "updated_at"]
    list_filter = ["status", "course"]
    search_fields = ["number", "title"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["course"]
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
    ]


class DialogueLineInline(admin.TabularInline):
    model = DialogueLine
    extra = 0


@admin.register(Dialogue)
class DialogueAdmin(admin.ModelAdmin):
    list_display = ["title", "section"]
    inlines = [DialogueLineInline]


for model in (
    Summary,
    Explainer,
    KeyConcept,
    Example,
    MemoryAid,
    Flashcard,
    GlossaryTerm,
):
    admin.site.register(model)


@admin.register(Video)
class VideoAdmin(admin.ModelAdmin):
    list_display = ["title", "section", "url"]
    formfield_overrides = URL_FIELDS_HTTPS
