"""Fixtures shared by every test package."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from lessons import page_holes, page_shell
from tests.courses.factories import StaffUserFactory, UserFactory
from tests.lessons.factories import SectionFactory


def clear_caches() -> None:
    """The cache, and what this process keeps of it (page shells, hole texts)."""
    cache.clear()
    page_holes.memo_clear()
    page_shell.kept_clear()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached pages are keyed by row ids and versions, which a rolled-back test database
    hands out again (SQLite): every test starts with an empty cache."""
    clear_caches()
    yield
    clear_caches()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def staff_user(db):
    return StaffUserFactory()


@pytest.fixture
def published_section(db):
    return SectionFactory()


@pytest.fixture
def htmx_headers():
    def headers(target: str) -> dict[str, str]:
        return {"HX-Request": "true", "HX-Target": target}

    return headers
