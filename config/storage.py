"""Static files as production serves them: the project's own CSS and JS minified, then
whitenoise's hashed names and gzip/Brotli copies.

Minifying happens whenever ``collectstatic`` writes one of them (the copy, then the
hashed copy; the hash is Django's, of the source). Only this project's stylesheets and scripts
are touched (``static/``): vendored files (htmx, the admin's) are left as shipped.
The source files keep their comments; DEBUG serves them unminified.
"""

from __future__ import annotations

from django.core.files.base import ContentFile, File
from rcssmin import cssmin
from rjsmin import jsmin
from whitenoise.storage import CompressedManifestStaticFilesStorage

# Top-level folders of STATICFILES_DIRS (static/): the project's own files.
OWN = ("css/", "js/", "admin-studio/")


def minified(name: str, text: str) -> str | None:
    """The minified text of one of our own stylesheets or scripts, else None."""
    if not name.startswith(OWN) or name.endswith((".min.js", ".min.css")):
        return None
    if name.endswith(".css"):
        return cssmin(text)
    if name.endswith(".js"):
        return jsmin(text)
    return None


class MinifiedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def _save(self, name: str, content: File) -> str:
        if name.endswith((".css", ".js")):
            content.seek(0)  # the manifest's hashing may have read it to the end
            text = minified(name, content.read().decode())
            content.seek(0)
            if text is not None:
                content = ContentFile(text.encode())
        return super()._save(name, content)
