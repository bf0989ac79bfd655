"""collectstatic with the production storage (config/storage.py): our CSS and JS
minified, still valid, hashed and compressed; vendored files untouched."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import django_htmx
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from config.storage import minified

SOURCE = Path(settings.BASE_DIR) / "static"


@pytest.fixture(scope="module")
def collected(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    tmp_path = tmp_path_factory.mktemp("static")
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "config.storage.MinifiedStaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, STATIC_ROOT=tmp_path):
        call_command("collectstatic", interactive=False, verbosity=0)
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    return tmp_path, manifest


def test_our_scripts_and_styles_are_minified_and_hashed(collected):
    root, manifest = collected
    for name in ("js/app.js", "css/app.css", "admin-studio/studio.js"):
        source = (SOURCE / name).read_text()
        hashed = root / manifest[name]
        served = hashed.read_text()
        assert 0 < len(served) < 0.9 * len(source), name
        assert served == minified(name, source)
        for suffix in (".gz", ".br"):
            assert Path(f"{hashed}{suffix}").stat().st_size > 0


def test_vendored_files_are_served_as_shipped(collected):
    root, manifest = collected
    htmx = next(name for name in manifest if name.endswith("htmx-2.min.js"))
    shipped = Path(django_htmx.__file__).parent / "static" / htmx
    assert (root / manifest[htmx]).read_bytes() == shipped.read_bytes()
    admin_css = "admin/css/base.css"
    assert "/*" in (root / manifest[admin_css]).read_text()  # comments kept


def test_the_minified_script_is_still_valid_javascript(collected):
    root, manifest = collected
    node = shutil.which("node")
    if node is None:
        reason = "node is not installed: cannot check the minified JavaScript"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI=true requires this check to run")
        pytest.skip(reason)
    for name in ("js/app.js", "admin-studio/studio.js"):
        result = subprocess.run(
            [node, "--check", str(root / manifest[name])],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr


def test_only_our_own_css_and_js_are_minified():
    assert minified("js/app.js", "a  =  1;  // x\n") == "a=1;"
    assert minified("css/app.css", "a  {  color : red ;  }") == "a{color:red}"
    assert minified("admin/js/core.js", "a = 1;") is None
    assert minified("js/vendor.min.js", "a = 1;") is None
    assert minified("favicon.svg", "<svg/>") is None
