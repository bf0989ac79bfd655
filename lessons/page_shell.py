"""A whole page cached once, with holes for what is the visitor's own.

The section page is the same for every learner but for a few small parts: the site
header (account, drill badge), the CSRF token, the quiz score and the mark-done form.
Rendering the page is most of its cost even with its content cached in fragments
(docs/performance.md), so the plain page (no fragment, no stepped dialogue or flashcard
in the URL) is rendered once per section version, level and staff-or-not, and kept as
text with those parts cut out. A request then renders only the holes, each from its own
template or partial, and joins them into the text.

Templates mark a hole with ``{% hole "name" %}…{% endhole %}`` (lessons/templatetags/
page_shell.py). The tag is transparent on every render but the one that makes a shell:
that render sets a marker, a random string no content can contain, and the tag wraps
its output in it, so the text can be split into the constant parts and the holes.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.cache import cache as django_cache
from django.templatetags.static import static

MARKER = "page_shell_marker"  # the context variable the hole tag looks for


@dataclass(frozen=True)
class Shell:
    """A page as constant text around named holes: ``parts`` has one more item."""

    parts: tuple[str, ...]
    holes: tuple[str, ...]

    def fill(self, holes: Mapping[str, Callable[[], str]]) -> str:
        """The page with each hole rendered by its function."""
        out = [self.parts[0]]
        for name, part in zip(self.holes, self.parts[1:], strict=True):
            out.append(holes[name]())
            out.append(part)
        return "".join(out)


def new_marker() -> str:
    return f"\x1f{secrets.token_hex(12)}\x1f"


def split(html: str, marker: str) -> tuple[Shell, str]:
    """The shell of a page rendered with ``marker``, and the page as rendered (the
    markers taken out). The hole tag writes ``marker name marker content marker``."""
    pieces = html.split(marker)
    if len(pieces) % 3 != 1:
        raise ValueError("unbalanced page shell markers (holes cannot nest)")
    parts = [pieces[0]]
    holes = []
    page = [pieces[0]]
    for index in range(1, len(pieces), 3):
        name, content, after = pieces[index : index + 3]
        holes.append(name)
        parts.append(after)
        page += [content, after]
    return Shell(tuple(parts), tuple(holes)), "".join(page)


@cache
def release() -> str:
    """What a deployment changes: the templates and the static files' hashed names.

    Part of every shell's key, so an upgrade never serves a shell of the old templates
    from a shared cache (Redis outlives the app servers)."""
    digest = hashlib.sha256()
    for directory in settings.TEMPLATES[0]["DIRS"]:
        for path in sorted(Path(directory).rglob("*.html")):
            digest.update(path.read_bytes())
    for name in ("css/app.css", "js/app.js"):
        digest.update(static(name).encode())
    return digest.hexdigest()[:12]


def key(*parts: object) -> str:
    return ":".join(["page-shell", release(), *map(str, parts)])


# Shells this process has read or made, most recent last. A key names one section
# version, level and release, so its shell never changes: keeping it here saves the
# cache's read and unpickling (a network round trip with Redis) on every request.
_kept: OrderedDict[str, Shell] = OrderedDict()
KEPT = 256  # at ~40 KB a page, ~10 MB at most per process
_kept_lock = threading.Lock()  # runserver and threaded servers share the dict


def get(cache_key: str) -> Shell | None:
    with _kept_lock:
        shell = _kept.get(cache_key)
        if shell is not None:
            _kept.move_to_end(cache_key)
            return shell
    shell = django_cache.get(cache_key)
    if shell is not None:
        _keep(cache_key, shell)
    return shell


def put(cache_key: str, shell: Shell, timeout: int) -> None:
    django_cache.set(cache_key, shell, timeout)
    _keep(cache_key, shell)


def _keep(cache_key: str, shell: Shell) -> None:
    with _kept_lock:
        _kept[cache_key] = shell
        _kept.move_to_end(cache_key)
        while len(_kept) > KEPT:
            _kept.popitem(last=False)


def kept_clear() -> None:
    """Forget the shells kept in this process (tests: their databases reuse ids)."""
    with _kept_lock:
        _kept.clear()
