from __future__ import annotations

import re

import pytest

from lessons.markdown import render_markdown
from tests.lessons.factories import SummaryFactory

SCRIPT_URL = re.compile(r"(href|src)\s*=\s*[\"']?\s*(javascript|data):", re.I)


def test_tables_and_fenced_code_render():
    html = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nx = 1\n```\n")
    assert "<table>" in html
    assert "<td>1</td>" in html
    assert '<code class="language-python">' in html


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="data:text/html,<script>alert(1)</script>">x</a>',
        "<svg><script>alert(1)</script></svg>",
        '<iframe src="https://example.com"></iframe>',
    ],
)
def test_dangerous_html_is_removed(payload):
    html = render_markdown(payload)
    assert "<script" not in html
    assert "onerror" not in html
    # A refused link may stay as plain text; what matters is that no URL carries it.
    assert not SCRIPT_URL.search(html)
    assert "<iframe" not in html


def test_hostile_nesting_renders_as_text_without_blowing_the_stack():
    # Python-Markdown recursed to a RecursionError on these, or took minutes.
    for text in ["- " * 4000 + "x", "[" * 20000, "![" * 10000, "> " * 5000 + "x"]:
        html = render_markdown(text)
        assert "<script" not in html
        assert html


def test_column_alignment_survives_as_classes_not_styles():
    html = render_markdown("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n")
    assert '<th class="align-left">a</th>' in html
    assert '<td class="align-center">2</td>' in html
    assert '<td class="align-right">3</td>' in html
    assert "style=" not in html  # the CSP would block it


def test_authors_cannot_smuggle_other_classes_or_styles():
    html = render_markdown(
        '<table><tr><td class="x align-right" style="color:red">1</td></tr></table>'
    )
    assert "color" not in html
    assert 'class="x' not in html


def test_inline_drops_the_single_paragraph():
    assert render_markdown("**bold**", inline=True) == "<strong>bold</strong>"
    assert render_markdown("one\n\ntwo", inline=True).count("<p>") == 2


def test_blank_text_renders_to_nothing():
    assert render_markdown("   \n") == ""


@pytest.mark.django_db
def test_saving_a_part_renders_its_html_once():
    summary = SummaryFactory(text="Some *emphasis*")
    assert summary.text_html == "<p>Some <em>emphasis</em></p>"
    summary.text = "Now **strong**"
    summary.save()
    summary.refresh_from_db()
    assert summary.text_html == "<p>Now <strong>strong</strong></p>"
