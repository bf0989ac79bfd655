from __future__ import annotations

import re

from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from config.http import HtmxHttpRequest, fragment_template
from courses.learners import learner_get_or_create, learner_set_summary_level
from courses.progress import progress_record_visit, progress_set_done
from lessons import queries, study
from lessons.glossary import glossary_index
from quizzes.drills import cards_ensure
from quizzes.queries import best_attempts

TEMPLATE = "lessons/section_detail.html"
SECTION_FRAGMENTS = frozenset({"summary-panel", "flashcard-panel", "mark-done-form"})
DIALOGUE_TARGET = re.compile(r"dialogue-(\d+)")

MARK_DONE_INVALID = "The form was changed: 'done' must be true or false."


def _template(request: HtmxHttpRequest) -> tuple[str, int | None]:
    """The template (or fragment) to render, and the dialogue an htmx request targets."""
    template = fragment_template(request, TEMPLATE, SECTION_FRAGMENTS)
    if (
        template == TEMPLATE
        and request.htmx
        and not (request.htmx.boosted or request.htmx.history_restore_request)
    ):
        match = DIALOGUE_TARGET.fullmatch(request.htmx.target or "")
        if match:
            return f"{TEMPLATE}#dialogue-panel", int(match[1])
    return template, None


@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def section_detail(
    request: HtmxHttpRequest, course_slug: str, number: str
) -> HttpResponse:
    section = queries.section_page(
        course_slug=course_slug, number=number, user=request.user
    )
    learner = learner_get_or_create(request)
    progress = progress_record_visit(learner=learner, section=section)
    if progress.first_opened_at == progress.last_opened_at:
        # The first visit: the section's flashcards and questions join the learner's drill.
        cards_ensure(learner=learner, section_ids=[section.pk])
    requested = request.GET.get("level")
    level = study.summary_level(requested, learner.summary_level)
    if requested == level:
        learner_set_summary_level(learner=learner, level=level)
    template, dialogue_number = _template(request)
    dialogues = study.dialogue_steps(section.dialogues.all(), request.GET)
    context = {
        "section": section,
        "level": level,
        "level_tabs": study.level_tabs(level),
        "summary": study.summary_for(section.summaries.all(), level),
        "dialogues": dialogues,
        "flashcard": study.flashcard_view(section.flashcards.all(), request.GET),
        "memory_aid_groups": study.memory_aid_groups(section.memory_aids.all()),
        "progress": progress,
        "best_attempt": best_attempts(learner=learner, section_ids=[section.pk]).get(
            section.pk
        ),
        "neighbours": queries.neighbours(section=section, user=request.user),
        "glossary": glossary_index(section.glossary_terms.all()),
        "glossary_terms": sorted(
            section.glossary_terms.all(), key=lambda term: term.term.casefold()
        ),
    }
    if dialogue_number is not None:
        if not 1 <= dialogue_number <= len(dialogues):
            template = TEMPLATE
        else:
            context["dialogue"] = dialogues[dialogue_number - 1]
    return render(request, template, context)


@require_POST
def mark_done(request: HtmxHttpRequest, course_slug: str, number: str) -> HttpResponse:
    section = queries.visible_section(
        course_slug=course_slug, number=number, user=request.user
    )
    done = request.POST.get("done")
    if done not in {"true", "false"}:
        return HttpResponseBadRequest(MARK_DONE_INVALID)
    learner = learner_get_or_create(request)
    progress = progress_set_done(learner=learner, section=section, done=done == "true")
    if request.htmx:
        best = best_attempts(learner=learner, section_ids=[section.pk]).get(section.pk)
        context = {"section": section, "progress": progress, "best_attempt": best}
        return render(request, f"{TEMPLATE}#mark-done-form", context)
    return redirect(section.get_absolute_url() + "#mark-done-form")
