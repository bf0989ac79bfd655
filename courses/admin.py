from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, transaction
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.http import content_disposition_header

from courses.forms import AdminLoginForm
from courses.models import Chapter, Course, Learner, SectionProgress, User
from lessons.content import dump_course
from lessons.course_file import CourseFileError, max_file_bytes, parse_course_file
from lessons.course_import import (
    ImportTokenError,
    course_import_apply,
    course_import_preview,
    import_token_make,
    import_token_read,
)

# The admin's login page is another way in: throttled like /accounts/login/.
admin.site.login_form = AdminLoginForm

admin.site.register(User, UserAdmin)


class ChapterInline(admin.TabularInline):
    model = Chapter
    extra = 0


class CourseFileForm(forms.Form):
    file = forms.FileField(label="Course file")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The limit is a setting (COURSE_FILE_MAX_BYTES), shared with loadcourse.
        self.limit = max_file_bytes()
        self.fields["file"].help_text = (
            f"A course file (YAML, at most {self.limit // 1024} KiB), as dumpcourse "
            "writes it. Nothing is written before you apply the preview."
        )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        # Checked before reading it: the loader refuses the same size, after reading.
        if upload.size > self.limit:
            raise forms.ValidationError(
                f"The file is larger than {self.limit // 1024} KiB, the most a "
                "course file may be."
            )
        return upload


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "updated_at"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ChapterInline]

    def get_urls(self) -> list[URLPattern]:
        def wrap(view):
            return self.admin_site.admin_view(view)

        # Before the default URLs: "<path:object_id>/" would take "import/".
        return [
            path(
                "import/",
                wrap(self.import_view),
                name="courses_course_import",
            ),
            path(
                "import/apply/",
                wrap(self.import_apply_view),
                name="courses_course_import_apply",
            ),
            path(
                "<path:object_id>/export/",
                wrap(self.export_view),
                name="courses_course_export",
            ),
            *super().get_urls(),
        ]

    def has_import_permission(self, request: HttpRequest) -> bool:
        """Importing may create a course or change one: it needs both permissions."""
        return self.has_add_permission(request) and self.has_change_permission(request)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        extra_context = {
            **(extra_context or {}),
            "has_import_permission": self.has_import_permission(request),
        }
        return super().changelist_view(request, extra_context)

    def _import_page(
        self, request: HttpRequest, context: dict[str, Any], *, status: int = 200
    ) -> TemplateResponse:
        return TemplateResponse(
            request,
            "admin/courses/course/import.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "Import a course file",
                "max_kib": max_file_bytes() // 1024,
                **context,
            },
            status=status,
        )

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a course file; show its errors, or a preview of what it would change."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return self._import_page(request, {"form": CourseFileForm()})
        form = CourseFileForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._import_page(request, {"form": form})
        upload = form.cleaned_data["file"]
        name = Path(upload.name).name
        data = upload.read()
        try:
            spec = parse_course_file(data, file=name)
        except CourseFileError as exc:
            return self._import_page(
                request,
                {"form": CourseFileForm(), "file_name": name, "errors": exc.errors},
            )
        try:
            preview = course_import_preview(spec=spec)
        except DatabaseError as exc:  # something the validator did not foresee
            return self._import_page(
                request,
                {"form": CourseFileForm(), "file_name": name, "load_error": str(exc)},
            )
        token = import_token_make(
            text=data.decode("utf-8"),  # it parsed, so it is UTF-8
            name=name,
            user_id=request.user.pk,
        )
        # "Apply" posts the token back as a form field, which Django caps in size.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and len(token) > limit - 4096:
            return self._import_page(
                request,
                {
                    "form": CourseFileForm(),
                    "file_name": name,
                    "load_error": "the file is too large to carry from the preview to "
                    "Apply; load it with the loadcourse command instead",
                },
            )
        return self._import_page(
            request,
            {
                "file_name": name,
                "course_slug": spec.slug,
                "course_title": spec.title,
                "existing": Course.objects.filter(slug=spec.slug).first(),
                "rows": preview.rows,
                "named": preview.named,
                "token": token,
            },
        )

    def import_apply_view(self, request: HttpRequest) -> HttpResponse:
        """Write the previewed file, if its token is genuine, and log it for the course."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        try:
            text, name = import_token_read(
                request.POST.get("token", ""), user_id=request.user.pk
            )
        except ImportTokenError as exc:
            return self._import_page(
                request, {"form": CourseFileForm(), "refused": str(exc)}, status=400
            )
        try:
            with transaction.atomic():
                course, report = course_import_apply(text=text, name=name)
                created = report.added["courses"] > 0
                message = f"Imported the course file {name}: {report}"
                if created:
                    self.log_addition(request, course, message)
                else:
                    self.log_change(request, course, message)
        except CourseFileError as exc:
            return self._import_page(
                request,
                {"form": CourseFileForm(), "file_name": name, "errors": exc.errors},
            )
        except DatabaseError as exc:
            return self._import_page(
                request,
                {"form": CourseFileForm(), "file_name": name, "load_error": str(exc)},
            )
        self.message_user(
            request,
            f"{name}: nothing changed."
            if report.unchanged
            else f"Imported {name}. {report}",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(
            reverse("admin:courses_course_change", args=[course.pk])
        )

    def export_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The course as a course file, byte for byte what ``dumpcourse`` writes."""
        course = self.get_object(request, unquote(object_id))
        if course is None:
            raise Http404("No such course.")
        if not self.has_change_permission(request, course):
            raise PermissionDenied
        response = HttpResponse(
            dump_course(course).encode("utf-8"),
            content_type="application/yaml; charset=utf-8",
        )
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"{course.slug}.yaml"
        )
        return response


@admin.register(Chapter)
class ChapterAdmin(admin.ModelAdmin):
    list_display = ["__str__", "course"]
    list_filter = ["course"]


@admin.register(Learner)
class LearnerAdmin(admin.ModelAdmin):
    list_display = ["__str__", "user", "summary_level", "created_at"]
    list_select_related = ["user"]
    search_fields = ["user__username"]
    readonly_fields = ["created_at"]


@admin.register(SectionProgress)
class SectionProgressAdmin(admin.ModelAdmin):
    list_display = [
        "learner",
        "section",
        "first_opened_at",
        "last_opened_at",
        "done_at",
    ]
    list_select_related = ["learner__user", "section"]
    list_filter = ["section__course"]
