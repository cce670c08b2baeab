"""Years inferred across documents (kb/years.py) and kept up to date in the store (store/years.py)."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from letopis.cli import app
from letopis.kb.years import Reference, first_on_or_after, infer_years, name_key, references_from
from letopis.model import DateValue, Document, Event
from letopis.store import Store
from letopis.store.queries import get_document

SAMPLES = Path(__file__).parent.parent / "samples"
DATED = "000_200e2ad5eac8ecb4.txt"  # published 2026-02-24, "предстоящий республиканский референдум"
UNDATED = "004_0f5906432b56b7a9.txt"  # no date; referendum "15 марта", summit "22–24 апреля"


def _event(id: str, type: str, name: str, partial: str | None = None, from_: str | None = None) -> Event:
    return Event(id, type, name, "announced", from_, from_, partial=partial)


def _undated() -> Document:
    return Document(
        id="b",
        source="b.txt",
        text="… референдума, который состоится 15 марта … саммита, который пройдет 22–24 апреля.",
        events=[
            _event("v1", "referendum", "республиканский референдум", partial="--03-15"),
            _event("v2", "summit", "Региональный экологический саммит", partial="--04-22/--04-24"),
        ],
        dates=[
            DateValue(33, 41, "15 марта", None, None, "day", "--03-15"),
            DateValue(70, 82, "22–24 апреля", None, None, "day", "--04-22/--04-24"),
        ],
    )


def _dated(published: str = "2026-02-24") -> Document:
    return Document(
        id="a",
        source="a.txt",
        text="… предстоящий республиканский референдум по вопросу принятия новой Конституции.",
        published=published,
        events=[
            _event("v1", "referendum", "республиканский референдум по вопросу принятия новой Конституции")
        ],
    )


def test_an_announcing_article_dates_the_same_event_elsewhere() -> None:
    doc = infer_years(_undated(), references_from(_dated()))
    referendum, summit = doc.events
    assert (referendum.from_, referendum.to) == ("2026-03-15", "2026-03-15")
    assert referendum.date_basis == "kb: the same referendum is announced in a published 2026-02-24"
    assert (summit.from_, summit.to) == ("2026-04-22", "2026-04-24")
    assert summit.date_basis.startswith("kb: the document announces an event on 2026-03-15")
    assert [(d.text, d.from_, d.to) for d in doc.dates] == [
        ("15 марта", "2026-03-15", "2026-03-15"),
        ("22–24 апреля", "2026-04-22", "2026-04-24"),
    ]


def test_the_day_from_another_article_dates_an_event_announced_without_one() -> None:
    (referendum,) = infer_years(_dated(), references_from(_undated())).events
    assert (referendum.from_, referendum.date_basis) == (
        "2026-03-15",
        "kb: the same referendum is dated --03-15 in document b",
    )


def test_a_day_already_past_on_publication_goes_to_the_next_year() -> None:
    doc = infer_years(_undated(), references_from(_dated("2026-05-01")))
    assert doc.events[0].from_ == "2027-03-15"


@pytest.mark.parametrize(
    ("mine", "theirs", "same"),
    [
        (
            "республиканский референдум",
            "республиканский референдум по вопросу принятия новой Конституции",
            True,
        ),
        ("референдум", "республиканского референдума", True),
        ("Региональный экологический саммит", "саммит ШОС", False),
    ],
)
def test_events_match_by_content_words(mine: str, theirs: str, same: bool) -> None:
    assert (name_key(mine) <= name_key(theirs) or name_key(theirs) <= name_key(mine)) is same


def test_other_types_and_names_are_left_alone() -> None:
    refs = [Reference("x", "2026-02-24", "summit", "саммит ШОС", "announced", None, None)]
    doc = _undated()
    assert infer_years(doc, refs) is doc


@pytest.mark.parametrize(
    ("month_day", "bound", "expected"),
    [
        ((3, 15), "2026-02-24", "2026-03-15"),
        ((3, 15), "2026-03-16", "2027-03-15"),
        ((2, 29), "2026-01-01", "2028-02-29"),
    ],
)
def test_first_on_or_after(month_day: tuple[int, int], bound: str, expected: str) -> None:
    from datetime import date

    assert first_on_or_after(month_day, date.fromisoformat(bound)).isoformat() == expected


@pytest.mark.parametrize("order", [[DATED, UNDATED], [UNDATED, DATED]])
def test_ingest_order_does_not_matter_and_reingest_is_a_duplicate(db: str, order: list[str]) -> None:
    runner = CliRunner()
    for name in order:
        assert runner.invoke(app, ["ingest", str(SAMPLES / name), "--db", db]).exit_code == 0
    again = runner.invoke(app, ["ingest", str(SAMPLES), "--db", db])
    assert "duplicates 2" in again.stdout
    extracted = runner.invoke(app, ["extract", str(SAMPLES / UNDATED)]).stdout
    doc_id = Document.from_dict(json.loads(extracted)).id
    with Store.open(db) as store:
        stored = get_document(store, doc_id)
    announced = {e.type: (e.from_, e.to) for e in stored.events if e.status == "announced"}
    assert announced == {"referendum": ("2026-03-15", "2026-03-15"), "summit": ("2026-04-22", "2026-04-24")}
