"""The NER model run by letopis gives slovnet's own tags and scores (nlp/tagger.py).

The first layer sums each window's three words' shares apart, where slovnet sums one product, and the
later layers depend on how OpenBLAS's kernels for the CPU order a row's sums: the scores are compared
to within float32 rounding and the tags exactly."""

from pathlib import Path

import numpy as np
import pytest
from razdel import tokenize
from slovnet.bio import bio_spans as slovnet_bio_spans

from letopis.nlp import tagger
from letopis.nlp.models import ner_tagger
from letopis.nlp.ner import bio_spans

SAMPLES = Path(__file__).parent.parent / "samples"

SENTENCES = [
    "Сергей Лавров провёл переговоры с Антони Блинкеном в Женеве.",
    "Министр иностранных дел РК Мурат Нуртлеу встретился с послом Японии.",
    "Росстат сообщил о росте цен.",
    "Москва",
    "А",
    "В Москве <pad> встретились Иванов и Петров.",  # a word slovnet takes for padding
    "Заседание Совета Безопасности ООН прошло в Нью-Йорке под председательством Китая, "
    "сообщает пресс-служба МИД России.",
]


def _words(text: str) -> list[str]:
    return [token.text for token in tokenize(text)]


def _articles() -> list[list[str]]:
    """The sample articles, thrice over, whole and in halves: runs long enough to be packed."""
    out = []
    for path in sorted(SAMPLES.glob("*.txt")):
        words = _words(path.read_text(encoding="utf-8"))
        out += [words * 3, words, words[: len(words) // 2]]
    return out


def _slovnet(texts: list[list[str]]) -> tuple[list[np.ndarray], list[list[str]]]:
    """slovnet's scores for each run of texts and tags for each text, as `NewsNERTagger` computes them."""
    infer = ner_tagger().infer
    scores, tags = [], []
    for run in infer.encoder(texts):
        emissions = infer.model(run.word_id, run.shape_id, run.pad_mask)
        scores.append(emissions)
        tags += infer.decoder(infer.model.head.crf.decode(emissions, ~run.pad_mask))
    return scores, tags


def _ours(texts: list[list[str]]) -> list[np.ndarray]:
    model = ner_tagger().infer.model
    runs = [tagger._run(texts[start : start + 8]) for start in range(0, len(texts), 8)]
    return [model.head.proj(features) for _, features in sorted(tagger._encoded(model, runs), key=_first)]


def _first(pair: tuple[int, np.ndarray]) -> int:
    return pair[0]


@pytest.mark.parametrize(
    "texts",
    [
        [_words(text) for text in SENTENCES],  # small runs: computed padded, as slovnet does
        _articles(),  # a large run: packed
        _articles() * 2,  # two large runs, packed together
        _articles() + [_words(text) for text in SENTENCES],  # a large run packed, a small one padded
    ],
    ids=["sentences", "articles", "two-runs", "both"],
)
def test_scores_and_tags_are_slovnets(texts: list[list[str]]) -> None:
    scores, tags = _slovnet(texts)
    ours = _ours(texts)
    assert [o.shape for o in ours] == [theirs.shape for theirs in scores]
    for mine, theirs in zip(ours, scores, strict=True):
        np.testing.assert_allclose(mine, theirs, rtol=1e-5, atol=1e-5)
    assert tagger.tag_batches([texts]) == [tags]


def test_articles_are_packed_and_sentences_are_not() -> None:
    articles = tagger._run(_articles())
    sentences = tagger._run([_words(text) for text in SENTENCES])
    assert sorted(tagger._packs([articles, articles, sentences])) == [[0, 1], [2]]
    assert tagger._large([articles, articles])
    assert not tagger._large([sentences])


def test_batches_keep_their_texts_in_order() -> None:
    texts = [_words(text) for text in SENTENCES]
    batches = [texts[:2], texts[2:]]
    assert tagger.tag_batches(batches) == [tagger.tag_batches([batch])[0] for batch in batches]


@pytest.mark.parametrize(
    "labels",
    [
        ["B-PER", "I-PER", "O", "B-LOC"],
        ["I-PER", "I-PER", "O"],  # I with no B before it
        ["B-PER", "I-ORG", "I-LOC", "O", "I-PER"],  # I of another type; I after O
        ["B-ORG", "B-ORG", "I-ORG", "B-LOC"],  # B after B
        ["B-PER", "<pad>", "I-PER", "O", "<pad>", "I-PER"],
        ["O", "O"],
        [],
    ],
)
def test_bio_spans_read_tags_as_slovnet_does(labels: list[str]) -> None:
    tokens = list(tokenize(" ".join(["слово"] * len(labels))))
    theirs = [(s.start, s.stop, s.type) for s in slovnet_bio_spans(tokens, labels)]
    assert [tuple(span) for span in bio_spans(tokens, labels)] == theirs


def test_bio_spans_of_random_tags_are_slovnets() -> None:
    items = ner_tagger().infer.decoder.tags_vocab.items
    rng = np.random.default_rng(7)
    tokens = list(tokenize(" ".join(["слово"] * 12)))
    for _ in range(3000):
        labels = [items[i] for i in rng.integers(0, len(items), size=rng.integers(0, 13))]
        theirs = [(s.start, s.stop, s.type) for s in slovnet_bio_spans(tokens, labels)]
        assert [tuple(span) for span in bio_spans(tokens, labels)] == theirs, labels
