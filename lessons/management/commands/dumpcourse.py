from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from courses.models import Course
from lessons.content import dump_course


class Command(BaseCommand):
    help = "Write a course as a course file (to standard output, or to FILE with -o)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", metavar="SLUG")
        parser.add_argument(
            "-o",
            "--output",
            metavar="FILE",
            help="write to FILE instead of standard output",
        )

    def handle(self, *args, slug: str, output: str | None, **options) -> None:
        try:
            course = Course.objects.get(slug=slug)
        except Course.DoesNotExist:
            raise CommandError(f"no course with the slug '{slug}'") from None
        text = dump_course(course)
        if output:
            Path(output).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
