"""A section's practice quiz and its questions.

A question's answer key lives in its choices (single/multiple choice, true/false, ordering
by position, matching by ``match``), in ``accepted_answers`` (short answer) or in
``numeric_answer`` ± ``tolerance`` (numeric).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from lessons.models import MarkdownModel, choices_check, unique_position


class QuestionKind(models.TextChoices):
    SINGLE_CHOICE = "single_choice", "Single choice"
    MULTIPLE_CHOICE = "multiple_choice", "Multiple choice"
    TRUE_FALSE = "true_false", "True or false"
    SHORT_ANSWER = "short_answer", "Short answer"
    NUMERIC = "numeric", "Numeric"
    ORDERING = "ordering", "Ordering"
    MATCHING = "matching", "Matching"


class Quiz(models.Model):
    section = models.OneToOneField(
        "lessons.Section", on_delete=models.CASCADE, related_name="quiz"
    )
    title = models.CharField(max_length=200, default="Practice quiz")
    pass_mark = models.PositiveSmallIntegerField(
        default=70, help_text="Percent of questions right needed to pass."
    )

    class Meta:
        verbose_name_plural = "quizzes"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pass_mark__gte=1, pass_mark__lte=100),
                name="quiz_pass_mark_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.section})"


class Question(MarkdownModel):
    Kind = QuestionKind

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(
        max_length=100,
        help_text="Stable id from the course file; keeps students' history.",
    )
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    prompt = models.TextField()
    prompt_html = models.TextField(blank=True, editable=False)
    explanation = models.TextField(blank=True)
    explanation_html = models.TextField(blank=True, editable=False)
    hints = models.JSONField(
        default=list, blank=True, help_text="Hints, in the order they are revealed."
    )
    accepted_answers = models.JSONField(
        default=list, blank=True, help_text="Short answer: the answers accepted."
    )
    case_sensitive = models.BooleanField(default=False)
    numeric_answer = models.FloatField(null=True, blank=True)
    tolerance = models.FloatField(default=0)

    markdown_fields = ("prompt", "explanation")

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "key"], name="question_key_unique_in_quiz"
            ),
            unique_position("quiz", "question_position_unique_in_quiz"),
            choices_check("kind", QuestionKind, "question_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(tolerance__gte=0),
                name="question_tolerance_not_negative",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="numeric")
                | models.Q(numeric_answer__isnull=False),
                name="question_numeric_has_answer",
            ),
        ]

    def __str__(self) -> str:
        return self.prompt[:80]


class Choice(MarkdownModel):
    """An option of a question: a choice, an item to order, or the left side of a pair."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices"
    )
    position = models.PositiveIntegerField(
        help_text="For ordering questions, the right place of the item."
    )
    text = models.TextField()
    text_html = models.TextField(blank=True, editable=False)
    is_correct = models.BooleanField(default=False)
    match = models.CharField(
        max_length=300, blank=True, help_text="Matching questions: the right-hand side."
    )
    feedback = models.TextField(blank=True)
    feedback_html = models.TextField(blank=True, editable=False)

    markdown_fields = ("text", "feedback")
    inline_markdown_fields = ("text",)

    class Meta:
        ordering = ["position"]
        constraints = [
            unique_position("question", "choice_position_unique_in_question")
        ]

    def __str__(self) -> str:
        return self.text[:80]


def score_percent(score: int | None, total: int | None) -> int | None:
    """An attempt's share right, in whole percent (None: not finished, or no questions)."""
    if score is None or not total:
        return None
    return round(100 * score / total)


def score_passed(percent: int | None, pass_mark: int) -> bool:
    """Whether a finished attempt's share right reached the quiz's pass mark."""
    return percent is not None and percent >= pass_mark


