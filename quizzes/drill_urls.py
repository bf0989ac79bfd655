from __future__ import annotations

from django.urls import path

from quizzes import drill_views

# <export:…> is the ExportFormatConverter registered in config/urls.py.
app_name = "drill"

urlpatterns = [
    path("", drill_views.drill, name="drill"),
    path("check/", drill_views.check, name="check"),
    path("hint/", drill_views.hint, name="hint"),
    path("review/", drill_views.review, name="review"),
    path("settings/", drill_views.settings_update, name="settings"),
    path("cram/", drill_views.cram, name="cram"),
    path("export.<export:fmt>", drill_views.export_drill, name="export"),
]
