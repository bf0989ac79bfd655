from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from config.http import HtmxHttpRequest, fragment_template
from courses import charts, queries
from courses.dashboard import (
    WEEKLY_GOAL_INVALID,
    WEEKLY_GOAL_MAX,
    WEEKLY_GOAL_MIN,
    dashboard_for,
    learner_set_weekly_goal,
    today_utc,
    week_goal_for,
    weekly_goal_parse,
)
from courses.learners import learner_for_request, learner_get_or_create
from courses.progress import continue_with, progress_by_section, sections_done
from quizzes.drills import drill_stats
from quizzes.queries import best_attempts, due_by_section


@require_safe  # HEAD too: load balancers and uptime checks probe the front page
def catalog(request: HtmxHttpRequest) -> HttpResponse:
    courses = list(queries.catalog(user=request.user))
    resume = queries.continue_by_course(
        learner=learner_for_request(request), user=request.user
    )
    for course in courses:
        course.continue_section = resume.get(course.pk)
    return render(request, "courses/catalog.html", {"courses": courses})


@require_GET
def outline(request: HtmxHttpRequest, course_slug: str) -> HttpResponse:
    course = queries.outline_for(course_slug=course_slug, user=request.user)
    sections = [
        section
        for chapter in course.chapters.all()
        for section in chapter.sections.all()
    ]
    learner = learner_for_request(request)
    section_ids = [s.pk for s in sections]
    progress = progress_by_section(learner=learner, section_ids=section_ids)
    best = best_attempts(learner=learner, section_ids=section_ids)
    due = due_by_section(learner=learner, section_ids=section_ids, now=timezone.now())
    done = sections_done(progress, best)
    for section in sections:  # the same objects the template iterates (prefetched)
        section.best_attempt = best.get(section.pk)
        section.cards_due = due.get(section.pk, 0)
        section.is_done = section.pk in done
    context = {
        "course": course,
        "done_count": len(done),
        "section_count": len(sections),
        "percent_done": round(100 * len(done) / len(sections)) if sections else 0,
        "next_section": continue_with(sections, progress, done),
    }
    return render(request, "courses/outline.html", context)


DASHBOARD_TEMPLATE = "courses/dashboard.html"
DASHBOARD_FRAGMENTS = frozenset({"weekly-goal"})
WEEKLY_GOAL_CHOICES = range(WEEKLY_GOAL_MIN, WEEKLY_GOAL_MAX + 1)


@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def dashboard(request: HtmxHttpRequest) -> HttpResponse:
    """The request's learner's progress, quiz scores, activity and weekly goal.

    Reads only: a visitor without a learner yet gets the empty, inviting dashboard.
    """
    learner = learner_for_request(request)
    data = dashboard_for(learner=learner, today=today_utc())
    drill = drill_stats(learner=learner, now=timezone.now()) if learner else None
    context = {
        "drill": drill,
        "drill_chart": charts.drill_reviews_chart(
            drill.reviews_per_day, chart_id="drill-chart"
        )
        if drill
        else None,
        "dashboard": data,
        "week": data.week,
        "goal_choices": WEEKLY_GOAL_CHOICES,
        "activity_chart": charts.study_activity_chart(
            data.activity, chart_id="activity-chart"
        ),
        "quiz_charts": [
            (
                scores,
                charts.quiz_scores_chart(
                    scores, chart_id=f"quiz-{scores.quiz.pk}-chart"
                ),
            )
            for scores in data.quizzes
        ],
    }
    template = fragment_template(request, DASHBOARD_TEMPLATE, DASHBOARD_FRAGMENTS)
    return render(request, template, context)


@require_POST
def dashboard_goal(request: HtmxHttpRequest) -> HttpResponse:
    """Set the weekly goal (1 to 7 days); htmx gets the goal fragment back, others a
    redirect to it. Anything else is refused with a 400 and changes nothing."""
    today = today_utc()
    goal = weekly_goal_parse(request.POST.get("weekly_goal"))
    if goal is None:
        if request.htmx:
            week = week_goal_for(learner=learner_for_request(request), today=today)
            context = {
                "week": week,
                "goal_choices": WEEKLY_GOAL_CHOICES,
                "goal_error": WEEKLY_GOAL_INVALID,
            }
            return render(
                request, f"{DASHBOARD_TEMPLATE}#weekly-goal", context, status=400
            )
        return render(request, "400.html", {"message": WEEKLY_GOAL_INVALID}, status=400)
    learner = learner_get_or_create(request)
    learner_set_weekly_goal(learner=learner, goal=goal)
    if request.htmx:
        context = {
            "week": week_goal_for(learner=learner, today=today),
            "goal_choices": WEEKLY_GOAL_CHOICES,
            "goal_saved": True,
        }
        return render(request, f"{DASHBOARD_TEMPLATE}#weekly-goal", context)
    return redirect(reverse("courses:dashboard") + "#weekly-goal")
