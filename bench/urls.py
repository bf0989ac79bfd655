"""The site's URLs plus /bench/hello/: the floor of this stack (gunicorn, Django's
middleware, a view that does nothing), mounted only by bench/settings.py."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [
    path("bench/hello/", hello),
    path("", include("config.urls")),
]
