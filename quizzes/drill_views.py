"""The drill pages: review due cards, answer questions, rate them; cram; settings; export.

Every step is a link or a form (no JavaScript needed); htmx swaps the card in place. A card
is shown with a signed token that carries its showing (time, option order, hints); the
rating posts that token, which keys the review log, so a repeated post records once.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import reswap, retarget

from config.http import HtmxHttpRequest, fragment_template
from courses.learners import SESSION_KEY as LEARNER_SESSION_KEY
from courses.learners import learner_for_request, learner_get_or_create
from courses.models import Learner
from lessons.models import Flashcard, MemoryAid, Section
from lessons.queries import visible_section
from quizzes import drill_card, drills, export, reviewing, scheduling
from quizzes.attempts import option_orders
from quizzes.context_processors import badge_forget, badge_store
from quizzes.forms import AnswerInvalid, AnswerTampered, read_response
from quizzes.grading import grade
from quizzes.models import DrillSettings, Question, ReviewCard, ReviewLog

TEMPLATE = "quizzes/drill.html"
FRAGMENTS = frozenset({"drill-card"})

RATING_INVALID = "The rating must be Again, Hard, Good or Easy."
SETTINGS_INVALID = "Those drill settings are out of range."
SESSION_KEY = "drill_session_started"
RETENTION_CHOICES = [0.8, 0.85, 0.9, 0.93, 0.95, 0.97]


@dataclass
class ShownQuestion:
    """A question as shown in a drill: what ``forms.read_response`` and the templates read."""

    question: Question
    choice_order: list[int]
    match_order: list[int]
    hints_shown: int = 0
    pk: int | None = None
    choices: dict = field(default_factory=dict)


def _shown(card: ReviewCard, payload: dict) -> ShownQuestion:
    question = card.question
    return ShownQuestion(
        question,
        list(payload.get("order", [])),
        list(payload.get("match", [])),
        payload.get("hints", 0),
    )


def _question_context(shown: ShownQuestion) -> dict:
    choices = {choice.pk: choice for choice in shown.question.choices.all()}
    return {
        "item": shown,
        "options": [choices[pk] for pk in shown.choice_order if pk in choices],
        "match_options": [choices[pk] for pk in shown.match_order if pk in choices],
        "hints": shown.question.hints[: shown.hints_shown],
    }


def _rating_buttons(
    card: ReviewCard, settings: DrillSettings, now, suggested: int | None = None
) -> list[dict]:
    intervals = scheduling.next_intervals(
        card, at=now, desired_retention=settings.desired_retention
    )
    return [
        {
            "value": value,
            "label": label,
            "interval": scheduling.interval_words(intervals[value]),
            "suggested": value == suggested,
        }
        for value, label in ReviewLog.Rating.choices
    ]


def _summary(
    learner: Learner, request: HtmxHttpRequest, section_ids: list[int]
) -> dict:
    started = request.session.get(SESSION_KEY)
    logs = ReviewLog.objects.filter(learner=learner)
    if started:
        logs = logs.filter(reviewed_at__gte=timezone.datetime.fromisoformat(started))
    rows = list(logs.values_list("rating", "duration_ms"))
    next_due = (
        ReviewCard.objects.filter(
            drills.in_sections(section_ids), learner=learner, last_review__isnull=False
        )
        .order_by("due")
        .values_list("due", flat=True)
        .first()
    )
    return {
        "reviewed": len(rows),
        "right": sum(rating > ReviewLog.Rating.AGAIN for rating, _ in rows),
        "minutes": round(sum(ms for _, ms in rows) / 60000, 1),
        "next_due": next_due,
    }


def _render(
    request: HtmxHttpRequest,
    learner: Learner,
    *,
    context: dict | None = None,
    status: int = 200,
    settings: DrillSettings | None = None,
    after_review: bool = False,
) -> HttpResponse:
    """The drill page: the next card (or the one in ``context``), counts and settings.
    ``after_review``: the cards were made when this drill was shown, so not again."""
    now = timezone.now()
    settings = settings or drills.settings_for(learner)
    section_ids = drills.drill_section_ids(learner=learner, settings=settings)
    if not after_review:
        drills.cards_ensure(learner=learner, section_ids=section_ids)
    request.session.setdefault(SESSION_KEY, now.isoformat())
    counts = drills.queue_counts(
        learner=learner, settings=settings, section_ids=section_ids, now=now
    )
    badge_store(request, counts)
    page = {
        "settings": settings,
        "counts": counts,
        "has_sections": bool(section_ids),
        # Only the full page's settings form reads it, not the card fragment.
        "chosen_section_ids": SimpleLazyObject(
            lambda: set(settings.sections.values_list("pk", flat=True))
        ),
        "available_sections": _available_sections(learner),
        "retention_choices": RETENTION_CHOICES,
        **(context or {}),
    }
    if "card" not in page:
        card = drills.next_card(
            learner=learner,
            settings=settings,
            section_ids=section_ids,
            now=now,
            counts=counts,
        )
        page.update(
            _show(card, settings, now)
            if card
            else {"card": None, "summary": _summary(learner, request, section_ids)}
        )
    template = fragment_template(request, TEMPLATE, FRAGMENTS)
    return render(request, template, page, status=status)


def _available_sections(learner: Learner):
    """Sections the learner can choose to drill: every published section of courses they opened."""
    opened_courses = Section.objects.filter(progress__learner=learner).values(
        "course_id"
    )
    return (
        Section.objects.filter(
            course_id__in=opened_courses, status=Section.Status.PUBLISHED
        )
        .select_related("course")
        .order_by("course__title", "chapter__number", "position")
    )


def _show(
    card: ReviewCard,
    settings: DrillSettings,
    now,
    *,
    answer: bool = False,
    token: str | None = None,
    payload: dict | None = None,
) -> dict:
    """Context for one card: its front (or question), or with ``answer`` its back and ratings."""
    context: dict = {"card": card, "show_answer": answer}
    if card.question_id:
        if payload is None:
            order, match = option_orders(card.question, random.Random())
            token = drills.card_token(card, shown_at=now, order=order, match=match)
            payload = {"order": order, "match": match, "hints": 0}
        context.update(_question_context(_shown(card, payload)))
    elif token is None:
        token = drills.card_token(card, shown_at=now)
    context["token"] = token
    if answer and card.flashcard_id:
        context["ratings"] = _rating_buttons(card, settings, now)
    return context


def _learner_or_404(request: HtmxHttpRequest) -> Learner:
    learner = learner_for_request(request)
    if learner is None:
        raise Http404(
            "Open a section first: drills are made from the sections you study."
        )
    return learner


def _refuse(request: HtmxHttpRequest, message: str) -> HttpResponse:
    context = {"message": message}
    if request.htmx:
        response = render(request, "400.html#refusal", context, status=400)
        return reswap(retarget(response, "#drill-message"), "innerHTML")
    return render(request, "400.html", context, status=400)


@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def drill(request: HtmxHttpRequest) -> HttpResponse:
    token = request.GET.get("token")
    answer = bool(token and request.GET.get("answer"))
    if answer:
        # htmx swaps in the card: only the card fragment, not the page around it.
        template = fragment_template(request, TEMPLATE, FRAGMENTS)
        if template != TEMPLATE:
            response = _answer_fragment(request, token, template)
            if response is not None:
                return response
    learner = learner_get_or_create(request)
    if answer:
        # "Show answer" of a flashcard: the same showing, turned over.
        try:
            card, payload = drills.read_token(token, learner=learner)
        except drills.TokenInvalid:
            return _render(request, learner)
        settings = drills.settings_for(learner)
        return _render(
            request,
            learner,
            context=_show(
                card,
                settings,
                timezone.now(),
                answer=True,
                token=token,
                payload=payload,
            ),
        )
    aids_for = request.GET.get("aids")
    if aids_for and aids_for.isdigit():
        card = (
            ReviewCard.objects.filter(
                pk=aids_for, learner=learner, flashcard__isnull=False
            )
            .select_related("flashcard")
            .first()
        )
        if card is not None:
            return _render(
                request,
                learner,
                context={
                    "aids": list(card.flashcard.memory_aids.all()),
                    "aids_for": card,
                },
            )
    return _render(request, learner)


def _card_shown(
    request: HtmxHttpRequest, token: str
) -> tuple[ReviewCard, dict, DrillSettings] | None:
    """The card a token was issued for, its payload and the learner's settings, from
    one hand-written statement (quizzes/reviewing.py) instead of the ORM's several.
    None when the token is not the request's learner's: the page path refuses it."""
    try:
        payload = drills.token_payload(token)
    except drills.TokenInvalid:
        return None
    user = request.user
    shown = reviewing.card_shown(
        user_id=user.pk if user.is_authenticated else None,
        learner_id=request.session.get(LEARNER_SESSION_KEY),
        card_id=payload["card"],
    )
    if shown is None:
        return None
    card, settings = shown
    return card, payload, settings


def _answer_fragment(
    request: HtmxHttpRequest, token: str, template: str
) -> HttpResponse | None:
    """The card fragment of htmx's "Show answer": what ``_render`` shows in it, without
    the page around it (its counts, settings and sections). None: the page path."""
    found = _card_shown(request, token)
    if found is None:
        return None
    card, payload, settings = found
    now = timezone.now()
    request.session.setdefault(SESSION_KEY, now.isoformat())
    context = _show(card, settings, now, answer=True, token=token, payload=payload)
    if card.flashcard_id:
        return HttpResponse(
            drill_card.flashcard_back(
                card, token, ratings=context["ratings"], csrf_token=get_token(request)
            )
        )
    return render(request, template, context)


def _question_card(
    request: HtmxHttpRequest, learner: Learner
) -> tuple[ReviewCard, dict] | HttpResponse:
    """The question card a posted token was issued for, or the 400 refusing it."""
    try:
        card, payload = drills.read_token(
            request.POST.get("token", ""), learner=learner
        )
    except drills.TokenInvalid as exc:
        return _refuse(request, str(exc))
    if not card.question_id:
        return _refuse(request, drills.TOKEN_INVALID)
    return card, payload


@require_POST
def check(request: HtmxHttpRequest) -> HttpResponse:
    """Answer a question card: graded like the practice quiz, then rated (suggested)."""
    template = fragment_template(request, TEMPLATE, FRAGMENTS)
    # htmx swaps in the card: only the card fragment, from one statement.
    fast = (
        _card_shown(request, request.POST.get("token", ""))
        if template != TEMPLATE
        else None
    )
    if fast is not None and fast[0].question_id:
        card, payload, settings = fast

        def settings_of() -> DrillSettings:
            return settings

        def show(context: dict) -> HttpResponse:
            return render(request, template, context)

    else:
        learner = _learner_or_404(request)
        found = _question_card(request, learner)
        if isinstance(found, HttpResponse):
            return found
        card, payload = found

        def settings_of() -> DrillSettings:
            return drills.settings_for(learner)

        def show(context: dict) -> HttpResponse:
            return _render(request, learner, context=context)

    shown = _shown(card, payload)
    try:
        response = read_response(shown, request.POST)
    except AnswerTampered as exc:
        return _refuse(request, str(exc))
    except AnswerInvalid as exc:
        context = _show(
            card,
            settings_of(),
            timezone.now(),
            token=request.POST["token"],
            payload=payload,
        )
        return show({**context, "error": str(exc)})
    result = grade(card.question, list(card.question.choices.all()), response)
    suggested = (
        ReviewLog.Rating.AGAIN
        if not result.correct
        else (ReviewLog.Rating.HARD if shown.hints_shown else ReviewLog.Rating.GOOD)
    )
    settings = settings_of()
    now = timezone.now()
    # The rating step gets its own token, carrying whether the answer was right.
    rating_token = drills.card_token(
        card,
        shown_at=timezone.datetime.fromtimestamp(payload["shown"], tz=now.tzinfo),
        hints=shown.hints_shown,
        correct=result.correct,
    )
    context = {
        "card": card,
        "show_answer": True,
        "result": result,
        "token": rating_token,
        "ratings": _rating_buttons(card, settings, now, suggested),
        **_question_context(shown),
    }
    return show(context)


@require_POST
def hint(request: HtmxHttpRequest) -> HttpResponse:
    learner = _learner_or_404(request)
    found = _question_card(request, learner)
    if isinstance(found, HttpResponse):
        return found
    card, payload = found
    hints = min(payload.get("hints", 0) + 1, len(card.question.hints))
    now = timezone.now()
    shown_at = timezone.datetime.fromtimestamp(payload["shown"], tz=now.tzinfo)
    token = drills.card_token(
        card,
        shown_at=shown_at,
        hints=hints,
        order=payload.get("order"),
        match=payload.get("match"),
    )
    new_payload = {**payload, "hints": hints}
    context = _show(
        card, drills.settings_for(learner), now, token=token, payload=new_payload
    )
    return _render(request, learner, context=context)


def _refuse_review(request: HtmxHttpRequest, message: str) -> HttpResponse:
    _learner_or_404(request)  # no learner at all: a 404, before anything else
    return _refuse(request, message)


@require_POST
def review(request: HtmxHttpRequest) -> HttpResponse:
    token = request.POST.get("token", "")
    try:
        # A bad token is refused before a bad rating.
        payload = drills.token_payload(token)
        rating = int(request.POST.get("rating", ""))
    except drills.TokenInvalid as exc:
        return _refuse_review(request, str(exc))
    except ValueError:
        return _refuse_review(request, RATING_INVALID)
    if rating not in ReviewLog.Rating.values:
        return _refuse_review(request, RATING_INVALID)
    user = request.user
    now = timezone.now()
    try:
        reviewed = reviewing.review_submit(
            user_id=user.pk if user.is_authenticated else None,
            learner_id=request.session.get(LEARNER_SESSION_KEY),
            token=token,
            payload=payload,
            rating=rating,
            now=now,
        )
    except drills.TokenInvalid as exc:
        return _refuse_review(request, str(exc))
    log = reviewed.log
    card = log.card
    # After "Again", the memory aids of that card: the moment a mnemonic helps.
    again = bool(card.flashcard_id) and log.rating == ReviewLog.Rating.AGAIN
    if request.htmx:
        template = fragment_template(request, TEMPLATE, FRAGMENTS)
        if template != TEMPLATE:
            return _card_after_review(request, reviewed, template, now)
        aids = (
            list(MemoryAid.objects.filter(flashcards=card.flashcard_id))
            if again
            else []
        )
        settings = reviewed.drill.settings
        return _render(
            request,
            reviewed.drill.learner,
            context={"aids": aids, "aids_for": card} if aids else None,
            settings=settings if settings.pk else None,  # the page's form saves them
            after_review=True,
        )
    response = redirect("drill:drill")
    if again and MemoryAid.objects.filter(flashcards=card.flashcard_id).exists():
        response["Location"] += f"?aids={card.pk}"
    return response


def _card_after_review(
    request: HtmxHttpRequest, reviewed: reviewing.Reviewed, template: str, now
) -> HttpResponse:
    """The card fragment after a review: what ``_render`` shows in it, from a few
    hand-written statements (quizzes/reviewing.py) instead of the whole page's."""
    drill, log = reviewed.drill, reviewed.log
    started = request.session.setdefault(SESSION_KEY, now.isoformat())
    context: dict = {"has_sections": bool(drill.section_ids)}
    card = log.card
    if card.flashcard_id and log.rating == ReviewLog.Rating.AGAIN:
        aids = reviewing.memory_aids(card)
        if aids:
            context.update(aids=aids, aids_for=card)
    following = reviewing.next_card(drill=drill, now=now)
    if following is None:
        counts, summary = reviewing.queue_now(
            drill=drill,
            now=now,
            session_started=timezone.datetime.fromisoformat(started),
        )
        badge_store(request, counts)
        context.update(card=None, summary=summary)
    else:
        # This review changed the navigation's count: it is counted afresh by the next
        # page that shows it, not on every review (htmx swaps only the card).
        badge_forget(request)
        context.update(_show(following, drill.settings, now))
        if "aids" not in context:
            token = context["token"]
            if following.flashcard_id:
                return HttpResponse(drill_card.flashcard_front(following, token))
            return HttpResponse(
                drill_card.question_front(
                    following, token, shown=context, csrf_token=get_token(request)
                )
            )
    return render(request, template, context)


