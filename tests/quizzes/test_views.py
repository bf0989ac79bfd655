from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from quizzes.attempts import ATTEMPT_FINISHED
from quizzes.forms import EMPTY_ANSWER, NOT_A_NUMBER, NOT_AN_OPTION, TOO_LONG
from quizzes.models import Answer, Attempt, AttemptQuestion, Question
from quizzes.views import NOT_YOUR_ATTEMPT, NOT_YOUR_QUESTION
from tests.quizzes.factories import ChoiceFactory, QuestionFactory, QuizFactory

pytestmark = pytest.mark.django_db


def url(quiz, name: str = "quiz", *args) -> str:
    section = quiz.section
    return reverse(f"quizzes:{name}", args=[section.course.slug, section.number, *args])


def question_of_every_kind(quiz) -> dict[str, Question]:
    """One question of each kind, with its answer key, in a known order."""
    questions = {
        "single_choice": QuestionFactory(
            quiz=quiz,
            position=0,
            prompt="Pick the right one",
            explanation="Single explained",
        )
    }
    tf = QuestionFactory(
        quiz=quiz,
        position=1,
        kind="true_false",
        prompt="Is it true?",
        explanation="TF explained",
    )
    ChoiceFactory(question=tf, position=0, text="True", is_correct=True)
    ChoiceFactory(question=tf, position=1, text="False")
    questions["true_false"] = tf
    mc = QuestionFactory(
        quiz=quiz,
        position=2,
        kind="multiple_choice",
        prompt="Pick all",
        explanation="MC explained",
    )
    for i, (text, correct) in enumerate(
        [("Alpha", True), ("Beta", True), ("Gamma", False)]
    ):
        ChoiceFactory(
            question=mc,
            position=i,
            text=text,
            is_correct=correct,
            feedback=f"{text} feedback",
        )
    questions["multiple_choice"] = mc
    questions["short_answer"] = QuestionFactory(
        quiz=quiz,
        position=3,
        kind="short_answer",
        prompt="Name it",
        accepted_answers=["fine-tuning"],
        explanation="Short explained",
    )
    questions["numeric"] = QuestionFactory(
        quiz=quiz,
        position=4,
        kind="numeric",
        prompt="How many?",
        # A value no row id, token or count on the page can spell by chance.
        numeric_answer=175.375,
        tolerance=0,
        explanation="Numeric explained",
    )
    order = QuestionFactory(
        quiz=quiz,
        position=5,
        kind="ordering",
        prompt="Order them",
        explanation="Order explained",
    )
    for i, text in enumerate(["First", "Second", "Third"]):
        ChoiceFactory(question=order, position=i, text=text)
    questions["ordering"] = order
    match = QuestionFactory(
        quiz=quiz,
        position=6,
        kind="matching",
        prompt="Match them",
        explanation="Match explained",
    )
    for i, (left, right) in enumerate([("BERT", "Google"), ("LLaMA", "Meta")]):
        ChoiceFactory(question=match, position=i, text=left, match=right)
    questions["matching"] = match
    return questions


def right_form(item: AttemptQuestion) -> dict:
    question = item.question
    choices = {c.pk: c for c in question.choices.all()}
    data = {"item": item.pk}
    if question.kind in {"single_choice", "true_false"}:
        data["choice"] = next(pk for pk, c in choices.items() if c.is_correct)
    elif question.kind == "multiple_choice":
        data["choices"] = [pk for pk, c in choices.items() if c.is_correct]
    elif question.kind == "short_answer":
        data["text"] = "  The Fine-Tuning. "
    elif question.kind == "numeric":
        data["text"] = "1.75375e2"
    elif question.kind == "ordering":
        for pk, c in choices.items():
            data[f"place-{pk}"] = c.position + 1
    elif question.kind == "matching":
        for pk in item.choice_order:
            data[f"match-{pk}"] = pk  # each left's own right side
    return data


