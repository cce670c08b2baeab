"""The pipeline (nlp/pipeline.py): documents in batches give what each gives alone, within time limits."""

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from letopis.errors import ExtractionTimeout, SourceError
from letopis.model import Document
from letopis.nlp import pipeline
from letopis.nlp.pipeline import default_stages, extract, extract_all, extract_within, prepared

SAMPLES = sorted((Path(__file__).parent.parent / "samples").glob("*.txt"))
TEXTS = [path.read_text(encoding="utf-8") for path in SAMPLES] + [
    "Президент Казахстана Касым-Жомарт Токаев провёл встречу с премьер-министром Индии.",
    "",
]


def _docs() -> list[Document]:
    return [Document(id=str(n), source=f"{n}.txt", text=text) for n, text in enumerate(TEXTS)]


def test_documents_extracted_together_are_those_extracted_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "BATCH_SIZE", 3)  # two batches
    together = [doc.to_dict() for doc in extract_all(_docs())]
    alone = [extract(doc).to_dict() for doc in _docs()]
    assert together == alone


def test_prepared_keeps_every_item_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "BATCH_SIZE", 2)
    error = SourceError("broken.html", "cannot be decoded")
    items = [_docs()[2], error, _docs()[3], _docs()[2]]
    assert list(prepared(items, default_stages())) == items


class _SlowToPrepare:
    """A stage whose batch work hangs, as a runaway model call would; alone it does nothing."""

    __name__ = "slow_to_prepare"

    def __init__(self) -> None:
        self.prepared: list[list[str]] = []

    def prepare(self, docs: list[Document]) -> None:
        self.prepared.append([doc.id for doc in docs])
        if docs:
            time.sleep(30)

    def __call__(self, doc: Document) -> Document:
        return doc


def test_a_batch_over_the_time_limit_is_done_one_document_at_a_time() -> None:
    slow = _SlowToPrepare()
    stages = [slow, *default_stages()]
    started = time.monotonic()
    docs = [extract_within(doc, stages, 5) for doc in prepared(_docs()[2:], stages, 0.2)]
    assert time.monotonic() - started < 10
    assert slow.prepared == [["2", "3"], []]  # the batch, then nothing kept of it
    assert [doc.to_dict() for doc in docs] == [extract(doc).to_dict() for doc in _docs()[2:]]


def test_a_slow_document_still_times_out_when_prepared() -> None:
    def hang(doc: Document) -> Document:
        time.sleep(30)
        return doc

    stages = [*default_stages(), hang]
    doc = next(prepared(_docs()[2:], stages))
    with pytest.raises(ExtractionTimeout, match="2.txt: extraction stopped after 0.2 s"):
        extract_within(doc, stages, 0.2)


def _hang_in_python(doc: Document) -> Document:
    """A stage stuck in Python code (short calls into C), as a runaway rule would be."""
    for _ in range(3000):
        time.sleep(0.01)
    return doc


def test_a_slow_document_times_out_in_a_thread_that_is_not_the_main_one() -> None:
    stages = [*default_stages(), _hang_in_python]
    doc = _docs()[2]
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=1) as pool:
        outcome = pool.submit(extract_within, doc, stages, 0.5).exception()
        assert time.monotonic() - started < 10
        assert isinstance(outcome, ExtractionTimeout)
        assert str(outcome) == "2.txt: extraction stopped after 0.5 s (time limit per document)"
        # the same thread goes on with the next document, nothing left pending for it
        fast = pool.submit(extract_within, _docs()[3], default_stages(), 30).result()
    assert fast.to_dict() == extract(_docs()[3]).to_dict()