@require_POST
def settings_update(request: HtmxHttpRequest) -> HttpResponse:
    learner = learner_get_or_create(request)
    settings = drills.settings_for(learner)
    try:
        retention = float(request.POST.get("desired_retention", ""))
        new_per_day = int(request.POST.get("new_per_day", ""))
        section_ids = [int(pk) for pk in request.POST.getlist("sections")]
    except ValueError:
        return HttpResponseBadRequest(SETTINGS_INVALID)
    if not (0.8 <= retention <= 0.97 and 0 <= new_per_day <= 500):
        return HttpResponseBadRequest(SETTINGS_INVALID)
    allowed = set(_available_sections(learner).values_list("pk", flat=True))
    if not set(section_ids) <= allowed:
        return HttpResponseBadRequest(SETTINGS_INVALID)
    settings.desired_retention = round(retention, 2)
    settings.new_per_day = new_per_day
    settings.save(update_fields=["desired_retention", "new_per_day"])
    settings.sections.set(section_ids)
    badge_forget(request)  # other sections: another count
    return redirect("drill:drill")


@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def cram(request: HtmxHttpRequest) -> HttpResponse:
    """Random cards from the drill's sections, answers on demand; the schedule is never touched."""
    learner = learner_get_or_create(request)
    settings = drills.settings_for(learner)
    section_ids = drills.drill_section_ids(learner=learner, settings=settings)
    drills.cards_ensure(learner=learner, section_ids=section_ids)
    cards = ReviewCard.objects.filter(
        drills.in_sections(section_ids), learner=learner
    ).select_related(*drills.CARD_DISPLAY)
    card = None
    requested = request.GET.get("card")
    if requested:
        card = cards.filter(pk=requested).first() if requested.isdigit() else None
        if card is None:
            raise Http404("No such card in your drill.")
    else:
        count = cards.count()
        card = cards.order_by("pk")[random.randrange(count)] if count else None
    answer = bool(request.GET.get("answer")) and card is not None
    context: dict = {
        "card": card,
        "show_answer": answer,
        "seconds": _seconds(request.GET.get("seconds")),
    }
    if card is not None and card.question_id:
        order, match = option_orders(card.question, random.Random(card.pk))
        context.update(_question_context(ShownQuestion(card.question, order, match)))
        if answer:
            # The right answer and why, without grading anything.
            context["reveal"] = grade(
                card.question, list(card.question.choices.all()), None
            )
    template = fragment_template(request, "quizzes/cram.html", frozenset({"cram-card"}))
    return render(request, template, context)


