"""Views of the authoring admin that are not a model's page (wired in lessons/admin.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_POST

from lessons.admin_forms import PREVIEW_TEMPLATE
from lessons.markdown import render_markdown

# Longer than any part of a section; the preview of more is refused, not rendered.
MAX_PREVIEW_CHARS = 100_000


@require_POST
def markdown_preview(request: HttpRequest) -> HttpResponse:
    """The sanitised HTML of the posted ``text``, as the site will show it.

    Staff only, with the CSRF token: the admin site wraps it (``admin_view``).
    ``inline=1`` renders a short field (a flashcard face) without its paragraph.
    """
    text = request.POST.get("text", "")
    if len(text) > MAX_PREVIEW_CHARS:
        return HttpResponseBadRequest("Too long to preview.")
    html = render_markdown(text, inline=request.POST.get("inline") == "1")
    return render(request, PREVIEW_TEMPLATE, {"html": html})
