"""Writing course files to the database and reading them back.

``load_course`` upserts a validated ``CourseSpec`` in one transaction: rows are matched
(course by slug, chapters and sections by number, flashcards and questions by their stable
ids, other parts by their place in their list), updated in place when they changed, and
removed when they left the file, so students' history with what stays survives.
``dump_course`` writes the canonical course file of a course.

The course file spans the whole course, quizzes included, so this module is the one place
where ``lessons`` reaches into ``quizzes.models``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.db import models, transaction
from django.db.models import F, Q

from courses.models import Chapter, Course
from lessons.cache import changes_batched
from lessons.course_file import (
    ContentError,
    CourseFileError,
    CourseSpec,
    QuestionSpec,
    SectionSpec,
    parse_course_file,
)
from lessons.dialogue_script import speaker_role
from lessons.models import (
    Dialogue,
    DialogueLine,
    Example,
    Explainer,
    Flashcard,
    GlossaryTerm,
    KeyConcept,
    MemoryAid,
    Section,
    Summary,
    Video,
)
from quizzes.drills import cards_follow_sections
from quizzes.models import Choice, Question, Quiz

# Added to positions while rows that keep their ids are reordered, so that the unique
# (parent, position) constraints never see two rows in one place mid-update.
_POSITION_SHIFT = 1_000_000


@dataclass
class LoadReport:
    """What a load changed, counted per kind of row."""

    course: str
    added: Counter[str] = field(default_factory=Counter)
    changed: Counter[str] = field(default_factory=Counter)
    removed: Counter[str] = field(default_factory=Counter)

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.changed or self.removed)

    def __str__(self) -> str:
        if self.unchanged:
            return f"{self.course}: unchanged"

        def part(label: str, counts: Counter[str]) -> str:
            return f"{label} " + ", ".join(
                f"{n} {kind}" for kind, n in sorted(counts.items())
            )

        parts = [
            part(label, c)
            for label, c in (
                ("added", self.added),
                ("changed", self.changed),
                ("removed", self.removed),
            )
            if c
        ]
        return f"{self.course}: " + "; ".join(parts)


def _sync(
    report: LoadReport,
    label: str,
    model: type[models.Model],
    existing: dict[Any, models.Model],
    desired: dict[Any, dict[str, Any]],
    *,
    shift: models.QuerySet | None = None,
    leaving: list[models.Model] | None = None,
) -> dict[Any, models.Model]:
    """Make the rows in ``existing`` match ``desired`` (both keyed alike); return the rows.

    ``shift`` is the queryset whose positions to move out of the way when a kept row
    changes place (for rows matched by id rather than by position). ``leaving``, when
    given, collects the rows that left the file instead of deleting them, for the caller
    to delete once the rows they hold (flashcards, questions) have moved out.
    """
    for key in existing.keys() - desired.keys():
        if leaving is None:
            existing[key].delete()
        else:
            leaving.append(existing[key])
        report.removed[label] += 1
    kept = {key: obj for key, obj in existing.items() if key in desired}
    moved = shift is not None and any(
        getattr(obj, name) != desired[key][name]
        for key, obj in kept.items()
        for name in ("position", *[n for n in desired[key] if n.endswith("_id")])
    )
    if moved:
        shift.update(position=F("position") + _POSITION_SHIFT)
    rows = {}
    for key, values in desired.items():
        obj = kept.get(key)
        if obj is None:
            obj = model(**values)
            obj.save()
            report.added[label] += 1
        else:
            changed = [
                name for name, value in values.items() if getattr(obj, name) != value
            ]
            for name in changed:
                setattr(obj, name, values[name])
            if changed:
                report.changed[label] += 1
            if changed or moved:
                obj.save()
        rows[key] = obj
    return rows


def _by(
    rows: Iterable[models.Model], key: Callable[[Any], Any]
) -> dict[Any, models.Model]:
    return {key(row): row for row in rows}


def _positional(
    items: list[Any], values: Callable[[Any], dict[str, Any]], **parent: Any
) -> dict[int, dict[str, Any]]:
    return {
        position: {**parent, "position": position, **values(item)}
        for position, item in enumerate(items)
    }


def _sync_section_parts(
    report: LoadReport, section: Section, spec: SectionSpec
) -> None:
    """Parts without stable ids: matched by level or by position."""
    sid = section.pk
    _sync(
        report,
        "summaries",
        Summary,
        _by(Summary.objects.filter(section=section), lambda s: s.level),
        {
            level: {
                "section_id": sid,
                "level": level,
                "text": getattr(spec.summaries, level),
            }
            for level in Summary.Level.values
        },
    )
    dialogues = _sync(
        report,
        "dialogues",
        Dialogue,
        _by(Dialogue.objects.filter(section=section), lambda d: d.position),
        _positional(spec.dialogues, lambda d: {"title": d.title}, section_id=sid),
    )
    existing_lines = _by(
        DialogueLine.objects.filter(dialogue__section=section),
        lambda line: (line.dialogue_id, line.position),
    )
    desired_lines = {}
    for position, dialogue_spec in enumerate(spec.dialogues):
        dialogue = dialogues[position]
        for index, (speaker, text) in enumerate(dialogue_spec.lines()):
            role = speaker_role(speaker)  # as the admin's script field derives it
            desired_lines[(dialogue.pk, index)] = {
                "dialogue_id": dialogue.pk,
                "position": index,
                "speaker": speaker,
                "role": role,
                "text": text,
            }
    _sync(report, "dialogue lines", DialogueLine, existing_lines, desired_lines)
    simple_parts: list[
        tuple[str, type[models.Model], list[Any], Callable[[Any], dict[str, Any]]]
    ] = [
        ("explainers", Explainer, spec.explainers, lambda e: e.model_dump()),
        ("key concepts", KeyConcept, spec.key_concepts, lambda k: k.model_dump()),
        ("examples", Example, spec.examples, lambda e: e.model_dump()),
        ("glossary terms", GlossaryTerm, spec.glossary, lambda g: g.model_dump()),
        ("videos", Video, spec.videos, lambda v: v.model_dump()),
        (
            "memory aids",
            MemoryAid,
            spec.memory_aids,
            lambda m: m.model_dump(exclude={"flashcards"}),
        ),
    ]
    for label, model, items, values in simple_parts:
        _sync(
            report,
            label,
            model,
            _by(model.objects.filter(section=section), lambda row: row.position),
            _positional(items, values, section_id=sid),
        )


def _question_values(
    question: QuestionSpec, quiz: Quiz, position: int
) -> dict[str, Any]:
    kind = question.kind
    return {
        "quiz_id": quiz.pk,
        "key": question.id,
        "position": position,
        "kind": kind,
        "prompt": question.prompt,
        "explanation": question.explanation,
        "hints": list(question.hints),
        "accepted_answers": list(question.accepted or []),
        "case_sensitive": bool(question.case_sensitive),
        "numeric_answer": float(question.answer) if kind == "numeric" else None,
        "tolerance": float(question.tolerance or 0),
    }


def _choice_values(question: QuestionSpec) -> list[dict[str, Any]]:
    """The rows a question's key is stored in, in their positions."""
    if question.kind in {"single_choice", "multiple_choice"}:
        return [
            {
                "text": c.text,
                "is_correct": c.correct,
                "feedback": c.feedback,
                "match": "",
            }
            for c in question.choices or []
        ]
    if question.kind == "true_false":
        return [
            {
                "text": "True",
                "is_correct": question.answer is True,
                "feedback": "",
                "match": "",
            },
            {
                "text": "False",
                "is_correct": question.answer is False,
                "feedback": "",
                "match": "",
            },
        ]
    if question.kind == "ordering":
        return [
            {"text": item, "is_correct": False, "feedback": "", "match": ""}
            for item in question.items or []
        ]
    if question.kind == "matching":
        return [
            {"text": p.left, "is_correct": False, "feedback": "", "match": p.right}
            for p in question.pairs or []
        ]
    return []


