"""Every page is valid HTML, as the Nu Html Checker (vnu.jar, the W3C validator) sees it.

The pages are rendered with the Django test client and checked in one run of vnu.jar,
which comes from the npm package ``vnu-jar`` pinned in ``package.json`` (``make install``
runs ``npm ci``) and runs on Java (Debian's ``default-jre-headless``). Without either the
test skips, except under ``CI=true``, where it fails.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import warnings
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.courses.factories import ChapterFactory, CourseFactory
from tests.lessons.factories import DraftSectionFactory, section_with_every_part

VNU_JAR = settings.BASE_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# htmx's attributes are not HTML's (htmx also reads them as data-hx-*). The checker calls
# each an error; they are the only errors let through.
HTMX_ATTRIBUTE = re.compile(
    r"^Attribute “hx-[a-z-]+” not allowed on element “[a-z0-9]+” at this point\.$"
)

# Checked in the same run, so the test fails if the checker or the parsing of its
# report stops finding errors: a <div> cannot sit in a <p>, and the </p> is then stray.
BROKEN = '<!DOCTYPE html><html lang="en"><title>x</title><p><div>block in p</div></p>'

MARKDOWN = """\
A paragraph with **bold**, *emphasis*, `code` and [a link](https://example.org/).

| Model | Parameters |
| --- | --- |
| GPT-3 | 175 billion |

```python
print("hello")
```

1. one
2. two

> A quotation.
"""


class HtmlValidatorWarning(UserWarning):
    """A warning from the Nu Html Checker: shown in pytest's summary, never a failure."""


@pytest.fixture
def vnu() -> list[str]:
    """The command that runs vnu.jar, or a skip (a failure under CI) saying what is missing."""
    java = shutil.which("java")
    missing = []
    if java is None:
        missing.append("java (apt-get install default-jre-headless)")
    if not VNU_JAR.exists():
        missing.append(
            f"{VNU_JAR.relative_to(settings.BASE_DIR)} (make install runs npm ci)"
        )
    if missing:
        reason = "HTML validity needs " + " and ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI=true requires this check to run")
        pytest.skip(reason)
    # The checker needs a deep stack (it says so otherwise); C1 alone starts ~2x faster.
    return [java, "-Xss8m", "-XX:TieredStopAtLevel=1", "-jar", str(VNU_JAR)]


