from __future__ import annotations

import re

from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from config.http import HtmxHttpRequest, fragment_template
from courses.learners import learner_get_or_create, learner_set_summary_level
from courses.progress import (
    progress_by_section,
    progress_record_visit,
    progress_set_done,
)
from lessons import cache as section_cache
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
    """The section page. Its content is cached HTML keyed by the section's version
    (lessons/cache.py): the section with every part is loaded, lazily, only when one of
    the template's ``{% cache %}`` fragments misses. The learner's state is never cached."""
    ref = queries.section_ref(course_slug=course_slug, number=number, user=request.user)
    learner = learner_get_or_create(request)
    requested = request.GET.get("level")
    level = study.summary_level(requested, learner.summary_level)
    if requested == level:
        learner_set_summary_level(learner=learner, level=level)
    template, dialogue_number = _template(request)
    if template == TEMPLATE:  # opening the page is a visit; swapping a fragment is not
        progress = progress_record_visit(learner=learner, section=ref)
        if progress.first_opened_at == progress.last_opened_at:
            # The first visit: the section's flashcards and questions join the drill.
            cards_ensure(learner=learner, section_ids=[ref.pk])
    else:
        progress = SimpleLazyObject(
            lambda: progress_by_section(learner=learner, section_ids=[ref.pk]).get(
                ref.pk
            )
        )

    section = SimpleLazyObject(
        lambda: queries.section_page(
            course_slug=course_slug, number=number, user=request.user
        )
    )
    dialogues = SimpleLazyObject(
        lambda: study.dialogue_steps(section.dialogues.all(), request.GET)
    )
    context = {
        "ref": ref,
        "section": section,
        "cache_timeout": section_cache.TIMEOUT,
        "level": level,
        "level_tabs": study.level_tabs(level),
        "summary": SimpleLazyObject(
            lambda: study.summary_for(section.summaries.all(), level)
        ),
        "dialogues": dialogues,
        # A dialogue stepped through by URL (no JavaScript) is rendered, not cached.
        "dialogue_stepped": "dialogue" in request.GET,
        "is_htmx": bool(request.htmx),  # the dialogues' live regions speak only then
        "flashcard": SimpleLazyObject(
            lambda: study.flashcard_view(
                section_cache.flashcards(
                    section_id=ref.pk, version=ref.content_version
                ),
                request.GET,
            )
        ),
        "memory_aid_groups": SimpleLazyObject(
            lambda: study.memory_aid_groups(section.memory_aids.all())
        ),
        "progress": progress,
        # Read only if the template shows them (fragments mostly don't); the pager is
        # cached per course version and staff or not.
        "best_attempt": SimpleLazyObject(
            lambda: best_attempts(learner=learner, section_ids=[ref.pk]).get(ref.pk)
        ),
        "neighbours": SimpleLazyObject(
            lambda: queries.neighbours(section=ref, user=request.user)
        ),
        "glossary": SimpleLazyObject(
            lambda: glossary_index(section.glossary_terms.all())
        ),
        "glossary_terms": SimpleLazyObject(
            lambda: sorted(
                section.glossary_terms.all(), key=lambda term: term.term.casefold()
            )
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
        context = {"ref": section, "progress": progress, "best_attempt": best}
        return render(request, f"{TEMPLATE}#mark-done-form", context)
    return redirect(section.get_absolute_url() + "#mark-done-form")
