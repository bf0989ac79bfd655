"""Benchmarks, run by ``make bench`` (never by ``make test``); see docs/performance.md."""

from __future__ import annotations
