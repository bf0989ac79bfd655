"""The XSS corpus (tests/security/xss_payloads.py) through a course file and the admin forms.

Server side, Django's test client walks every page a student sees (catalog, outline, the
section at each level and its fragments, dialogue steps and flashcard sides (every one in
the first section), each question with its hints and feedback, the result page, the drill
with memory aids, cram, the dashboard) and each page is read
for event-handler attributes, foreign scripts, script/data URLs and embedded frames. In
Chromium the same pages are opened and clicked through, and no payload may run: no dialog,
no ``window.__xss_*`` global, nothing of the above in the live DOM, no CSP violation.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from courses.models import Course
from lessons.content import load_course
from lessons.course_file import CourseFileError, parse_course_file
from lessons.glossary import glossary_index, link_terms
from lessons.markdown import render_markdown
from lessons.models import (
    Dialogue,
    Example,
    Explainer,
    Flashcard,
    GlossaryTerm,
    KeyConcept,
    MemoryAid,
    Section,
    Video,
)
from quizzes.models import Question, ReviewCard
from tests.courses.factories import UserFactory
from tests.lessons.course_files import course_text, replace_once
from tests.lessons.factories import SectionFactory, SummaryFactory
from tests.quizzes.factories import QuizFactory
from tests.security.forms import Form, element, forms
from tests.security.xss_course import (
    COURSE_SLUG,
    SECTIONS,
    page_problems,
    page_text,
    scripts_of,
    xss_course_text,
)
from tests.security.xss_payloads import CATEGORIES, MARKER_PREFIX, Payload, payloads

Page = tuple[str, str]  # (what was fetched, its HTML)


def test_the_corpus_is_big_and_varied():
    corpus = payloads()
    assert len(corpus) >= 100
    assert len({p.text for p in corpus}) == len(corpus)
    assert {
        "script",
        "handler",
        "javascript-url",
        "data-url",
        "svg-mathml",
        "encoded",
        "markdown",
    } <= CATEGORIES
    # Every payload carries a script the tests can recognise.
    for p in corpus:
        assert scripts_of([p])[p.number] in p.text.replace("window.", "")


def load_xss_course() -> Course:
    load_course(parse_course_file(xss_course_text(), file="xss.yaml"))
    return Course.objects.get(slug=COURSE_SLUG)


# ---------------------------------------------------------------- the server-side walk


class Walker:
    """Fetches pages with the test client and keeps each one for the checks."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.pages: list[Page] = []

    def keep(self, label: str, response) -> str:
        assert response.status_code in {200, 400}, f"{label}: {response.status_code}"
        html = response.content.decode()
        self.pages.append((label, html))
        return html

    def get(self, url: str, *, target: str | None = None) -> str:
        url = url.split("#")[0]
        headers = {"HX-Request": "true", "HX-Target": target} if target else {}
        return self.keep(
            f"GET {url} {target or ''}", self.client.get(url, headers=headers)
        )

    def post(self, url: str, data: dict, *, target: str | None = None) -> str:
        headers = {"HX-Request": "true", "HX-Target": target} if target else {}
        response = self.client.post(url, data, headers=headers, follow=not target)
        return self.keep(f"POST {url} {target or ''}", response)

    def follow(self, base: str, html: str, element_id: str) -> str | None:
        """Fetch the hx-get of ``element_id`` as htmx would (fragment); None if absent."""
        attrs = element(html, element_id)
        if not attrs or not attrs.get("hx-get"):
            return None
        return self.get(
            urljoin(base, attrs["hx-get"]), target=attrs["hx-target"].lstrip("#")
        )


def answer(form: Form) -> dict:
    """A wrong-ish answer for any kind of question: first option, "nope", first match."""
    data = form.data()
    for name in ("choice", "choices"):
        if value := form.first_value(name):
            data[name] = value
    if any(item.get("name") == "text" for item in form.fields):
        data["text"] = "nope"
    for name, options in form.selects.items():
        if name.startswith("match-"):
            data[name] = next(value for value, _selected in options if value)
    return data


def form_by_action(html: str, ending: str) -> Form | None:
    return next((f for f in forms(html) if f.action.endswith(ending)), None)


