from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from lessons.models import (
    Dialogue,
    DialogueLine,
    Example,
    Explainer,
    Flashcard,
    GlossaryTerm,
    KeyConcept,
    MemoryAid,
    Section,
    Summary,
    Video,
)
from tests.courses.factories import ChapterFactory


class SectionFactory(DjangoModelFactory[Section]):
    class Meta:
        model = Section

    chapter = factory.SubFactory(ChapterFactory)
    course = factory.LazyAttribute(lambda s: s.chapter.course)
    position = factory.Sequence(lambda n: n)
    number = factory.LazyAttribute(lambda s: f"{s.chapter.number}.{s.position + 1}")
    slug = factory.Sequence(lambda n: f"section-{n}")
    title = factory.Sequence(lambda n: f"Section {n}")
    status = Section.Status.PUBLISHED


class DraftSectionFactory(SectionFactory):
    status = Section.Status.DRAFT


class PartFactory(DjangoModelFactory):
    """A part of a section; positions come from a sequence so they never collide."""

    section = factory.SubFactory(SectionFactory)
    position = factory.Sequence(lambda n: n)


class SummaryFactory(DjangoModelFactory[Summary]):
    class Meta:
        model = Summary
        django_get_or_create = ["section", "level"]

    section = factory.SubFactory(SectionFactory)
    level = Summary.Level.BASIC
    text = factory.LazyAttribute(lambda s: f"The **{s.level}** summary.")


class DialogueFactory(PartFactory):
    class Meta:
        model = Dialogue

    title = factory.Sequence(lambda n: f"Dialogue {n}")


class DialogueLineFactory(DjangoModelFactory[DialogueLine]):
    class Meta:
        model = DialogueLine

    dialogue = factory.SubFactory(DialogueFactory)
    position = factory.Sequence(lambda n: n)
    speaker = "Teacher"
    role = DialogueLine.Role.TEACHER
    text = factory.Sequence(lambda n: f"Line {n} of the dialogue.")


class ExplainerFactory(PartFactory):
    class Meta:
        model = Explainer

    title = factory.Sequence(lambda n: f"Explainer {n}")
    statement = "A statement."
    explanation = "The detailed explanation."
    analogy = "An analogy."


class KeyConceptFactory(PartFactory):
    class Meta:
        model = KeyConcept

    term = factory.Sequence(lambda n: f"Concept {n}")
    description = "What the concept means."


class ExampleFactory(PartFactory):
    class Meta:
        model = Example

    title = factory.Sequence(lambda n: f"Example {n}")
    text = "A real-life example."


class FlashcardFactory(PartFactory):
    class Meta:
        model = Flashcard

    key = factory.Sequence(lambda n: f"card-{n}")
    front = factory.Sequence(lambda n: f"Question {n}?")
    back = factory.Sequence(lambda n: f"Answer {n}.")


class MemoryAidFactory(PartFactory):
    class Meta:
        model = MemoryAid
        skip_postgeneration_save = True

    kind = MemoryAid.Kind.RHYME
    title = factory.Sequence(lambda n: f"Aid {n}")
    text = "A rhyme to remember."

    @factory.post_generation
    def flashcards(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.flashcards.set(extracted)


class GlossaryTermFactory(PartFactory):
    class Meta:
        model = GlossaryTerm

    term = factory.Sequence(lambda n: f"Term {n}")
    definition = "What the term means."


class VideoFactory(PartFactory):
    class Meta:
        model = Video

    title = factory.Sequence(lambda n: f"Video {n}")
    url = factory.Sequence(lambda n: f"https://www.youtube.com/watch?v=video{n:05d}")


def section_with_every_part(n: int, **kwargs) -> Section:
    """A published section with ``n`` of every part (three summaries, and a quiz of n questions)."""
    from tests.quizzes.factories import QuestionFactory, QuizFactory

    section = SectionFactory(**kwargs)
    for level in Summary.Level.values:
        SummaryFactory(section=section, level=level)
    for _ in range(n):
        DialogueLineFactory.create_batch(2, dialogue=DialogueFactory(section=section))
        ExplainerFactory(section=section)
        KeyConceptFactory(section=section)
        ExampleFactory(section=section)
        card = FlashcardFactory(section=section)
        MemoryAidFactory(section=section, flashcards=[card])
        GlossaryTermFactory(section=section)
        VideoFactory(section=section)
    quiz = QuizFactory(section=section)
    QuestionFactory.create_batch(n, quiz=quiz)
    return section
