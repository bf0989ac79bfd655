"""Security headers on full pages, HTMX fragments, errors and the admin."""

from __future__ import annotations

import pytest

from tests.lessons.factories import SummaryFactory


def policy(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_security_headers(response) -> None:
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["frame-src"] == ["https://www.youtube-nocookie.com"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    permissions = response["Permissions-Policy"]
    assert "camera=()" in permissions
    assert "microphone=()" in permissions
    assert "geolocation=()" in permissions


@pytest.mark.django_db
def test_full_page_has_the_security_headers(client, published_section):
    response = client.get(published_section.get_absolute_url())
    assert response.status_code == 200
    assert b"<html" in response.content
    assert_security_headers(response)


@pytest.mark.django_db
def test_fragment_has_the_security_headers(client, htmx_headers):
    summary = SummaryFactory(level="medium", text="Medium text")
    response = client.get(
        summary.section.get_absolute_url(),
        {"level": "medium"},
        headers=htmx_headers("summary-panel"),
    )
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"Medium text" in response.content
    assert_security_headers(response)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/no-such-page/", "/admin/login/"])
def test_other_responses_have_the_security_headers(client, path):
    assert_security_headers(client.get(path))


@pytest.mark.django_db
def test_pages_carry_no_inline_script_or_style(client, published_section):
    """What the policy forbids is not in our markup either (the browser tests see it run)."""
    SummaryFactory(section=published_section, level="basic")
    html = client.get(published_section.get_absolute_url()).content.decode()
    assert "style=" not in html
    assert "<style" not in html
    for tag in html.split("<script")[1:]:
        assert "src=" in tag.split(">", 1)[0], f"inline script: <script{tag[:80]}"
