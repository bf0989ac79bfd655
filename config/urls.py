from __future__ import annotations

from django.contrib import admin
from django.urls import include, path, register_converter

from lessons.converters import SectionNumberConverter
from quizzes.converters import ExportFormatConverter

register_converter(SectionNumberConverter, "section")
register_converter(ExportFormatConverter, "export")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("courses.accounts_urls")),
    path("", include("courses.urls")),
    path("", include("lessons.urls")),
    path("", include("quizzes.urls")),
    path("drill/", include("quizzes.drill_urls")),
]
