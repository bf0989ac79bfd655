"""Dialogue scripts: one ``Speaker: text`` line per spoken line.

The one parser for the format, used by course files (``lessons.course_file``), the loader
(``lessons.content``) and the admin's script field, so all three accept the same scripts
and word their errors alike. Pure functions: no database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

SCRIPT_LINE_RE = re.compile(r"^(?P<speaker>[^:]{1,60}):\s+(?P<text>\S.*)$")

# DialogueLine.Role values; kept as plain strings so this module needs no models.
TEACHER = "teacher"
STUDENT = "student"

NO_LINES = "the script has no lines"


@dataclass(frozen=True, slots=True)
class ScriptLine:
    speaker: str
    text: str

    @property
    def role(self) -> str:
        return speaker_role(self.speaker)


@dataclass(frozen=True, slots=True)
class ScriptError:
    """A problem with a script; ``line`` counts from 1, blank lines included."""

    line: int
    message: str


def speaker_role(speaker: str) -> str:
    """ "Teacher", "Teacher 2" → teacher; anyone else ("Student 1", "Priya") → student."""
    return TEACHER if speaker.casefold().startswith("teacher") else STUDENT


def bad_line_message(line: int) -> str:
    return f"script line {line} should read 'Speaker: text', like 'Teacher: Welcome.'"


def script_errors(script: str) -> list[ScriptError]:
    """Every line that is not ``Speaker: text`` (blank lines are skipped), or "no lines"."""
    errors = []
    spoken = 0
    for offset, raw in enumerate(script.splitlines()):
        if not raw.strip():
            continue
        if not SCRIPT_LINE_RE.match(raw.strip()):
            errors.append(ScriptError(offset + 1, bad_line_message(offset + 1)))
        spoken += 1
    if not errors and spoken == 0:
        errors.append(ScriptError(1, NO_LINES))
    return errors


def script_lines(script: str) -> list[ScriptLine]:
    """The spoken lines of a valid script (check ``script_errors`` first)."""
    result = []
    for raw in script.splitlines():
        if raw.strip():
            match = SCRIPT_LINE_RE.match(raw.strip())
            if match is None:
                raise ValueError("validate the script before reading its lines")
            result.append(ScriptLine(match["speaker"].strip(), match["text"].strip()))
    return result


def script_text(lines: Iterable[tuple[str, str]]) -> str:
    """The script of (speaker, text) lines: what ``script_lines`` reads back."""
    return "".join(f"{speaker}: {text}\n" for speaker, text in lines)