def walk_section(walker: Walker, section: Section, *, every_step: bool = True) -> None:
    """Every level, fragment and question of a section; with ``every_step`` every
    dialogue line and flashcard side too (the full page holds them all anyway: the
    steps add the live regions and the hint, the same templates in every section)."""
    base = section.get_absolute_url()
    page = walker.get(base)
    for level in ("basic", "medium", "detailed"):
        walker.get(f"{base}?level={level}")
        walker.get(f"{base}?level={level}", target="summary-panel")
    # Every dialogue line, one step at a time, then all at once.
    fragment, steps = page, 0
    while fragment is not None and (every_step or steps < 2):
        fragment, steps = walker.follow(base, fragment, "dialogue-1-next"), steps + 1
    walker.follow(base, page, "dialogue-1-all")
    # Every flashcard, front and back, then a shuffled deck.
    fragment = page
    for _card in range(section.flashcards.count() if every_step else 2):
        back = walker.follow(base, fragment, "flashcard-flip")
        fragment = walker.follow(base, back, "flashcard-next")
    walker.follow(base, page, "flashcard-shuffle")

    quiz = reverse("quizzes:quiz", args=[section.course.slug, section.number])
    total = section.quiz.questions.count()
    for position in range(1, total + 1):
        html = walker.get(f"{quiz}?q={position}")
        while hint := form_by_action(html, "/quiz/hint/"):
            html = walker.post(hint.action, hint.data(), target="question-panel")
        check = form_by_action(html, "/quiz/check/")
        walker.post(check.action, answer(check), target="question-panel")
    finish = form_by_action(walker.get(quiz), "/quiz/finish/")
    walker.post(finish.action, finish.data())  # follows to the result page


def walk_drill(walker: Walker) -> None:
    html = walker.get(reverse("drill:drill"))
    for _step in range(200):
        if show := element(html, "show-answer"):
            html = walker.get(urljoin("/drill/", show["href"]))
        elif check := form_by_action(html, "/drill/check/"):
            while hint := form_by_action(html, "/drill/hint/"):
                html = walker.post(hint.action, hint.data(), target="drill-card")
                check = form_by_action(html, "/drill/check/")
            html = walker.post(check.action, answer(check))
        review = form_by_action(html, "/drill/review/")
        if review is None:
            break
        html = walker.post(review.action, {**review.data(), "rating": "3"})
    for card in ReviewCard.objects.filter(flashcard__isnull=False)[:10]:
        walker.get(f"{reverse('drill:drill')}?aids={card.pk}")
    cram = reverse("drill:cram")
    for _card in range(10):
        html = walker.get(cram)
        if show := element(html, "cram-show"):
            walker.get(urljoin(cram, show["href"]))


def walk_site(client: Client, sections: list[Section]) -> list[Page]:
    walker = Walker(client)
    walker.get(reverse("courses:catalog"))
    walker.get(reverse("courses:outline", args=[COURSE_SLUG]))
    for index, section in enumerate(sections):
        walk_section(walker, section, every_step=index == 0)
    walk_drill(walker)
    walker.get(reverse("courses:dashboard"))
    walker.get(reverse("courses:catalog"))
    walker.get(reverse("courses:outline", args=[COURSE_SLUG]))
    return walker.pages


def problems_of(pages: list[Page]) -> list[str]:
    return [
        f"{label}: {problem}"
        for label, html in pages
        for problem in page_problems(html)
    ]


def missing_scripts(pages: list[Page], corpus: list[Payload]) -> list[int]:
    """Payloads whose script shows nowhere, as text: they never reached a page."""
    text = "\n".join(page_text(html) for _label, html in pages)
    return [n for n, script in scripts_of(corpus).items() if script not in text]


@pytest.mark.django_db
def test_payloads_from_a_course_file_never_reach_a_page_as_markup(client):
    course = load_xss_course()
    sections = list(Section.objects.filter(course=course).order_by("position"))
    assert len(sections) == SECTIONS
    client.force_login(UserFactory())

    pages = walk_site(client, sections)

    assert len(pages) > 300
    assert problems_of(pages) == []
    # Not vacuous: every payload was shown (escaped) on some page.
    assert missing_scripts(pages, payloads()) == []


@pytest.mark.django_db
def test_the_checker_finds_what_it_looks_for():
    # The walk's checks would catch a payload that got through, in any of its forms.
    found = page_problems(
        '<img src=x onerror="x()"><a href=" java\tscript:x()">a</a>'
        '<script>x()</script><script src="https://evil.example/x.js"></script>'
        '<iframe src="data:text/html,x"></iframe><meta http-equiv="refresh" content="0">'
        '<form action="data:text/html,x"></form><svg><a xlink:href="javascript:x()"></a></svg>'
    )
    # Two each for the inline script (not ours, inline) and the iframe (element, URL).
    assert len(found) == 10, found


