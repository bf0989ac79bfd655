from __future__ import annotations

from django.urls import path

from lessons import views

# <section:…> is the SectionNumberConverter registered in config/urls.py.
app_name = "lessons"

urlpatterns = [
    path(
        "courses/<slug:course_slug>/<section:number>/",
        views.section_detail,
        name="section-detail",
    ),
    path(
        "courses/<slug:course_slug>/<section:number>/done/",
        views.mark_done,
        name="mark-done",
    ),
]
