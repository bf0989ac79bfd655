from __future__ import annotations

from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import reswap, retarget

from config.http import HtmxHttpRequest, fragment_template
from courses.learners import SESSION_KEY as LEARNER_SESSION_KEY
from courses.learners import learner_for_request, learner_get_or_create
from quizzes import answering, attempts, queries
from quizzes.checked_render import checked_html
from quizzes.forms import AnswerInvalid, AnswerTampered, read_response
from quizzes.grading import grade
from quizzes.models import Attempt, AttemptQuestion, Quiz

QUIZ_TEMPLATE = "quizzes/quiz.html"
QUIZ_FRAGMENTS = frozenset({"question-panel"})

NOT_YOUR_QUESTION = "That question is not part of your current attempt at this quiz."
NOT_YOUR_ATTEMPT = "That attempt is not yours, or not at this quiz."


def _quiz_url(quiz: Quiz, position: int | None = None) -> str:
    return _quiz_url_for(quiz.section.course.slug, quiz.section.number, position)


def _quiz_url_for(course_slug: str, number: str, position: int | None = None) -> str:
    url = reverse("quizzes:quiz", args=[course_slug, number])
    return f"{url}?q={position}#question-panel" if position else url


def _swaps_fragments(request: HtmxHttpRequest) -> bool:
    """An htmx request that swaps a part of the page (not a boosted one: a whole page)."""
    return bool(request.htmx) and not request.htmx.boosted


def _quiz(request: HtmxHttpRequest, course_slug: str, number: str) -> Quiz:
    return queries.quiz_for_section(
        course_slug=course_slug, number=number, user=request.user
    )


def _refuse(request: HtmxHttpRequest, quiz: Quiz, message: str) -> HttpResponse:
    """A 400 with a short message: in place for htmx, as a small page otherwise."""
    context = {"quiz": quiz, "message": message}
    if request.htmx:
        response = render(request, "400.html#refusal", context, status=400)
        return reswap(retarget(response, "#question-message"), "innerHTML")
    return render(request, "400.html", context, status=400)


def _question_context(
    item: AttemptQuestion, *, error: str = "", review: bool = False
) -> dict:
    """What the question needs on the page. Grading (the answer key) only once answered,
    or on the review of a finished attempt."""
    choices = {choice.pk: choice for choice in item.question.choices.all()}
    answer = getattr(item, "answer", None)
    reveal = answer is not None or review
    return {
        "item": item,
        "options": [choices[pk] for pk in item.choice_order if pk in choices],
        "match_options": [choices[pk] for pk in item.match_order if pk in choices],
        "hints": item.question.hints[: item.hints_shown],
        "result": grade(
            item.question, list(choices.values()), answer.response if answer else None
        )
        if reveal
        else None,
        "answer": answer,
        "error": error,
    }


def _render_quiz(
    request: HtmxHttpRequest,
    quiz: Quiz,
    position: int | None,
    *,
    error: str = "",
    attempt: Attempt | None = None,
    fragment: bool = False,
) -> HttpResponse:
    """The quiz page (or its question panel) at ``position``, for ``attempt`` (an open
    one of the learner's, when a view has it already) or the learner's open attempt."""
    if attempt is None:
        learner = learner_get_or_create(request)
        attempt = attempts.attempt_open(learner=learner, quiz=quiz)
    # Choices only for the question shown: the others are numbers in the navigation.
    items = queries.attempt_items(attempt, choices=False)
    if not items:
        raise Http404("This quiz has no questions.")
    answered = 0
    for number, entry in enumerate(items, 1):
        entry.number = number
        answered += entry.answer is not None
    if position is None:  # resume at the first unanswered question
        position = next(
            (i for i, item in enumerate(items, 1) if item.answer is None), 1
        )
    position = max(1, min(position, len(items)))
    current = items[position - 1]
    prefetch_related_objects([current], "question__choices")
    context = {
        "quiz": quiz,
        "section": quiz.section,
        "attempt": attempt,
        "items": items,
        "position": position,
        "answered": answered,
        "total": len(items),
        "progress_percent": round(100 * answered / len(items)),
        "previous_position": position - 1 if position > 1 else None,
        "next_position": position + 1 if position < len(items) else None,
        **_question_context(current, error=error),
    }
    if fragment:
        template = f"{QUIZ_TEMPLATE}#question-panel"
    else:
        template = fragment_template(request, QUIZ_TEMPLATE, QUIZ_FRAGMENTS)
    return render(request, template, context)


def _duration(delta) -> str:
    seconds = int(delta.total_seconds()) if delta else 0
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"


