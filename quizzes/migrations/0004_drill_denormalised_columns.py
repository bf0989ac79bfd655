# The queue's filters on one row each: a review card's section, a card's first review,
# a review log's learner. Added empty here, filled by 0005, required by 0006.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0003_drills"),
    ]

    operations = [
        migrations.AddField(
            model_name="reviewcard",
            name="first_review",
            field=models.DateTimeField(
                blank=True,
                help_text="The time of its first log: counts the new cards introduced a day.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="reviewcard",
            name="section",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="lessons.section",
            ),
        ),
        migrations.AddField(
            model_name="reviewlog",
            name="learner",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="courses.learner",
            ),
        ),
    ]
