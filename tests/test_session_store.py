"""config.session_store: Django's database sessions with a hand-written read."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from config import session_store
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


def test_checked_data_is_kept_and_each_read_gets_its_own_copy(monkeypatch):
    store = SessionStore()
    store["learner_id"] = 42
    store["seen"] = [1]
    store.save()
    first = SessionStore(store.session_key)
    first["seen"].append(2)  # changed in place, not saved
    calls = []
    real_loads = session_store.signing.loads
    monkeypatch.setattr(
        session_store.signing,
        "loads",
        lambda *args, **kwargs: calls.append(1) or real_loads(*args, **kwargs),
    )
    again = SessionStore(store.session_key)
    assert again["seen"] == [1]  # the kept data was not changed through ``first``
    assert calls == []  # the signature was checked on the first read only


def test_data_with_a_bad_signature_is_an_empty_session():
    store = SessionStore()
    store["learner_id"] = 42
    store.save()
    row = Session.objects.get(session_key=store.session_key)
    forged = row.session_data.replace(row.session_data[:4], "eyJs", 1)
    Session.objects.filter(pk=row.pk).update(session_data=forged + "x")
    assert SessionStore(store.session_key).get("learner_id") is None


def test_data_signed_with_another_key_is_checked_again(settings):
    store = SessionStore()
    store["learner_id"] = 42
    store.save()
    assert SessionStore(store.session_key)["learner_id"] == 42  # kept
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    assert SessionStore(store.session_key).get("learner_id") is None