@pytest.fixture
def quiz():
    quiz = QuizFactory()
    question_of_every_kind(quiz)
    return quiz


def open_attempt(client, quiz) -> Attempt:
    assert client.get(url(quiz)).status_code == 200
    return Attempt.objects.filter(finished_at__isnull=True).latest("pk")


def test_answer_keys_never_reach_the_page_before_answering(client, quiz):
    attempt = open_attempt(client, quiz)
    for position, item in enumerate(attempt.items.order_by("position"), start=1):
        html = client.get(url(quiz), {"q": position}).content.decode()
        question = item.question
        assert question.prompt in html
        assert question.explanation not in html
        for choice in question.choices.all():
            if choice.feedback:
                assert choice.feedback not in html
            if question.kind == "matching":
                assert choice.match in html  # offered, but not paired up
        for accepted in question.accepted_answers:
            assert accepted not in html
        assert "175.375" not in html
        assert "is_correct" not in html


def test_every_kind_answered_right_and_finished(client, quiz):
    attempt = open_attempt(client, quiz)
    for item in attempt.items.order_by("position"):
        response = client.post(url(quiz, "check"), right_form(item))
        assert response.status_code == 302
        html = client.get(response["Location"]).content.decode()
        assert "Right!" in html, item.question.kind
        assert item.question.explanation in html
    assert Answer.objects.filter(attempt=attempt, is_correct=True).count() == 7
    response = client.post(url(quiz, "finish"), {"attempt": attempt.pk})
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "7 of 7 right (100 %): passed" in html


