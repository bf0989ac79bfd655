"""Reading and validating course files.

``parse_course_file`` turns the text of a course file into a ``CourseSpec`` or a list of
``ContentError``s that name the file, the line and the path of every field at fault. It
never touches the database: ``lessons.content`` writes a spec only once it is valid.
The format is documented in docs/content-format.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from lessons.dialogue_script import NO_LINES, script_errors, script_lines

# The default size limit; settings.COURSE_FILE_MAX_BYTES (from the environment) overrides
# it, for loadcourse and the admin import alike: call ``max_file_bytes()``.
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 40
# The longest text value: far above any real summary, and it keeps one field from holding
# the whole file (Markdown rendering grows faster than linearly on some inputs).
MAX_TEXT_CHARS = 50_000

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SECTION_NUMBER_RE = re.compile(r"^\d+(?:\.\d+)*$")

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class ContentError:
    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{self.file}:{self.line}: {where}{self.message}"


class CourseFileError(Exception):
    """A course file, or several, did not validate; ``errors`` holds every problem."""

    def __init__(self, errors: list[ContentError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


# ---------------------------------------------------------------- field types


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def _slug(value: str) -> str:
    if not SLUG_RE.match(value):
        raise ValueError(
            f"{value!r} is not a valid id: use lowercase letters, digits and hyphens"
        )
    return value


def _section_number(value: Any) -> Any:
    if isinstance(value, float):
        raise ValueError(
            'write the section number in quotes, like "15.1", so 15.10 stays 15.10'
        )
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and not SECTION_NUMBER_RE.match(value):
        raise ValueError(f'{value!r} is not a section number like "15.1"')
    return value


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValueError(f"{value!r} is not an http or https address")
    return value


Text = Annotated[str, AfterValidator(_not_blank)]
Slug = Annotated[str, AfterValidator(_slug)]
SectionNumber = Annotated[str, Field(max_length=20), BeforeValidator(_section_number)]


class Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SummariesSpec(Spec):
    basic: Text
    medium: Text
    detailed: Text


class DialogueSpec(Spec):
    title: Annotated[Text, Field(max_length=200)]
    script: Text

    def lines(self) -> list[tuple[str, str]]:
        """(speaker, text) for each non-blank script line; the script must be valid."""
        return [(line.speaker, line.text) for line in script_lines(self.script)]


class ExplainerSpec(Spec):
    title: Annotated[Text, Field(max_length=200)]
    statement: Text
    explanation: Text
    analogy: Text


class KeyConceptSpec(Spec):
    term: Annotated[Text, Field(max_length=200)]
    description: Text


class ExampleSpec(Spec):
    title: Annotated[Text, Field(max_length=200)]
    text: Text


class MemoryAidSpec(Spec):
    kind: Literal["rhyme", "story", "memory_gem", "acronym"]
    title: Annotated[Text, Field(max_length=200)]
    text: Text
    flashcards: list[Slug] = []


class FlashcardSpec(Spec):
    id: Annotated[Slug, Field(max_length=100)]
    front: Text
    back: Text
    hint: Annotated[str, Field(max_length=300)] = ""


class GlossarySpec(Spec):
    term: Annotated[Text, Field(max_length=200)]
    definition: Text
    aliases: list[Text] = []


class VideoSpec(Spec):
    title: Annotated[Text, Field(max_length=200)]
    url: Annotated[str, Field(max_length=500), AfterValidator(_http_url)]


class ChoiceSpec(Spec):
    text: Text
    correct: bool = False
    feedback: str = ""


class PairSpec(Spec):
    left: Text
    right: Annotated[Text, Field(max_length=300)]


QuestionKind = Literal[
    "single_choice",
    "multiple_choice",
    "true_false",
    "short_answer",
    "numeric",
    "ordering",
    "matching",
]

# The keys each kind of question uses beyond the common ones.
KIND_KEYS: dict[str, frozenset[str]] = {
    "single_choice": frozenset({"choices"}),
    "multiple_choice": frozenset({"choices"}),
    "true_false": frozenset({"answer"}),
    "short_answer": frozenset({"accepted", "case_sensitive"}),
    "numeric": frozenset({"answer", "tolerance"}),
    "ordering": frozenset({"items"}),
    "matching": frozenset({"pairs"}),
}


class QuestionSpec(Spec):
    id: Annotated[Slug, Field(max_length=100)]
    kind: QuestionKind
    prompt: Text
    explanation: Text
    hints: list[Text] = []
    choices: list[ChoiceSpec] | None = None
    # Checked by kind below: a lax ``bool | int | float`` read a numeric answer of 0 or 1
    # as false or true (and then refused it), and took "true" or 1 as a true/false answer.
    answer: Any = None
    accepted: list[Text] | None = None
    case_sensitive: bool | None = None
    tolerance: int | float | None = None
    items: list[Text] | None = None
    pairs: list[PairSpec] | None = None

    @model_validator(mode="after")
    def _check_kind(self) -> QuestionSpec:
        allowed = KIND_KEYS[self.kind]
        for key in sorted(set().union(*KIND_KEYS.values()) - allowed):
            if getattr(self, key) is not None:
                raise ValueError(f"'{key}' is not used by {self.kind} questions")
        check = getattr(self, f"_check_{self.kind}")
        check()
        return self

    def _check_single_choice(self) -> None:
        choices = self.choices or []
        if len(choices) < 2:
            raise ValueError(
                "a single-choice question needs 'choices' with two or more choices"
            )
        if sum(choice.correct for choice in choices) != 1:
            raise ValueError(
                "a single-choice question needs exactly one correct choice"
            )

    def _check_multiple_choice(self) -> None:
        choices = self.choices or []
        if len(choices) < 2:
            raise ValueError(
                "a multiple-choice question needs 'choices' with two or more choices"
            )
        if not any(choice.correct for choice in choices):
            raise ValueError(
                "a multiple-choice question needs at least one correct choice"
            )

    def _check_true_false(self) -> None:
        if not isinstance(self.answer, bool):
            raise ValueError(
                "a true/false question needs 'answer: true' or 'answer: false'"
            )

    def _check_short_answer(self) -> None:
        if not self.accepted:
            raise ValueError(
                "a short-answer question needs 'accepted' with at least one answer"
            )

    def _check_numeric(self) -> None:
        if isinstance(self.answer, bool) or not isinstance(self.answer, int | float):
            raise ValueError("a numeric question needs a number as its 'answer'")
        if self.tolerance is not None and self.tolerance < 0:
            raise ValueError("the tolerance of a numeric question must not be negative")

    def _check_ordering(self) -> None:
        items = self.items or []
        if len(items) < 2:
            raise ValueError(
                "an ordering question needs 'items' with two or more items"
            )
        if len(set(items)) != len(items):
            raise ValueError("the items of an ordering question must all differ")

    def _check_matching(self) -> None:
        pairs = self.pairs or []
        if len(pairs) < 2:
            raise ValueError("a matching question needs 'pairs' with two or more pairs")
        if len({pair.left for pair in pairs}) != len(pairs) or len(
            {pair.right for pair in pairs}
        ) != len(pairs):
            raise ValueError(
                "the left sides, and the right sides, of a matching question must all differ"
            )


class QuizSpec(Spec):
    title: Annotated[Text, Field(max_length=200)]
    pass_mark: Annotated[int, Field(ge=1, le=100)] = 70
    questions: Annotated[list[QuestionSpec], Field(min_length=1)]


class SectionSpec(Spec):
    number: SectionNumber
    slug: Annotated[Slug, Field(max_length=100)]
    title: Annotated[Text, Field(max_length=200)]
    status: Literal["draft", "published"]
    summaries: SummariesSpec
    dialogues: list[DialogueSpec] = []
    explainers: list[ExplainerSpec] = []
    key_concepts: list[KeyConceptSpec] = []
    examples: list[ExampleSpec] = []
    memory_aids: list[MemoryAidSpec] = []
    flashcards: list[FlashcardSpec] = []
    glossary: list[GlossarySpec] = []
    videos: list[VideoSpec] = []
    quiz: QuizSpec | None = None


class ChapterSpec(Spec):
    number: Annotated[int, Field(ge=0, strict=True)]
    title: Annotated[Text, Field(max_length=200)]
    sections: list[SectionSpec] = []


class CourseSpec(Spec):
    slug: Annotated[Slug, Field(max_length=100)]
    title: Annotated[Text, Field(max_length=200)]
    description: str = ""
    chapters: Annotated[list[ChapterSpec], Field(min_length=1)]

    def sections(self) -> Iterator[tuple[ChapterSpec, SectionSpec]]:
        for chapter in self.chapters:
            for section in chapter.sections:
                yield chapter, section


# ---------------------------------------------------------------- YAML with line numbers


class _Loader(yaml.SafeLoader):
    """The safe loader; only its composer and scalar constructor are used.

    The composer refuses anchors, aliases, deep nesting and over-long texts at the first
    event that shows them, so a "billion laughs" or a file of 10,000 nested brackets is
    refused before it is built (and never by running out of recursion).
    """

    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        event = self.peek_event()
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _YamlError(
                line, "anchors and aliases (&, *) are not allowed in course files"
            )
        if getattr(event, "tag", None) is not None:
            raise _YamlError(line, "tags (!, !!) are not allowed in course files")
        if isinstance(event, yaml.ScalarEvent) and len(event.value) > MAX_TEXT_CHARS:
            raise _YamlError(
                line, f"a text is longer than {MAX_TEXT_CHARS:,} characters"
            )
        if self._depth >= MAX_DEPTH:
            raise _YamlError(line, "the file is nested too deeply")
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _YamlError(Exception):
    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message


def _to_python(
    loader: _Loader, node: yaml.Node, path: Path, lines: dict[Path, int], seen: set[int]
) -> Any:
    """Build plain data from a YAML node, recording the line of every value by its path."""
    if id(node) in seen:
        raise _YamlError(
            node.start_mark.line + 1,
            "anchors and aliases (&, *) are not allowed in course files",
        )
    seen.add(id(node))
    if len(path) > MAX_DEPTH:
        raise _YamlError(node.start_mark.line + 1, "the file is nested too deeply")
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _YamlError(
                    key_node.start_mark.line + 1, "keys must be plain words"
                )
            key = loader.construct_object(key_node)
            if not isinstance(key, str):
                raise _YamlError(
                    key_node.start_mark.line + 1, f"key {key!r} must be a word"
                )
            if key in result:
                raise _YamlError(
                    key_node.start_mark.line + 1, f"key '{key}' appears twice"
                )
            lines[(*path, key)] = key_node.start_mark.line + 1
            result[key] = _to_python(loader, value_node, (*path, key), lines, seen)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _to_python(loader, item, (*path, index), lines, seen)
            for index, item in enumerate(node.value)
        ]
    return loader.construct_object(node)


def _read_yaml(text: str) -> tuple[Any, dict[Path, int]]:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise _YamlError(1, "the file is empty")
        lines: dict[Path, int] = {}
        return _to_python(loader, node, (), lines, set()), lines
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise _YamlError(line, f"not valid YAML: {exc.problem or exc.context}") from exc
    except RecursionError:
        # PyYAML composes nested collections recursively, before MAX_DEPTH is checked.
        raise _YamlError(1, "the file is nested too deeply") from None
    finally:
        loader.dispose()


# ---------------------------------------------------------------- errors


def format_path(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _line_for(path: Path, lines: dict[Path, int]) -> int:
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return 1


_TYPE_MESSAGES = {
    "string_type": "expected text",
    "int_type": "expected a whole number",
    "int_from_float": "expected a whole number",
    "int_parsing": "expected a whole number",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "list_type": "expected a list",
    "model_type": "expected a mapping of keys and values",
    "model_attributes_type": "expected a mapping of keys and values",
    "dict_type": "expected a mapping of keys and values",
}


def _pydantic_errors(
    exc: ValidationError, lines: dict[Path, int], file: str
) -> list[ContentError]:
    errors = []
    for error in exc.errors():
        loc: Path = tuple(error["loc"])
        kind = error["type"]
        if kind == "missing":
            parent, message = loc[:-1], f"missing required key '{loc[-1]}'"
            line = _line_for(parent, lines)
        elif kind == "extra_forbidden":
            parent, message = loc[:-1], f"unknown key '{loc[-1]}'"
            line = _line_for(loc, lines)
        else:
            parent, line = loc, _line_for(loc, lines)
            message = _TYPE_MESSAGES.get(kind) or error["msg"].removeprefix(
                "Value error, "
            )
            if kind == "literal_error":
                message = "expected one of " + error["ctx"]["expected"]
            elif (
                kind in {"too_short", "too_long"} and "list" not in error["msg"].lower()
            ):
                message = (
                    error["msg"]
                    .replace("String should", "must")
                    .replace("Value should", "must")
                )
            elif kind == "too_short":
                message = f"needs at least {error['ctx']['min_length']} item(s)"
        errors.append(ContentError(file, line, format_path(parent), message))
    return errors


def _cross_checks(
    spec: CourseSpec, lines: dict[Path, int], file: str
) -> list[ContentError]:
    """Checks that span several fields: uniqueness, references, dialogue scripts."""
    errors: list[ContentError] = []

    def add(path: Path, message: str, line: int | None = None) -> None:
        errors.append(
            ContentError(
                file, line or _line_for(path, lines), format_path(path), message
            )
        )

    chapter_numbers: set[int] = set()
    section_numbers: set[str] = set()
    section_slugs: set[str] = set()
    card_ids: set[str] = set()
    question_ids: set[str] = set()
    for c, chapter in enumerate(spec.chapters):
        cpath: Path = ("chapters", c)
        if chapter.number in chapter_numbers:
            add((*cpath, "number"), f"chapter {chapter.number} appears twice")
        chapter_numbers.add(chapter.number)
        for s, section in enumerate(chapter.sections):
            spath: Path = (*cpath, "sections", s)
            if (
                section.number.split(".")[0] != str(chapter.number)
                or "." not in section.number
            ):
                add(
                    (*spath, "number"),
                    f'section {section.number} must be numbered "{chapter.number}.N" in chapter {chapter.number}',
                )
            if section.number in section_numbers:
                add((*spath, "number"), f"section {section.number} appears twice")
            if section.slug in section_slugs:
                add(
                    (*spath, "slug"),
                    f"slug '{section.slug}' is used by another section",
                )
            section_numbers.add(section.number)
            section_slugs.add(section.slug)
            for d, dialogue in enumerate(section.dialogues):
                errors.extend(
                    _script_errors(
                        dialogue.script, (*spath, "dialogues", d, "script"), lines, file
                    )
                )
            seen_cards = set()
            for f, card in enumerate(section.flashcards):
                if card.id in card_ids:
                    add(
                        (*spath, "flashcards", f, "id"),
                        f"flashcard id '{card.id}' is used twice in the course",
                    )
                card_ids.add(card.id)
                seen_cards.add(card.id)
            for m, aid in enumerate(section.memory_aids):
                for r, ref in enumerate(aid.flashcards):
                    if ref not in seen_cards:
                        add(
                            (*spath, "memory_aids", m, "flashcards", r),
                            f"no flashcard '{ref}' in this section",
                        )
            terms: set[str] = set()
            for g, term in enumerate(section.glossary):
                if term.term.casefold() in terms:
                    add(
                        (*spath, "glossary", g, "term"),
                        f"glossary term '{term.term}' appears twice",
                    )
                terms.add(term.term.casefold())
            if section.quiz:
                for q, question in enumerate(section.quiz.questions):
                    if question.id in question_ids:
                        add(
                            (*spath, "quiz", "questions", q, "id"),
                            f"question id '{question.id}' is used twice in the course",
                        )
                    question_ids.add(question.id)
    return errors


def _script_errors(
    script: str, path: Path, lines: dict[Path, int], file: str
) -> list[ContentError]:
    # A "|" block starts on the line after its key; a plain scalar on the key's own line.
    # The format and its messages are lessons.dialogue_script's, shared with the admin.
    first = lines.get(path, 1)
    block = "\n" in script
    return [
        ContentError(
            file,
            first
            if error.message == NO_LINES
            else first + error.line - (0 if block else 1),
            format_path(path),
            error.message,
        )
        for error in script_errors(script)
    ]


# ---------------------------------------------------------------- entry point


def max_file_bytes() -> int:
    """The largest course file accepted, in bytes: ``settings.COURSE_FILE_MAX_BYTES``."""
    from django.conf import settings

    return int(getattr(settings, "COURSE_FILE_MAX_BYTES", MAX_FILE_BYTES))


def check_file_size(size: int, *, file: str = "<course file>") -> None:
    """Refuse a file of ``size`` bytes over the limit, before reading it (an upload, say)."""
    limit = max_file_bytes()
    if size > limit:
        shown = f"{limit // 1024} KiB" if limit % 1024 == 0 else f"{limit} bytes"
        raise CourseFileError(
            [ContentError(file, 1, "", f"the file is larger than {shown}")]
        )


def parse_course_file(text: str | bytes, *, file: str = "<course file>") -> CourseSpec:
    """Parse and validate the text of a course file; raise ``CourseFileError`` with every problem."""
    check_file_size(
        len(text.encode("utf-8") if isinstance(text, str) else text), file=file
    )
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise CourseFileError(
                [ContentError(file, 1, "", "the file is not UTF-8 text")]
            ) from None
    try:
        data, lines = _read_yaml(text)
    except _YamlError as exc:
        raise CourseFileError([ContentError(file, exc.line, "", exc.message)]) from None
    if not isinstance(data, dict):
        raise CourseFileError(
            [
                ContentError(
                    file,
                    1,
                    "",
                    "a course file is a mapping with slug, title and chapters",
                )
            ]
        )
    try:
        spec = CourseSpec.model_validate(data)
    except ValidationError as exc:
        raise CourseFileError(_pydantic_errors(exc, lines, file)) from None
    errors = _cross_checks(spec, lines, file)
    if errors:
        raise CourseFileError(errors)
    return spec
