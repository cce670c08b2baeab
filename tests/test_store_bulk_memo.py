"""Store.add_many keeps what one chunk read (kb.memo) for the next chunk only while that is still true:
not after another writer committed between them, not after a chunk failed and was rolled back, and
not past a size (MEMO_ENTRIES). Each test gives the store `Store.add` gives, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from letopis.kb import memo
from letopis.model import DateValue, Document
from letopis.store import Added, Store
from letopis.store import store as store_module
from test_kb_documents import Post, article, entity_id, person
from test_kb_resolution import IVANOV_BARE, ivanovs
from test_store_bulk import in_bulk, knowledge_base, named_knowledge_base, one_by_one

ECOLOGY_MINISTER = "Министр экологии Игорь Иванов подписал приказ о новых заповедниках."
FOREST_FORUM = "Министр экологии Иванов открыл форум по охране лесов."


def bare_ivanov() -> Document:
    """«Иванов» with no post, where two Ivanovs are known: a person of its own."""
    return article("d-bare", "2024-09-14", IVANOV_BARE, {"e1": person("Иванов")})


def igor_the_minister() -> Document:
    """Igor Ivanov, named in full, in a post he did not hold before."""
    post = Post("e1", "министр экологии", "Министр экологии Игорь Иванов")
    return article("d-minister", "2024-10-01", ECOLOGY_MINISTER, {"e1": person("Игорь Иванов")}, posts=[post])


def forest_forum() -> Document:
    """«Иванов» alone, with that post: the person who holds it, if one does."""
    post = Post("e1", "министр экологии", "Министр экологии Иванов")
    return article("d-forum", "2024-10-15", FOREST_FORUM, {"e1": person("Иванов")}, posts=[post])


def add_minister(store: Store, db: str) -> None:
    """Another writer (another connection): Igor Ivanov becomes minister of ecology."""
    with Store.open(db) as other:
        other.add(igor_the_minister())


def add_minister_here(store: Store, db: str) -> None:
    """The same, through the store that loads."""
    store.add(igor_the_minister())


def merge_bare_ivanov(store: Store, db: str) -> None:
    """A curator (another connection) makes the bare «Иванов» of d-bare Sergey Ivanov; a later
    «Иванов» is a person of its own again, its key «иванов» free."""
    with Store.open(db) as other:
        other.merge_entities(entity_id(other, "Сергей Иванов"), entity_id(other, "Иванов"), by="anna")


def loaded_with_a_write_between(
    store: Store, before: list[Document], write: Callable[[], None], after: list[Document]
) -> list[Added]:
    """`before`, then `after`, loaded a document a chunk; `write` runs once the last of `before` is
    stored, before the next chunk begins (the caller's turn between two chunks)."""
    results = []
    for added in store.add_many([*before, *after], chunk=1):
        results.append(added)
        if len(results) == len(before):
            write()
    return results


@pytest.mark.parametrize(
    ("write", "linked_to"),
    [(add_minister, "Игорь Иванов"), (add_minister_here, "Игорь Иванов"), (merge_bare_ivanov, "Иванов")],
    ids=[
        "another document gives a person a post",
        "the loading store's own document does",
        "a curator merges two people",
    ],
)
def test_a_chunk_after_another_write_links_to_what_it_wrote(
    new_db: Callable[[], str], write: Callable[[Store, str], None], linked_to: str
) -> None:
    expected_db, bulk_db = new_db(), new_db()
    with Store.open(expected_db) as store:
        expected = [Added(doc.id, store.add(doc)) for doc in [*ivanovs(), bare_ivanov()]]
        write(store, expected_db)
        expected.append(Added("d-forum", store.add(forest_forum())))
    with Store.open(bulk_db) as store:
        loaded = loaded_with_a_write_between(
            store, [*ivanovs(), bare_ivanov()], lambda: write(store, bulk_db), [forest_forum()]
        )
        assert loaded == expected
        linked = "SELECT entity_id FROM doc_entities WHERE doc_id = 'd-forum'"
        assert store.connection.execute(linked).fetchone()[0] == entity_id(store, linked_to)
    assert knowledge_base(bulk_db) == knowledge_base(expected_db)


def test_a_chunk_rolled_back_leaves_nothing_to_the_next(new_db: Callable[[], str]) -> None:
    """The failed chunk linked Igor Ivanov and gave him a post before its rows failed: the next
    chunk must not find that post."""
    broken = igor_the_minister()
    broken.dates = [DateValue(None, 0, "1 октября", "2024-10-01", "2024-10-01", "day")]  # NOT NULL
    expected_db, bulk_db = new_db(), new_db()
    expected = one_by_one(expected_db, [*ivanovs(), forest_forum()])
    results = in_bulk(bulk_db, [*ivanovs(), broken, forest_forum()], chunk=1)
    assert [(added.doc_id, added.result) for added in results] == [
        *((added.doc_id, added.result) for added in expected[:-1]),
        ("d-minister", "failed"),
        ("d-forum", "new"),
    ]
    # PostgreSQL's sequences do not roll back: after a failed chunk ids differ (test_store_bulk).
    assert named_knowledge_base(bulk_db) == named_knowledge_base(expected_db)


@pytest.fixture
def memos_made(monkeypatch: pytest.MonkeyPatch) -> list[memo.Memo]:
    """Every memo the bulk load makes (those that remember), in order."""
    made: list[memo.Memo] = []

    class Counted(memo.Memo):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            if self.remember:
                made.append(self)

    monkeypatch.setattr(store_module, "Memo", Counted)
    return made


@pytest.mark.parametrize(
    ("limit", "memos"), [(store_module.MEMO_ENTRIES, 1), (0, 4)], ids=["alone", "too big"]
)
def test_a_bulk_load_alone_keeps_its_memo_until_it_is_too_big(
    new_db: Callable[[], str],
    memos_made: list[memo.Memo],
    monkeypatch: pytest.MonkeyPatch,
    limit: int,
    memos: int,
) -> None:
    monkeypatch.setattr(store_module, "MEMO_ENTRIES", limit)
    expected_db, bulk_db = new_db(), new_db()
    docs = [*ivanovs(), forest_forum()]
    assert in_bulk(bulk_db, docs, chunk=1) == one_by_one(expected_db, docs)
    assert len(memos_made) == memos
    assert knowledge_base(bulk_db) == knowledge_base(expected_db)


@pytest.mark.parametrize(
    ("between", "same"),
    [
        (lambda store, db: None, True),
        (add_minister, False),
        (add_minister_here, False),
    ],
    ids=["nothing", "another connection's document", "this store's own document"],
)
def test_a_write_transaction_finds_the_mark_the_last_one_left_unless_a_write_came_between(
    db: str, between: Callable[[Store, str], None], same: bool
) -> None:
    with Store.open(db) as store:
        store.add(ivanovs()[0])
        with store._transaction():
            left = store._write_mark()
        between(store, db)
        with store._transaction() as found:
            assert (found == left) is same
