"""The "Instructors" group: add, change, delete and view every model of course content.

Nothing on accounts, groups, learners, progress, attempts or drills. The list is frozen here
(a migration must not follow later code): a new content model needs a new migration that
adds its permissions to the group.
"""

from __future__ import annotations

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Instructors"
ACTIONS = ("add", "change", "delete", "view")
CONTENT_MODELS = {
    "courses": ["course", "chapter"],
    "lessons": [
        "section",
        "summary",
        "dialogue",
        "dialogueline",
        "explainer",
        "keyconcept",
        "example",
        "memoryaid",
        "flashcard",
        "glossaryterm",
        "video",
    ],
    "quizzes": ["quiz", "question", "choice"],
}


def create_instructors(apps, schema_editor):
    using = schema_editor.connection.alias
    # Permissions are normally created by post_migrate, after every migration has run; on a
    # fresh database they do not exist yet at this point, so create them now (it skips
    # those that exist).
    for label in CONTENT_MODELS:
        create_permissions(
            global_apps.get_app_config(label), verbosity=0, using=using, apps=apps
        )
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = {
        (label, f"{action}_{model}")
        for label, models in CONTENT_MODELS.items()
        for model in models
        for action in ACTIONS
    }
    permissions = [
        permission
        for permission in Permission.objects.using(using)
        .filter(content_type__app_label__in=CONTENT_MODELS)
        .select_related("content_type")
        if (permission.content_type.app_label, permission.codename) in wanted
    ]
    if len(permissions) != len(wanted):
        found = {(p.content_type.app_label, p.codename) for p in permissions}
        raise RuntimeError(f"permissions missing: {sorted(wanted - found)}")
    group, _ = Group.objects.using(using).get_or_create(name=GROUP)
    group.permissions.add(*permissions)


def remove_instructors(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("courses", "0003_study_days"),
        ("lessons", "0001_initial"),
        ("quizzes", "0003_drills"),
    ]

    operations = [
        migrations.RunPython(create_instructors, remove_instructors),
    ]
