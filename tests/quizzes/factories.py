from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from quizzes.models import Answer, Attempt, AttemptQuestion, Choice, Question, Quiz
from tests.courses.factories import LearnerFactory
from tests.lessons.factories import SectionFactory


class QuizFactory(DjangoModelFactory[Quiz]):
    class Meta:
        model = Quiz

    section = factory.SubFactory(SectionFactory)
    title = "Practice quiz"


class QuestionFactory(DjangoModelFactory[Question]):
    """A single-choice question with one right and one wrong choice."""

    class Meta:
        model = Question
        skip_postgeneration_save = True

    quiz = factory.SubFactory(QuizFactory)
    key = factory.Sequence(lambda n: f"question-{n}")
    position = factory.Sequence(lambda n: n)
    kind = Question.Kind.SINGLE_CHOICE
    prompt = factory.Sequence(lambda n: f"Which is right ({n})?")
    explanation = "Because it is."

    @factory.post_generation
    def choices(self, create: bool, extracted, **kwargs) -> None:
        if not create or self.kind != Question.Kind.SINGLE_CHOICE:
            return
        if extracted is None:
            ChoiceFactory(question=self, position=0, text="Right", is_correct=True)
            ChoiceFactory(
                question=self, position=1, text="Wrong", feedback="Not this one."
            )


class ChoiceFactory(DjangoModelFactory[Choice]):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory, choices=[])
    position = factory.Sequence(lambda n: n)
    text = factory.Sequence(lambda n: f"Choice {n}")


class AttemptFactory(DjangoModelFactory[Attempt]):
    """A finished full attempt, 8 of 10 right; ``finished_at=None, score=None`` leaves it
    open, ``retry_of=`` makes it a retry of the missed questions."""

    class Meta:
        model = Attempt

    learner = factory.SubFactory(LearnerFactory)
    quiz = factory.SubFactory(QuizFactory)
    started_at = factory.LazyFunction(timezone.now)
    finished_at = factory.LazyAttribute(lambda a: a.started_at + timedelta(minutes=5))
    total = 10
    score = 8
    retry_of = None


class AttemptQuestionFactory(DjangoModelFactory[AttemptQuestion]):
    """A question as it appears in an attempt (options in their stored order)."""

    class Meta:
        model = AttemptQuestion

    attempt = factory.SubFactory(AttemptFactory)
    question = factory.SubFactory(QuestionFactory)
    position = factory.Sequence(lambda n: n)
    hints_shown = 0


class AnswerFactory(DjangoModelFactory[Answer]):
    """A right answer; pass ``is_correct=False`` and a ``response`` for a wrong one."""

    class Meta:
        model = Answer

    attempt = factory.SubFactory(AttemptFactory)
    question = factory.SubFactory(QuestionFactory)
    response = factory.LazyFunction(dict)
    is_correct = True
    partial = factory.LazyAttribute(lambda a: 1.0 if a.is_correct else 0.0)
