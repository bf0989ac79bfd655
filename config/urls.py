from __future__ import annotations

from django.contrib import admin
from django.urls import include, path, register_converter

from lessons.converters import SectionNumberConverter
from quizzes.converters import ExportFormatConverter

register_converter(SectionNumberConverter, "section")
register_converter(ExportFormatConverter, "export")

# The most requested first: Django tries the patterns in order, and every include a
# URL does not match costs the walk through its patterns.
urlpatterns = [
    path("", include("lessons.urls")),
    path("", include("quizzes.urls")),
    path("drill/", include("quizzes.drill_urls")),
    path("", include("courses.urls")),
    path("accounts/", include("courses.accounts_urls")),
    path("admin/", admin.site.urls),
]
