"""Sign-up, log-in, log-out and passwords; an anonymous student's work joins the account."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from django.core import mail
from django.core.cache import cache
from django.shortcuts import resolve_url
from django.urls import reverse

from courses.models import Learner, SectionProgress, StudyDay, User
from quizzes.models import Answer, Attempt
from tests.courses.factories import LearnerFactory, SectionProgressFactory, UserFactory
from tests.quizzes.factories import QuestionFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # UserFactory's
NEW_PASSWORD = "a fresh lectern passphrase"


@pytest.fixture(autouse=True)
def _no_throttle_counts():
    """Login failures are counted in the (process-wide) cache: start every test at zero."""
    cache.clear()
    yield
    cache.clear()


def signup_data(username: str = "ada", **extra: str) -> dict[str, str]:
    return {
        "username": username,
        "email": "",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **extra,
    }


def study_anonymously(client):
    """As an anonymous visitor: choose a level, mark a section done, answer a question."""
    question = QuestionFactory()
    section = question.quiz.section
    client.get(section.get_absolute_url(), {"level": "detailed"})
    client.post(
        reverse("lessons:mark-done", args=[section.course.slug, section.number]),
        {"done": "true"},
    )
    args = [section.course.slug, section.number]
    client.get(reverse("quizzes:quiz", args=args))
    item = Attempt.objects.get().items.get()
    right = question.choices.get(is_correct=True)
    client.post(
        reverse("quizzes:check", args=args), {"item": item.pk, "choice": right.pk}
    )
    anonymous = Learner.objects.get(user=None)
    assert SectionProgress.objects.get(learner=anonymous).done_at is not None
    assert Answer.objects.get(attempt__learner=anonymous).is_correct
    return section, question


def assert_work_is_on_the_account(user: User, section, question) -> None:
    learner = Learner.objects.get(user=user)
    assert not Learner.objects.filter(user=None).exists()
    assert learner.summary_level == "detailed"
    assert SectionProgress.objects.get(learner=learner, section=section).done_at
    answer = Answer.objects.get(attempt__learner=learner)
    assert answer.question == question
    assert answer.is_correct
    assert StudyDay.objects.filter(learner=learner).exists()


# ---------------------------------------------------------------- sign-up


def test_signup_page_has_labelled_fields_with_autocomplete(client):
    html = client.get(reverse("signup")).content.decode()
    assert '<label for="id_username">' in html
    assert '<label for="id_email">Email (optional)</label>' in html
    assert re.search(r'<input[^>]*name="username"[^>]*autocomplete="username"', html)
    assert re.search(r'<input[^>]*name="email"[^>]*autocomplete="email"', html)
    for name in ("password1", "password2"):
        assert re.search(
            rf'<input[^>]*name="{name}"[^>]*autocomplete="new-password"', html
        )
    assert 'aria-describedby="id_password1_helptext"' in html
    assert 'id="id_password1_helptext"' in html
    assert "<script>" not in html
    assert "style=" not in html


def test_signup_creates_a_student_logs_in_and_goes_on(client, settings):
    response = client.post(reverse("signup"), signup_data(email="ada@example.org"))
    assert response.status_code == 302
    assert response["Location"] == resolve_url(settings.LOGIN_REDIRECT_URL)
    user = User.objects.get(username="ada")
    assert user.email == "ada@example.org"
    assert user.check_password(NEW_PASSWORD)
    assert not user.is_staff
    assert not user.is_superuser
    assert client.session["_auth_user_id"] == str(user.pk)


def test_signup_without_email_works(client):
    client.post(reverse("signup"), signup_data())
    assert User.objects.get(username="ada").email == ""


def test_signup_follows_a_safe_next_and_ignores_another_site(client, settings):
    section_url = "/courses/some-course/1.1/"
    response = client.post(reverse("signup"), signup_data("ada", next=section_url))
    assert response["Location"] == section_url
    client.post(reverse("logout"))
    response = client.post(
        reverse("signup"), signup_data("bea", next="https://evil.example/")
    )
    assert response["Location"] == resolve_url(settings.LOGIN_REDIRECT_URL)


def test_signup_errors_are_shown_and_linked_to_their_field(client):
    UserFactory(username="ada")
    data = signup_data("ADA", password2="something else entirely")
    response = client.post(reverse("signup"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Sign up" in html
    assert "A user with that username already exists." in html
    assert "The two password fields didn’t match." in html
    for name in ("username", "password2"):
        assert f'id="id_{name}_error"' in html
        assert re.search(
            rf'<input[^>]*name="{name}"[^>]*aria-describedby="[^"]*id_{name}_error',
            html,
        ), name
        assert re.search(rf'<input[^>]*name="{name}"[^>]*aria-invalid="true"', html)
    assert User.objects.count() == 1


def test_signed_in_users_visiting_signup_are_sent_on(client, user):
    client.force_login(user)
    response = client.get(reverse("signup"))
    assert response.status_code == 302


# ---------------------------------------------------------------- merging


def test_signing_up_brings_the_anonymous_work_into_the_account(client):
    section, question = study_anonymously(client)
    client.post(reverse("signup"), signup_data())
    assert_work_is_on_the_account(User.objects.get(username="ada"), section, question)
    outline = client.get(section.course.get_absolute_url()).content.decode()
    assert "1 of 1 section done" in outline


def test_logging_in_merges_the_anonymous_work_into_the_existing_account(client):
    user = UserFactory()
    account = LearnerFactory(user=user)
    earlier = SectionProgressFactory(learner=account)  # the account's own history
    section, question = study_anonymously(client)
    response = client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert_work_is_on_the_account(user, section, question)
    assert Learner.objects.get(user=user).pk == account.pk
    assert SectionProgress.objects.filter(learner=account).count() == 2
    assert earlier.section_id in set(
        SectionProgress.objects.filter(learner=account).values_list(
            "section_id", flat=True
        )
    )


def test_a_failed_login_merges_nothing(client):
    user = UserFactory()
    study_anonymously(client)
    client.post(reverse("login"), {"username": user.username, "password": "wrong"})
    assert not Learner.objects.filter(user=user).exists()
    assert Learner.objects.filter(user=None).count() == 1


# ---------------------------------------------------------------- log in / log out


def test_login_page_has_labelled_fields_with_autocomplete(client):
    html = client.get(reverse("login")).content.decode()
    assert '<label for="id_username">' in html
    assert '<label for="id_password">' in html
    assert re.search(r'<input[^>]*name="username"[^>]*autocomplete="username"', html)
    assert re.search(
        r'<input[^>]*name="password"[^>]*autocomplete="current-password"', html
    )
    assert f'href="{reverse("password_reset")}"' in html
    assert f'href="{reverse("signup")}"' in html


def test_a_wrong_password_is_refused_with_a_message(client, user):
    response = client.post(
        reverse("login"), {"username": user.username, "password": "wrong"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Please enter a correct username and password." in html
    assert 'role="alert"' in html
    assert "_auth_user_id" not in client.session


def test_login_follows_next(client, user):
    response = client.post(
        reverse("login"),
        {"username": user.username, "password": PASSWORD, "next": "/courses/x/1.1/"},
    )
    assert response["Location"] == "/courses/x/1.1/"


def test_signed_in_users_visiting_login_are_sent_on(client, user, settings):
    client.force_login(user)
    response = client.get(reverse("login"))
    assert response.status_code == 302
    assert response["Location"] == resolve_url(settings.LOGIN_REDIRECT_URL)


def test_logout_needs_a_post_and_then_logs_out(client, user, settings):
    client.force_login(user)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == resolve_url(settings.LOGOUT_REDIRECT_URL)
    assert "_auth_user_id" not in client.session


def test_login_url_is_ours(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


# ---------------------------------------------------------------- passwords


def test_password_change(client, user):
    client.force_login(user)
    page = client.get(reverse("password_change")).content.decode()
    assert re.search(
        r'<input[^>]*name="old_password"[^>]*autocomplete="current-password"', page
    )
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response["Location"] == reverse("password_change_done")
    assert client.get(response["Location"]).status_code == 200
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_reset_by_email_link(client):
    user = UserFactory(email="ada@example.org")
    response = client.post(reverse("password_reset"), {"email": "ada@example.org"})
    assert response["Location"] == reverse("password_reset_done")
    assert "Check your email" in client.get(response["Location"]).content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Reset your Lectern password"
    assert message.to == ["ada@example.org"]
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body)
    assert link, message.body

    response = client.get(link.group(1))  # Django swaps the token for a session marker
    assert response.status_code == 302
    form_url = response["Location"]
    assert "Choose a new password" in client.get(form_url).content.decode()
    response = client.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response["Location"] == reverse("password_reset_complete")
    assert "Password set" in client.get(response["Location"]).content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_a_used_or_forged_reset_link_says_so(client):
    response = client.get(
        reverse("password_reset_confirm", args=["MQ", "set-password"])
    )
    assert "This link does not work" in response.content.decode()


# ---------------------------------------------------------------- header


def test_header_offers_log_in_and_sign_up_to_visitors(client):
    html = client.get(reverse("courses:catalog")).content.decode()
    assert (
        '<a href="/dashboard/">Dashboard</a>' in html
    )  # anonymous learners have one too
    assert '<a href="/drill/">Drill</a>' in html
    assert f'<a href="{reverse("login")}">Log in</a>' in html
    assert f'<a href="{reverse("signup")}">Sign up</a>' in html
    assert "Log out" not in html


def test_header_for_a_signed_in_user(client):
    user = UserFactory(username="ada-lovelace")
    client.force_login(user)
    html = client.get("/").content.decode()
    assert "ada-lovelace" in html
    assert re.search(
        r'<form method="post" action="/accounts/logout/"[^>]*>'
        r'<input type="hidden" name="csrfmiddlewaretoken"[^>]*>'
        r'<button type="submit"[^>]*>Log out</button></form>',
        html,
    )
    assert ">Log in<" not in html
    assert ">Sign up<" not in html
    assert '<a href="/dashboard/">Dashboard</a>' in html


# ---------------------------------------------------------------- session cookie


def test_session_cookie_is_httponly_and_secure_unless_debug(client, user, settings):
    assert settings.SESSION_COOKIE_HTTPONLY is True
    response = client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD}
    )
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value
    assert cookie["httponly"] is True
    assert "HttpOnly" in cookie.output()


def test_session_cookie_is_marked_secure_when_the_setting_says_so(
    client, user, settings
):
    settings.SESSION_COOKIE_SECURE = True
    response = client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD}
    )
    assert "Secure" in response.cookies[settings.SESSION_COOKIE_NAME].output()


@pytest.mark.parametrize(
    ("debug", "secure", "backend"),
    [("1", False, "console"), ("0", True, "smtp")],
)
def test_settings_follow_debug(debug, secure, backend, settings):
    """settings/base.py as a deployment reads it: DJANGO_DEBUG decides cookies and mail."""
    code = (
        "from config.settings import base as s;"
        "print(s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.EMAIL_BACKEND)"
    )
    env = {"PATH": "/usr/bin:/bin", "DJANGO_DEBUG": debug, "SECRET_KEY": "x" * 50}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    httponly, cookie_secure, csrf_secure, email = result.stdout.split()
    assert httponly == "True"
    assert cookie_secure == csrf_secure == str(secure)
    assert email == f"django.core.mail.backends.{backend}.EmailBackend"
