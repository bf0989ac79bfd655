"""Fixtures shared by every test package."""

from __future__ import annotations

import pytest

from tests.courses.factories import StaffUserFactory, UserFactory
from tests.lessons.factories import SectionFactory


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
