"""Settings for the HTTP benchmark and the load test: production settings (from the
environment, DEBUG off) with a URLconf that adds the benchmark's "hello" view.

Used only by ``make bench-http`` and ``make loadtest`` (DJANGO_SETTINGS_MODULE=bench.settings).
"""

from __future__ import annotations

import os

from config.settings.base import *  # noqa: F403
from config.settings.base import DATABASES

ROOT_URLCONF = "bench.urls"
# No log line per request: the benchmark measures the app, not the console.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
# An experiment knob, off by default so that the benchmark measures the settings as they
# ship: BENCH_CONN_MAX_AGE=600 keeps each worker's database connection open.
if os.environ.get("BENCH_CONN_MAX_AGE"):
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ["BENCH_CONN_MAX_AGE"])
