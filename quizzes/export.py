"""Flashcards exported for use elsewhere: a CSV of their Markdown, or an Anki package.

Pure functions of the cards; views turn the results into downloads. Pass a queryset
(its sections and courses are then fetched in the same query) or any iterable of cards
whose ``section.course`` is loaded.

The Anki package is built so that importing a newer export updates what an earlier one
created instead of duplicating it: the deck id comes from the deck name, the note type id
is a constant, and each note's GUID comes from its course and the card's key (unique in
the course, checked when the course file is loaded). Anki updates a note whose GUID it
already has when the import is newer, so notes get the time of the export.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import re
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Iterable
from contextlib import closing
from html import escape
from pathlib import Path

import genanki
from django.db.models import QuerySet
from django.utils.text import slugify

from lessons.models import Flashcard

CSV_HEADER = ("front", "back", "hint", "section", "id")

# Chosen once at random in Anki's range; never change it, or re-imports make a second note type.
ANKI_MODEL_ID = 1_536_871_203
ANKI_MODEL_NAME = "Lectern card"

ANKI_MODEL = genanki.Model(
    ANKI_MODEL_ID,
    ANKI_MODEL_NAME,
    fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Hint"}, {"name": "Section"}],
    templates=[
        {
            "name": "Card",
            # Anki's hint filter shows a "Hint" link that reveals it, as the site does.
            "qfmt": '{{Front}}{{#Hint}}<div class="hint">{{hint:Hint}}</div>{{/Hint}}',
            "afmt": '{{FrontSide}}<hr id="answer">{{Back}}',
        }
    ],
    css=(
        ".card { font-family: system-ui, sans-serif; font-size: 20px;"
        " text-align: center; color: black; background-color: white; }\n"
        ".hint { margin-top: 1em; font-size: 16px; }\n"
    ),
)

_MAX_STEM = 100


def _with_sections(cards: Iterable[Flashcard]) -> Iterable[Flashcard]:
    if isinstance(cards, QuerySet):
        return cards.select_related("section__course")
    return cards


def flashcards_csv(cards: Iterable[Flashcard]) -> str:
    """The cards as CSV (Excel dialect): a header row, then the Markdown of each card.

    ``section`` is the section's number ("15.1") and ``id`` the card's key. The text is
    ``str``; encode it as UTF-8 (``utf-8-sig`` if Excel should detect the encoding).
    """
    out = io.StringIO()
    writer = csv.writer(out, dialect="excel")
    writer.writerow(CSV_HEADER)
    for card in _with_sections(cards):
        writer.writerow(
            [card.front, card.back, card.hint, card.section.number, card.key]
        )
    return out.getvalue()


def anki_deck_id(deck_name: str) -> int:
    """A deck id in the range genanki recommends, the same for the same name."""
    digest = hashlib.sha256(deck_name.encode("utf-8")).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


def anki_guid(card: Flashcard) -> str:
    return genanki.guid_for(card.section.course.slug, card.key)


def anki_tag(card: Flashcard) -> str:
    """``section-15.1``: Anki tags are split on spaces, so they must have none."""
    return "section-" + re.sub(r"\s+", "-", card.section.number.strip())


def _anki_note(card: Flashcard) -> genanki.Note:
    section = card.section
    return genanki.Note(
        model=ANKI_MODEL,
        fields=[
            card.front_html,  # already sanitised HTML
            card.back_html,
            escape(card.hint),  # plain text
            escape(f"{section.number} {section.title}"),
        ],
        tags=[anki_tag(card)],
        guid=anki_guid(card),
    )


def flashcards_apkg(
    cards: Iterable[Flashcard], *, deck_name: str, timestamp: float | None = None
) -> bytes:
    """An Anki package (.apkg) holding one deck named ``deck_name`` with the cards.

    ``timestamp`` (seconds since the epoch, default now) is the notes' modification time
    and seeds their row ids; pass one only to make the bytes reproducible (tests), as
    Anki only updates existing notes from an import that is newer.
    """
    deck = genanki.Deck(anki_deck_id(deck_name), deck_name)
    deck.add_model(ANKI_MODEL)  # so an empty deck still has its note type
    for card in _with_sections(cards):
        deck.add_note(_anki_note(card))
    package = genanki.Package(deck)
    if timestamp is None:
        timestamp = time.time()

    # Package.write_to_file would do the same but leave its SQLite file in the
    # temporary directory (genanki 0.13.1 never deletes it); here everything is removed.
    with tempfile.TemporaryDirectory(prefix="lectern-apkg-") as tmp:
        db_path = Path(tmp) / "collection.anki2"
        with closing(sqlite3.connect(db_path)) as conn:
            package.write_to_db(
                conn.cursor(), timestamp, itertools.count(int(timestamp * 1000))
            )
            conn.commit()
        # Entries stamped with the export's time, not the temporary file's or the
        # clock's, so one timestamp always gives the same bytes.
        stamp = time.gmtime(max(timestamp, 315532800))[:6]  # zip dates start in 1980
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as apkg:
            for name, data in [
                ("collection.anki2", db_path.read_bytes()),
                ("media", json.dumps({}).encode()),  # no media files
            ]:
                entry = zipfile.ZipInfo(name, date_time=stamp)
                entry.compress_type = zipfile.ZIP_DEFLATED
                apkg.writestr(entry, data)
        return out.getvalue()


def export_filename(stem: str, ext: str) -> str:
    """A filename safe in any file system and header: ``Cells & Life!``, ``csv`` → ``cells-life.csv``.

    Falls back to ``export`` when nothing of the stem survives (e.g. it has no Latin letters).
    """
    ext = ext.lstrip(".").lower()
    if not re.fullmatch(r"[a-z0-9]+", ext):
        raise ValueError(f"not a file extension: {ext!r}")
    slug = slugify(stem)[:_MAX_STEM].strip("-_") or "export"
    return f"{slug}.{ext}"
