"""Checking a quiz answer: everything the check reads, in one hand-written statement.

Through the ORM an answer was 15 statements and ~9 ms of CPU, most of it Python building
queries and model instances rather than the database answering them (the section and
quiz, the learner, the item, its question, its choices; then the write; then the whole
question panel again). ``item_to_answer`` reads in one statement the section (visible to
the user), its quiz, the learner (the account's, or the anonymous one whose id the
session holds: whom ``courses.learners.learner_for_request`` finds), the posted item if
it belongs to that learner's attempt at this quiz, the attempt's state and counts, and
the question's grading fields with its choices, one row per choice. The write is
``quizzes.attempts.attempt_answer``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.db import connections, router
from django.db.models import Model
from django.http import Http404

from config.raw_rows import json_value, load_only
from courses.models import Course, Learner
from lessons.models import Section
from quizzes.models import Answer, Attempt, AttemptQuestion, Choice, Question, Quiz

NO_QUIZ = "This section has no practice quiz."


@dataclass(slots=True)
class ItemToAnswer:
    """A learner's question in their attempt, with what grading and the feedback read."""

    # With .question (its grading fields) and .attempt (its id and learner).
    item: AttemptQuestion
    choices: list[Choice]  # in position order, as question.choices.all()
    learner_id: int
    finished: bool
    answered: int  # the attempt's answers when read
    total: int  # the attempt's questions
    already_answered: bool  # this question had its answer when read


def quoted(connection, model: type[Model], *names: str) -> list[str]:
    """The quoted table of ``model``, then the quoted columns of its fields ``names``."""
    ops = connection.ops
    return [ops.quote_name(model._meta.db_table)] + [
        ops.quote_name(model._meta.get_field(name).column) for name in names
    ]


@cache
def _read_sql(alias: str, by_user: bool) -> str:
    connection = connections[alias]
    section, s_course, s_number, s_status = quoted(
        connection, Section, "course", "number", "status"
    )
    course, c_slug = quoted(connection, Course, "slug")
    quiz, q_section = quoted(connection, Quiz, "section")
    learner, l_user = quoted(connection, Learner, "user")
    attempt, a_learner, a_quiz, a_finished = quoted(
        connection, Attempt, "learner", "quiz", "finished_at"
    )
    item, i_attempt, i_question, i_position, i_order, i_match, i_hints = quoted(
        connection,
        AttemptQuestion,
        "attempt",
        "question",
        "position",
        "choice_order",
        "match_order",
        "hints_shown",
    )
    question, kind, explanation, accepted, case, numeric, tolerance = quoted(
        connection,
        Question,
        "kind",
        "explanation_html",
        "accepted_answers",
        "case_sensitive",
        "numeric_answer",
        "tolerance",
    )
    choice, ch_question, ch_position, ch_text, ch_html, ch_correct, ch_match, ch_fb = (
        quoted(
            connection,
            Choice,
            "question",
            "position",
            "text",
            "text_html",
            "is_correct",
            "match",
            "feedback_html",
        )
    )
    answer, ans_attempt, ans_question = quoted(
        connection, Answer, "attempt", "question"
    )
    learner_match = (
        f"l.{l_user} = %s" if by_user else f"l.id = %s AND l.{l_user} IS NULL"
    )
    # The item is joined only when it is this learner's, in this quiz: anyone else's
    # reads as absent, and nothing of its question is loaded.
    return f"""
SELECT q.id, l.id, a.id, a.{a_finished},
       (SELECT COUNT(*) FROM {answer} n WHERE n.{ans_attempt} = a.id),
       (SELECT COUNT(*) FROM {item} t WHERE t.{i_attempt} = a.id),
       (SELECT COUNT(*) FROM {answer} n WHERE n.{ans_attempt} = a.id
          AND n.{ans_question} = i.{i_question}),
       i.id, i.{i_question}, i.{i_position}, i.{i_order}, i.{i_match}, i.{i_hints},
       u.{kind}, u.{explanation}, u.{accepted}, u.{case}, u.{numeric}, u.{tolerance},
       ch.id, ch.{ch_position}, ch.{ch_text}, ch.{ch_html}, ch.{ch_correct},
       ch.{ch_match}, ch.{ch_fb}
FROM {section} s
JOIN {course} c ON c.id = s.{s_course}
JOIN {quiz} q ON q.{q_section} = s.id
LEFT JOIN {learner} l ON {learner_match}
LEFT JOIN {item} i ON i.id = %s
LEFT JOIN {attempt} a ON a.id = i.{i_attempt} AND a.{a_learner} = l.id AND a.{a_quiz} = q.id
LEFT JOIN {question} u ON u.id = i.{i_question} AND a.id IS NOT NULL
LEFT JOIN {choice} ch ON ch.{ch_question} = u.id
WHERE c.{c_slug} = %s AND s.{s_number} = %s AND (s.{s_status} = %s OR %s)
ORDER BY ch.{ch_position}
"""


def item_to_answer(
    *, course_slug: str, number: str, user, learner_id: int | None, item_id: int | None
) -> ItemToAnswer | None:
    """The item ``item_id`` if it is in the learner's attempt at the quiz of this section,
    or None (no learner yet, someone else's item, another quiz's). Http404 when the
    section is unknown, a draft the user may not see, or has no quiz. ``learner_id`` is
    the anonymous learner's, from the session; an account's learner is found by the user.
    """
    if item_id is not None and not 0 < item_id < 2**63:
        item_id = None  # no row has it, and the driver can't bind it
    alias = router.db_for_read(AttemptQuestion)
    by_user = bool(user.is_authenticated)
    params = [
        user.pk if by_user else learner_id,
        item_id,
        course_slug,
        number,
        Section.Status.PUBLISHED,
        bool(getattr(user, "is_staff", False)),
    ]
    with connections[alias].cursor() as cursor:
        cursor.execute(_read_sql(alias, by_user), params)
        rows = cursor.fetchall()
    if not rows:
        raise Http404(NO_QUIZ)
    (
        _quiz_id, learner_pk, attempt_pk, finished_at, answered, total, already,
        pk, question_id, position, choice_order, match_order, hints_shown,
        kind, explanation_html, accepted, case_sensitive, numeric, tolerance,
        *_choice,
    ) = rows[0]  # fmt: skip
    if attempt_pk is None or learner_pk is None or item_id is None:
        return None
    question = load_only(
        Question,
        alias,
        id=question_id,
        kind=kind,
        explanation_html=explanation_html,
        accepted_answers=json_value(accepted),
        case_sensitive=bool(case_sensitive),
        numeric_answer=numeric,
        tolerance=tolerance,
    )
    choices = [
        load_only(
            Choice,
            alias,
            id=row[19],
            question_id=question_id,
            position=row[20],
            text=row[21],
            text_html=row[22],
            is_correct=bool(row[23]),
            match=row[24],
            feedback_html=row[25],
        )
        for row in rows
        if row[19] is not None
    ]
    item = load_only(
        AttemptQuestion,
        alias,
        id=pk,
        attempt_id=attempt_pk,
        question_id=question_id,
        position=position,
        choice_order=json_value(choice_order),
        match_order=json_value(match_order),
        hints_shown=hints_shown,
    )
    item.question = question
    item.attempt = load_only(Attempt, alias, id=attempt_pk, learner_id=learner_pk)
    return ItemToAnswer(
        item=item,
        choices=choices,
        learner_id=learner_pk,
        finished=finished_at is not None,
        answered=answered,
        total=total,
        already_answered=bool(already),
    )
