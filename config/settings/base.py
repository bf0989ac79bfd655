"""Lectern settings: one file, driven by the environment.

Environment variables (every one is described in docs/deploy.md):
DATABASE_URL, DJANGO_DEBUG, SECRET_KEY, ALLOWED_HOSTS, CSRF_TRUSTED_ORIGINS, REDIS_URL;
SECURE_PROXY_SSL_HEADER, SECURE_HSTS_SECONDS, SECURE_HSTS_INCLUDE_SUBDOMAINS,
SECURE_HSTS_PRELOAD, TRUSTED_PROXIES, DJANGO_INSECURE_HTTP (tests and local trials
only), STATIC_ROOT; COURSE_FILE_MAX_BYTES;
EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS,
DEFAULT_FROM_EMAIL (outgoing mail when DEBUG is off).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


# ---------------------------------------------------------------- core
DEBUG = env_bool("DJANGO_DEBUG", default=True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key"  # development only: DEBUG is on

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "csp",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "courses",
    "lessons",
    "quizzes",
]

MIDDLEWARE = [
    "config.middleware.ProxiedClientAddressMiddleware",  # only with TRUSTED_PROXIES
    "django.middleware.security.SecurityMiddleware",
    # Static files are answered here, before the page-only headers below.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# ---------------------------------------------------------------- templates
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "quizzes.context_processors.drill_badge",
            ],
            # partialdef everywhere without {% load %}; Django 6 moves this into core.
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

# ---------------------------------------------------------------- database
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers wait for the lock instead of failing with "database is locked":
    # WAL lets readers run beside a writer, IMMEDIATE takes the write lock at BEGIN so a
    # read-then-write transaction cannot deadlock, and the timeout is how long to wait.
    # gunicorn's sync workers serve one request at a time, so a worker keeps its
    # connection (reconnecting cost ~3 ms a request). runserver starts a thread per
    # request, which would leave a connection behind per thread: not with DEBUG on.
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if DEBUG else 60
    # Django's backend, but commits do not copy the WAL back into the database file (a
    # WAL checkpoint): a thread in each process does it (config/sqlite/checkpointer.py).
    DATABASES["default"]["ENGINE"] = "config.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters travel apart from the SQL (psycopg's server-side binding), so a
    # statement a connection has run 5 times is prepared: PostgreSQL parses and plans it
    # once per connection, not per call (the drill's pick: 4.5-5 ms -> 3.3-3.6 ms).
    # Behind PgBouncer in transaction mode, set "prepare_threshold": None.
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "server_side_binding": True,
        "prepare_threshold": 5,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "courses.User"

# ---------------------------------------------------------------- cache
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions live in the database (read through the cache when Redis is there), never on
# an app server's disk or memory: any app server can answer any request.
# config.session_store is Django's database store with a leaner read of the row.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "config.session_store"
)

# ---------------------------------------------------------------- auth
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# Switch both to "courses:dashboard" once /dashboard/ exists.
LOGIN_REDIRECT_URL = "courses:dashboard"
LOGOUT_REDIRECT_URL = "courses:catalog"

# ---------------------------------------------------------------- e-mail
# Password-reset links go to the console while developing, by SMTP otherwise.
if DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Lectern <noreply@localhost>")

# ---------------------------------------------------------------- i18n
LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# ---------------------------------------------------------------- static files
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        # whitenoise's CompressedManifestStaticFilesStorage, our CSS and JS minified.
        else "config.storage.MinifiedStaticFilesStorage"
    },
}

# ---------------------------------------------------------------- security
# With debug off the site is HTTPS only (redirect, HSTS, Secure cookies), unless
# DJANGO_INSECURE_HTTP=1: plain HTTP with debug off, for tests and local trials only
# (the two-server test, `make bench`); never in production.
HTTPS = not DEBUG and not env_bool("DJANGO_INSECURE_HTTP", default=False)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = (
    True  # htmx sends the token from the page (hx-headers), not the cookie
)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = (
    int(os.environ.get("SECURE_HSTS_SECONDS", "31536000")) if HTTPS else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True
)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
# Behind a TLS-terminating proxy: the header (e.g. X-Forwarded-Proto) the proxy sets to
# "https", overwriting any value a client sent. Unset when clients reach Django directly.
if proxy_header := os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip():
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + proxy_header.upper().replace("-", "_"),
        "https",
    )
# Reverse proxies (addresses or networks) whose X-Forwarded-For names the client: see
# config/middleware.py. Empty when clients reach Django directly.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): scripts and styles only from our own files (no
# inline code, no eval: htmx runs with allowEval false and its indicator styles off, see
# templates/base.html), nothing may frame us, and the only frame we embed is YouTube's
# privacy-enhanced player, loaded when the learner asks for it (static/js/app.js).
# Markdown images must come from this site (img-src). A page that must be framed by our
# own admin (a preview) opts in on its view (docs/deploy.md, "Security headers").
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "frame-src": ["https://www.youtube-nocookie.com"],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    },
}

# Permissions-Policy: no powerful feature for anyone, except what the embedded video
# player needs (fullscreen, encrypted-media, picture-in-picture for YouTube's frame).
_YOUTUBE = "https://www.youtube-nocookie.com"  # quoted by the middleware
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "camera": [],
    "display-capture": [],
    "encrypted-media": ["self", _YOUTUBE],
    "fullscreen": ["self", _YOUTUBE],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "picture-in-picture": ["self", _YOUTUBE],
    "usb": [],
}

# ---------------------------------------------------------------- course files
# The largest course file loadcourse and the admin import accept (lessons.course_file).
COURSE_FILE_MAX_BYTES = int(os.environ.get("COURSE_FILE_MAX_BYTES", 2 * 1024 * 1024))

# ---------------------------------------------------------------- logging
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}
