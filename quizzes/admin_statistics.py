"""The question statistics page of the Quiz admin, and its summary for the section admin.

Kept apart from quizzes/admin.py so that ``QuizAdmin`` only mixes it in. The numbers come
from ``quizzes.statistics``; this module only checks permissions and renders.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from quizzes.models import Quiz
from quizzes.statistics import (
    SectionFigures,
    quiz_question_stats,
    section_figures,
    stats_sorted,
)

# The sortable columns of the statistics table: (``?o=`` name, heading).
SORTABLE_COLUMNS = [
    ("position", "#"),
    ("attempts", "Attempts"),
    ("facility", "First-attempt facility"),
    ("discrimination", "Discrimination"),
    ("wrong", "Most chosen wrong answer"),
    ("hints", "Hints used"),
]


def _columns(order: str) -> list[dict[str, Any]]:
    """Each sortable heading with the ``?o=`` its link sets and its ``aria-sort``."""
    current, descending = order.removeprefix("-"), order.startswith("-")
    columns = []
    for name, label in SORTABLE_COLUMNS:
        sorted_here = name == current
        columns.append(
            {
                "name": name,
                "label": label,
                "order": f"-{name}" if sorted_here and not descending else name,
                "aria_sort": (
                    ("descending" if descending else "ascending") if sorted_here else ""
                ),
            }
        )
    return columns


class QuizStatisticsAdminMixin:
    """Adds ``<quiz id>/statistics/`` to a ``ModelAdmin`` of ``Quiz``, for anyone who may
    view the quiz, and a list column linking to it."""

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(self.statistics_view)  # type: ignore[attr-defined]
        return [
            path("<path:object_id>/statistics/", view, name="quizzes_quiz_statistics"),
            *super().get_urls(),  # type: ignore[misc]
        ]

    def statistics_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        quiz = self.get_object(request, unquote(object_id))  # type: ignore[attr-defined]
        if quiz is None:
            raise Http404("No such quiz.")
        if not self.has_view_permission(request, quiz):  # type: ignore[attr-defined]
            raise PermissionDenied
        stats, order = stats_sorted(
            quiz_question_stats(quiz=quiz), request.GET.get("o")
        )
        figures = section_figures(section_ids=[quiz.section_id]).get(
            quiz.section_id, SectionFigures()
        )
        opts = Quiz._meta
        return TemplateResponse(
            request,
            "admin/quizzes/quiz_statistics.html",
            {
                **self.admin_site.each_context(request),  # type: ignore[attr-defined]
                "opts": opts,
                "original": quiz,
                "title": f"Question statistics: {quiz.title}",
                "subtitle": str(quiz.section),
                "quiz": quiz,
                "stats": stats,
                "order": order,
                "columns": _columns(order),
                "figures": figures,
                "flagged": sum(s.flagged for s in stats),
            },
        )

    @admin.display(description="Statistics")
    def statistics_link(self, quiz: Quiz) -> str:
        return format_html(
            '<a href="{}">Question statistics</a>',
            reverse("admin:quizzes_quiz_statistics", args=[quiz.pk]),
        )


def section_statistics_summary(section: Any) -> SafeString:
    """The small read-only block on the section's admin page: learners' figures and how
    many of its quiz's questions are flagged, with a link to the statistics page."""
    figures = section_figures(section_ids=[section.pk]).get(
        section.pk, SectionFigures()
    )
    quiz = Quiz.objects.filter(section_id=section.pk).first()
    stats = quiz_question_stats(quiz=quiz) if quiz is not None else []
    return render_to_string(
        "admin/quizzes/includes/section_statistics.html",
        {
            "figures": figures,
            "quiz": quiz,
            "questions": len(stats),
            "flagged": sum(s.flagged for s in stats),
        },
    )