def _sync_course(spec: CourseSpec, report: LoadReport) -> Course:
    course, created = Course.objects.get_or_create(
        slug=spec.slug, defaults={"title": spec.title, "description": spec.description}
    )
    if created:
        report.added["courses"] += 1
    elif (course.title, course.description) != (spec.title, spec.description):
        course.title, course.description = spec.title, spec.description
        course.save()
        report.changed["courses"] += 1

    # Chapters, sections and quizzes that leave the file are deleted last: deleting them
    # first would cascade to the flashcards and questions that moved out of them (into a
    # renumbered section, say), and those must keep their rows and students' history.
    leaving: list[models.Model] = []
    chapters = _sync(
        report,
        "chapters",
        Chapter,
        _by(course.chapters.all(), lambda c: c.number),
        {
            c.number: {"course_id": course.pk, "number": c.number, "title": c.title}
            for c in spec.chapters
        },
        leaving=leaving,
    )
    existing_sections = _by(Section.objects.filter(course=course), lambda s: s.number)
    desired_numbers = {section.number for _chapter, section in spec.sections()}
    for number, row in existing_sections.items():
        if number not in desired_numbers:
            # Until it is deleted, a leaving section makes way for one taking its place
            # or its slug ("-" never starts a slug from a course file).
            Section.objects.filter(pk=row.pk).update(
                slug=f"-leaving-{row.pk}", position=row.position + 2 * _POSITION_SHIFT
            )
    sections = _sync(
        report,
        "sections",
        Section,
        existing_sections,
        {
            section.number: {
                "course_id": course.pk,
                "chapter_id": chapters[chapter.number].pk,
                "number": section.number,
                "slug": section.slug,
                "title": section.title,
                "status": section.status,
                "position": position,
            }
            for chapter in spec.chapters
            for position, section in enumerate(chapter.sections)
        },
        shift=Section.objects.filter(course=course),
        leaving=leaving,
    )
    for _chapter, section_spec in spec.sections():
        _sync_section_parts(report, sections[section_spec.number], section_spec)

    cards = _sync(
        report,
        "flashcards",
        Flashcard,
        _by(Flashcard.objects.filter(section__course=course), lambda f: f.key),
        {
            card.id: {
                "section_id": sections[section.number].pk,
                "key": card.id,
                "position": position,
                "front": card.front,
                "back": card.back,
                "hint": card.hint,
            }
            for _chapter, section in spec.sections()
            for position, card in enumerate(section.flashcards)
        },
        shift=Flashcard.objects.filter(section__course=course),
    )
    for _chapter, section_spec in spec.sections():
        aids = MemoryAid.objects.filter(
            section=sections[section_spec.number]
        ).prefetch_related("flashcards")
        for aid, aid_spec in zip(
            aids.order_by("position"), section_spec.memory_aids, strict=True
        ):
            wanted = {cards[key].pk for key in aid_spec.flashcards}
            current = {card.pk for card in aid.flashcards.all()}
            if current != wanted:
                aid.flashcards.set(wanted)
                (report.changed if current else report.added)["memory aid links"] += 1

    quizzes = _sync(
        report,
        "quizzes",
        Quiz,
        _by(Quiz.objects.filter(section__course=course), lambda q: q.section_id),
        {
            sections[s.number].pk: {
                "section_id": sections[s.number].pk,
                "title": s.quiz.title,
                "pass_mark": s.quiz.pass_mark,
            }
            for _chapter, s in spec.sections()
            if s.quiz
        },
        leaving=leaving,
    )
    question_specs = {
        question.id: (quizzes[sections[s.number].pk], position, question)
        for _chapter, s in spec.sections()
        if s.quiz
        for position, question in enumerate(s.quiz.questions)
    }
    questions = _sync(
        report,
        "questions",
        Question,
        _by(Question.objects.filter(quiz__section__course=course), lambda q: q.key),
        {
            key: _question_values(q, quiz, position)
            for key, (quiz, position, q) in question_specs.items()
        },
        shift=Question.objects.filter(quiz__section__course=course),
    )
    _sync(
        report,
        "choices",
        Choice,
        _by(
            Choice.objects.filter(question__quiz__section__course=course),
            lambda c: (c.question_id, c.position),
        ),
        {
            (questions[key].pk, position): {
                "question_id": questions[key].pk,
                "position": position,
                **values,
            }
            for key, (_quiz, _position, q) in question_specs.items()
            for position, values in enumerate(_choice_values(q))
        },
    )
    # Drill cards filter on their own copy of the section: it follows what moved.
    cards_follow_sections(course_id=course.pk)
    for row in reversed(leaving):  # quizzes, then sections, then chapters
        row.delete()
    return course