def test_glossary_links_never_open_markup_inside_escaped_text():
    # Terms spelled like entities ("lt", "quot") and tag names, in text where the payloads
    # arrive escaped: the linker must not turn them back into markup.
    html = render_markdown(
        '&lt;img src=x onerror=alert(1)&gt; "x" a > b <abbr title="a>lt <img src=x '
        'onerror=alert(2)>">t</abbr>'
    )
    terms = [GlossaryTerm(term=t, aliases=[]) for t in ("lt", "gt", "quot", "img", "x")]
    linked = link_terms(html, glossary_index(terms))

    assert page_problems(linked) == []
    assert "<img" not in linked
    assert page_text(linked) == page_text(html)


def test_glossary_terms_link_as_escaped_without_splitting_entities():
    html = render_markdown("R&D costs more when a > b.")
    terms = [GlossaryTerm(term="R&D", aliases=[]), GlossaryTerm(term="GT", aliases=[])]

    assert link_terms(html, glossary_index(terms)) == (
        '<p><a class="glossary-link" href="#term-rd">R&amp;D</a> costs more when'
        " a &gt; b.</p>"
    )


def test_a_javascript_video_link_is_refused():
    text = replace_once(
        course_text(),
        "url: https://www.youtube.com/watch?v=XXXXXXXXXXX",
        "url: javascript:alert(1)",
    )
    with pytest.raises(CourseFileError, match="is not an http or https address"):
        parse_course_file(text)


# ---------------------------------------------------------------- the admin forms

_NOT_TEXT = {
    "key",
    "slug",
    "position",
    "number",
    "pass_mark",
    "tolerance",
    "numeric_answer",
}
_JSON = {"hints", "aliases", "accepted_answers"}
# The parts of a section with an admin page of their own, and which payloads they carry.
ADMIN_MODELS = [
    Flashcard,
    GlossaryTerm,
    Example,
    KeyConcept,
    Explainer,
    MemoryAid,
    Dialogue,
    Video,
    Question,
]


def _fill(
    form: Form, model, payload: Payload, *, section: Section, position: int
) -> dict:
    data = form.data()
    for item in form.fields:
        name, kind = item.get("name", ""), item.get("type", "text")
        if not name or "-" in name or kind in {"hidden", "submit", "checkbox"}:
            continue
        if name in _NOT_TEXT or kind == "number":
            data[name] = (
                f"adm-{payload.number}" if name in {"key", "slug"} else str(position)
            )
        elif kind == "url" or name == "url":
            # Django's URL check refuses whitespace; the rest of the payload stays raw.
            data[name] = f"https://example.com/?q={'%20'.join(payload.text.split())}"[
                :500
            ]
        elif name in _JSON:
            data[name] = json.dumps([payload.text])
        else:
            data[name] = payload.text[:200]
    for name in form.textareas:
        if "-" in name:
            continue
        if name in _JSON:
            data[name] = json.dumps([payload.text])
        elif name == "script":
            data[name] = f"Teacher: {' '.join(payload.text.splitlines())}"
        else:
            data[name] = payload.text
    for name, options in form.selects.items():
        if name == "section":
            data[name] = str(section.pk)
        elif name == "quiz":
            data[name] = str(section.quiz.pk)
        elif name == "kind" and model is Question:
            data[name] = "short_answer"
        elif not data.get(name):
            data[name] = next((value for value, _s in options if value), "")
    return data


def admin_models() -> list:
    return [model for model in ADMIN_MODELS if admin.site.is_registered(model)]


def submit_through_admin(
    client: Client, section: Section, corpus: list[Payload]
) -> dict:
    """Add one part per payload through the stock admin add forms; count them by model."""
    models = admin_models()
    added: dict[str, int] = {}
    for index, payload in enumerate(corpus):
        model = models[index % len(models)]
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
        page = client.get(url)
        assert page.status_code == 200, url
        form = next(
            f
            for f in forms(page.content.decode())
            if "_save" in str(f.fields) or f.attrs.get("id", "").endswith("_form")
        )
        data = _fill(form, model, payload, section=section, position=1000 + index)
        response = client.post(url, data)
        assert response.status_code == 302, (
            f"{opts.model_name} with payload {payload.number}: "
            + ", ".join(
                re.findall(
                    r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>',
                    response.content.decode(),
                )
            )
        )
        added[opts.model_name] = added.get(opts.model_name, 0) + 1
    return added


