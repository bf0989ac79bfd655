"""Production settings: `check --deploy` with the environment docs/deploy.md documents."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEPLOY_DOC = ROOT / "docs" / "deploy.md"


def documented_environment() -> dict[str, str]:
    """The example /etc/lectern/env of docs/deploy.md, as a dict."""
    text = DEPLOY_DOC.read_text()
    block = re.search(r"```sh\n# /etc/lectern/env\n(.*?)```", text, re.S)
    assert block, "docs/deploy.md lost its example environment file"
    env = {}
    for line in block.group(1).splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            env[name.strip()] = value.strip()
    return env


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """manage.py in a fresh process with only ``env`` (plus PATH) for settings."""
    base = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def production_env() -> dict[str, str]:
    env = documented_environment()
    # The documented placeholder would fail security.W009 (a real key is random); a test
    # database needs no server, and check --deploy does not connect to it.
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    return env


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)


def test_documented_environment_names_the_production_settings():
    env = documented_environment()
    for name in (
        "DJANGO_DEBUG",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "SECURE_PROXY_SSL_HEADER",
        "DATABASE_URL",
        "REDIS_URL",
    ):
        assert name in env, name
    assert env["DJANGO_DEBUG"] == "0"


def test_every_environment_variable_the_settings_read_is_documented():
    settings_source = (ROOT / "config" / "settings" / "base.py").read_text()
    read = set(
        re.findall(r"""env(?:_bool|_list)?\(\s*["']([A-Z_]+)["']""", settings_source)
    )
    read |= set(
        re.findall(r"""os\.environ\.get\(\s*["']([A-Z_]+)["']""", settings_source)
    )
    assert "SECRET_KEY" in read
    table = DEPLOY_DOC.read_text()
    missing = sorted(name for name in read if f"`{name}`" not in table)
    assert not missing, f"not in docs/deploy.md's table: {missing}"


def test_check_deploy_passes_with_the_documented_environment(production_env):
    result = check_deploy(production_env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_without_secret_key(production_env):
    del production_env["SECRET_KEY"]
    result = check_deploy(production_env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_check_deploy_fails_over_plain_http(production_env):
    """The tests-only flag turns off what production needs, and the check says so."""
    result = check_deploy({**production_env, "DJANGO_INSECURE_HTTP": "1"})
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


def test_production_settings_from_the_environment(production_env):
    code = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.SECURE_PROXY_SSL_HEADER, s.SESSION_ENGINE, s.SECURE_HSTS_SECONDS,"
        " s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.ALLOWED_HOSTS, s.CSRF_TRUSTED_ORIGINS, s.CACHES['default']['BACKEND'])"
    )
    result = run_manage("shell", "-c", code, env=production_env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == (
        "False ('HTTP_X_FORWARDED_PROTO', 'https')"
        " django.contrib.sessions.backends.cached_db 31536000 True True True"
        " ['learn.example.edu'] ['https://learn.example.edu']"
        " django.core.cache.backends.redis.RedisCache"
    )
