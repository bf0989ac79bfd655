"""Hostile course files: YAML bombs, deep nesting, huge files and texts, unsafe tags.

Each is refused with a located message and nothing is written. "Quickly" is asserted
without timing anything: the file is parsed in a child process that has 20 s of CPU and
2 GiB of memory (a loader that expanded the aliases or recursed through the nesting would
be killed by either limit), and the in-process loads run under a faulthandler watchdog.
"""

from __future__ import annotations

import faulthandler
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from courses.models import Course
from lessons.content import load_course_files
from lessons.course_file import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_TEXT_CHARS,
    CourseFileError,
    check_file_size,
    max_file_bytes,
    parse_course_file,
)
from lessons.models import Section
from tests.lessons.course_files import course_text, line_of, replace_once

ROOT = Path(__file__).resolve().parents[2]
FILE = "bomb.yaml"

ALIASES = "anchors and aliases (&, *) are not allowed in course files"
TOO_DEEP = "the file is nested too deeply"
TAGS = "tags (!, !!) are not allowed in course files"
TOO_LONG = f"a text is longer than {MAX_TEXT_CHARS:,} characters"

# Run in a child with hard limits: 20 s of CPU, 2 GiB of address space.
_CHILD = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_CPU, (20, 20))
resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
from lessons.course_file import CourseFileError, parse_course_file
data = open(sys.argv[1], "rb").read()
try:
    parse_course_file(data, file=sys.argv[2])
except CourseFileError as exc:
    print(json.dumps([str(error) for error in exc.errors]))
else:
    print("null")
