"""Question statistics and per-section figures from factory-built attempts with known answers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quizzes.admin_statistics import section_statistics_summary
from quizzes.models import Attempt, Question
from quizzes.statistics import (
    DEFAULT_ORDER,
    quiz_question_stats,
    section_figures,
    stats_sorted,
)
from tests.courses.factories import (
    LearnerFactory,
    SectionProgressFactory,
    StaffUserFactory,
    UserFactory,
)
from tests.quizzes.factories import (
    AnswerFactory,
    AttemptFactory,
    AttemptQuestionFactory,
    ChoiceFactory,
    QuestionFactory,
    QuizFactory,
)

pytestmark = pytest.mark.django_db

# First full attempt of each learner: 1 = right, 0 = wrong, None = not answered.
# Scores 4, 3, 2, 2, 1, 1: the upper third is A and B, the lower third E and F.
FIRST_ATTEMPTS = {
    "A": [1, 1, 0, 1, 1],
    "B": [1, 0, 0, 1, 1],
    "C": [1, 0, 0, 1, 0],
    "D": [0, 0, 0, 1, 1],
    "E": [0, None, 1, 0, 0],
    "F": [0, 0, 1, 0, 0],
}
# What the wrong ones answered: q1 picks a choice, q2 types; the rest pick "Wrong".
WRONG_Q1 = {"D": "Wrong B", "E": "Wrong A", "F": "Wrong B"}
WRONG_Q2 = {"B": "Lyon", "C": "  lyon ", "D": "Marseille", "F": "LYON."}
HINTS_Q3 = {"A": 1, "B": 2}


class World:
    """A quiz of five questions and the attempts of FIRST_ATTEMPTS and more."""

    def __init__(self, pass_mark: int = 60) -> None:
        self.quiz = QuizFactory(pass_mark=pass_mark)
        q1 = QuestionFactory(quiz=self.quiz, position=0, choices=[])
        self.q1_choices = {
            text: ChoiceFactory(
                question=q1, position=i, text=text, is_correct=(text == "Right")
            )
            for i, text in enumerate(["Right", "Wrong A", "Wrong B"])
        }
        q2 = QuestionFactory(
            quiz=self.quiz,
            position=1,
            kind=Question.Kind.SHORT_ANSWER,
            accepted_answers=["Paris"],
        )
        rest = [QuestionFactory(quiz=self.quiz, position=i) for i in (2, 3, 4)]
        self.questions = [q1, q2, *rest]
        self.learners = {name: LearnerFactory() for name in FIRST_ATTEMPTS}
        self.start = timezone.now() - timedelta(days=10)
        for name, results in FIRST_ATTEMPTS.items():
            self.take(name, results, day=0)
        # Later attempts never change facility or the ranking, only the attempt counts:
        # F tries again and gets everything right; E retries what it missed, right.
        self.take("F", [1, 1, 1, 1, 1], day=1)
        e_first = Attempt.objects.filter(learner=self.learners["E"]).get()
        self.take(
            "E",
            [1, 1, None, 1, 1],
            day=2,
            retry_of=e_first,
            only=[0, 1, 3, 4],
        )
        # An open attempt counts for nothing.
        self.take("G", [None] * 5, day=3, finished=False, hints=3)

    def response(self, name: str, index: int, right: bool) -> dict:
        question = self.questions[index]
        if index == 0:
            text = "Right" if right else WRONG_Q1[name]
            return {"choice": self.q1_choices[text].pk}
        if index == 1:
            return {"text": "Paris" if right else WRONG_Q2[name]}
        choice = question.choices.get(text="Right" if right else "Wrong")
        return {"choice": str(choice.pk)}  # ids may arrive as strings too

    def take(
        self,
        name: str,
        results: list[int | None],
        *,
        day: int,
        retry_of: Attempt | None = None,
        only: list[int] | None = None,
        finished: bool = True,
        hints: int = 0,
    ) -> Attempt:
        learner = self.learners.setdefault(name, LearnerFactory())
        indexes = only if only is not None else range(len(self.questions))
        score = sum(1 for i in indexes if results[i])
        started = self.start + timedelta(days=day)
        attempt = AttemptFactory(
            learner=learner,
            quiz=self.quiz,
            started_at=started,
            finished_at=started + timedelta(minutes=5) if finished else None,
            total=len(indexes),
            score=score if finished else None,
            retry_of=retry_of,
        )
        for position, index in enumerate(indexes):
            question = self.questions[index]
            shown = HINTS_Q3.get(name, 0) if index == 2 and day == 0 else 0
            AttemptQuestionFactory(
                attempt=attempt,
                question=question,
                position=position,
                hints_shown=hints or shown,
            )
            if results[index] is not None:
                AnswerFactory(
                    attempt=attempt,
                    question=question,
                    is_correct=bool(results[index]),
                    response=self.response(name, index, bool(results[index])),
                )
        return attempt


def by_position(stats):
    return {s.question.position: s for s in stats}


def test_first_attempt_facility_discrimination_and_attempts():
    world = World()
    stats = by_position(quiz_question_stats(quiz=world.quiz))

    # Facility: right on each learner's first finished attempt, of the six learners.
    assert [stats[i].learners for i in range(5)] == [6] * 5
    assert stats[0].facility == pytest.approx(3 / 6)
    assert stats[1].facility == pytest.approx(1 / 6)  # E did not answer: wrong
    assert stats[2].facility == pytest.approx(2 / 6)
    assert stats[3].facility == pytest.approx(4 / 6)
    assert stats[4].facility == pytest.approx(3 / 6)
    assert stats[1].facility_percent == 17
    # Discrimination: upper third {A, B} minus lower third {E, F}.
    assert stats[0].discrimination == pytest.approx(1.0)
    assert stats[1].discrimination == pytest.approx(0.5)
    assert stats[2].discrimination == pytest.approx(-1.0)
    assert stats[3].discrimination == pytest.approx(1.0)
    assert stats[4].discrimination == pytest.approx(1.0)
    # Attempts: six first attempts, F's second and E's retry (without q3); not G's.
    assert [stats[i].attempts for i in range(5)] == [8, 8, 7, 8, 8]


def test_most_chosen_wrong_answer_and_hints():
    world = World()
    stats = by_position(quiz_question_stats(quiz=world.quiz))

    assert (stats[0].wrong_answer, stats[0].wrong_answer_count) == ("Wrong B", 2)
    # Typed answers are counted as grading compares them.
    assert (stats[1].wrong_answer, stats[1].wrong_answer_count) == ("lyon", 3)
    assert (stats[2].wrong_answer, stats[2].wrong_answer_count) == ("Wrong", 4)
    # Hints revealed in finished attempts only (G's open attempt showed 3 of each).
    assert [stats[i].hints_used for i in range(5)] == [0, 0, 3, 0, 0]


def test_flags_low_facility_and_negative_discrimination():
    world = World()
    stats = by_position(quiz_question_stats(quiz=world.quiz))

    assert [i for i in range(5) if stats[i].flagged] == [1, 2]
    assert stats[1].flags == ["facility under 30%"]
    assert stats[2].flags == ["negative discrimination"]


def test_no_attempts_means_no_figures_and_no_flags():
    quiz = QuizFactory()
    QuestionFactory(quiz=quiz)
    (stat,) = quiz_question_stats(quiz=quiz)
    assert (stat.attempts, stat.learners, stat.facility, stat.discrimination) == (
        0,
        0,
        None,
        None,
    )
    assert (stat.wrong_answer, stat.hints_used, stat.flagged) == (None, 0, False)


def test_discrimination_needs_three_ranked_learners():
    world_quiz = QuizFactory()
    question = QuestionFactory(quiz=world_quiz)
    for right in (True, False):
        attempt = AttemptFactory(quiz=world_quiz, total=1, score=int(right))
        AttemptQuestionFactory(attempt=attempt, question=question, position=0)
        AnswerFactory(attempt=attempt, question=question, is_correct=right)
    (stat,) = quiz_question_stats(quiz=world_quiz)
    assert stat.facility == pytest.approx(0.5)
    assert stat.discrimination is None


def test_statistics_cost_a_fixed_number_of_queries(django_assert_num_queries):
    small = QuizFactory()
    QuestionFactory(quiz=small)
    with django_assert_num_queries(6):
        quiz_question_stats(quiz=small)
    world = World()  # five questions, seven learners, nine attempts
    with django_assert_num_queries(6):
        quiz_question_stats(quiz=world.quiz)


# ---------------------------------------------------------------- sorting


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ("facility", [1, 2, 0, 4, 3]),  # ties by position
        ("-facility", [3, 0, 4, 2, 1]),
        ("discrimination", [2, 1, 0, 3, 4]),
        ("-attempts", [0, 1, 3, 4, 2]),
        ("-hints", [2, 0, 1, 3, 4]),
        ("wrong", [0, 3, 1, 4, 2]),
        ("position", [0, 1, 2, 3, 4]),
    ],
)
def test_sorting_by_each_column(order, expected):
    world = World()
    ordered, used = stats_sorted(quiz_question_stats(quiz=world.quiz), order)
    assert [s.question.position for s in ordered] == expected
    assert used == order


@pytest.mark.parametrize(
    "tampered", ["question__prompt", "-__class__", "", None, "--facility"]
)
def test_an_unknown_order_falls_back_to_position(tampered):
    world = World()
    ordered, used = stats_sorted(quiz_question_stats(quiz=world.quiz), tampered)
    assert used == DEFAULT_ORDER
    assert [s.question.position for s in ordered] == [0, 1, 2, 3, 4]


def test_questions_without_a_value_sort_last_both_ways():
    world = World()
    extra = QuestionFactory(quiz=world.quiz, position=9)  # never attempted
    stats = quiz_question_stats(quiz=world.quiz)
    for order in ("facility", "-facility"):
        ordered, _used = stats_sorted(stats, order)
        assert ordered[-1].question == extra


# ---------------------------------------------------------------- per section


def test_section_figures_count_opened_done_and_passed():
    world = World(pass_mark=60)  # 3 of 5 right passes
    section = world.quiz.section
    for name in "ABCD":
        SectionProgressFactory(
            learner=world.learners[name],
            section=section,
            done_at=timezone.now() if name in "AB" else None,
        )
    SectionProgressFactory(done_at=timezone.now())  # another section

    figures = section_figures(section_ids=[section.pk])[section.pk]

    # Passed: A (4/5) and B (3/5) on their first attempts, F (5/5) on a second full
    # one; E's retry is practice, not a score.
    assert (figures.opened, figures.done, figures.passed) == (4, 2, 3)


def test_passing_is_counted_as_attempts_count_it():
    """Round half to even, like ``Attempt.passed``: 12.5 % fails a pass mark of 13
    and 13.5 % passes one of 14."""
    cases = {13: [(1, 8), (2, 8), (25, 200)], 14: [(27, 200), (7, 50), (1, 8)]}
    for pass_mark, scores in cases.items():
        quiz = QuizFactory(pass_mark=pass_mark)
        for score, total in scores:
            AttemptFactory(quiz=quiz, score=score, total=total)
        attempts = Attempt.objects.filter(quiz=quiz).select_related("quiz")
        expected = sum(a.passed for a in attempts)
        figures = section_figures(section_ids=[quiz.section_id])
        assert figures[quiz.section_id].passed == expected, pass_mark
    assert [
        a.passed
        for a in Attempt.objects.filter(quiz__pass_mark=13)
        .select_related("quiz")
        .order_by("pk")
    ] == [False, True, False]


def test_section_figures_in_two_queries(django_assert_num_queries):
    world = World()
    SectionProgressFactory(section=world.quiz.section)
    with django_assert_num_queries(2):
        section_figures(section_ids=[world.quiz.section_id, world.quiz.section_id + 1])


def test_section_summary_counts_flagged_questions():
    world = World()
    html = section_statistics_summary(world.quiz.section)
    assert "2 of 5 quiz questions flagged" in html
    assert reverse("admin:quizzes_quiz_statistics", args=[world.quiz.pk]) in html


# ---------------------------------------------------------------- the admin page


@pytest.fixture
def instructor(db):
    user = StaffUserFactory()
    user.groups.add(Group.objects.get(name="Instructors"))
    return user


def stats_url(quiz) -> str:
    return reverse("admin:quizzes_quiz_statistics", args=[quiz.pk])


def test_statistics_page_shows_the_table_sorted(client, instructor):
    world = World()
    client.force_login(instructor)
    response = client.get(stats_url(world.quiz) + "?o=-facility")
    assert response.status_code == 200
    page = response.content.decode()
    html = page[page.index('<table id="question-statistics">') :]
    html = html[: html.index("</table>")]
    assert "<caption>" in html
    assert html.count('scope="col"') == 8
    assert html.count('scope="row"') == 5
    assert 'aria-sort="descending"' in html
    assert [s.question.position for s in response.context["stats"]] == [3, 0, 4, 2, 1]
    assert html.count("<strong>Flagged:</strong>") == 2
    assert "Wrong B" in html
    assert "lyon" in html


def test_statistics_page_ignores_a_tampered_order(client, instructor):
    world = World()
    client.force_login(instructor)
    response = client.get(stats_url(world.quiz) + "?o=question__prompt")
    assert response.status_code == 200
    assert response.context["order"] == DEFAULT_ORDER


def test_statistics_page_costs_a_fixed_number_of_queries(client, instructor):
    small = QuizFactory()
    QuestionFactory(quiz=small)
    client.force_login(instructor)
    client.get(stats_url(small))  # warm up (session, content types)
    with CaptureQueriesContext(connection) as few:
        assert client.get(stats_url(small)).status_code == 200
    world = World()
    with CaptureQueriesContext(connection) as many:
        assert client.get(stats_url(world.quiz)).status_code == 200
    assert len(many) == len(few)


def test_quiz_list_and_change_page_link_to_statistics(client, instructor):
    world = World()
    client.force_login(instructor)
    url = stats_url(world.quiz).encode()
    assert url in client.get(reverse("admin:quizzes_quiz_changelist")).content
    change = client.get(reverse("admin:quizzes_quiz_change", args=[world.quiz.pk]))
    assert url in change.content


def test_statistics_need_the_quiz_view_permission(client):
    quiz = QuizFactory()
    staff = StaffUserFactory()
    client.force_login(staff)
    assert client.get(stats_url(quiz)).status_code == 403
    staff.user_permissions.add(
        Permission.objects.get(content_type__app_label="quizzes", codename="view_quiz")
    )
    assert client.get(stats_url(quiz)).status_code == 200


def test_students_never_reach_the_statistics(client):
    quiz = QuizFactory()
    client.force_login(UserFactory())
    response = client.get(stats_url(quiz))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_statistics_of_an_unknown_quiz_is_404(client, instructor):
    client.force_login(instructor)
    assert (
        client.get(reverse("admin:quizzes_quiz_statistics", args=[999_999])).status_code
        == 404
    )


# ---------------------------------------------------------------- the section's admin page


def section_url(section) -> str:
    return reverse("admin:lessons_section_change", args=[section.pk])


def test_section_admin_page_summarises_the_statistics(client, instructor):
    world = World()
    section = world.quiz.section
    for name in "ABC":
        SectionProgressFactory(
            learner=world.learners[name],
            section=section,
            done_at=timezone.now() if name == "A" else None,
        )
    client.force_login(instructor)
    response = client.get(section_url(section))
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "Learners who opened this section: 3; marked it done: 1; passed its quiz: 3."
        in html
    )
    assert "2 of 5 quiz questions flagged" in html
    assert stats_url(world.quiz) in html


def test_section_admin_page_hides_the_statistics_without_the_quiz_permission(client):
    world = World()
    staff = StaffUserFactory()
    staff.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="lessons",
            codename__in=["view_section", "change_section"],
        )
    )
    client.force_login(staff)
    response = client.get(section_url(world.quiz.section))
    assert response.status_code == 200
    assert b"Learners who opened this section" not in response.content


def test_section_summary_costs_the_same_whatever_the_attempts(client, instructor):
    quiz = QuizFactory()
    QuestionFactory(quiz=quiz)
    client.force_login(instructor)
    client.get(section_url(quiz.section))  # warm up
    with CaptureQueriesContext(connection) as few:
        client.get(section_url(quiz.section))
    world = World()
    with CaptureQueriesContext(connection) as many:
        client.get(section_url(world.quiz.section))
    # The section page itself grows with its parts (here: the same, none but the quiz)
    # and its questions' list; learners and attempts add nothing.
    assert len(many) == len(few)
