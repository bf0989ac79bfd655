"""Failed logins lock out an account (5 in 15 minutes) or an address (20), for 15 minutes."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from courses import throttle
from tests.courses.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # UserFactory's
LOCKED_OUT = "Too many failed attempts. Try again in 15 minutes."


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock(monkeypatch):
    """The throttle's clock, frozen; ``clock.advance(seconds)`` moves it on."""

    class Clock:
        now = 1_800_000_000.0

        def __call__(self) -> float:
            return self.now

        def advance(self, seconds: float) -> None:
            self.now += seconds

    fake = Clock()
    monkeypatch.setattr(throttle, "clock", fake)
    return fake


def log_in(client, username: str, password: str, address: str = "192.0.2.1"):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail(client, username: str, times: int, address: str = "192.0.2.1") -> None:
    for _ in range(times):
        response = log_in(client, username, "wrong password", address)
        assert (
            "Please enter a correct username and password" in response.content.decode()
        )


def test_five_failures_lock_the_account_even_with_the_right_password(client, clock):
    user = UserFactory()
    fail(client, user.username, 4)
    fail(client, user.username, 1)
    response = log_in(client, user.username, PASSWORD)
    html = response.content.decode()
    assert response.status_code == 200
    assert LOCKED_OUT in html
    assert 'role="alert"' in html
    assert not logged_in(client)


def test_four_failures_still_let_the_right_password_in(client, clock):
    user = UserFactory()
    fail(client, user.username, 4)
    assert log_in(client, user.username, PASSWORD).status_code == 302
    assert logged_in(client)


def test_the_account_lockout_holds_from_any_address_and_spares_other_accounts(
    client, clock
):
    user, other = UserFactory(), UserFactory()
    fail(client, user.username, 5, address="192.0.2.1")
    response = log_in(client, user.username, PASSWORD, address="198.51.100.7")
    assert LOCKED_OUT in response.content.decode()
    assert log_in(client, other.username, PASSWORD).status_code == 302


def test_the_username_is_counted_whatever_its_case(client, clock):
    UserFactory(username="ada")
    fail(client, "ADA", 3)
    fail(client, "ada", 2)
    assert LOCKED_OUT in log_in(client, "ada", PASSWORD).content.decode()


def test_twenty_failures_from_one_address_lock_that_address(client, clock):
    user = UserFactory()
    for n in range(20):  # a different username each time: no account reaches its limit
        fail(client, f"guess{n}", 1, address="203.0.113.9")
    response = log_in(client, user.username, PASSWORD, address="203.0.113.9")
    assert LOCKED_OUT in response.content.decode()
    assert not logged_in(client)
    assert (
        log_in(client, user.username, PASSWORD, address="203.0.113.10").status_code
        == 302
    )


def test_nineteen_failures_from_an_address_do_not_lock_it(client, clock):
    user = UserFactory()
    for n in range(19):
        fail(client, f"guess{n}", 1, address="203.0.113.9")
    assert log_in(client, user.username, PASSWORD, "203.0.113.9").status_code == 302


def test_a_success_clears_the_accounts_count(client, clock):
    user = UserFactory()
    fail(client, user.username, 4)
    assert log_in(client, user.username, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    fail(client, user.username, 4)
    assert log_in(client, user.username, PASSWORD).status_code == 302


def test_a_success_does_not_clear_the_address_count(client, clock):
    user = UserFactory()
    for n in range(19):
        fail(client, f"guess{n}", 1, address="203.0.113.9")
    assert log_in(client, user.username, PASSWORD, "203.0.113.9").status_code == 302
    client.post(reverse("logout"))
    fail(client, "guess-last", 1, address="203.0.113.9")
    response = log_in(client, user.username, PASSWORD, "203.0.113.9")
    assert LOCKED_OUT in response.content.decode()


def test_the_lockout_ends_after_fifteen_minutes_and_says_how_long_is_left(
    client, clock
):
    user = UserFactory()
    fail(client, user.username, 5)
    clock.advance(10 * 60 + 30)  # 4.5 minutes left: rounded up
    html = log_in(client, user.username, PASSWORD).content.decode()
    assert "Too many failed attempts. Try again in 5 minutes." in html
    clock.advance(4 * 60)
    html = log_in(client, user.username, PASSWORD).content.decode()
    assert "Too many failed attempts. Try again in 1 minute." in html
    clock.advance(30)
    assert log_in(client, user.username, PASSWORD).status_code == 302


def test_refused_attempts_do_not_prolong_the_lockout(client, clock):
    user = UserFactory()
    fail(client, user.username, 5)
    for _ in range(10):
        clock.advance(60)
        log_in(client, user.username, "wrong password")
    clock.advance(5 * 60)
    assert log_in(client, user.username, PASSWORD).status_code == 302


def test_after_a_lockout_the_count_starts_again(client, clock):
    user = UserFactory()
    fail(client, user.username, 5)
    clock.advance(15 * 60)
    fail(client, user.username, 4)
    assert log_in(client, user.username, PASSWORD).status_code == 302


def test_the_count_starts_afresh_after_a_lockout_even_within_a_longer_window(
    client, clock, monkeypatch
):
    monkeypatch.setattr(throttle, "WINDOW", 60 * 60)
    user = UserFactory()
    fail(client, user.username, 5)
    clock.advance(15 * 60)
    fail(client, user.username, 4)
    assert log_in(client, user.username, PASSWORD).status_code == 302


def test_failures_older_than_the_window_no_longer_count(client, clock):
    user = UserFactory()
    fail(client, user.username, 4)
    clock.advance(15 * 60)
    fail(client, user.username, 1)
    assert log_in(client, user.username, PASSWORD).status_code == 302


def test_the_admin_login_is_throttled_too(client, clock):
    staff = UserFactory(is_staff=True)
    url = reverse("admin:login")
    for _ in range(5):
        client.post(url, {"username": staff.username, "password": "wrong"})
    response = client.post(url, {"username": staff.username, "password": PASSWORD})
    assert LOCKED_OUT in response.content.decode()
    assert not logged_in(client)


def test_failures_at_the_admin_and_at_our_login_add_up(client, clock):
    user = UserFactory()
    for _ in range(3):
        client.post(
            reverse("admin:login"), {"username": user.username, "password": "wrong"}
        )
    fail(client, user.username, 2, address="127.0.0.1")
    assert LOCKED_OUT in log_in(client, user.username, PASSWORD).content.decode()


@pytest.mark.parametrize(
    ("remote_addr", "counted_as"),
    [
        ("192.0.2.1", "192.0.2.1"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"),
        ("::ffff:192.0.2.1", "192.0.2.1"),
        ("", ""),
    ],
)
def test_client_address_is_remote_addr_with_ipv6_per_64(remote_addr, counted_as):
    request = RequestFactory().post("/", REMOTE_ADDR=remote_addr)
    assert throttle.client_address(request) == counted_as


def test_one_ipv6_subscriber_cannot_dodge_the_address_limit(client, clock):
    user = UserFactory()
    for n in range(20):
        fail(client, f"guess{n}", 1, address=f"2001:db8:1:2::{n + 1:x}")
    response = log_in(client, user.username, PASSWORD, address="2001:db8:1:2::ff")
    assert LOCKED_OUT in response.content.decode()