def admin_section() -> Section:
    section = SectionFactory(title="Admin-written section")
    for level in ("basic", "medium", "detailed"):
        SummaryFactory(section=section, level=level, text=f"The {level} summary.")
    QuizFactory(section=section)
    return section


@pytest.mark.django_db
def test_payloads_through_the_admin_forms_never_reach_a_page_as_markup(client):
    section = admin_section()
    corpus = payloads()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    added = submit_through_admin(client, section, corpus)

    # Flashcards and glossary terms at least; the others as long as the admin has them.
    assert {"flashcard", "glossaryterm"} <= set(added)
    assert set(added) == {model._meta.model_name for model in admin_models()}
    assert sum(added.values()) == len(corpus)
    walker = Walker(client)
    walk_section(walker, section)
    walk_drill(walker)
    assert problems_of(walker.pages) == []
    assert missing_scripts(walker.pages, corpus) == []


# ---------------------------------------------------------------- in Chromium

# Everything in the live DOM that would let a payload run, as the browser parsed it.
_DOM_PROBLEMS = """
(prefix) => {
  const problems = [];
  const urlAttributes = ["href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"];
  const badUrl = (value) => /^(javascript|data|vbscript):/i.test(value.replace(/^[\\u0000-\\u0020]+/, "").replace(/[\\t\\n\\r]/g, ""));
  for (const el of document.querySelectorAll("*")) {
    const tag = el.tagName.toLowerCase();
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on")) problems.push(`${tag} has ${name}`);
      if (urlAttributes.includes(name) && badUrl(attr.value)) problems.push(`${tag} ${name}=${attr.value.slice(0, 60)}`);
    }
    if (["iframe", "object", "embed", "base", "frame", "frameset", "applet"].includes(tag)) problems.push(`<${tag}>`);
    if (tag === "meta" && (el.getAttribute("http-equiv") || "").toLowerCase() === "refresh") problems.push("meta refresh");
    if (tag === "script" && !(el.getAttribute("src") || "").startsWith("/static/")) problems.push(`script ${el.outerHTML.slice(0, 80)}`);
  }
  const globals = Object.keys(window).filter((key) => key.startsWith(prefix));
  return problems.concat(globals.map((key) => `global ${key} was set`));
}
"""


