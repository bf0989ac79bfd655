"""A section of a course and the parts it is made of.

Every part has an explicit ``position`` (its place in the section, unique per section) and
caches the HTML of its Markdown fields in ``*_html`` columns, rendered on save and by the
course loader, never per request.
"""

from __future__ import annotations

import re
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

from django.db import models
from django.urls import reverse
from django.utils.text import slugify

from lessons.markdown import render_markdown


def choices_check(
    field: str, choices: type[models.TextChoices], name: str
) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__in": choices.values}), name=name
    )


def unique_position(parent: str, name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(fields=[parent, "position"], name=name)


class MarkdownModel(models.Model):
    """A model whose ``markdown_fields`` each have an ``<field>_html`` column."""

    markdown_fields: ClassVar[tuple[str, ...]] = ()
    inline_markdown_fields: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        self.render_markdown_fields()
        super().save(*args, **kwargs)

    def render_markdown_fields(self) -> None:
        """Derive the ``*_html`` columns; bulk writers must call this themselves."""
        for field in self.markdown_fields:
            inline = field in self.inline_markdown_fields
            setattr(
                self,
                f"{field}_html",
                render_markdown(getattr(self, field), inline=inline),
            )


class SectionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class SummaryLevel(models.TextChoices):
    BASIC = "basic", "Basic"
    MEDIUM = "medium", "Medium"
    DETAILED = "detailed", "Detailed"


class SpeakerRole(models.TextChoices):
    TEACHER = "teacher", "Teacher"
    STUDENT = "student", "Student"


class MemoryAidKind(models.TextChoices):
    RHYME = "rhyme", "Rhyme"
    STORY = "story", "Story"
    MEMORY_GEM = "memory_gem", "Memory gem"
    ACRONYM = "acronym", "Acronym"


class Section(models.Model):
    Status = SectionStatus

    course = models.ForeignKey(
        "courses.Course", on_delete=models.CASCADE, related_name="sections"
    )
    chapter = models.ForeignKey(
        "courses.Chapter", on_delete=models.CASCADE, related_name="sections"
    )
    number = models.CharField(
        max_length=20, help_text='Like "15.1": chapter number, a dot, then the section.'
    )
    slug = models.SlugField(max_length=100)
    title = models.CharField(max_length=200)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    position = models.PositiveIntegerField(
        help_text="Place of the section in its chapter."
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Part of the key of the section's cached HTML; bumped whenever the section, any of
    # its parts, its quiz, chapter or course changes (lessons/signals.py, lessons/cache.py).
    content_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["chapter__number", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "number"], name="section_number_unique_in_course"
            ),
            models.UniqueConstraint(
                fields=["course", "slug"], name="section_slug_unique_in_course"
            ),
            unique_position("chapter", "section_position_unique_in_chapter"),
            choices_check("status", SectionStatus, "section_status_valid"),
            models.CheckConstraint(
                condition=models.Q(number__regex=r"^\d+(\.\d+)*$"),
                name="section_number_format",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse(
            "lessons:section-detail",
            kwargs={"course_slug": self.course.slug, "number": self.number},
        )

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Summary(MarkdownModel):
    Level = SummaryLevel

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="summaries"
    )
    level = models.CharField(max_length=10, choices=Level.choices)
    text = models.TextField()
    text_html = models.TextField(blank=True, editable=False)

    markdown_fields = ("text",)

    class Meta:
        verbose_name_plural = "summaries"
        constraints = [
            models.UniqueConstraint(
                fields=["section", "level"], name="summary_level_unique_in_section"
            ),
            choices_check("level", SummaryLevel, "summary_level_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} summary"


class Dialogue(models.Model):
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="dialogues"
    )
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["position"]
        constraints = [
            unique_position("section", "dialogue_position_unique_in_section")
        ]

    def __str__(self) -> str:
        return self.title


class DialogueLine(MarkdownModel):
    Role = SpeakerRole

    dialogue = models.ForeignKey(
        Dialogue, on_delete=models.CASCADE, related_name="lines"
    )
    position = models.PositiveIntegerField()
    speaker = models.CharField(
        max_length=60, help_text='As in the script: "Teacher", "Student 2".'
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    text = models.TextField()
    text_html = models.TextField(blank=True, editable=False)

    markdown_fields = inline_markdown_fields = ("text",)

    class Meta:
        ordering = ["position"]
        constraints = [
            unique_position("dialogue", "dialogue_line_position_unique"),
            choices_check("role", SpeakerRole, "dialogue_line_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.speaker}: {self.text[:60]}"

    @property
    def initials(self) -> str:
        """ "T" for Teacher, "S2" for Student 2, "PR" for Priya Rao."""
        words = self.speaker.split()
        return "".join(
            word if word.isdigit() else word[0].upper() for word in words[:2]
        )


class Explainer(MarkdownModel):
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="explainers"
    )
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    statement = models.TextField()
    statement_html = models.TextField(blank=True, editable=False)
    explanation = models.TextField(verbose_name="detailed explanation")
    explanation_html = models.TextField(blank=True, editable=False)
    analogy = models.TextField(verbose_name="example or analogy")
    analogy_html = models.TextField(blank=True, editable=False)

    markdown_fields = ("statement", "explanation", "analogy")

    class Meta:
        ordering = ["position"]
        constraints = [
            unique_position("section", "explainer_position_unique_in_section")
        ]

    def __str__(self) -> str:
        return self.title


class KeyConcept(MarkdownModel):
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="key_concepts"
    )
    position = models.PositiveIntegerField()
    term = models.CharField(max_length=200)
    description = models.TextField()
    description_html = models.TextField(blank=True, editable=False)

    markdown_fields = ("description",)

    class Meta:
        ordering = ["position"]
        constraints = [
            unique_position("section", "key_concept_position_unique_in_section")
        ]

    def __str__(self) -> str:
        return self.term


class Example(MarkdownModel):
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="examples"
    )
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    text = models.TextField()
    text_html = models.TextField(blank=True, editable=False)

    markdown_fields = ("text",)

    class Meta:
        ordering = ["position"]
        constraints = [unique_position("section", "example_position_unique_in_section")]

    def __str__(self) -> str:
        return self.title


class Flashcard(MarkdownModel):
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="flashcards"
    )
    key = models.SlugField(
        max_length=100,
        help_text="Stable id from the course file; keeps students' history.",
    )
    position = models.PositiveIntegerField()
    front = models.TextField()
    front_html = models.TextField(blank=True, editable=False)
    back = models.TextField()
    back_html = models.TextField(blank=True, editable=False)
    hint = models.CharField(max_length=300, blank=True)

    markdown_fields = inline_markdown_fields = ("front", "back")

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "key"], name="flashcard_key_unique_in_section"
            ),
            unique_position("section", "flashcard_position_unique_in_section"),
        ]

    def __str__(self) -> str:
        return self.front[:80]


