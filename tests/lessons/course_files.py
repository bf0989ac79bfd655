"""Valid course-file texts for the loader and validator tests, and helpers to edit them.

``course_text()`` is a small course in the format of docs/content-format.md: one chapter
with two sections, the first with every part and a quiz with all seven kinds of question.
Tests derive bad or edited files from it with ``replace_once`` and find the line of a
field with ``line_of``, so expected line numbers never have to be hard-coded.
"""

from __future__ import annotations

from pathlib import Path

COURSE_SLUG = "test-course"

_COURSE = """\
slug: test-course
title: A Test Course
description: |
  A small course for the tests.
chapters:
  - number: 15
    title: Modern Topics
    sections:
      - number: "15.1"
        slug: first-section
        title: The First Section
        status: published
        summaries:
          basic: |
            A **basic** summary.
          medium: |
            A medium summary, one paragraph long.
          detailed: |
            A detailed summary with a table.

            | Model | Lab |
            |---|---|
            | BERT | Google |

            <script>alert("boo")</script>
        dialogues:
          - title: A first talk
            script: |
              Teacher: Today we look at foundation models.
              Student 1: Are they the big ones?

              Teacher: Big, yes, but they are *reused*.
              Student 2: Reused for what?
        explainers:
          - title: Definition
            statement: |
              A foundation model is a large pre-trained model.
            explanation: |
              It is trained once and adapted many times.
            analogy: |
              Like the foundation of a building.
        key_concepts:
          - term: Pre-training
            description: |
              Training once on broad data.
          - term: Fine-tuning
            description: |
              Further training on a small dataset.
        examples:
          - title: A support chatbot
            text: |
              A chatbot built on a foundation model.
        memory_aids:
          - kind: acronym
            title: FARM
            text: |
              **F**oundation models **A**re **R**eusable and **M**ulti-purpose.
            flashcards: [card-one, card-two]
          - kind: rhyme
            title: Train once
            text: |
              Train it once, use it twice.
        flashcards:
          - id: card-one
            front: What is a foundation model?
            back: |
              A large model pre-trained on broad data.
            hint: Think of a building.
          - id: card-two
            front: What is fine-tuning?
            back: |
              Further training on a small task-specific dataset.
          - id: card-three
            front: Name a foundation model.
            back: |
              GPT, BERT or LLaMA.
        glossary:
          - term: Fine-tuning
            definition: |
              Further training of a pre-trained model.
            aliases: [finetuning, fine tuning]
        videos:
          - title: Foundation models in five minutes
            url: https://www.youtube.com/watch?v=XXXXXXXXXXX
        quiz:
          title: Practice quiz
          pass_mark: 80
          questions:
            - id: q-single
              kind: single_choice
              prompt: Which statement describes a foundation model best?
              explanation: |
                Reuse across tasks is the defining trait.
              hints: [Think about how many tasks one model serves.]
              choices:
                - text: A model trained once and adapted to many tasks
                  correct: true
                  feedback: Yes.
                - text: A model built for a single task
                  feedback: That is a task-specific model.
            - id: q-multiple
              kind: multiple_choice
              prompt: Which of these adapt a foundation model?
              explanation: Both change what the model does.
              choices:
                - {text: Fine-tuning, correct: true}
                - {text: Prompting, correct: true}
                - {text: Training from zero}
            - id: q-true-false
              kind: true_false
              prompt: A foundation model is retrained from scratch for every task.
              answer: false
              explanation: It is adapted instead.
            - id: q-short
              kind: short_answer
              prompt: What is further training on a small dataset called?
              accepted: [fine-tuning, finetuning]
              explanation: Fine-tuning.
            - id: q-numeric
              kind: numeric
              prompt: GPT-3 has how many billion parameters?
              answer: 175
              tolerance: 0.5
              explanation: 175 billion.
            - id: q-ordering
              kind: ordering
              prompt: Put the stages in order.
              items: [Pre-training, Fine-tuning, Deployment]
              explanation: Pre-train, specialise, deploy.
            - id: q-matching
              kind: matching
              prompt: Match each model to its lab.
              pairs:
                - {left: BERT, right: Google}
                - {left: LLaMA, right: Meta}
              explanation: BERT is Google's; LLaMA is Meta's.
      - number: "15.2"
        slug: second-section
        title: The Second Section
        status: draft
        summaries:
          basic: Second basic.
          medium: Second medium.
          detailed: Second detailed.
        flashcards:
          - id: card-four
            front: What is prompting?
            back: Describing the task in the input.
        quiz:
          title: Second quiz
          questions:
            - id: q-second
              kind: true_false
              prompt: Prompting changes the weights.
              answer: false
              explanation: It does not.
"""


def course_text() -> str:
    """The text of a valid course file (a fresh copy each time)."""
    return _COURSE


def replace_once(text: str, old: str, new: str) -> str:
    """``text`` with the only occurrence of ``old`` replaced by ``new``."""
    count = text.count(old)
    assert count == 1, f"{old!r} occurs {count} times in the course text"
    return text.replace(old, new)


def line_of(text: str, needle: str, *, after: str | None = None) -> int:
    """The 1-based number of the first line containing ``needle`` (after the line containing ``after``)."""
    lines = text.splitlines()
    start = 0
    if after is not None:
        start = next(i for i, line in enumerate(lines) if after in line) + 1
    for index in range(start, len(lines)):
        if needle in lines[index]:
            return index + 1
    raise AssertionError(f"{needle!r} is not in the course text")


def write(directory: Path, text: str, name: str = "course.yaml") -> Path:
    """Write ``text`` to ``directory/name`` and return the path."""
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def cut(text: str, start: str, end: str) -> tuple[str, str]:
    """``text`` without the block from the line ``start`` up to (not including) ``end``, and the block."""
    begin = text.index(start)
    stop = text.index(end, begin + len(start))
    return text[:begin] + text[stop:], text[begin:stop]
