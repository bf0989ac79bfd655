from __future__ import annotations

from django.contrib import admin

from quizzes.models import Choice, Question, Quiz


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    show_change_link = True
    fields = ["key", "position", "kind", "prompt"]


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = ["title", "section", "pass_mark"]
    inlines = [QuestionInline]


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["key", "kind", "quiz", "position"]
    list_filter = ["kind"]
    search_fields = ["key", "prompt"]
    inlines = [ChoiceInline]
