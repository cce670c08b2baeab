"""Write marks (Dialect.begin_write, write_mark): a write transaction finds the mark the last one left
only if nothing wrote the store between them, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from letopis.model import Document
from letopis.store import Store
from test_kb_documents import Post, article, person
from test_kb_resolution import ivanovs

ECOLOGY_MINISTER = "Министр экологии Игорь Иванов подписал приказ о новых заповедниках."


def igor_the_minister() -> Document:
    """Igor Ivanov, named in full, in a post he did not hold before."""
    post = Post("e1", "министр экологии", "Министр экологии Игорь Иванов")
    return article("d-minister", "2024-10-01", ECOLOGY_MINISTER, {"e1": person("Игорь Иванов")}, posts=[post])


def add_minister(store: Store, db: str) -> None:
    """Another writer (another connection): Igor Ivanov becomes minister of ecology."""
    with Store.open(db) as other:
        other.add(igor_the_minister())


def add_minister_here(store: Store, db: str) -> None:
    """The same, through the store that loads."""
    store.add(igor_the_minister())


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
