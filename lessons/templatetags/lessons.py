from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from lessons.glossary import Glossary, link_terms

register = template.Library()


@register.filter
def link_glossary(html: str, glossary: Glossary | None) -> SafeString:
    """Link glossary terms in already-sanitised HTML (a ``*_html`` column)."""
    return mark_safe(
        link_terms(html, glossary or ())
    )  # the input is nh3-sanitised HTML
