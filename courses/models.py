from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse


class User(AbstractUser):
    """The account model, swappable from the first migration on."""


class CourseManager(models.Manager["Course"]):
    def get_by_natural_key(self, slug: str) -> Course:
        return self.get(slug=slug)


class Course(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CourseManager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(slug=""), name="course_slug_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("courses:outline", kwargs={"course_slug": self.slug})

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class Chapter(models.Model):
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="chapters"
    )
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["course", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "number"], name="chapter_number_unique_in_course"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Learner(models.Model):
    """Whoever is studying: an account, or an anonymous visitor known by their session.

    Preferences and progress hang off the learner, so signing up only has to merge one
    anonymous learner into the account's.
    """

    user = models.OneToOneField(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="learner"
    )
    summary_level = models.CharField(
        max_length=10,
        blank=True,
        help_text="Summary level chosen last; empty for none.",
    )
    weekly_goal = models.PositiveSmallIntegerField(
        default=4, help_text="Days of study a week the learner aims for (1 to 7)."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    summary_level__in=["", "basic", "medium", "detailed"]
                ),
                name="learner_summary_level_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(weekly_goal__gte=1, weekly_goal__lte=7),
                name="learner_weekly_goal_days",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"learner of {self.user}"
            if self.user_id
            else f"anonymous learner {self.pk}"
        )


class SectionProgress(models.Model):
    """A learner's progress on one section: when they opened it and whether it is done."""

    learner = models.ForeignKey(
        Learner, on_delete=models.CASCADE, related_name="progress"
    )
    section = models.ForeignKey(
        "lessons.Section", on_delete=models.CASCADE, related_name="progress"
    )
    first_opened_at = models.DateTimeField()
    last_opened_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "section progress"
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "section"],
                name="progress_unique_per_learner_section",
            ),
            models.CheckConstraint(
                condition=models.Q(last_opened_at__gte=models.F("first_opened_at")),
                name="progress_opened_in_order",
            ),
        ]
        indexes = [
            models.Index(
                fields=["learner", "-last_opened_at"], name="progress_learner_recent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner} on {self.section_id}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class StudyDay(models.Model):
    """How much a learner did on one day (UTC): the source of activity charts and goals."""

    learner = models.ForeignKey(
        Learner, on_delete=models.CASCADE, related_name="study_days"
    )
    day = models.DateField()
    actions = models.PositiveIntegerField(
        default=0, help_text="Sections opened, answers checked, reviews done."
    )

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "day"], name="study_day_unique_per_learner"
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner} on {self.day}: {self.actions}"