def test_check_with_htmx_swaps_in_feedback(client, quiz):
    attempt = open_attempt(client, quiz)
    item = attempt.items.get(question__kind="multiple_choice")
    wrong = item.question.choices.get(text="Gamma")
    response = client.post(
        url(quiz, "check"),
        {"item": item.pk, "choices": [wrong.pk]},
        headers={"HX-Request": "true", "HX-Target": "question-panel"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Gamma feedback" in html
    assert "MC explained" in html
    # Only what changed: the feedback in place of the form, whatever the form targeted.
    assert 'id="question-panel"' not in html
    assert 'name="csrfmiddlewaretoken"' not in html
    assert response["HX-Retarget"] == "#question-answer"
    assert response["HX-Reswap"] == "innerHTML"
    number = item.position + 1
    assert re.search(
        rf'<a id="question-step-{number}" [^>]*aria-current="step" class="is-wrong" '
        rf'hx-swap-oob="true">{number}<span class="visually-hidden">, wrong</span></a>',
        html,
    )
    assert (
        '<p class="progress-line" id="question-progress" hx-swap-oob="true">'
        '<progress max="7" value="1"' in html
    )
    assert "1 of 7 answered" in html
    assert '<div id="question-message" hx-swap-oob="innerHTML"></div>' in html


def _element(html: str, start: str, end: str) -> str:
    """The text from ``start`` up to ``end`` (excluded) in ``html``, once."""
    assert html.count(start) == 1, start
    head = html.index(start)
    return html[head : html.index(end, head)]


@pytest.mark.parametrize(
    "kind", ["single_choice", "multiple_choice", "short_answer", "matching"]
)
def test_htmx_check_leaves_the_panel_as_a_reload_shows_it(client, quiz, kind):
    """What the check's response swaps in (the feedback, and out of band the question's
    step and the answered count) is what the panel shows when loaded afresh."""
    attempt = open_attempt(client, quiz)
    earlier = attempt.items.get(question__kind="numeric")
    client.post(url(quiz, "check"), right_form(earlier))
    item = attempt.items.get(question__kind=kind)
    number = item.position + 1
    response = client.post(
        url(quiz, "check"),
        right_form(item),
        headers={"HX-Request": "true", "HX-Target": "question-answer"},
    )
    swapped = response.content.decode()
    panel = client.get(url(quiz), {"q": number}).content.decode()

    answer_area = _element(
        panel, '<div id="question-answer">', '<div id="question-message"'
    )
    main = swapped[: swapped.index(f'<a id="question-step-{number}"')]
    assert (
        " ".join(main.split())
        == " ".join(answer_area.removeprefix('<div id="question-answer">').split())
        .removesuffix("</div>")
        .strip()
    )
    for start, end in [
        (f'<a id="question-step-{number}"', "</a>"),
        ('<p class="progress-line" id="question-progress"', "</p>"),
    ]:
        oob = _element(swapped, start, end).replace(' hx-swap-oob="true"', "")
        assert oob == _element(panel, start, end)
    assert "2 of 7 answered" in swapped


def test_a_repeated_htmx_check_shows_the_first_answer_and_counts_it_once(client, quiz):
    attempt = open_attempt(client, quiz)
    item = attempt.items.get(question__kind="single_choice")
    right = item.question.choices.get(is_correct=True)
    wrong = item.question.choices.get(is_correct=False)
    htmx = {"HX-Request": "true", "HX-Target": "question-answer"}
    first = client.post(
        url(quiz, "check"), {"item": item.pk, "choice": right.pk}, headers=htmx
    )
    again = client.post(
        url(quiz, "check"), {"item": item.pk, "choice": wrong.pk}, headers=htmx
    )
    for response in (first, again):
        html = response.content.decode()
        assert "Right!" in html
        assert "1 of 7 answered" in html
        assert '<span class="visually-hidden">, right</span>' in html
    assert Answer.objects.count() == 1


def test_an_invalid_answer_with_htmx_shows_the_whole_panel_again(client, quiz):
    attempt = open_attempt(client, quiz)
    item = attempt.items.get(question__kind="numeric")
    response = client.post(
        url(quiz, "check"),
        {"item": item.pk, "text": "forty-two"},
        headers={"HX-Request": "true", "HX-Target": "question-answer"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="question-panel"' in html
    assert NOT_A_NUMBER in html
    assert response["HX-Retarget"] == "#question-panel"
    assert response["HX-Reswap"] == "outerHTML"
    assert not Answer.objects.exists()


def test_a_signed_in_learner_answers_with_their_accounts_learner(client, quiz, user):
    client.force_login(user)
    attempt = open_attempt(client, quiz)
    assert attempt.learner.user == user
    item = attempt.items.get(question__kind="numeric")
    response = client.post(url(quiz, "check"), right_form(item))
    assert response.status_code == 302
    assert Answer.objects.get().attempt == attempt
    client.logout()  # an anonymous visitor with the account's attempt in hand
    assert client.post(url(quiz, "check"), right_form(item)).status_code == 400


def test_a_draft_sections_quiz_is_not_found_for_students(client, quiz):
    attempt = open_attempt(client, quiz)
    item = attempt.items.get(question__kind="numeric")
    section = quiz.section
    section.status = section.Status.DRAFT
    section.save()
    assert client.post(url(quiz, "check"), right_form(item)).status_code == 404
    assert not Answer.objects.exists()


def test_double_submission_is_recorded_once_with_the_same_feedback(client, quiz):
    attempt = open_attempt(client, quiz)
    item = attempt.items.get(question__kind="single_choice")
    right = item.question.choices.get(is_correct=True)
    wrong = item.question.choices.get(is_correct=False)
    client.post(url(quiz, "check"), {"item": item.pk, "choice": right.pk})
    client.post(url(quiz, "check"), {"item": item.pk, "choice": wrong.pk})
    answer = Answer.objects.get()
    assert answer.is_correct
    assert answer.response == {"choice": right.pk}


def test_answering_after_finish_is_refused(client, quiz):
    attempt = open_attempt(client, quiz)
    client.post(url(quiz, "finish"), {"attempt": attempt.pk})
    item = attempt.items.get(question__kind="single_choice")
    response = client.post(
        url(quiz, "check"), {"item": item.pk, "choice": item.choice_order[0]}
    )
    assert response.status_code == 400
    assert ATTEMPT_FINISHED in response.content.decode()
    assert not Answer.objects.exists()


def test_finishing_twice_finishes_once(client, quiz):
    attempt = open_attempt(client, quiz)
    client.post(url(quiz, "finish"), {"attempt": attempt.pk})
    first = Attempt.objects.get().finished_at
    client.post(url(quiz, "finish"), {"attempt": attempt.pk})
    assert Attempt.objects.get().finished_at == first
    assert Attempt.objects.count() == 1


def test_reload_resumes_the_open_attempt_with_the_same_order(client, quiz):
    attempt = open_attempt(client, quiz)
    orders = list(attempt.items.values_list("choice_order", flat=True))
    client.get(url(quiz))
    assert Attempt.objects.count() == 1
    assert (
        list(Attempt.objects.get().items.values_list("choice_order", flat=True))
        == orders
    )


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        ("single_choice", {"choice": "999999"}, NOT_AN_OPTION),
        ("single_choice", {"choice": "abc"}, NOT_AN_OPTION),
        ("single_choice", {}, EMPTY_ANSWER),
        ("multiple_choice", {"choices": []}, EMPTY_ANSWER),
        ("short_answer", {"text": "   "}, EMPTY_ANSWER),
        ("short_answer", {"text": "x" * 501}, TOO_LONG),
        ("matching", {}, NOT_AN_OPTION),
        ("ordering", {}, EMPTY_ANSWER),
    ],
)
def test_tampered_answers_get_400_and_record_nothing(client, quiz, kind, data, message):
    attempt = open_attempt(client, quiz)
    item = attempt.items.get(question__kind=kind)
    response = client.post(url(quiz, "check"), {"item": item.pk, **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Answer.objects.exists()


def test_a_choice_of_another_question_is_refused(client, quiz):
    attempt = open_attempt(client, quiz)
    item = attempt.items.get(question__kind="single_choice")
    foreign = attempt.items.get(question__kind="true_false").choice_order[0]
    response = client.post(url(quiz, "check"), {"item": item.pk, "choice": foreign})
    assert response.status_code == 400
    assert not Answer.objects.exists()


def test_a_numeric_answer_that_is_not_a_number_is_shown_again(client, quiz):
    attempt = open_attempt(client, quiz)
    item = attempt.items.get(question__kind="numeric")
    response = client.post(url(quiz, "check"), {"item": item.pk, "text": "lots"})
    assert response.status_code == 200
    assert NOT_A_NUMBER in response.content.decode()
    assert not Answer.objects.exists()


def test_another_learners_question_or_attempt_is_refused(client, quiz):
    other = Client()
    other_attempt = open_attempt(other, quiz)
    other_item = other_attempt.items.get(question__kind="single_choice")
    open_attempt(client, quiz)
    response = client.post(
        url(quiz, "check"),
        {"item": other_item.pk, "choice": other_item.choice_order[0]},
    )
    assert response.status_code == 400
    assert NOT_YOUR_QUESTION in response.content.decode()
    response = client.post(url(quiz, "finish"), {"attempt": other_attempt.pk})
    assert response.status_code == 400
    assert NOT_YOUR_ATTEMPT in response.content.decode()
    assert client.get(url(quiz, "result", other_attempt.pk)).status_code == 404
    assert not Answer.objects.exists()
    assert not Attempt.objects.filter(finished_at__isnull=False).exists()


def test_a_question_of_another_quiz_is_refused(client, quiz):
    other_quiz = QuizFactory()
    QuestionFactory(quiz=other_quiz)
    other_attempt = open_attempt(client, other_quiz)
    item = other_attempt.items.get()
    response = client.post(
        url(quiz, "check"), {"item": item.pk, "choice": item.choice_order[0]}
    )
    assert response.status_code == 400
    assert not Answer.objects.exists()


def test_400_is_swapped_into_the_message_area_for_htmx(client, quiz):
    attempt = open_attempt(client, quiz)
    item = attempt.items.get(question__kind="short_answer")
    response = client.post(
        url(quiz, "check"),
        {"item": item.pk, "text": ""},
        headers={"HX-Request": "true", "HX-Target": "question-panel"},
    )
    assert response.status_code == 400
    assert response["HX-Retarget"] == "#question-message"
    assert response["HX-Reswap"] == "innerHTML"
    assert "<html" not in response.content.decode()


def test_hints_are_revealed_one_at_a_time_and_recorded(client, quiz):
    question = Question.objects.get(kind="short_answer")
    question.hints = ["First hint", "Second hint"]
    question.save()
    attempt = open_attempt(client, quiz)
    item = attempt.items.get(question=question)
    html = client.get(url(quiz), {"q": item.position + 1}).content.decode()
    assert "First hint" not in html
    client.post(url(quiz, "hint"), {"item": item.pk, "seen": 0})
    client.post(url(quiz, "hint"), {"item": item.pk, "seen": 0})  # a double click
    html = client.get(url(quiz), {"q": item.position + 1}).content.decode()
    assert "Hint 1 of 2: First hint" in html
    assert "Second hint" not in html
    client.post(url(quiz, "check"), right_form(item))
    assert Answer.objects.get().hints_used == 1


def test_finish_with_unanswered_questions_counts_them_wrong_and_lists_them(
    client, quiz
):
    attempt = open_attempt(client, quiz)
    item = attempt.items.get(question__kind="numeric")
    client.post(url(quiz, "check"), right_form(item))
    response = client.post(url(quiz, "finish"), {"attempt": attempt.pk})
    html = client.get(response["Location"]).content.decode()
    assert "1 of 7 right (14 %): not passed yet" in html
    assert "6 questions left unanswered count as wrong" in html
    assert html.count("Not answered") == 6
    assert "Retry the 6 I missed" in html


def test_retry_the_missed_questions_starts_an_attempt_with_only_those(client, quiz):
    attempt = open_attempt(client, quiz)
    for item in attempt.items.exclude(question__kind__in=["numeric", "matching"]):
        client.post(url(quiz, "check"), right_form(item))
    client.post(url(quiz, "finish"), {"attempt": attempt.pk})
    client.post(url(quiz, "retry"), {"attempt": attempt.pk, "missed": "true"})
    retry = Attempt.objects.get(finished_at__isnull=True)
    assert retry.retry_of == attempt
    assert sorted(retry.items.values_list("question__kind", flat=True)) == [
        "matching",
        "numeric",
    ]
    assert retry.total == 2


def test_try_again_starts_a_full_attempt(client, quiz):
    attempt = open_attempt(client, quiz)
    client.post(url(quiz, "finish"), {"attempt": attempt.pk})
    response = client.post(url(quiz, "retry"), {"attempt": attempt.pk})
    assert response.status_code == 302
    assert Attempt.objects.get(finished_at__isnull=True).total == 7


def test_check_is_protected_by_csrf(quiz):
    client = Client(enforce_csrf_checks=True)
    attempt = open_attempt(client, quiz)
    item = attempt.items.get(question__kind="short_answer")
    assert (
        client.post(url(quiz, "check"), {"item": item.pk, "text": "x"}).status_code
        == 403
    )
    token = client.cookies["csrftoken"].value
    response = client.post(
        url(quiz, "check"),
        {"item": item.pk, "text": "x"},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 302


@pytest.mark.parametrize("n", [1, 20])
def test_quiz_page_costs_constant_queries(client, django_assert_max_num_queries, n):
    quiz = QuizFactory()
    QuestionFactory.create_batch(n, quiz=quiz)
    attempt = open_attempt(client, quiz)
    for item in list(attempt.items.all())[: n // 2]:
        client.post(url(quiz, "check"), right_form(item))
    with django_assert_max_num_queries(10):
        response = client.get(url(quiz))
    assert response.status_code == 200


# An htmx answer: the session; the section, quiz, learner, item, attempt, question and
# choices in one statement; the write: the answer inserted unless it exists, in the
# statement that locks the open attempt, and the day's activity (SQLite: a second
# statement, in a transaction, whose BEGIN and COMMIT are a savepoint and its release
# under the test's transaction; PostgreSQL: the same statement, a transaction of its
# own). The response is the feedback and the question's step: nothing more is read.
CHECK_QUERIES = 3 if connection.vendor == "postgresql" else 6


@pytest.mark.parametrize("n", [2, 20])
def test_an_answer_costs_constant_queries_and_loads_one_questions_choices(
    client, django_assert_num_queries, n
):
    quiz = QuizFactory()
    QuestionFactory.create_batch(n, quiz=quiz)
    attempt = open_attempt(client, quiz)
    items = list(attempt.items.order_by("position"))
    client.post(url(quiz, "check"), right_form(items[0]))  # the day's activity row
    form = right_form(items[-1])
    with django_assert_num_queries(CHECK_QUERIES) as recorded:
        response = client.post(
            url(quiz, "check"),
            form,
            headers={"HX-Request": "true", "HX-Target": "question-panel"},
        )
    assert response.status_code == 200
    assert "Right" in response.content.decode()
    choice_reads = [
        q["sql"] for q in recorded.captured_queries if "quizzes_choice" in q["sql"]
    ]
    # The answered question's choices, joined to that one question: never the quiz's.
    assert len(choice_reads) == 1
    assert 'LEFT JOIN "quizzes_choice" ch ON ch."question_id" = u.id' in choice_reads[0]


def test_section_and_outline_show_the_best_full_attempt_and_whether_it_passed(
    client, quiz
):
    section = quiz.section
    attempt = open_attempt(client, quiz)
    for item in attempt.items.all():
        client.post(url(quiz, "check"), right_form(item))
    client.post(url(quiz, "finish"), {"attempt": attempt.pk})
    client.post(url(quiz, "retry"), {"attempt": attempt.pk})  # a worse later attempt
    worse = Attempt.objects.get(finished_at__isnull=True)
    client.post(url(quiz, "finish"), {"attempt": worse.pk})
    html = client.get(section.get_absolute_url()).content.decode()
    assert "Your best score: 100 %, passed." in html
    assert url(quiz) in html
    outline = client.get(section.course.get_absolute_url()).content.decode()
    assert "Quiz 100 %, passed" in outline


def test_a_retry_of_missed_questions_does_not_count_as_the_score(client, quiz):
    attempt = open_attempt(client, quiz)
    client.post(
        url(quiz, "check"), right_form(attempt.items.get(question__kind="numeric"))
    )
    client.post(url(quiz, "finish"), {"attempt": attempt.pk})
    client.post(url(quiz, "retry"), {"attempt": attempt.pk, "missed": "true"})
    retry = Attempt.objects.get(finished_at__isnull=True)
    for item in retry.items.all():
        client.post(url(quiz, "check"), right_form(item))
    client.post(url(quiz, "finish"), {"attempt": retry.pk})
    html = client.get(quiz.section.get_absolute_url()).content.decode()
    assert "Your best score: 14 %, not passed yet." in html


def test_checking_an_answer_counts_as_studying_once(client, quiz):
    from courses.models import StudyDay

    attempt = open_attempt(client, quiz)
    assert not StudyDay.objects.exists()  # opening the quiz is not studying yet
    item = attempt.items.get(question__kind="numeric")
    client.post(url(quiz, "check"), right_form(item))
    client.post(url(quiz, "check"), right_form(item))  # a repeat records nothing
    assert StudyDay.objects.get().actions == 1