class MemoryAid(MarkdownModel):
    Kind = MemoryAidKind

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="memory_aids"
    )
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    title = models.CharField(max_length=200)
    text = models.TextField()
    text_html = models.TextField(blank=True, editable=False)
    flashcards = models.ManyToManyField(
        Flashcard, blank=True, related_name="memory_aids"
    )

    markdown_fields = ("text",)

    class Meta:
        ordering = ["position"]
        constraints = [
            unique_position("section", "memory_aid_position_unique_in_section"),
            choices_check("kind", MemoryAidKind, "memory_aid_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class GlossaryTerm(MarkdownModel):
    """A term of the section's glossary; its uses in the section's text link to it."""

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="glossary_terms"
    )
    position = models.PositiveIntegerField()
    term = models.CharField(max_length=200)
    definition = models.TextField()
    definition_html = models.TextField(blank=True, editable=False)
    aliases = models.JSONField(
        default=list, blank=True, help_text="Other spellings, as a list."
    )

    markdown_fields = ("definition",)

    class Meta:
        ordering = ["position"]
        constraints = [
            unique_position("section", "glossary_term_position_unique_in_section"),
            models.UniqueConstraint(
                fields=["section", "term"], name="glossary_term_unique_in_section"
            ),
        ]

    def __str__(self) -> str:
        return self.term

    @property
    def anchor(self) -> str:
        return f"term-{slugify(self.term)}"


_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")


class Video(models.Model):
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="videos"
    )
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=500)

    class Meta:
        ordering = ["position"]
        constraints = [unique_position("section", "video_position_unique_in_section")]

    def __str__(self) -> str:
        return self.title

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc.removeprefix("www.")

    @property
    def embed_url(self) -> str | None:
        """YouTube's privacy-enhanced player for a YouTube video link; None for other links."""
        parts = urlsplit(self.url)
        host = parts.netloc.removeprefix("www.").removeprefix("m.")
        video_id = None
        if host == "youtube.com" and parts.path == "/watch":
            video_id = parse_qs(parts.query).get("v", [""])[0]
        elif host == "youtu.be":
            video_id = parts.path.lstrip("/")
        if video_id and _YOUTUBE_ID.match(video_id):
            return f"https://www.youtube-nocookie.com/embed/{video_id}"
        return None
