"""The read functions behind the API and pages (store/queries.py, web/API section) on a small store."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

from conftest import forum, history
from letopis.store import Store, queries


@pytest.fixture
def store(db: str) -> Iterator[Store]:
    with Store.open(db) as opened:
        opened.add(forum())
        opened.add(history())
        yield opened


def minister(store: Store) -> int:
    return queries.search_entities(store, "Кошербаев")["items"][0]["id"]


def test_rejected_quote_is_left_out(store: Store) -> None:
    quote = queries.list_quotes(store)["items"][0]
    store.review_fact(f"quote:{quote['id']}", "reject", by="редактор")
    assert queries.list_quotes(store) == {"items": [], "total": 0}


def test_rejected_event_leaves_the_calendar_and_the_graph(store: Store) -> None:
    announced = queries.list_events(store, status="announced")["items"][0]
    store.review_fact(f"event:{announced['id']}", "reject", by="редактор")
    assert queries.list_events(store, status="announced")["total"] == 0
    meeting = queries.list_events(store, type="meeting")["items"][0]
    store.review_fact(f"event:{meeting['id']}", "reject", by="редактор")
    assert [e for e in queries.entity_graph(store)["edges"] if e["kind"] == "meeting"] == []


def test_copies_of_an_event_fold_into_one(store: Store) -> None:
    store.add(dataclasses.replace(forum(), id="t-forum-copy", source="https://kazinform.kz/forum"))
    assert queries.list_events(store, status="announced")["total"] == 2
    folded = queries.list_events(store, status="announced", distinct=True)
    assert [(e["name"], e["documents"]) for e in folded["items"]] == [("Астанинский международный форум", 2)]


def test_posts_over_time_fold_repeated_evidence(store: Store) -> None:
    store.add(
        dataclasses.replace(history(), id="t-history-copy", source="архив/копия.txt", published="2019-07-01")
    )
    posts = queries.entity_posts(store, minister(store))
    assert [(p["title"], p["first_seen"], p["documents"]) for p in posts] == [
        ("посол Казахстана в Бельгии", "2019-06-14", 2),
        ("министр иностранных дел", "2025-11-03", 1),
    ]


def test_mentions_by_month(store: Store) -> None:
    assert queries.mentions_by_month(store, minister(store)) == [
        {"month": "2019-06", "mentions": 1, "documents": 1},
        {"month": "2025-11", "mentions": 2, "documents": 1},
    ]


@pytest.mark.parametrize(
    ("source", "label"),
    [
        ("https://mfa.gov.kz/ru/news/forum", "mfa.gov.kz"),
        ("архив/2019/грамоты.txt", "2019"),
        ("/data/news/a.txt", "news"),
        ("a.txt", "a.txt"),
        ("C:\\news\\a.txt", "news"),
    ],
)
def test_source_label(source: str, label: str) -> None:
    assert queries.source_label(source) == label