def load_course(spec: CourseSpec) -> LoadReport:
    """Create or update the course described by ``spec``, in one transaction."""
    report = LoadReport(course=spec.slug)
    # Positions also move in bulk (no signals): every section of the course is re-rendered.
    with transaction.atomic(), changes_batched(Q(course__slug=spec.slug)):
        _sync_course(spec, report)
    return report


def read_course_files(paths: Iterable[str | Path]) -> list[CourseSpec]:
    """Parse every file; raise one ``CourseFileError`` listing the problems of them all."""
    specs: list[CourseSpec] = []
    errors: list[ContentError] = []
    for path in paths:
        name = str(path)
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            errors.append(
                ContentError(name, 0, "", f"cannot read the file: {exc.strerror}")
            )
            continue
        try:
            specs.append(parse_course_file(data, file=name))
        except CourseFileError as exc:
            errors.extend(exc.errors)
    if errors:
        raise CourseFileError(errors)
    return specs


def load_course_files(paths: Iterable[str | Path]) -> list[LoadReport]:
    """Validate every file first, then load them all in one transaction."""
    specs = read_course_files(paths)
    slugs = Counter(spec.slug for spec in specs)
    if duplicated := [slug for slug, n in slugs.items() if n > 1]:
        raise CourseFileError(
            [
                ContentError(
                    "<files>", 0, "", f"course '{slug}' is in more than one file"
                )
                for slug in duplicated
            ]
        )
    with transaction.atomic():
        return [load_course(spec) for spec in specs]