"""


def billion_laughs() -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, name in zip("abcdefghi", "bcdefghij", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def merge_key_bomb() -> str:
    # The anchor comes late (line 3), so the refusal's line number is checked too.
    return "slug: x\ntitle: y\nbase: &base {a: 1}\nchapters:\n  - <<: *base\n"


def nested_sequences(depth: int = 10_000) -> str:
    return "slug: " + "[" * depth + "]" * depth + "\n"


def nested_mappings(depth: int = 10_000) -> str:
    return "slug: " + "{a: " * depth + "b" + "}" * depth + "\n"


def nested_blocks(depth: int = MAX_DEPTH + 5) -> str:
    # Block style, one key per line, each indented one step more than the last.
    return "".join(f"{'  ' * level}k{level}:\n" for level in range(depth)) + (
        "  " * depth + "leaf\n"
    )


def huge_text() -> str:
    return replace_once(
        course_text(), "A **basic** summary.", "x" * (MAX_TEXT_CHARS + 1)
    )


def python_tag(marker: Path) -> str:
    return replace_once(
        course_text(),
        "title: A Test Course",
        f'title: !!python/object/apply:os.system ["touch {marker}"]',
    )


def at(line: int, message: str, file: str = FILE) -> str:
    return f"{file}:{line}: {message}"


def parse_in_child(path: Path, **env: str) -> list[str] | None:
    """The errors ``parse_course_file`` reports for ``path``, in a CPU- and memory-limited child."""
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), FILE],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, (
        f"the child was killed or failed ({result.returncode}): {result.stderr[-2000:]}"
    )
    return json.loads(result.stdout)


CASES = {
    "billion-laughs": (billion_laughs, lambda text: [at(1, ALIASES)]),
    "merge-key": (merge_key_bomb, lambda text: [at(3, ALIASES)]),
    "10000-nested-sequences": (nested_sequences, lambda text: [at(1, TOO_DEEP)]),
    "10000-nested-mappings": (nested_mappings, lambda text: [at(1, TOO_DEEP)]),
    "nested-blocks": (
        nested_blocks,
        # The root mapping is level 1, so the key of level MAX_DEPTH + 1 is refused.
        lambda text: [at(line_of(text, f"k{MAX_DEPTH - 1}:"), TOO_DEEP)],
    ),
    "huge-text": (
        huge_text,
        # A "|" block is located at its key, like every other value.
        lambda text: [at(line_of(text, "basic: |"), TOO_LONG)],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_file_is_refused_quickly_with_a_located_error(case, tmp_path):
    build, expected = CASES[case]
    text = build()
    path = tmp_path / "bomb.yaml"
    path.write_text(text, encoding="utf-8")

    assert parse_in_child(path) == expected(text)


def test_file_over_the_size_limit_is_refused_before_parsing(tmp_path):
    # Over the default limit by one byte, and made of one huge scalar as well: the size
    # check comes first, so the scanner never reads it.
    text = "slug: " + "x" * (MAX_FILE_BYTES - len("slug: ") - 1 + 1) + "\n"
    assert len(text.encode()) == MAX_FILE_BYTES + 1
    path = tmp_path / "bomb.yaml"
    path.write_text(text, encoding="utf-8")

    assert parse_in_child(path) == [
        at(1, f"the file is larger than {MAX_FILE_BYTES // 1024} KiB")
    ]


def test_size_limit_comes_from_the_environment(tmp_path):
    text = course_text()
    path = tmp_path / "bomb.yaml"
    path.write_text(text, encoding="utf-8")
    limit = len(text.encode()) - 1

    assert parse_in_child(path, COURSE_FILE_MAX_BYTES=str(limit)) == [
        at(1, f"the file is larger than {limit} bytes")
    ]
    assert parse_in_child(path, COURSE_FILE_MAX_BYTES=str(limit + 1)) is None


def test_check_file_size_uses_the_setting(settings):
    settings.COURSE_FILE_MAX_BYTES = 4096
    assert max_file_bytes() == 4096
    check_file_size(4096, file="upload.yaml")

    with pytest.raises(CourseFileError) as excinfo:
        check_file_size(4097, file="upload.yaml")

    assert str(excinfo.value) == "upload.yaml:1: the file is larger than 4 KiB"


def test_a_course_file_just_under_the_limits_still_loads():
    # The limits leave room for real files: the depth and text length of a valid course.
    text = replace_once(
        course_text(), "A **basic** summary.", "y" * (MAX_TEXT_CHARS - 10)
    )
    spec = parse_course_file(text, file=FILE)
    assert spec.chapters[0].sections[0].summaries.basic.startswith("y" * 100)


def test_unused_anchor_and_explicit_tags_are_refused():
    anchored = replace_once(course_text(), "title: A Test Course", "title: &t Course")
    tagged = replace_once(course_text(), "title: A Test Course", "title: !!str Course")

    for text, message, needle in (
        (anchored, ALIASES, "title: &t"),
        (tagged, TAGS, "title: !!str"),
    ):
        with pytest.raises(CourseFileError) as excinfo:
            parse_course_file(text, file=FILE)
        assert [str(e) for e in excinfo.value.errors] == [
            at(line_of(text, needle), message)
        ]


def test_python_tags_never_run(tmp_path):
    marker = tmp_path / "ran"
    text = python_tag(marker)
    path = tmp_path / "bomb.yaml"
    path.write_text(text, encoding="utf-8")

    assert parse_in_child(path) == [at(line_of(text, "title: !!python"), TAGS)]
    assert not marker.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_file_writes_nothing(case, tmp_path):
    build, _expected = CASES[case]
    path = tmp_path / "bomb.yaml"
    path.write_text(build(), encoding="utf-8")
    good = tmp_path / "good.yaml"
    good.write_text(course_text(), encoding="utf-8")

    # A watchdog instead of a timed assertion: a hang dumps the stacks and ends the run.
    faulthandler.dump_traceback_later(120, exit=True)
    try:
        with pytest.raises(CourseFileError):
            load_course_files([good, path])
        with pytest.raises(CommandError):
            call_command("loadcourse", str(good), str(path))
    finally:
        faulthandler.cancel_dump_traceback_later()

    assert not Course.objects.exists()
    assert not Section.objects.exists()
