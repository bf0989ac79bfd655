# Fill the columns 0004 added from the rows they copy (a migration of its own, so that
# PostgreSQL's deferred foreign key checks have run before 0006 alters the tables).

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    ReviewCard = apps.get_model("quizzes", "ReviewCard")
    ReviewLog = apps.get_model("quizzes", "ReviewLog")
    Flashcard = apps.get_model("lessons", "Flashcard")
    Question = apps.get_model("quizzes", "Question")
    ReviewCard.objects.filter(flashcard__isnull=False).update(
        section_id=Subquery(
            Flashcard.objects.filter(pk=OuterRef("flashcard_id")).values("section_id")
        )
    )
    ReviewCard.objects.filter(question__isnull=False).update(
        section_id=Subquery(
            Question.objects.filter(pk=OuterRef("question_id")).values(
                "quiz__section_id"
            )
        )
    )
    ReviewCard.objects.update(
        first_review=Subquery(
            ReviewLog.objects.filter(card_id=OuterRef("pk"))
            .order_by("reviewed_at", "pk")
            .values("reviewed_at")[:1]
        )
    )
    ReviewLog.objects.update(
        learner_id=Subquery(
            ReviewCard.objects.filter(pk=OuterRef("card_id")).values("learner_id")
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0004_drill_denormalised_columns"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
