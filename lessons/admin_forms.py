"""Forms, fields and widgets of the authoring admin (the section page and the quiz pages).

- ``MarkdownTextarea``: a Markdown field with its rendered preview beside it, kept live by
  htmx (static/admin-studio/studio.js) from the admin's preview view.
- ``ScriptField``/``DialogueForm``: a dialogue edited as one ``Speaker: text`` script and
  stored as ``DialogueLine`` rows (``lessons.dialogue_script`` parses it, as course files).
- ``PositionedFormSet``: parts in order by their ``position``; a blank position goes last,
  and rows can swap places in one save despite the unique (parent, position) constraints.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.widgets import AdminTextareaWidget
from django.db.models import F, Max
from django.forms.models import BaseInlineFormSet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html

from courses.models import Chapter
from lessons.dialogue_script import script_errors, script_lines, script_text
from lessons.markdown import render_markdown
from lessons.models import Dialogue, DialogueLine, Flashcard, Section

PREVIEW_TEMPLATE = "admin/lessons/markdown_preview.html"

# Added to the positions of rows that move or leave, before the rows are saved, so the
# unique (parent, position) constraints never see two rows in one place mid-save.
_PARK = 1_000_000


class MarkdownTextarea(AdminTextareaWidget):
    """A Markdown textarea followed by its preview, rendered as the site renders it.

    The preview shows the text as it was loaded (no JavaScript needed); with htmx it
    follows the typing: the textarea posts its text to the admin's preview view and the
    answer replaces the preview's body. ``inline`` fields (a flashcard face) render
    without the paragraph around them, as on the site.
    """

    def __init__(self, attrs: dict[str, Any] | None = None, *, inline: bool = False):
        super().__init__(attrs)
        self.inline = inline

    def render(self, name, value, attrs=None, renderer=None) -> str:
        attrs = {
            **(attrs or {}),
            "data-md-preview": "inline" if self.inline else "block",
            "hx-post": reverse("admin:lessons_section_markdown_preview"),
            "hx-trigger": "input changed delay:400ms",
            "hx-target": "next .md-preview-body",
            "hx-swap": "innerHTML",
            "hx-sync": "this:replace",
        }
        textarea = super().render(name, value, attrs, renderer)
        text = self.format_value(value) or ""
        preview = render_to_string(
            PREVIEW_TEMPLATE, {"html": render_markdown(text, inline=self.inline)}
        )
        return format_html(
            '<div class="md-field">{}<div class="md-preview">'
            '<p class="md-preview-label">Preview</p>'
            '<div class="md-preview-body prose">{}</div></div></div>',
            textarea,
            preview,
        )


class LinesField(forms.Field):
    """A list of short texts (a JSON list on the model), edited one per line."""

    widget = forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value: Any) -> list[str]:
        if isinstance(value, list | tuple):
            return [str(item).strip() for item in value if str(item).strip()]
        return [line.strip() for line in str(value or "").splitlines() if line.strip()]

    def has_changed(self, initial: Any, data: Any) -> bool:
        return self.to_python(initial) != self.to_python(data)


class ScriptField(forms.CharField):
    """A dialogue script; errors name the line at fault, counted from 1."""

    widget = AdminTextareaWidget(attrs={"rows": 12})

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        return text.replace("\r\n", "\n").replace("\r", "\n")

    def has_changed(self, initial: Any, data: Any) -> bool:
        # The script shown ends with a newline; the one posted back is stripped.
        return self.to_python(initial) != self.to_python(data)

    def validate(self, value: str) -> None:
        super().validate(value)
        if value in self.empty_values:
            return
        errors = script_errors(value)
        if errors:
            raise forms.ValidationError(
                [error.message[:1].upper() + error.message[1:] for error in errors],
                code="script",
            )


class DialogueForm(forms.ModelForm):
    script = ScriptField(
        help_text=(
            "One line per spoken line: the speaker, a colon, then what they say, like "
            "'Teacher: Welcome.' or 'Student 2: Why?'. A speaker whose name starts with "
            "'Teacher' is shown as the teacher; anyone else as a student."
        )
    )

    class Meta:
        model = Dialogue
        fields = ["title", "position", "script"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault(
                "script",
                script_text(
                    (line.speaker, line.text) for line in self.instance.lines.all()
                ),
            )

    def save(self, commit: bool = True) -> Dialogue:
        dialogue = super().save(commit=commit)
        if commit:
            self.save_lines()
        else:
            save_m2m = self.save_m2m

            def save_m2m_and_lines() -> None:
                save_m2m()
                self.save_lines()

            self.save_m2m = save_m2m_and_lines
        return dialogue

    def save_lines(self) -> None:
        """Make the dialogue's lines those of the script, changing only what changed."""
        if "script" not in self.changed_data:
            return
        wanted = script_lines(self.cleaned_data["script"])
        existing = list(self.instance.lines.all())
        for position, line in enumerate(wanted):
            row = existing[position] if position < len(existing) else None
            if row is None:
                row = DialogueLine(dialogue=self.instance, position=position)
            elif (row.speaker, row.text, row.role) == (
                line.speaker,
                line.text,
                line.role,
            ):
                continue
            row.speaker, row.text, row.role = line.speaker, line.text, line.role
            row.save()
        for row in existing[len(wanted) :]:
            row.delete()