def validate(
    vnu: list[str], documents: dict[str, str], directory: Path
) -> tuple[list[str], list[str]]:
    """Check named HTML documents in one vnu run; return (errors, warnings), each located."""
    names = {}  # file name -> document name
    for name, html in documents.items():
        path = directory / f"{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}.html"
        path.write_text(html, encoding="utf-8")
        names[path.name] = name
    result = subprocess.run(
        [
            *vnu,
            "--format",
            "json",
            "--stdout",
            "--exit-zero-always",
            *(str(directory / file) for file in names),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    errors, notes = [], []
    for message in json.loads(result.stdout)["messages"]:
        url = message.get("url", "")
        name = names.get(url.rsplit("/", 1)[-1], url)
        where = f"{name}, line {message.get('lastLine', '?')}: {message['message']}"
        extract = message.get("extract", "").strip()
        if extract:
            where += f"\n    {extract}"
        if message["type"] == "info":
            if message.get("subType") == "warning":
                notes.append(where)
        elif not HTMX_ATTRIBUTE.match(message["message"]):
            errors.append(where)
    return errors, notes


def _documents(client: Client, pages: dict[str, tuple[str, int]]) -> dict[str, str]:
    documents = {}
    for name, (url, status) in pages.items():
        response = client.get(url)
        assert response.status_code == status, url
        documents[name] = response.content.decode()
    return documents


@pytest.mark.django_db
def test_every_page_is_valid_html(vnu, client, staff_user, tmp_path):
    course = CourseFactory(
        title="Foundation Models", description="What they are.\nAnd why."
    )
    chapter = ChapterFactory(course=course, title="Modern Topics")
    section = section_with_every_part(
        2, chapter=chapter, title="What are Foundation Models?"
    )
    summary = section.summaries.get(level="basic")
    summary.text = MARKDOWN
    summary.save()
    draft = DraftSectionFactory(chapter=chapter, title="Coming soon")
    CourseFactory(title="An empty course")

    pages = {
        "catalog": (reverse("courses:catalog"), 200),
        "outline": (course.get_absolute_url(), 200),
        "section": (section.get_absolute_url(), 200),
        "not found": ("/courses/no-such-course/", 404),
        "log in": (reverse("login"), 200),
        "sign up": (reverse("signup"), 200),
        "password reset": (reverse("password_reset"), 200),
        "password reset sent": (reverse("password_reset_done"), 200),
        "reset link not valid": (
            reverse("password_reset_confirm", args=["MQ", "x"]),
            200,
        ),
    }
    documents = _documents(client, pages)
    refused = client.post(reverse("signup"), {"username": "", "password1": "x"})
    documents["sign up with errors"] = refused.content.decode()
    refused = client.post(reverse("login"), {"username": "nobody", "password": "x"})
    documents["log in refused"] = refused.content.decode()
    documents |= _study_documents(client, section)
    # After studying: progress, a finished quiz, study days; and a newcomer's empty one.
    documents |= _documents(client, {"dashboard": (reverse("courses:dashboard"), 200)})
    documents["dashboard (empty)"] = (
        Client().get(reverse("courses:dashboard")).content.decode()
    )
    client.force_login(staff_user)
    documents |= _documents(
        client,
        {
            "outline (staff, with a draft)": (course.get_absolute_url(), 200),
            "draft section (staff)": (draft.get_absolute_url(), 200),
            "password change": (reverse("password_change"), 200),
            "password changed": (reverse("password_change_done"), 200),
        },
    )

    errors, notes = validate(vnu, documents | {"known broken": BROKEN}, tmp_path)
    for note in notes:
        warnings.warn(note, HtmlValidatorWarning, stacklevel=1)
    canary = [error for error in errors if error.startswith("known broken, line 1: ")]
    assert canary, "the checker found nothing wrong in a known broken document"
    errors = [error for error in errors if error not in canary]
    assert not errors, "\n".join(errors)


def _study_documents(client, section) -> dict[str, str]:
    """The quiz (a question, its feedback, the result) and the drill (front, back) and cram."""
    import re

    from quizzes.models import Attempt
    from tests.quizzes.test_views import question_of_every_kind, right_form

    quiz_section = section_with_every_part(
        1, chapter=section.chapter, title="Quiz section"
    )
    quiz = quiz_section.quiz
    quiz.questions.all().delete()
    question_of_every_kind(quiz)
    quiz_url = reverse(
        "quizzes:quiz", args=[quiz_section.course.slug, quiz_section.number]
    )
    documents = _documents(
        client,
        {f"quiz question {n}": (f"{quiz_url}?q={n}", 200) for n in range(1, 8)},
    )
    attempt = Attempt.objects.get(finished_at__isnull=True)
    for item in attempt.items.order_by("position")[:4]:
        client.post(quiz_url + "check/", right_form(item))
    documents |= _documents(
        client, {f"quiz feedback {n}": (f"{quiz_url}?q={n}", 200) for n in range(1, 5)}
    )
    result = client.post(quiz_url + "finish/", {"attempt": attempt.pk})
    documents |= _documents(client, {"quiz result": (result["Location"], 200)})
    drill = client.get(reverse("drill:drill")).content.decode()
    documents["drill card"] = drill
    token = re.search(r"\?token=([^&\"]+)&amp;answer=1", drill)
    if token:
        documents |= _documents(
            client, {"drill answer": (f"/drill/?token={token[1]}&answer=1", 200)}
        )
    documents |= _documents(client, {"cram": (reverse("drill:cram"), 200)})
    return documents
