"""``{% hole "name" %}…{% endhole %}``: a part of a page that is the visitor's own
(lessons/page_shell.py). Transparent unless the page is being rendered as a shell."""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token

from lessons.page_shell import MARKER

register = template.Library()


class HoleNode(template.Node):
    def __init__(self, name: FilterExpression, nodelist: NodeList) -> None:
        self.name = name
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        content = self.nodelist.render(context)
        marker = context.get(MARKER)
        if not marker:
            return content
        return f"{marker}{self.name.resolve(context)}{marker}{content}{marker}"


@register.tag
def hole(parser: Parser, token: Token) -> HoleNode:
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% hole %} takes one argument: its name")
    nodelist = parser.parse(("endhole",))
    parser.delete_first_token()
    return HoleNode(parser.compile_filter(bits[1]), nodelist)
