"""The read functions behind the API and pages (store/queries/, web/API section) on a small store."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

from conftest import forum, history
from letopis.store import Store, queries
from test_kb_documents import Post, article, event, person


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


@pytest.mark.parametrize(
    ("name", "events"),
    [
        ("Кошербаев", ["встреча Ермека Кошербаева и Мари Дюбуа"]),  # a participant
        ("Астана", ["встреча Ермека Кошербаева и Мари Дюбуа", "Астанинский международный форум"]),  # place
        ("Франция", []),  # named in the document, in no event
    ],
)
def test_an_entitys_events_are_those_it_takes_part_in_or_hosts(
    store: Store, name: str, events: list[str]
) -> None:
    entity = queries.search_entities(store, name)["items"][0]["id"]
    assert sorted(e["name"] for e in queries.list_events(store, entity=entity)["items"]) == sorted(events)


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


MINISTER_RK = "Министр иностранных дел РК Ермек Кошербаев принял посла Японии."
MINISTER_IN_FULL = "Министр иностранных дел Республики Казахстан Ермек Кошербаев провёл переговоры в Токио."


def minister_in(doc_id: str, published: str, text: str, title: str):  # noqa: ANN201 - a Document
    evidence = text.split(" Ермек Кошербаев")[0] + " Ермек Кошербаев"
    return article(
        doc_id, published, text, {"e1": person("Ермек Кошербаев")}, posts=[Post("e1", title, evidence)]
    )


def test_posts_are_the_kb_timeline_one_post_however_the_title_is_spelled(db: str) -> None:
    with Store.open(db) as store:
        store.add(minister_in("d-rk", "2026-01-10", MINISTER_RK, "министр иностранных дел РК"))
        store.add(
            minister_in(
                "d-full", "2026-02-20", MINISTER_IN_FULL, "министр иностранных дел Республики Казахстан"
            )
        )
        posts = queries.entity_posts(store, minister(store))
    assert [(p["title"], p["first_seen"], p["last_seen"], p["documents"], p["doc_ids"]) for p in posts] == [
        ("министр иностранных дел Республики Казахстан", "2026-01-10", "2026-02-20", 2, ["d-full", "d-rk"])
    ]
    (post,) = posts
    assert (post["doc_id"], MINISTER_RK[post["start"] : post["end"]]) == (
        "d-rk",
        "Министр иностранных дел РК Ермек Кошербаев",
    )
    assert (post["current"], len(post["facts"])) == (True, 2)


def test_the_profile_links_are_those_of_its_page_of_documents(store: Store) -> None:
    profile = queries.knowledge_profile(store, minister(store), limit=1)
    assert [d["id"] for d in profile["documents"]["items"]] == ["t-forum"]
    assert [(link["doc_id"], link["name"], link["rule"]) for link in profile["links"]] == [
        ("t-forum", "Ермек Кошербаев", "new")
    ]
    older = queries.knowledge_profile(store, minister(store), limit=1, offset=1)
    assert [(link["doc_id"], link["rule"]) for link in older["links"]] == [("t-history", "same_name")]


REFERENDUM = "Республиканский референдум по вопросу принятия новой Конституции пройдёт 15 марта 2026 года."
REFERENDUM_AGAIN = (
    "Решение будет принято по итогам республиканского референдума, который состоится 15 марта. "
    "В тот же день пройдёт саммит."
)
REFERENDUM_LATER = "Республиканский референдум о местном самоуправлении пройдёт 6 сентября 2026 года."


def announced(text: str, evidence: str, type: str, name: str, day: str, **fields: object):  # noqa: ANN201
    return event(
        text, evidence, id=f"v-{type}", type=type, name=name, status="announced", from_=day, to=day, **fields
    )


def test_the_calendar_folds_one_event_announced_in_two_documents(db: str) -> None:
    first = announced(
        REFERENDUM,
        REFERENDUM,
        "referendum",
        "республиканский референдум по вопросу принятия новой Конституции",
        "2026-03-15",
    )
    again = announced(
        REFERENDUM_AGAIN,
        "республиканского референдума, который состоится 15 марта",
        "referendum",
        "республиканский референдум",
        "2026-03-15",
        partial="--03-15",
    )
    summit = announced(REFERENDUM_AGAIN, "пройдёт саммит", "summit", "саммит", "2026-03-15")
    later = announced(
        REFERENDUM_LATER, REFERENDUM_LATER, "referendum", "республиканский референдум", "2026-09-06"
    )
    with Store.open(db) as store:
        store.add(article("d-dated", "2026-02-24", REFERENDUM, {}, events=[first]))
        store.add(article("d-again", "2026-03-01", REFERENDUM_AGAIN, {}, events=[again, summit]))
        store.add(article("d-later", "2026-05-01", REFERENDUM_LATER, {}, events=[later]))
        entries = queries.calendar_events(store)
    assert [(e["type"], e["name"], e["from"], e["documents"]) for e in entries] == [
        ("referendum", "республиканский референдум по вопросу принятия новой Конституции", "2026-03-15", 2),
        ("summit", "саммит", "2026-03-15", 1),
        ("referendum", "республиканский референдум", "2026-09-06", 1),
    ]
    assert [(r["doc_id"], r["published"], r["name"]) for r in entries[0]["reports"]] == [
        ("d-again", "2026-03-01", "республиканский референдум"),
        ("d-dated", "2026-02-24", "республиканский референдум по вопросу принятия новой Конституции"),
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
