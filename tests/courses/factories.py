from __future__ import annotations

from datetime import date, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from courses.models import Chapter, Course, Learner, SectionProgress, StudyDay, User


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("correct horse battery staple")


class StaffUserFactory(UserFactory):
    is_staff = True


class CourseFactory(DjangoModelFactory[Course]):
    class Meta:
        model = Course
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"course-{n}")
    title = factory.Sequence(lambda n: f"Course {n}")
    description = "A course for tests."


class ChapterFactory(DjangoModelFactory[Chapter]):
    class Meta:
        model = Chapter

    course = factory.SubFactory(CourseFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Chapter {n}")


class LearnerFactory(DjangoModelFactory[Learner]):
    """An anonymous learner; pass ``user=`` for an account's."""

    class Meta:
        model = Learner

    user = None


class SectionProgressFactory(DjangoModelFactory[SectionProgress]):
    class Meta:
        model = SectionProgress

    learner = factory.SubFactory(LearnerFactory)
    section = factory.SubFactory("tests.lessons.factories.SectionFactory")
    first_opened_at = factory.LazyFunction(timezone.now)
    last_opened_at = factory.LazyAttribute(lambda p: p.first_opened_at)
    done_at = None


class StudyDayFactory(DjangoModelFactory[StudyDay]):
    """A day with study actions; days follow each other so they never collide."""

    class Meta:
        model = StudyDay

    learner = factory.SubFactory(LearnerFactory)
    day = factory.Sequence(lambda n: date(2026, 1, 1) + timedelta(days=n))
    actions = 1
