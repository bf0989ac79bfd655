from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lessons.content import load_course_files, read_course_files
from lessons.course_file import CourseFileError


class Command(BaseCommand):
    help = "Validate course files and create or update their courses (nothing is written if any file has an error)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "files", nargs="+", metavar="FILE", help="course files (YAML)"
        )
        parser.add_argument(
            "--check", action="store_true", help="only validate; write nothing"
        )

    def handle(self, *args, files: list[str], check: bool, **options) -> None:
        try:
            if check:
                specs = read_course_files(files)
                for spec in specs:
                    self.stdout.write(f"{spec.slug}: valid")
                return
            reports = load_course_files(files)
        except CourseFileError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            count = len(exc.errors)
            raise CommandError(
                f"{count} error{'s' if count != 1 else ''}; nothing was written."
            ) from None
        for report in reports:
            self.stdout.write(str(report))
