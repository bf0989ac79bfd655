from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from courses.forms import AdminLoginForm
from courses.models import Chapter, Course, Learner, SectionProgress, User

# The admin's login page is another way in: throttled like /accounts/login/.
admin.site.login_form = AdminLoginForm

admin.site.register(User, UserAdmin)


class ChapterInline(admin.TabularInline):
    model = Chapter
    extra = 0


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "updated_at"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ChapterInline]


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
