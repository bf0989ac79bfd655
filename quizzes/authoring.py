"""Instructors' writes on a whole quiz: copy it to another section (the admin's
"Duplicate section", alongside ``lessons.authoring.section_duplicate``)."""

from __future__ import annotations

from django.db import transaction

from lessons.authoring import unique_key
from lessons.models import Section
from quizzes.models import Question, Quiz


def quiz_duplicate(*, quiz: Quiz, section: Section) -> Quiz:
    """A copy of ``quiz`` and its questions and choices for ``section`` (which has none).

    Question ids get a suffix that keeps them unique in the course, as course files need.
    """
    with transaction.atomic():
        questions = list(quiz.questions.prefetch_related("choices"))
        copy = Quiz.objects.create(
            section=section, title=quiz.title, pass_mark=quiz.pass_mark
        )
        keys = set(
            Question.objects.filter(
                quiz__section__course_id=section.course_id
            ).values_list("key", flat=True)
        )
        key_length = Question._meta.get_field("key").max_length
        for question in questions:
            choices = list(question.choices.all())
            key = unique_key(question.key, keys, max_length=key_length)
            keys.add(key)
            question.pk = None
            question._state.adding = True
            question.quiz = copy
            question.key = key
            question.save()
            for choice in choices:
                choice.pk = None
                choice._state.adding = True
                choice.question = question
                choice.save()
    return copy
