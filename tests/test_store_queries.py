"""store/queries/: search by lemmas, filters, snippets, documents, entities and the summary."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from letopis.errors import QueryError
from letopis.model import Document
from letopis.store import (
    Store,
    entity_profile,
    find_entities,
    get_document,
    list_documents,
    list_entities,
    search,
    summary,
)
from letopis.store import queries as queries_module
from letopis.store.queries import facts, full_text
from letopis.store.queries.full_text import query_lemmas
from test_store_samples import EMBASSY_TEXT, MEETING_TEXT, REFERENDUM_TEXT, embassy, meeting, referendum

MEETING_SENTENCE = MEETING_TEXT[: MEETING_TEXT.index(" Стороны")]


@pytest.fixture(scope="module")
def store(module_db: str) -> Iterator[Store]:
    """Three articles; the meeting is added first, so its spellings name the shared entities."""
    with Store.open(module_db) as opened:
        for doc in (meeting(), referendum(), embassy()):
            opened.add(doc)
        yield opened


def entity_id(store: Store, name: str) -> int:
    return store.connection.execute("SELECT id FROM entities WHERE name = ?", (name,)).fetchone()[0]


def found(store: Store, query: str, **filters: str) -> tuple[list[str], list[str]]:
    result = search(store, query, **filters)
    return [hit["id"] for hit in result["documents"]], [entity["name"] for entity in result["entities"]]


# --- search --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "documents", "entities"),
    [
        ("Балаева", {"d-meeting", "d-referendum"}, ["Аида Балаева"]),
        ("Балаевой", {"d-meeting", "d-referendum"}, ["Аида Балаева"]),
        ("аиды балаевой", {"d-meeting", "d-referendum"}, ["Аида Балаева"]),
        ("референдум", {"d-referendum"}, []),
        ("референдума", {"d-referendum"}, []),
        ("Балаева референдум", {"d-referendum"}, []),  # every lemma must be there
        ("Женева", {"d-embassy"}, ["Женева"]),
        ("партнёрство", {"d-meeting"}, []),  # ё in the query, ё in the text
        ("Казахстан", {"d-meeting", "d-embassy"}, ["Казахстан", "Посольство Казахстана в Швейцарии"]),
        ("Конституция", set(), []),
    ],
)
def test_search_finds_every_word_form(
    store: Store, query: str, documents: set[str], entities: list[str]
) -> None:
    found_documents, found_entities = found(store, query)
    assert (set(found_documents), found_entities) == (documents, entities)


@pytest.mark.parametrize(
    ("query", "documents"),
    [
        ('"(foo AND', []),
        ("Балаева OR", []),  # OR is a word to look for, not an operator
        ("NEAR(Балаева референдум)", []),
        ("title:референдум", []),
        ("-Балаева", ["d-meeting", "d-referendum"]),
        ("Балаев*", ["d-meeting", "d-referendum"]),
        ('"Балаевой"', ["d-meeting", "d-referendum"]),
        ("Балаева^2 OR 1=1; DROP TABLE documents", []),
    ],
)
def test_fts_syntax_in_a_query_is_read_as_words(store: Store, query: str, documents: list[str]) -> None:
    assert sorted(found(store, query)[0]) == documents


@pytest.mark.parametrize("query", ["*", "", "  «» — ", '"()"'])
def test_a_query_without_words_is_a_query_error(store: Store, query: str) -> None:
    with pytest.raises(QueryError, match="it has no words"):
        search(store, query)


def test_since_keeps_documents_published_on_or_after_the_day(store: Store) -> None:
    assert found(store, "Балаева", since="2026-03-10")[0] == ["d-referendum"]
    assert set(found(store, "Балаева", since="2026-02-24")[0]) == {"d-meeting", "d-referendum"}
    assert found(store, "Балаева", since="2026-03-11")[0] == []


@pytest.mark.parametrize("since", ["10.03.2026", "2026-3-10", "вчера"])
def test_since_must_be_an_iso_day(store: Store, since: str) -> None:
    with pytest.raises(QueryError, match="expected YYYY-MM-DD"):
        search(store, "Балаева", since=since)


@pytest.mark.parametrize(
    ("type", "documents", "entities"),
    [
        ("LOC", ["d-meeting"], ["Казахстан"]),
        ("ORG", ["d-embassy"], ["Посольство Казахстана в Швейцарии"]),
        ("per", [], []),
    ],
)
def test_type_keeps_entities_of_that_type_and_documents_naming_one(
    store: Store, type: str, documents: list[str], entities: list[str]
) -> None:
    assert found(store, "Казахстан", type=type) == (documents, entities)


def test_a_hit_carries_the_first_sentence_with_a_query_word(store: Store) -> None:
    hits = search(store, "Балаевой")["documents"]
    assert next(hit for hit in hits if hit["id"] == "d-meeting") == {
        "id": "d-meeting",
        "title": "Аида Балаева встретилась с главой офиса «ООН-Женщины»",
        "published": "2026-02-24",
        "source": "статьи/балаева.txt",
        "snippet": MEETING_SENTENCE,
        "snippet_start": 0,
        "marks": [(73, 81)],
    }
    assert MEETING_SENTENCE[73:81] == "Балаевой"


def test_snippet_marks_every_query_word_and_knows_where_the_sentence_starts(store: Store) -> None:
    [hit] = search(store, "Аида Балаева голосование")["documents"]
    start = REFERENDUM_TEXT.index("Аида")
    assert (hit["snippet"], hit["snippet_start"]) == (REFERENDUM_TEXT[start:], start)
    assert hit["marks"] == [(0, 4), (5, 12), (48, 59)]
    assert [hit["snippet"][a:b] for a, b in hit["marks"]] == ["Аида", "Балаева", "голосовании"]


def test_snippet_marks_every_form_of_the_query_words(store: Store) -> None:
    [hit] = search(store, "соотечественник встреча")["documents"]
    assert (hit["snippet"], hit["snippet_start"], hit["marks"]) == (EMBASSY_TEXT, 0, [(42, 49), (52, 70)])
    assert [EMBASSY_TEXT[a:b] for a, b in hit["marks"]] == ["встречу", "соотечественниками"]


def test_a_title_only_hit_shows_the_first_sentence_unmarked(store: Store) -> None:
    [hit] = search(store, "встретилась")["documents"]  # only the title says it; the text says "встреча"
    assert (hit["snippet"], hit["snippet_start"], hit["marks"]) == (MEETING_SENTENCE, 0, [])


# Words pymorphy3 reads two ways: «судов» судно (0.72) or суд (0.28); «Основного» основный or основной
# (a tie). With one lemma a word, «суд» missed «судов» and «основной» missed «Основного».
READINGS_TEXTS = [
    ("s-courts", "Решения районных судов вступили в силу."),
    ("s-court", "Верховный суд рассмотрел жалобу."),
    ("s-ship", "В порт зашло судно под флагом Панамы."),
    ("s-law", "Проект Основного закона опубликован."),
    ("s-basic", "Основной вопрос решён."),
]


@pytest.fixture
def readings_store(db: str) -> Iterator[Store]:
    with Store.open(db) as opened:
        for doc_id, text in READINGS_TEXTS:
            opened.add(Document(id=doc_id, source=f"{doc_id}.txt", text=text))
        yield opened


@pytest.mark.parametrize(
    ("query", "documents"),
    [
        ("суд", {"s-courts", "s-court"}),
        ("суда", {"s-courts", "s-court"}),
        ("судов", {"s-courts", "s-court", "s-ship"}),  # either reading of the query word
        ("судно", {"s-ship", "s-courts"}),
        ("основной", {"s-law", "s-basic"}),
        ("Основного закона", {"s-law"}),
        ("районный суд", {"s-courts"}),
        ("верховных судов", {"s-court"}),
    ],
)
def test_search_finds_a_word_by_each_of_its_likely_lemmas(
    readings_store: Store, query: str, documents: set[str]
) -> None:
    assert set(found(readings_store, query)[0]) == documents


def test_snippet_marks_a_word_by_any_of_its_likely_lemmas(readings_store: Store) -> None:
    [hit] = search(readings_store, "районный суд")["documents"]
    assert [hit["snippet"][a:b] for a, b in hit["marks"]] == ["районных", "судов"]


@pytest.mark.parametrize(
    ("quote", "term", "says"),
    [
        ("Решения районных судов вступили в силу", "суд", True),  # «судов»: судно or суд
        ("Решения районных судов вступили в силу", "районный суд", True),
        ("Проект Основного закона опубликован", "основной закон", True),  # «Основного»: основный or основной
        ("Проект Основного закона опубликован", "основной суд", False),  # every word of the term
        ("Верховный суд рассмотрел жалобу", "судно", False),
    ],
)
def test_a_quote_says_a_term_when_it_holds_a_lemma_of_each_of_its_words(
    quote: str, term: str, says: bool
) -> None:
    assert facts._says_every_term(quote, query_lemmas(term)) is says


# --- documents -----------------------------------------------------------------------------------


def test_get_document_returns_the_contract_with_kb_ids(store: Store) -> None:
    expected = meeting().to_dict()
    names = {"e1": "Аида Балаева", "e2": "Астана", "e3": "ООН-Женщины", "e4": "Казахстан", "e5": "ООН"}
    for entity in expected["entities"]:
        entity["kb_id"] = entity_id(store, names[entity["id"]])
    assert get_document(store, "d-meeting").to_dict() == expected


def test_get_document_of_an_unknown_id_is_none(store: Store) -> None:
    assert get_document(store, "нет-такого") is None


def test_list_documents_newest_first_in_pages(store: Store) -> None:
    assert list_documents(store, limit=2) == [
        {
            "id": "d-referendum",
            "title": "Итоги референдума",
            "published": "2026-03-10",
            "source": "https://example.gov.kz/news/referendum",
        },
        {
            "id": "d-meeting",
            "title": "Аида Балаева встретилась с главой офиса «ООН-Женщины»",
            "published": "2026-02-24",
            "source": "статьи/балаева.txt",
        },
    ]
    assert [doc["id"] for doc in list_documents(store, limit=2, offset=2)] == ["d-embassy"]


# --- entities ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Аиды Балаевой", ["Аида Балаева"]),
        ("аида балаёва", ["Аида Балаева"]),
        ("Структура «ООН-Женщины»", ["ООН-Женщины"]),  # exact alias
        ("ООН", ["ООН", "ООН-Женщины"]),  # exact name first, then names holding the lemma
        ("Швейцарии", ["Швейцария", "Посольство Казахстана в Швейцарии"]),  # the closer name first
        ("Конституция", []),
    ],
)
def test_find_entities_by_any_form_of_a_name_or_alias(store: Store, name: str, expected: list[str]) -> None:
    assert [entity["name"] for entity in find_entities(store, name)] == expected


def test_entity_profile(store: Store) -> None:
    balaeva = entity_id(store, "Аида Балаева")
    profile = entity_profile(store, balaeva)
    assert {key: profile[key] for key in ("id", "type", "name", "mention_count", "aliases")} == {
        "id": balaeva,
        "type": "PER",
        "name": "Аида Балаева",
        "mention_count": 3,
        "aliases": ["АИДА БАЛАЁВА", "Балаева"],
    }
    assert [doc["id"] for doc in profile["documents"]] == ["d-referendum", "d-meeting"]
    assert profile["co_mentioned"] == [
        {"id": entity_id(store, name), "type": kind, "name": name, "count": 1}
        for name, kind in [
            ("Астана", "LOC"),
            ("Казахстан", "LOC"),
            ("ООН", "ORG"),
            ("ООН-Женщины", "ORG"),
            ("Центральная избирательная комиссия", "ORG"),
        ]
    ]


def test_co_mentions_are_counted_in_the_latest_documents_of_a_much_named_entity(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    balaeva = entity_id(store, "Аида Балаева")
    everywhere = queries_module.co_mentions(store, balaeva)
    assert queries_module.co_mentions_over(store, balaeva) == 2
    monkeypatch.setattr(queries_module.entities, "CO_MENTION_LINKS", 1)
    latest = queries_module.co_mentions(store, balaeva)
    assert queries_module.co_mentions_over(store, balaeva) == 1
    assert 0 < len(latest) < len(everywhere)
    assert {c["name"] for c in latest} < {c["name"] for c in everywhere}


def test_entity_profile_of_an_unknown_id_is_none(store: Store) -> None:
    assert entity_profile(store, 10_000) is None


def test_list_entities_most_mentioned_first(store: Store) -> None:
    assert [(e["name"], e["mention_count"]) for e in list_entities(store, type="LOC")] == [
        ("Астана", 1),
        ("Женева", 1),
        ("Казахстан", 1),
        ("Швейцария", 1),
    ]
    assert [e["name"] for e in list_entities(store, limit=2, offset=1)] == ["Астана", "Женева"]


def test_summary(store: Store) -> None:
    result = summary(store)
    assert (result["documents"], result["mentions"]) == (3, 11)
    assert result["entities_by_type"] == {"LOC": 4, "ORG": 4, "PER": 1}
    assert result["top_entities"]["PER"] == [
        {"id": entity_id(store, "Аида Балаева"), "type": "PER", "name": "Аида Балаева", "mention_count": 3}
    ]
    assert [e["name"] for e in result["top_entities"]["ORG"]] == [
        "ООН",
        "ООН-Женщины",
        "Посольство Казахстана в Швейцарии",
        "Центральная избирательная комиссия",
    ]


# --- ranking in two runs: the newest matches, then the older ones ------------------------------

# Stored in this order (oldest first); "референдум" occurs more often in some than in others.
RANKED_TEXTS = [
    ("r-old-strong", "Референдум назначен. Референдум пройдет по всей стране, референдум важен."),
    ("r-old-weak", "Глава ЦИК рассказал о подготовке, в том числе к референдуму, и о бюджете комиссии."),
    ("r-mid-strong", "Референдум, референдум, референдум и ещё раз референдум: неделя в парламенте."),
    ("r-new-weak", "Министр рассказал о реформах, о выборах и о предстоящем референдуме в марте."),
    ("r-new-strong", "Республиканский референдум состоится 15 марта, сообщили в комиссии по референдуму."),
]


@pytest.fixture
def ranked_store(db: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    monkeypatch.setattr(full_text, "RANKED_MATCHES", 2)
    with Store.open(db) as opened:
        for doc_id, text in RANKED_TEXTS:
            opened.add(Document(id=doc_id, source=f"{doc_id}.txt", text=text))
        yield opened


def test_search_ranks_the_newest_matches_first_then_the_older_ones(ranked_store: Store) -> None:
    hits = [
        hit["id"]
        for hit in queries_module.search_documents(ranked_store, "референдум", limit=10)["documents"]
    ]
    assert hits == ["r-new-strong", "r-new-weak", "r-mid-strong", "r-old-strong", "r-old-weak"]


def test_search_pages_follow_the_same_order_across_the_two_runs(ranked_store: Store) -> None:
    whole = queries_module.search_documents(ranked_store, "референдума", limit=10)["documents"]
    pages = [
        hit["id"]
        for offset in range(0, 5, 2)
        for hit in queries_module.search_documents(ranked_store, "референдума", limit=2, offset=offset)[
            "documents"
        ]
    ]
    assert pages == [hit["id"] for hit in whole]
    assert search(ranked_store, "референдумом", limit=3)["documents"][2]["id"] == "r-mid-strong"


def test_search_facets_count_the_newest_matches(ranked_store: Store) -> None:
    page = queries_module.search_documents(ranked_store, "референдум", limit=1)
    assert (page["total"], page["facets_over"]) == (5, 2)


@pytest.mark.parametrize(
    ("text", "lemmas", "expected"),
    [
        # A headline without a full stop: razdel over the whole text ran it into the next line.
        (
            "В Астане обсудили референдум\nЦИК утвердил дату голосования. Явка составила 62%.",
            {"голосование"},
            ("ЦИК утвердил дату голосования.", 29, [(18, 29)]),
        ),
        # The first word of the query found far into the text: the sentence of its own line.
        (
            "Первый абзац без нужного слова. " * 300 + "\nВторой абзац. Здесь говорится о референдуме.\n",
            {"референдум"},
            ("Здесь говорится о референдуме.", 32 * 300 + 15, [(18, 29)]),
        ),
        ("  \nНичего не найдено. Совсем.", {"референдум"}, ("Ничего не найдено.", 3, [])),
        (" \n \n", {"референдум"}, (None, None, [])),
    ],
)
def test_snippet_is_the_sentence_of_the_first_wanted_word_within_its_line(
    text: str, lemmas: set[str], expected: tuple
) -> None:
    found = full_text.find_snippet(text, lemmas)
    assert (found["snippet"], found["snippet_start"], found["marks"]) == expected