# ---------------------------------------------------------------- dumping


class _Dumper(yaml.SafeDumper):
    """Block style, multi-line text as | blocks, no line folding, keys in our order."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent list items under their key, as the examples in docs/content-format.md do.
        return super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _question_data(question: Question) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": question.key,
        "kind": question.kind,
        "prompt": question.prompt,
        "explanation": question.explanation,
    }
    if question.hints:
        data["hints"] = list(question.hints)
    choices = list(question.choices.all())
    if question.kind in {"single_choice", "multiple_choice"}:
        data["choices"] = []
        for choice in choices:
            item: dict[str, Any] = {"text": choice.text}
            if choice.is_correct:
                item["correct"] = True
            if choice.feedback:
                item["feedback"] = choice.feedback
            data["choices"].append(item)
    elif question.kind == "true_false":
        data["answer"] = any(c.is_correct and c.text == "True" for c in choices)
    elif question.kind == "short_answer":
        data["accepted"] = list(question.accepted_answers)
        if question.case_sensitive:
            data["case_sensitive"] = True
    elif question.kind == "numeric":
        data["answer"] = _number(question.numeric_answer)
        data["tolerance"] = _number(question.tolerance)
    elif question.kind == "ordering":
        data["items"] = [c.text for c in choices]
    elif question.kind == "matching":
        data["pairs"] = [{"left": c.text, "right": c.match} for c in choices]
    return data


def _section_data(section: Section) -> dict[str, Any]:
    summaries = {s.level: s.text for s in section.summaries.all()}
    data: dict[str, Any] = {
        "number": section.number,
        "slug": section.slug,
        "title": section.title,
        "status": section.status,
        "summaries": {
            level: summaries.get(level, "") for level in Summary.Level.values
        },
        "dialogues": [
            {
                "title": d.title,
                "script": "".join(
                    f"{line.speaker}: {line.text}\n" for line in d.lines.all()
                ),
            }
            for d in section.dialogues.all()
        ],
        "explainers": [
            {
                "title": e.title,
                "statement": e.statement,
                "explanation": e.explanation,
                "analogy": e.analogy,
            }
            for e in section.explainers.all()
        ],
        "key_concepts": [
            {"term": k.term, "description": k.description}
            for k in section.key_concepts.all()
        ],
        "examples": [
            {"title": e.title, "text": e.text} for e in section.examples.all()
        ],
        "memory_aids": [],
        "flashcards": [],
        "glossary": [],
        "videos": [{"title": v.title, "url": v.url} for v in section.videos.all()],
    }
    for aid in section.memory_aids.all():
        item = {"kind": aid.kind, "title": aid.title, "text": aid.text}
        if keys := [
            card.key for card in sorted(aid.flashcards.all(), key=lambda c: c.position)
        ]:
            item["flashcards"] = keys
        data["memory_aids"].append(item)
    for card in section.flashcards.all():
        item = {"id": card.key, "front": card.front, "back": card.back}
        if card.hint:
            item["hint"] = card.hint
        data["flashcards"].append(item)
    for term in section.glossary_terms.all():
        item = {"term": term.term, "definition": term.definition}
        if term.aliases:
            item["aliases"] = list(term.aliases)
        data["glossary"].append(item)
    quiz = getattr(section, "quiz", None)
    if quiz is not None:
        data["quiz"] = {
            "title": quiz.title,
            "pass_mark": quiz.pass_mark,
            "questions": [_question_data(q) for q in quiz.questions.all()],
        }
    return data


def dump_course(course: Course) -> str:
    """The canonical course file of ``course``."""
    sections = (
        Section.objects.filter(course=course)
        .select_related("quiz")
        .prefetch_related(
            "summaries",
            "dialogues__lines",
            "explainers",
            "key_concepts",
            "examples",
            "memory_aids__flashcards",
            "flashcards",
            "glossary_terms",
            "videos",
            "quiz__questions__choices",
        )
        .order_by("position")
    )
    by_chapter: dict[int, list[Section]] = {}
    for section in sections:
        by_chapter.setdefault(section.chapter_id, []).append(section)
    data: dict[str, Any] = {"slug": course.slug, "title": course.title}
    if course.description:
        data["description"] = course.description
    data["chapters"] = [
        {
            "number": chapter.number,
            "title": chapter.title,
            "sections": [_section_data(s) for s in by_chapter.get(chapter.pk, [])],
        }
        for chapter in course.chapters.order_by("number")
    ]
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=10_000,
        indent=2,
    )
