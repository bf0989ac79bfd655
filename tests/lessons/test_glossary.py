from __future__ import annotations

import pytest

from lessons.glossary import glossary_index, link_terms
from tests.lessons.factories import (
    DialogueFactory,
    DialogueLineFactory,
    ExplainerFactory,
    GlossaryTermFactory,
    SectionFactory,
    SummaryFactory,
)
from tests.quizzes.factories import QuestionFactory, QuizFactory


class Term:
    def __init__(self, term: str, aliases: list[str] | None = None) -> None:
        self.term, self.aliases = term, aliases or []
        self.anchor = "term-" + term.lower().replace(" ", "-")


GLOSSARY = glossary_index(
    [
        Term("Fine-tuning", ["finetuning"]),
        Term("Foundation model", ["foundation models"]),
        Term("LoRA"),
    ]
)


def test_first_use_of_each_term_links_to_its_entry():
    html = "<p>A foundation model is tuned by fine-tuning; more fine-tuning helps.</p>"
    out = link_terms(html, GLOSSARY)
    assert out.count('href="#term-foundation-model"') == 1
    assert out.count('href="#term-fine-tuning"') == 1
    assert (
        '<a class="glossary-link" href="#term-foundation-model">foundation model</a>'
        in out
    )


def test_aliases_and_case_match_and_the_longest_spelling_wins():
    out = link_terms("<p>Foundation Models and FINETUNING</p>", GLOSSARY)
    assert (
        '<a class="glossary-link" href="#term-foundation-model">Foundation Models</a>'
        in out
    )
    assert '<a class="glossary-link" href="#term-fine-tuning">FINETUNING</a>' in out


@pytest.mark.parametrize(
    "html",
    [
        '<p><a href="https://x.org">LoRA paper</a></p>',
        "<pre><code>LoRA(rank=8)</code></pre>",
        "<h3>LoRA</h3>",
        "<p>GLoRA and LoRAX are other things</p>",
        '<p><img alt="LoRA"></p>',
    ],
)
def test_terms_are_not_linked_inside_links_code_headings_words_or_attributes(html):
    assert link_terms(html, GLOSSARY) == html


def test_text_after_a_skipped_element_is_linked_again():
    out = link_terms("<p><code>LoRA</code> then LoRA</p>", GLOSSARY)
    assert (
        out
        == '<p><code>LoRA</code> then <a class="glossary-link" href="#term-lora">LoRA</a></p>'
    )


def test_empty_glossary_changes_nothing():
    assert link_terms("<p>LoRA</p>", ()) == "<p>LoRA</p>"


@pytest.mark.django_db
def test_section_page_links_terms_in_summaries_explainers_and_dialogues_but_not_quiz_text(
    client,
):
    section = SectionFactory()
    GlossaryTermFactory(section=section, term="Transformer")
    SummaryFactory(
        section=section, level="basic", text="The transformer is everywhere."
    )
    ExplainerFactory(
        section=section,
        statement="A transformer attends.",
        explanation="x",
        analogy="y",
    )
    DialogueLineFactory(
        dialogue=DialogueFactory(section=section), text="What is a transformer?"
    )
    QuestionFactory(quiz=QuizFactory(section=section), prompt="Which transformer?")
    html = client.get(section.get_absolute_url()).content.decode()
    assert html.count('href="#term-transformer"') == 3
    assert 'id="term-transformer"' in html
