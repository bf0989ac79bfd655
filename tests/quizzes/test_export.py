"""Flashcard exports: the CSV reads back as written; the Anki package opens and re-imports."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import time
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import genanki
import pytest

from lessons.models import Flashcard
from quizzes.export import (
    ANKI_MODEL_ID,
    CSV_HEADER,
    anki_deck_id,
    export_filename,
    flashcards_apkg,
    flashcards_csv,
)
from tests.lessons.factories import FlashcardFactory, SectionFactory

TRICKY = {
    "front": 'Why is "mitosis", not meiosis, the answer?\nExplain, briefly.',
    "back": "Because the cell **divides** once: 2n → 2n.\r\nSee *Größe*, 細胞, and ‘quotes’.",
    "hint": 'Think "one, two" — copies',
}


@pytest.fixture
def section(db):
    return SectionFactory(
        chapter__course__slug="biology", number="15.1", title="Cells & <Division>"
    )


@pytest.fixture
def cards(section):
    return [
        FlashcardFactory(section=section, key="mitosis", **TRICKY),
        FlashcardFactory(section=section, key="plain", hint=""),
        FlashcardFactory(section=section, key="link", front="[A link](https://x.org)"),
    ]


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


@contextmanager
def open_apkg(data: bytes, tmp_path: Path) -> Iterator[sqlite3.Connection]:
    """The package's collection, extracted to ``tmp_path`` and opened."""
    with zipfile.ZipFile(io.BytesIO(data)) as apkg:
        assert "collection.anki2" in apkg.namelist()
        apkg.extract("collection.anki2", tmp_path)
    with closing(sqlite3.connect(tmp_path / "collection.anki2")) as conn:
        yield conn


def notes(conn: sqlite3.Connection) -> list[tuple[str, str, str, int]]:
    return conn.execute(
        "SELECT guid, flds, tags, mid FROM notes ORDER BY id"
    ).fetchall()


def decks(conn: sqlite3.Connection) -> dict:
    return json.loads(conn.execute("SELECT decks FROM col").fetchone()[0])


def models(conn: sqlite3.Connection) -> dict:
    return json.loads(conn.execute("SELECT models FROM col").fetchone()[0])


# CSV


def test_csv_reads_back_to_the_same_rows(cards):
    text = flashcards_csv(cards)

    assert text.splitlines()[0] == ",".join(CSV_HEADER)
    assert read_csv(text) == [
        {
            "front": card.front,
            "back": card.back,
            "hint": card.hint,
            "section": "15.1",
            "id": card.key,
        }
        for card in cards
    ]


def test_csv_has_the_markdown_not_the_html(cards):
    row = read_csv(flashcards_csv(cards))[0]

    assert "**divides**" in row["back"]
    assert "<strong>" not in row["back"]


def test_csv_of_no_cards_is_only_the_header(db):
    assert read_csv(flashcards_csv([])) == []
    assert flashcards_csv([]) == "front,back,hint,section,id\r\n"


def test_csv_of_a_queryset_fetches_sections_in_the_same_query(
    cards, django_assert_num_queries
):
    with django_assert_num_queries(1):
        rows = read_csv(flashcards_csv(Flashcard.objects.order_by("position")))

    assert [row["id"] for row in rows] == ["mitosis", "plain", "link"]


# Anki package


