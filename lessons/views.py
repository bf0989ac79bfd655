from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from django.http import HttpResponse, HttpResponseBadRequest
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from config.http import HtmxHttpRequest, fragment_template
from courses.learners import SESSION_KEY as LEARNER_SESSION_KEY
from courses.learners import learner_get_or_create, learner_set_summary_level
from courses.progress import progress_set_done, progress_visit_update, visit_due
from lessons import cache as section_cache
from lessons import page_holes, page_shell, queries, study
from lessons.glossary import glossary_index
from lessons.page_state import SectionPageState, section_page_state
from quizzes.context_processors import badge_forget, drill_badge
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
    the template's ``{% cache %}`` fragments misses. The plain page is also cached whole
    with holes for the learner's own parts (lessons/page_shell.py), filled per request.
    The learner's state is never cached."""
    state = section_page_state(
        course_slug=course_slug,
        number=number,
        user=request.user,
        learner_id=request.session.get(LEARNER_SESSION_KEY),
    )
    # The stored level alone serves a cached fragment: no Learner is made for it.
    stored = state.summary_level
    learner = None if stored is not None else learner_get_or_create(request)
    if learner is not None:
        stored = learner.summary_level
    requested = request.GET.get("level")
    level = study.summary_level(requested, stored)
    if requested == level and level != stored:
        learner = learner or state.learner
        learner_set_summary_level(learner=learner, level=level)
    template, dialogue_number = _template(request)
    shell_key = _shell_key(request, template, state, level)
    shell = page_shell.get(shell_key) if shell_key is not None else None
    if shell is not None and not shell.holes:  # the summary fragment: no one's own
        return HttpResponse(shell.fill({}))
    # Opening the page is a visit; swapping a fragment is not.
    visit = template == TEMPLATE and visit_due(state.last_opened_at, timezone.now())
    if shell is not None and not visit:
        # The plain page, its visit recorded a moment ago: the holes from the row alone.
        holes = _holes(request, state.hole_ref, state.hole_progress, state.hole_score)
        return HttpResponse(shell.fill(holes))
    learner = learner or state.learner
    ref, progress = state.ref, state.progress
    if visit:
        progress, first_visit = progress_visit_update(
            learner=learner, section=ref, progress=progress
        )
        if first_visit:
            # The first visit: the section's flashcards and questions join the drill,
            # and the navigation's count of them is made afresh.
            cards_ensure(learner=learner, section_ids=[ref.pk])
            badge_forget(request)
    if shell is not None:
        done = page_holes.Progress(progress.is_done, progress.done_at)
        holes = _holes(request, state.hole_ref, done, state.hole_score)
        return HttpResponse(shell.fill(holes))
    own = {"ref": ref, "progress": progress, "best_attempt": state.best_attempt}

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
        # An upgrade's templates never meet fragments cached by the release before.
        "cache_version": f"{ref.content_version}:{page_shell.release()}",
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
        **own,
        # Read only if the template shows them: the pager is cached per course version
        # and staff or not.
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
    if shell_key is None:
        return render(request, template, context)
    marker = page_shell.new_marker()
    html = render_to_string(template, {**context, page_shell.MARKER: marker}, request)
    shell, page = page_shell.split(html, marker)
    page_shell.put(shell_key, shell, section_cache.TIMEOUT)
    return HttpResponse(page)


def _shell_key(
    request: HtmxHttpRequest, template: str, state: SectionPageState, level: str
) -> str | None:
    """The cache key of the response as a shell (lessons/page_shell.py), if it can be
    one: the plain page (the same for everyone but its holes) and the summary fragment
    (the same for everyone)."""
    pk, version = state.section_id, state.content_version
    if template == TEMPLATE and not request.htmx and set(request.GET) <= {"level"}:
        staff = bool(getattr(request.user, "is_staff", False))
        return page_shell.key("section", pk, version, level, staff)
    if template == f"{TEMPLATE}#summary-panel":
        return page_shell.key("summary", pk, version, level)
    return None


def _holes(
    request: HtmxHttpRequest,
    section: page_holes.SectionRef,
    progress: page_holes.Progress | None,
    score: page_holes.Score | None,
) -> dict[str, Callable[[], str]]:
    """How to render each of the section page's holes for this request: each is a
    partial given only the plain values it shows (lessons/page_holes.py), so that
    visitors who see the same share its text. Nothing is computed for a shell without
    holes (the summary fragment)."""
    token = cache(lambda: get_token(request))  # one masked token for every hole

    def badge() -> str:
        counts = drill_badge(request)["drill_badge"]
        return page_holes.render(
            "includes/header.html#drill-badge",
            csrf_token=token(),
            drill_badge=page_holes.Badge(counts["total"], counts["minutes"])
            if counts
            else None,
        )

    def account() -> str:
        user = request.user
        return page_holes.render(
            "includes/header.html#account",
            csrf_token=token(),
            user=page_holes.Visitor(
                user.is_authenticated, user.is_staff, user.get_username()
            ),
        )

    def quiz_score() -> str:
        return page_holes.render(
            f"{TEMPLATE}#quiz-score",
            csrf_token=token(),
            ref=section,
            best_attempt=score,
        )

    def mark_done() -> str:
        return page_holes.render(
            f"{TEMPLATE}#mark-done-form",
            csrf_token=token(),
            ref=section,
            progress=progress,
            best_attempt=score,
        )

    return {
        "csrf": token,
        "drill-badge": badge,
        "account": account,
        "quiz-score": quiz_score,
        "mark-done": mark_done,
    }


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
