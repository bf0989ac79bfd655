from __future__ import annotations

from django.urls import path

from quizzes import drill_views, views

app_name = "quizzes"

# <section:…> is the SectionNumberConverter registered in config/urls.py.
prefix = "courses/<slug:course_slug>/<section:number>/quiz/"

urlpatterns = [
    path(prefix, views.quiz, name="quiz"),
    path(f"{prefix}check/", views.check, name="check"),
    path(f"{prefix}hint/", views.hint, name="hint"),
    path(f"{prefix}finish/", views.finish, name="finish"),
    path(f"{prefix}retry/", views.retry, name="retry"),
    path(f"{prefix}attempts/<int:attempt_id>/", views.result, name="result"),
    path(
        "courses/<slug:course_slug>/<section:number>/flashcards.<export:fmt>",
        drill_views.export_section,
        name="flashcards-export",
    ),
]
