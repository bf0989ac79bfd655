"""The quiz in the authoring admin: the quiz on its section's page, and the question page.

A question and its choices are edited together on the question page (Django's admin does
not nest inlines, so the section page lists the questions with links). The question form
checks each kind's answer key (``quizzes.validation``): field problems next to the field,
problems with the choices above the choices.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Max, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from lessons.admin_forms import (
    LinesField,
    MarkdownTextarea,
    TabularPositionedFormSet,
)
from quizzes.admin_statistics import QuizStatisticsAdminMixin
from quizzes.models import Choice, Question, Quiz
from quizzes.validation import ChoiceInput, answer_problems, choice_problems

KIND_HELP = (
    "Single or multiple choice: the choices, marked correct or not. True or false: two "
    "choices, 'True' and 'False', one marked correct. Ordering: the items, their position "
    "being the right order. Matching: pairs, the choice's text on the left and its match on "
    "the right. Short answer: the accepted answers. Numeric: the answer and tolerance."
)


def question_list(quiz: Quiz | None) -> str:
    """The quiz's questions in order, each linked to its page, and "Add a question"."""
    if quiz is None or quiz.pk is None:
        return "Save the section with its quiz first, then add questions."
    questions = quiz.questions.order_by("position")
    items = format_html_join(
        "",
        '<li><a href="{}">{}</a> <span class="quiz-kind">({})</span></li>',
        (
            (
                reverse("admin:quizzes_question_change", args=[q.pk]),
                q.prompt[:100] or q.key,
                q.get_kind_display(),
            )
            for q in questions
        ),
    )
    add_url = reverse("admin:quizzes_question_add") + f"?quiz={quiz.pk}"
    listing = format_html('<ol class="quiz-questions">{}</ol>', items) if items else ""
    return format_html(
        '{}<p><a class="addlink" href="{}">Add a question</a></p>', listing, add_url
    )


class QuizForm(forms.ModelForm):
    class Meta:
        model = Quiz
        fields = ["title", "pass_mark"]

    def has_changed(self) -> bool:
        # A quiz added with its default title and pass mark is still wanted.
        return self.instance.pk is None or super().has_changed()


class QuizInline(admin.StackedInline):
    """The section's quiz (one at most) on the section page."""

    model = Quiz
    form = QuizForm
    extra = 0
    max_num = 1
    classes = ["collapse"]
    fields = ["title", "pass_mark", "questions"]
    readonly_fields = ["questions"]

    @admin.display(description="Questions")
    def questions(self, quiz: Quiz | None) -> str:
        return question_list(quiz)


@admin.register(Quiz)
class QuizAdmin(QuizStatisticsAdminMixin, admin.ModelAdmin):
    list_display = ["title", "section", "pass_mark", "statistics_link"]
    list_select_related = ["section"]
    fields = ["section", "title", "pass_mark", "questions"]
    readonly_fields = ["questions"]

    @admin.display(description="Questions")
    def questions(self, quiz: Quiz | None) -> str:
        return question_list(quiz)


