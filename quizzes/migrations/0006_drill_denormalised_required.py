# The copied columns become required; indexes that repeat a composite index's first
# column go, and the token's uniqueness becomes a constraint (no second LIKE index on
# PostgreSQL).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        ("lessons", "0001_initial"),
        ("quizzes", "0005_drill_denormalised_fill"),
    ]

    operations = [
        migrations.AlterField(
            model_name="reviewcard",
            name="section",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="lessons.section",
            ),
        ),
        migrations.AlterField(
            model_name="reviewlog",
            name="learner",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="courses.learner",
            ),
        ),
        migrations.AlterField(
            model_name="reviewcard",
            name="learner",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="review_cards",
                to="courses.learner",
            ),
        ),
        migrations.AlterField(
            model_name="reviewlog",
            name="card",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="logs",
                to="quizzes.reviewcard",
            ),
        ),
        migrations.AddConstraint(
            model_name="reviewlog",
            constraint=models.UniqueConstraint(
                fields=("token",), name="review_log_token_unique"
            ),
        ),
        migrations.AlterField(
            model_name="reviewlog",
            name="token",
            field=models.CharField(
                help_text="One per card shown: a repeated post records once.",
                max_length=64,
            ),
        ),
        migrations.AddIndex(
            model_name="reviewlog",
            index=models.Index(
                fields=["learner", "reviewed_at"], name="review_log_learner_time"
            ),
        ),
    ]
