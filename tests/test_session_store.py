"""config.session_store: Django's database sessions with a hand-written read."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from config.session_store import SessionStore

pytestmark = pytest.mark.django_db


def test_a_saved_session_reads_back_in_one_query(django_assert_num_queries):
    store = SessionStore()
    store["learner_id"] = 42
    store.save()
    with django_assert_num_queries(1):
        again = SessionStore(store.session_key)
        assert again["learner_id"] == 42
    assert again.session_key == store.session_key


def test_an_expired_or_unknown_session_is_empty_and_gets_a_new_key():
    store = SessionStore()
    store["learner_id"] = 42
    store.save()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert expired.get("learner_id") is None
    assert expired.session_key is None  # as Django's: a new one on save
    unknown = SessionStore("x" * 32)
    assert unknown.get("learner_id") is None
    assert unknown.session_key is None