class PositionedFormSet(BaseInlineFormSet):
    """Inline rows placed by ``position``: blank goes last, places may be swapped."""

    # A tabular inline labels its inputs with column headings only, which assistive
    # technology does not tie to the inputs: name each input itself.
    label_each_input = False

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "position" in form.fields:
            form.fields["position"].required = False
            form.fields["position"].help_text = "Blank: after the others."
        if self.label_each_input:
            for name, field in form.fields.items():
                if not field.widget.is_hidden:
                    label = field.label or name.replace("_", " ").capitalize()
                    field.widget.attrs.setdefault("aria-label", str(label))

    def _kept_forms(self) -> list[forms.Form]:
        deleted = self.deleted_forms if self.can_delete else []
        return [
            form
            for form in self.forms
            if form.is_valid()
            and form not in deleted
            and (form.instance.pk or form.has_changed())
        ]

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        kept = self._kept_forms()
        taken = [
            form.cleaned_data["position"]
            for form in kept
            if form.cleaned_data.get("position") is not None
        ]
        following = max(taken, default=-1) + 1
        for form in kept:
            if form.cleaned_data.get("position") is None:
                form.cleaned_data["position"] = form.instance.position = following
                following += 1

    def save_existing_objects(self, commit: bool = True) -> list:
        if commit:
            deleted = self.deleted_forms if self.can_delete else []
            parked = [
                form.instance.pk
                for form in self.initial_forms
                if form.instance.pk
                and (form in deleted or "position" in form.changed_data)
            ]
            if parked:
                self.model._default_manager.filter(pk__in=parked).update(
                    position=F("position") + _PARK
                )
        return super().save_existing_objects(commit)


class TabularPositionedFormSet(PositionedFormSet):
    label_each_input = True


class FlashcardFormSet(PositionedFormSet):
    """Flashcard ids stay unique in the course: the course file and drills rely on it."""

    def clean(self) -> None:
        super().clean()
        course_id = getattr(self.instance, "course_id", None)
        if any(self.errors) or course_id is None:
            return
        kept = {form.cleaned_data["key"]: form for form in self._kept_forms()}
        elsewhere = Flashcard.objects.filter(
            section__course_id=course_id, key__in=kept
        ).select_related("section")
        if self.instance.pk:
            elsewhere = elsewhere.exclude(section_id=self.instance.pk)
        for card in elsewhere:
            kept[card.key].add_error(
                "key", f"Section {card.section.number} has a flashcard with this id."
            )


class MemoryAidFormSet(PositionedFormSet):
    """A memory aid links to flashcards of its own section only."""

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        field = form.fields.get("flashcards")
        if field is not None:
            field.queryset = (
                Flashcard.objects.filter(section_id=self.instance.pk)
                if self.instance.pk
                else Flashcard.objects.none()
            )
            field.help_text = (
                "The flashcards this aid helps with (saved flashcards of this section)."
            )
            # Read the section's flashcards once for all the aids, not once per aid.
            if not hasattr(self, "_flashcard_choices"):
                self._flashcard_choices = list(field.choices)
            field.choices = self._flashcard_choices


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["course", "chapter", "number", "title", "slug", "position", "status"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "chapter" in self.fields:
            chapter = self.fields["chapter"]
            chapter.queryset = Chapter.objects.select_related("course")
            chapter.label_from_instance = lambda c: f"{c.course.title}: {c}"
        if "position" in self.fields:
            self.fields["position"].required = False
            self.fields[
                "position"
            ].help_text = "Place of the section in its chapter; blank: last."

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        course, chapter = data.get("course"), data.get("chapter")
        number = data.get("number")
        if course and chapter and chapter.course_id != course.pk:
            self.add_error("chapter", f"Pick a chapter of {course.title}.")
            return data
        if chapter and number and not number.startswith(f"{chapter.number}."):
            self.add_error(
                "number",
                f'A section of chapter {chapter.number} is numbered "{chapter.number}.N".',
            )
        if chapter and data.get("position") is None and "position" in self.fields:
            last = (
                Section.objects.filter(chapter=chapter)
                .exclude(pk=self.instance.pk)
                .aggregate(last=Max("position"))["last"]
            )
            data["position"] = 0 if last is None else last + 1
        return data