def test_apkg_is_a_zip_with_an_anki_collection(cards, tmp_path):
    data = flashcards_apkg(cards, deck_name="Biology")

    with zipfile.ZipFile(io.BytesIO(data)) as apkg:
        assert apkg.testzip() is None
        assert json.loads(apkg.read("media")) == {}
    with open_apkg(data, tmp_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_apkg_has_one_note_per_card_with_its_fields_and_guid(cards, tmp_path):
    with open_apkg(flashcards_apkg(cards, deck_name="Biology"), tmp_path) as conn:
        rows = notes(conn)
        card_count = conn.execute("SELECT count(*) FROM cards").fetchone()[0]

    section = "15.1 Cells &amp; &lt;Division&gt;"
    mitosis, plain, link = cards
    assert [fields for _guid, fields, _tags, _mid in rows] == [
        "\x1f".join(
            [
                mitosis.front_html,
                mitosis.back_html,
                "Think &quot;one, two&quot; — copies",
                section,
            ]
        ),
        "\x1f".join([plain.front_html, plain.back_html, "", section]),
        "\x1f".join([link.front_html, link.back_html, link.hint, section]),
    ]
    assert "<strong>divides</strong>" in mitosis.back_html
    assert '<a href="https://x.org"' in link.front_html
    assert [guid for guid, *_ in rows] == [
        genanki.guid_for("biology", "mitosis"),
        genanki.guid_for("biology", "plain"),
        genanki.guid_for("biology", "link"),
    ]
    assert {tags for _, _, tags, _ in rows} == {" section-15.1 "}
    assert {mid for *_, mid in rows} == {ANKI_MODEL_ID}
    assert card_count == len(cards)  # one Anki card per note


def test_apkg_deck_and_note_type(cards, tmp_path):
    with open_apkg(
        flashcards_apkg(cards, deck_name="Biology: Cells"), tmp_path
    ) as conn:
        deck_json = decks(conn)
        model = models(conn)[str(ANKI_MODEL_ID)]
        card_decks = {row[0] for row in conn.execute("SELECT did FROM cards")}

    deck_id = anki_deck_id("Biology: Cells")
    assert deck_json[str(deck_id)]["name"] == "Biology: Cells"
    assert card_decks == {deck_id}
    assert model["name"] == "Lectern card"
    assert [field["name"] for field in model["flds"]] == [
        "Front",
        "Back",
        "Hint",
        "Section",
    ]
    [template] = model["tmpls"]
    assert "{{Front}}" in template["qfmt"]
    assert "{{#Hint}}" in template["qfmt"]
    assert template["afmt"].startswith("{{FrontSide}}<hr")
    assert template["afmt"].endswith("{{Back}}")


def test_exporting_twice_gives_the_same_guids_and_deck(cards, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()

    with open_apkg(flashcards_apkg(cards, deck_name="Biology"), first) as conn:
        guids_before, decks_before = [n[0] for n in notes(conn)], decks(conn).keys()
    FlashcardFactory(section=cards[0].section, key="new")
    again = Flashcard.objects.order_by("position")
    with open_apkg(flashcards_apkg(again, deck_name="Biology"), second) as conn:
        guids_after, decks_after = [n[0] for n in notes(conn)], decks(conn).keys()

    assert guids_after[:3] == guids_before
    assert len(set(guids_after)) == 4
    assert decks_after == decks_before


def test_deck_id_depends_only_on_the_name():
    assert anki_deck_id("Biology") == anki_deck_id("Biology")
    assert anki_deck_id("Biology") != anki_deck_id("Chemistry")
    assert 1 << 30 <= anki_deck_id("Biology") < 1 << 31


def test_same_key_in_another_course_is_another_note(cards, tmp_path):
    other = FlashcardFactory(section__chapter__course__slug="chemistry", key="mitosis")

    with open_apkg(
        flashcards_apkg([cards[0], other], deck_name="Mix"), tmp_path
    ) as conn:
        guids = [n[0] for n in notes(conn)]

    assert guids == [
        genanki.guid_for("biology", "mitosis"),
        genanki.guid_for("chemistry", "mitosis"),
    ]
    assert guids[0] != guids[1]


def test_apkg_is_reproducible_with_a_timestamp(cards):
    first = flashcards_apkg(cards, deck_name="Biology", timestamp=1_700_000_000)
    time.sleep(2.1)  # past the zip format's two-second step: the clock must not show
    assert first == flashcards_apkg(cards, deck_name="Biology", timestamp=1_700_000_000)


def test_apkg_of_no_cards_is_a_valid_empty_package(db, tmp_path):
    with open_apkg(flashcards_apkg([], deck_name="Empty"), tmp_path) as conn:
        assert notes(conn) == []
        assert decks(conn)[str(anki_deck_id("Empty"))]["name"] == "Empty"
        assert str(ANKI_MODEL_ID) in models(conn)


def test_apkg_raises_no_genanki_warnings(cards):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        flashcards_apkg(cards, deck_name="Biology")


def test_apkg_leaves_no_temporary_files(cards, tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))

    flashcards_apkg(cards, deck_name="Biology")

    assert list(tmp_path.iterdir()) == []


def test_apkg_tags_multi_level_sections(db, tmp_path):
    card = FlashcardFactory(section__number="3.2.1")

    with open_apkg(flashcards_apkg([card], deck_name="Deck"), tmp_path) as conn:
        assert notes(conn)[0][2] == " section-3.2.1 "


# Filenames


@pytest.mark.parametrize(
    ("stem", "ext", "expected"),
    [
        ("Biology 101: Cells & Life!", "csv", "biology-101-cells-life.csv"),
        ("Ökologie", ".apkg", "okologie.apkg"),
        ("../../etc/passwd", "csv", "etcpasswd.csv"),
        ("細胞", "csv", "export.csv"),
        ("", "CSV", "export.csv"),
        ("a" * 300, "csv", "a" * 100 + ".csv"),
    ],
)
def test_export_filename(stem, ext, expected):
    assert export_filename(stem, ext) == expected


@pytest.mark.parametrize("ext", ["", "c/v", "tar gz", "../x"])
def test_export_filename_rejects_odd_extensions(ext):
    with pytest.raises(ValueError, match="extension"):
        export_filename("x", ext)
