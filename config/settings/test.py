"""Test overlay: fast hashing, in-memory cache and mail, plain static storage."""

from __future__ import annotations

from .base import *  # noqa: F403
from .base import STORAGES, TEMPLATES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES["staticfiles"]["BACKEND"] = (
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
TEMPLATES[0]["OPTIONS"]["debug"] = True
LOGGING = {"version": 1, "disable_existing_loggers": False}