class Attempt(models.Model):
    """One go at a quiz by a learner; open until finished, then scored once."""

    learner = models.ForeignKey(
        "courses.Learner", on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    score = models.PositiveIntegerField(
        null=True, blank=True, help_text="Questions right, set when finished."
    )
    total = models.PositiveIntegerField(help_text="Questions in this attempt.")
    retry_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="retries",
        help_text="The attempt whose missed questions this one retries.",
    )  # fmt: skip

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            # Reloading, a second tab or a double click resumes the open attempt, never a second one.
            models.UniqueConstraint(
                fields=["learner", "quiz"],
                condition=models.Q(finished_at__isnull=True),
                name="attempt_one_open_per_learner_and_quiz",
            ),
            models.CheckConstraint(
                condition=models.Q(finished_at__isnull=True)
                | models.Q(score__isnull=False),
                name="attempt_finished_has_score",
            ),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True)
                | models.Q(score__lte=models.F("total")),
                name="attempt_score_within_total",
            ),
        ]
        indexes = [
            models.Index(
                fields=["learner", "quiz", "-started_at"],
                name="attempt_learner_quiz_recent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner} on {self.quiz_id} ({self.started_at:%Y-%m-%d %H:%M})"

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    @property
    def percent(self) -> int | None:
        return score_percent(self.score, self.total)

    @property
    def passed(self) -> bool:
        """Whether a finished attempt reached the quiz's pass mark (load ``quiz`` with it)."""
        return score_passed(self.percent, self.quiz.pass_mark)

    @property
    def duration(self):
        return (self.finished_at - self.started_at) if self.finished_at else None


class AttemptQuestion(models.Model):
    """A question as it appears in one attempt: its place, its shuffled options, hints shown."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="attempt_items"
    )
    position = models.PositiveIntegerField()
    choice_order = models.JSONField(
        default=list, help_text="Choice ids in the order shown."
    )
    match_order = models.JSONField(
        default=list,
        help_text="Matching: choice ids whose right sides are offered, in order.",
    )
    hints_shown = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question"], name="attempt_question_once"
            ),
            models.UniqueConstraint(
                fields=["attempt", "position"], name="attempt_question_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id} #{self.position + 1}"


class Answer(models.Model):
    """The one answer to a question in an attempt (the unique constraint makes it one)."""

    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers"
    )
    response = models.JSONField(
        help_text="What the student submitted, as grading reads it."
    )
    is_correct = models.BooleanField()
    partial = models.FloatField(default=0, help_text="Fraction judged right, 0 to 1.")
    hints_used = models.PositiveSmallIntegerField(default=0)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question"], name="answer_once_per_attempt_question"
            ),
            models.CheckConstraint(
                condition=models.Q(partial__gte=0, partial__lte=1),
                name="answer_partial_fraction",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.question_id}: {'right' if self.is_correct else 'wrong'}"


class DrillSettings(models.Model):
    """How a learner wants their spaced-repetition drills."""

    learner = models.OneToOneField(
        "courses.Learner", on_delete=models.CASCADE, related_name="drill_settings"
    )
    desired_retention = models.FloatField(
        default=0.9,
        help_text="The chance of remembering a card when it comes due (0.80 to 0.97).",
    )
    new_per_day = models.PositiveSmallIntegerField(
        default=20, help_text="New cards a day, at most."
    )
    reviews_per_day = models.PositiveSmallIntegerField(
        default=200,
        help_text="Reviews a day, at most, so a return after a break is not a wall.",
    )
    sections = models.ManyToManyField(
        "lessons.Section",
        blank=True,
        related_name="+",
        help_text="Sections to drill; none means every section opened.",
    )

    class Meta:
        verbose_name_plural = "drill settings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    desired_retention__gte=0.8, desired_retention__lte=0.97
                ),
                name="drill_retention_range",
            ),
            models.CheckConstraint(
                condition=models.Q(new_per_day__lte=500), name="drill_new_per_day_max"
            ),
            models.CheckConstraint(
                condition=models.Q(reviews_per_day__gte=1, reviews_per_day__lte=2000),
                name="drill_reviews_per_day_range",
            ),
        ]

    def __str__(self) -> str:
        return f"drill settings of {self.learner}"


class ReviewCard(models.Model):
    """A learner's spaced-repetition card for one flashcard or one quiz question.

    The scheduling fields mirror ``fsrs.Card``; they are always what replaying the card's
    review log gives (``quizzes.scheduling.card_replay``).
    """

    class State(models.IntegerChoices):
        LEARNING = 1, "Learning"
        REVIEW = 2, "Review"
        RELEARNING = 3, "Relearning"

    # Indexed by review_card_learner_due, whose first column it is.
    learner = models.ForeignKey(
        "courses.Learner",
        on_delete=models.CASCADE,
        related_name="review_cards",
        db_index=False,
    )
    # The flashcard's or question's section, kept here (``save`` fills it; the course
    # loader keeps it when one moves) so the queue filters one column instead of joining
    # flashcard, question and quiz.
    section = models.ForeignKey(
        "lessons.Section", on_delete=models.CASCADE, related_name="+"
    )
    flashcard = models.ForeignKey(
        "lessons.Flashcard",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="review_cards",
    )
    question = models.ForeignKey(
        Question,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="review_cards",
    )
    state = models.PositiveSmallIntegerField(
        choices=State.choices, default=State.LEARNING
    )
    step = models.PositiveSmallIntegerField(null=True, blank=True, default=0)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField(default=timezone.now)
    last_review = models.DateTimeField(
        null=True, blank=True, help_text="Empty while the card is new."
    )
    first_review = models.DateTimeField(
        null=True,
        blank=True,
        help_text="The time of its first log: counts the new cards introduced a day.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(flashcard__isnull=False, question__isnull=True)
                | models.Q(flashcard__isnull=True, question__isnull=False),
                name="review_card_is_flashcard_or_question",
            ),
            models.UniqueConstraint(
                fields=["learner", "flashcard"],
                condition=models.Q(flashcard__isnull=False),
                name="review_card_once_per_flashcard",
            ),
            models.UniqueConstraint(
                fields=["learner", "question"],
                condition=models.Q(question__isnull=False),
                name="review_card_once_per_question",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=[1, 2, 3]), name="review_card_state_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["learner", "due"], name="review_card_learner_due")
        ]

    def __str__(self) -> str:
        kind = "flashcard" if self.flashcard_id else "question"
        return f"{self.learner}: {kind} {self.flashcard_id or self.question_id}"

    def save(self, *args, **kwargs) -> None:
        if self.section_id is None:  # derived from the flashcard or question
            self.section_id = (
                self.flashcard.section_id
                if self.flashcard_id
                else self.question.quiz.section_id
            )
        super().save(*args, **kwargs)

    @property
    def is_new(self) -> bool:
        return self.last_review is None


class ReviewLog(models.Model):
    """One review of a card. Replaying a card's logs in order gives its scheduling state."""

    class Rating(models.IntegerChoices):
        AGAIN = 1, "Again"
        HARD = 2, "Hard"
        GOOD = 3, "Good"
        EASY = 4, "Easy"

    # Both keys are indexed by the composite indexes below, whose first columns they are.
    card = models.ForeignKey(
        ReviewCard, on_delete=models.CASCADE, related_name="logs", db_index=False
    )
    # The card's learner, kept here so a learner's reviews of a day are one index range.
    learner = models.ForeignKey(
        "courses.Learner", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)
    reviewed_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(
        help_text="From showing the card to the rating."
    )
    desired_retention = models.FloatField(
        help_text="The retention the card was scheduled for, for replays."
    )
    correct = models.BooleanField(
        null=True, blank=True, help_text="Questions: whether the answer was right."
    )
    token = models.CharField(
        max_length=64, help_text="One per card shown: a repeated post records once."
    )

    class Meta:
        ordering = ["reviewed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__in=[1, 2, 3, 4]),
                name="review_log_rating_valid",
            ),
            # A constraint rather than unique=True: no second (LIKE) index on PostgreSQL.
            models.UniqueConstraint(fields=["token"], name="review_log_token_unique"),
        ]
        indexes = [
            models.Index(fields=["card", "reviewed_at"], name="review_log_card_time"),
            models.Index(
                fields=["learner", "reviewed_at"], name="review_log_learner_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.card_id}: {self.get_rating_display()} at {self.reviewed_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        if self.learner_id is None:  # derived from the card
            self.learner_id = self.card.learner_id
        super().save(*args, **kwargs)