def _position(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def quiz(request: HtmxHttpRequest, course_slug: str, number: str) -> HttpResponse:
    quiz = queries.quiz_for_section(
        course_slug=course_slug, number=number, user=request.user
    )
    return _render_quiz(request, quiz, _position(request.GET.get("q")))


def _item(request: HtmxHttpRequest, quiz: Quiz) -> AttemptQuestion | None:
    learner = learner_for_request(request)
    item_id = _position(request.POST.get("item"))
    if learner is None or item_id is None:
        return None
    return queries.item_of_learner(item_id=item_id, learner=learner, quiz=quiz)


@require_POST
def check(request: HtmxHttpRequest, course_slug: str, number: str) -> HttpResponse:
    """Answer a question. With htmx, the response is what changed: the feedback in place
    of the form, and out of band the question's step and the answered count; without,
    a redirect to the question, where the feedback is shown."""
    target = answering.item_to_answer(
        course_slug=course_slug,
        number=number,
        user=request.user,
        learner_id=request.session.get(LEARNER_SESSION_KEY),
        item_id=_position(request.POST.get("item")),
    )
    if target is None:
        return _refuse(request, _quiz(request, course_slug, number), NOT_YOUR_QUESTION)
    item = target.item
    try:
        response = read_response(item, request.POST, choices=target.choices)
        if target.finished:  # (and under the lock, if it finishes meanwhile)
            raise attempts.AttemptClosed(attempts.ATTEMPT_FINISHED)
        answer, result = attempts.attempt_answer(
            item=item, response=response, choices=target.choices
        )
    except (AnswerTampered, attempts.AttemptClosed) as exc:
        return _refuse(request, _quiz(request, course_slug, number), str(exc))
    except AnswerInvalid as exc:
        quiz = _quiz(request, course_slug, number)
        if not _swaps_fragments(request):
            return _render_quiz(request, quiz, item.position + 1, error=str(exc))
        # The whole panel again, with the message (the form targets only its own area).
        page = _render_quiz(
            request, quiz, item.position + 1, error=str(exc), fragment=True
        )
        return reswap(retarget(page, "#question-panel"), "outerHTML")
    if not _swaps_fragments(request):
        return redirect(_quiz_url_for(course_slug, number, item.position + 1))
    html = checked_html(
        result=result,
        kind=item.question.kind,
        hints_used=answer.hints_used,
        number=item.position + 1,
        is_correct=answer.is_correct,
        # Counted when read: one more unless this question was answered then already.
        answered=target.answered + (not target.already_answered),
        total=target.total,
    )
    # The answer area, whatever the form targeted (a page from before this response's
    # shape targeted the whole panel).
    return reswap(retarget(HttpResponse(html), "#question-answer"), "innerHTML")


@require_POST
def hint(request: HtmxHttpRequest, course_slug: str, number: str) -> HttpResponse:
    quiz = queries.quiz_for_section(
        course_slug=course_slug, number=number, user=request.user
    )
    item = _item(request, quiz)
    seen = _position(request.POST.get("seen"))
    if item is None or seen is None:
        return _refuse(request, quiz, NOT_YOUR_QUESTION)
    try:
        attempts.attempt_reveal_hint(item=item, seen=seen)
    except attempts.AttemptClosed as exc:
        return _refuse(request, quiz, str(exc))
    if request.htmx:
        return _render_quiz(request, quiz, item.position + 1)
    return redirect(_quiz_url(quiz, item.position + 1))


def _attempt(request: HtmxHttpRequest, quiz: Quiz, attempt_id: str | int | None):
    learner = learner_for_request(request)
    attempt_pk = _position(str(attempt_id) if attempt_id is not None else None)
    if learner is None or attempt_pk is None:
        return None
    return queries.attempt_of_learner(attempt_id=attempt_pk, learner=learner, quiz=quiz)


@require_POST
def finish(request: HtmxHttpRequest, course_slug: str, number: str) -> HttpResponse:
    quiz = queries.quiz_for_section(
        course_slug=course_slug, number=number, user=request.user
    )
    attempt = _attempt(request, quiz, request.POST.get("attempt"))
    if attempt is None:
        return _refuse(request, quiz, NOT_YOUR_ATTEMPT)
    attempt = attempts.attempt_finish(attempt=attempt)
    return redirect("quizzes:result", course_slug, number, attempt.pk)


@require_POST
def retry(request: HtmxHttpRequest, course_slug: str, number: str) -> HttpResponse:
    quiz = queries.quiz_for_section(
        course_slug=course_slug, number=number, user=request.user
    )
    attempt = _attempt(request, quiz, request.POST.get("attempt"))
    if attempt is None:
        return _refuse(request, quiz, NOT_YOUR_ATTEMPT)
    try:
        attempts.attempt_retry(
            attempt=attempt, missed_only=request.POST.get("missed") == "true"
        )
    except attempts.AttemptClosed as exc:
        return _refuse(request, quiz, str(exc))
    return redirect(_quiz_url(quiz))


@require_GET
def result(
    request: HtmxHttpRequest, course_slug: str, number: str, attempt_id: int
) -> HttpResponse:
    quiz = queries.quiz_for_section(
        course_slug=course_slug, number=number, user=request.user
    )
    attempt = _attempt(request, quiz, attempt_id)
    if attempt is None or not attempt.is_finished:
        raise Http404("No such finished attempt.")
    attempt.quiz = quiz
    items = queries.attempt_items(attempt)
    review = [_question_context(item, review=True) for item in items]
    missed = [
        entry
        for entry in review
        if not (entry["answer"] and entry["answer"].is_correct)
    ]
    context = {
        "quiz": quiz,
        "section": quiz.section,
        "attempt": attempt,
        "review": review,
        "missed_count": len(missed),
        "unanswered_count": sum(entry["answer"] is None for entry in review),
        "duration": _duration(attempt.duration),
    }
    return render(request, "quizzes/result.html", context)
