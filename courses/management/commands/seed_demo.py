from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from courses.models import User

STUDENT = "demo-student"
INSTRUCTOR = "demo-instructor"
INSTRUCTORS_GROUP = (
    "Instructors"  # created by courses/migrations/0004_instructors_group.py
)


class Command(BaseCommand):
    help = (
        f"Create a demo student ({STUDENT}) and a demo instructor ({INSTRUCTOR}), or give "
        "them new passwords, and print the passwords. Refuses to run when DEBUG is off."
    )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with printed passwords, so it only runs "
                "with DEBUG on (DJANGO_DEBUG=1)."
            )
        try:
            instructors = Group.objects.get(name=INSTRUCTORS_GROUP)
        except Group.DoesNotExist:
            raise CommandError(
                f'The "{INSTRUCTORS_GROUP}" group is missing: run "manage.py migrate".'
            ) from None
        with transaction.atomic():
            student, student_password = self._account(STUDENT, staff=False)
            student.groups.clear()
            instructor, instructor_password = self._account(INSTRUCTOR, staff=True)
            instructor.groups.set([instructors])
        self.stdout.write(
            f"{STUDENT}     password: {student_password}  (a student; log in at /accounts/login/)\n"
            f"{INSTRUCTOR}  password: {instructor_password}  (staff in {INSTRUCTORS_GROUP}; /admin/)"
        )

    def _account(self, username: str, *, staff: bool) -> tuple[User, str]:
        """Create or reset ``username`` with a new random password."""
        password = secrets.token_urlsafe(12)
        user, _ = User.objects.get_or_create(username=username)
        user.is_active = True
        user.is_staff = staff
        user.is_superuser = False
        user.set_password(password)
        user.save()
        return user, password