def _seconds(value: str | None) -> int | None:
    try:
        seconds = int(value or "")
    except ValueError:
        return None
    return seconds if 5 <= seconds <= 600 else None


def _download(
    content: str | bytes, *, filename: str, content_type: str
) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _export(cards, *, stem: str, deck_name: str, fmt: str) -> HttpResponse:
    if fmt == "csv":
        text = export.flashcards_csv(cards)
        return _download(
            text.encode("utf-8-sig"),
            filename=export.export_filename(stem, "csv"),
            content_type="text/csv; charset=utf-8",
        )
    data = export.flashcards_apkg(cards, deck_name=deck_name)
    return _download(
        data,
        filename=export.export_filename(stem, "apkg"),
        content_type="application/octet-stream",
    )


@require_GET
def export_drill(request: HtmxHttpRequest, fmt: str) -> HttpResponse:
    """The flashcards of the learner's drill sections, as CSV or an Anki package."""
    learner = _learner_or_404(request)
    settings = drills.settings_for(learner)
    section_ids = drills.drill_section_ids(learner=learner, settings=settings)
    cards = Flashcard.objects.filter(section_id__in=section_ids).order_by(
        "section__course__title",
        "section__chapter__number",
        "section__position",
        "position",
    )
    return _export(
        cards, stem="lectern-drill-flashcards", deck_name="Lectern drill", fmt=fmt
    )


@require_GET
def export_section(
    request: HtmxHttpRequest, course_slug: str, number: str, fmt: str
) -> HttpResponse:
    """A section's flashcards, as CSV or an Anki package."""
    section = visible_section(course_slug=course_slug, number=number, user=request.user)
    cards = Flashcard.objects.filter(section=section).order_by("position")
    stem = f"{section.course.slug}-{section.number}-flashcards"
    return _export(
        cards,
        stem=stem,
        deck_name=f"{section.course.title}::{section.number} {section.title}",
        fmt=fmt,
    )
