"""``manage.py seed_demo``: a demo student and instructor, only while DEBUG is on."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from courses.models import User

pytestmark = pytest.mark.django_db


def seed() -> dict[str, str]:
    """Run the command; return the printed password of each account."""
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    passwords = dict(re.findall(r"^(demo-\w+)\s+password: (\S+)", out.getvalue(), re.M))
    assert set(passwords) == {"demo-student", "demo-instructor"}, out.getvalue()
    return passwords


def test_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only runs with DEBUG on"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not User.objects.exists()


def test_creates_a_student_and_an_instructor_who_can_log_in(settings, client):
    settings.DEBUG = True
    passwords = seed()
    student = User.objects.get(username="demo-student")
    instructor = User.objects.get(username="demo-instructor")
    assert not student.is_staff
    assert not student.groups.exists()
    assert instructor.is_staff
    assert not instructor.is_superuser
    assert list(instructor.groups.values_list("name", flat=True)) == ["Instructors"]
    assert passwords["demo-student"] != passwords["demo-instructor"]

    assert client.login(username="demo-student", password=passwords["demo-student"])
    assert client.get(reverse("admin:index")).status_code == 302
    assert client.login(
        username="demo-instructor", password=passwords["demo-instructor"]
    )
    assert client.get(reverse("admin:lessons_section_changelist")).status_code == 200


def test_running_again_resets_the_passwords(settings):
    settings.DEBUG = True
    first = seed()
    second = seed()
    assert User.objects.filter(username__startswith="demo-").count() == 2
    for username in first:
        user = User.objects.get(username=username)
        assert first[username] != second[username]
        assert user.check_password(second[username])
        assert not user.check_password(first[username])