class QuestionForm(forms.ModelForm):
    hints = LinesField(
        required=False, help_text="Hints, one per line, in the order they are revealed."
    )
    accepted_answers = LinesField(
        required=False,
        label="Accepted answers",
        help_text="Short answer: the answers accepted, one per line.",
    )

    class Meta:
        model = Question
        fields = [
            "quiz",
            "key",
            "position",
            "kind",
            "prompt",
            "explanation",
            "hints",
            "accepted_answers",
            "case_sensitive",
            "numeric_answer",
            "tolerance",
        ]
        widgets = {
            "kind": forms.Select(attrs={"data-question-kind": ""}),
            "prompt": MarkdownTextarea(attrs={"rows": 4}),
            "explanation": MarkdownTextarea(attrs={"rows": 4}),
        }
        help_texts = {"kind": KIND_HELP, "numeric_answer": "Numeric: the answer."}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "quiz" in self.fields:
            self.fields["quiz"].queryset = Quiz.objects.select_related("section")
        self.fields["position"].required = False
        self.fields["position"].help_text = "Place in the quiz; blank: last."

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("kind")
        if kind:
            problems = answer_problems(
                kind=kind,
                accepted_answers=data.get("accepted_answers") or [],
                numeric_answer=data.get("numeric_answer"),
                tolerance=data.get("tolerance"),
            )
            for field, messages in problems.items():
                if field not in self.errors:
                    self.add_error(field, messages)
        quiz = data.get("quiz")
        key = data.get("key")
        if quiz and key:
            # Unique in the course, not just the quiz: course files match questions by id.
            clash = (
                Question.objects.filter(quiz__section__course_id=quiz.section.course_id)
                .filter(key=key)
                .exclude(pk=self.instance.pk)
                .select_related("quiz__section")
                .first()
            )
            if clash is not None:
                self.add_error(
                    "key",
                    f"Section {clash.quiz.section.number} has a question with this id.",
                )
        if quiz and data.get("position") is None:
            last = (
                quiz.questions.exclude(pk=self.instance.pk)
                .aggregate(last=Max("position"))
                .get("last")
            )
            data["position"] = 0 if last is None else last + 1
        return data


class ChoiceFormSet(TabularPositionedFormSet):
    """Checks the choices against the question's kind (the question form sets it)."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        kind = getattr(self.instance, "kind", "")
        if kind not in Question.Kind.values:
            return  # the question form reports the kind
        choices = [
            ChoiceInput(
                text=form.cleaned_data.get("text", ""),
                is_correct=bool(form.cleaned_data.get("is_correct")),
                match=form.cleaned_data.get("match", ""),
            )
            for form in sorted(
                self._kept_forms(), key=lambda form: form.cleaned_data["position"]
            )
        ]
        problems = choice_problems(kind=kind, choices=choices)
        if problems:
            raise forms.ValidationError(problems)


class ChoiceInline(admin.TabularInline):
    model = Choice
    formset = ChoiceFormSet
    fields = ["position", "text", "is_correct", "match", "feedback"]
    verbose_name = "choice, item or pair"
    verbose_name_plural = "choices, items or pairs"

    def get_extra(self, request: HttpRequest, obj: Question | None = None, **kwargs):
        return 2 if obj is None else 0

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in {"text", "feedback"}:
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 30})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    form = QuestionForm
    list_display = ["key", "kind", "quiz", "position"]
    list_filter = ["kind"]
    list_select_related = ["quiz__section"]
    search_fields = ["key", "prompt"]
    inlines = [ChoiceInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "quiz",
                    "key",
                    "position",
                    "kind",
                    "prompt",
                    "explanation",
                    "hints",
                ]
            },
        ),
        # studio.js shows only the fieldset of the kind picked (all of them without it).
        (
            "Short answer",
            {
                "fields": ["accepted_answers", "case_sensitive"],
                "classes": ["kind-fields", "kind-short_answer"],
            },
        ),
        (
            "Numeric",
            {
                "fields": ["numeric_answer", "tolerance"],
                "classes": ["kind-fields", "kind-numeric"],
            },
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Question]:
        return super().get_queryset(request).select_related("quiz__section")

    def _back_to_section(self, request: HttpRequest, question: Question) -> str | None:
        section = question.quiz.section
        section_admin = self.admin_site._registry.get(type(section))
        if section_admin and section_admin.has_change_permission(request, section):
            url = reverse("admin:lessons_section_change", args=[section.pk])
            return f"{url}#quiz-group"
        return None

    # "Save" goes back to the section page the question belongs to.
    def response_post_save_add(
        self, request: HttpRequest, obj: Question
    ) -> HttpResponse:
        url = self._back_to_section(request, obj)
        if url:
            return HttpResponseRedirect(url)
        return super().response_post_save_add(request, obj)

    def response_post_save_change(
        self, request: HttpRequest, obj: Question
    ) -> HttpResponse:
        url = self._back_to_section(request, obj)
        if url:
            return HttpResponseRedirect(url)
        return super().response_post_save_change(request, obj)