class BrowserWalk:
    def __init__(self, page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.problems: list[str] = []
        self.steps = 0
        page.on("dialog", self._dialog)

    def _dialog(self, dialog) -> None:
        self.problems.append(
            f"{self.page.url}: a {dialog.type} opened: {dialog.message}"
        )
        dialog.dismiss()

    def check(self, what: str) -> None:
        self.steps += 1
        for problem in self.page.evaluate(_DOM_PROBLEMS, MARKER_PREFIX):
            self.problems.append(f"{what} ({self.page.url}): {problem}")

    def goto(self, path: str) -> None:
        self.page.goto(self.base_url + path)
        self.check(f"open {path}")

    def click(self, locator, what: str) -> None:
        """Click a control that htmx handles and wait until its swap has settled."""
        self.page.evaluate(
            "() => { window.__settled = false; document.body.addEventListener("
            "'htmx:afterSettle', () => { window.__settled = true; }, {once: true}); }"
        )
        locator.click()
        self.page.wait_for_function("() => window.__settled === true")
        self.check(what)

    def section(self, section: Section, *, flashcards: int = 3, lines: int = 3) -> None:
        page = self.page
        self.goto(section.get_absolute_url())
        for level in ("Medium", "Detailed", "Basic"):
            self.click(page.get_by_role("tab", name=level), f"summary {level}")
        for _line in range(lines):
            if page.locator("#dialogue-1-next").count():
                self.click(page.locator("#dialogue-1-next"), "next line")
        if page.locator("#dialogue-1-all").count():
            self.click(page.locator("#dialogue-1-all"), "show all")
        for _card in range(flashcards):
            self.click(page.locator("#flashcard-flip"), "flip")
            self.click(page.locator("#flashcard-next"), "next card")
        # Open every disclosure, hover every link: nothing that was stripped can fire.
        page.evaluate(
            "() => document.querySelectorAll('details').forEach(d => d.open = true)"
        )
        for link in page.locator("main .prose a").all()[:5]:
            link.hover()
        self.check("details opened, links hovered")

    def quiz(self, section: Section, *, questions: int | None = None) -> None:
        page = self.page
        quiz = reverse("quizzes:quiz", args=[section.course.slug, section.number])
        total = section.quiz.questions.count()
        for position in range(1, min(total, questions or total) + 1):
            self.goto(f"{quiz}?q={position}")
            if page.locator("#hint-button").count():
                self.click(page.locator("#hint-button"), "hint")
            self.answer(page.locator("#question-panel"))
            self.click(page.locator("#check-button"), "check")
        self.goto(quiz)
        with page.expect_navigation():
            page.get_by_role("button", name="Finish").click()
        self.check("result")

    def answer(self, panel) -> None:
        options = panel.locator("input[name=choice], input[name=choices]")
        if options.count():
            options.first.check()
        if panel.locator("#answer-text").count():
            panel.locator("#answer-text").fill("nope")
        for select in panel.locator("select[name^=match-]").all():
            select.select_option(index=1)

    def drill(self, reviews: int = 12) -> None:
        page = self.page
        self.goto(reverse("drill:drill"))
        for _review in range(reviews):
            card = page.locator("#drill-card")
            if card.locator("#show-answer").count():
                self.click(card.locator("#show-answer"), "show answer")
            elif card.get_by_role("button", name="Check").count():
                self.answer(card)
                self.click(card.get_by_role("button", name="Check"), "drill check")
            good = card.get_by_role("button", name="Good")
            if not good.count():
                break
            self.click(good, "good")
        self.goto(reverse("drill:cram"))
        for _card in range(3):
            if page.locator("#cram-show").count():
                self.click(page.locator("#cram-show"), "cram show")
            self.click(page.locator("#cram-next"), "cram next")


def script_violations(violations: list[str]) -> list[str]:
    """The CSP violations other than the payloads' images from other hosts, then clears
    the list: img-src blocks an authored ``![](http://example.com/x.png)`` (no script),
    while a script-src or any other violation means a payload got in as markup."""
    kept = [v for v in violations if not ("img-src" in v and "example.com" in v)]
    violations.clear()
    return kept


def log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_no_payload_from_a_course_file_runs_in_chromium(
    page, live_server, csp_violations
):
    course = load_xss_course()
    log_in(page, live_server, UserFactory())
    walk = BrowserWalk(page, live_server.url)

    walk.goto("/")
    walk.goto(reverse("courses:outline", args=[COURSE_SLUG]))
    # Every payload is on the section pages; the quiz's feedback and result pages are
    # walked in full in two sections (the server-side walk does all of them).
    sections = Section.objects.filter(course=course).order_by("position")
    for index, section in enumerate(sections):
        walk.section(section)
        walk.quiz(section, questions=None if index < 2 else 1)
    walk.drill()
    walk.goto(reverse("courses:dashboard"))

    assert walk.steps > 100
    assert walk.problems == []
    assert script_violations(csp_violations) == []


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_no_payload_from_the_admin_forms_runs_in_chromium(
    page, live_server, csp_violations
):
    section = admin_section()
    admin_client = Client()
    admin_client.force_login(UserFactory(is_staff=True, is_superuser=True))
    submit_through_admin(admin_client, section, payloads())
    log_in(page, live_server, UserFactory())
    walk = BrowserWalk(page, live_server.url)

    walk.section(section, flashcards=4, lines=0)
    walk.quiz(section)
    walk.drill(reviews=6)

    assert walk.steps > 30
    assert walk.problems == []
    assert script_violations(csp_violations) == []


@pytest.mark.e2e
def test_the_browser_check_catches_a_payload_that_runs(page):
    # Without the app (and its CSP) around it, a payload runs: the walk must notice.
    walk = BrowserWalk(page, "")
    page.set_content(
        '<img src="x" onerror="window.__xss_7=1"><img src="y" onerror="alert(5)">'
        '<a href="javascript:void(0)">a</a>'
    )
    page.wait_for_function("() => window.__xss_7 === 1")
    walk.check("a hostile page")

    assert "about:blank: a alert opened: 5" in walk.problems
    assert {
        p.split(": ", 1)[1] for p in walk.problems if p.startswith("a hostile")
    } == {
        "img has onerror",
        "a href=javascript:void(0)",
        "global __xss_7 was set",
    }
