from __future__ import annotations

from django.urls import path

from courses import views

app_name = "courses"

urlpatterns = [
    path("", views.catalog, name="catalog"),
    path("courses/<slug:course_slug>/", views.outline, name="outline"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/goal/", views.dashboard_goal, name="dashboard-goal"),
]
