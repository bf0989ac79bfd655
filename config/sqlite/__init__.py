"""Lectern's SQLite database backend: Django's, with WAL checkpoints kept out of requests.

``DATABASES["default"]["ENGINE"] = "config.sqlite"`` (config/settings/base.py). See
``config.sqlite.checkpointer`` for why and how.
"""
