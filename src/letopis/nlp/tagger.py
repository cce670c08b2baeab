"""slovnet's NER model (Natasha's news tagger) run on batches of tokenised texts: the same tags as
`slovnet.exec`, in about a third of the time.

slovnet pads each run of 8 texts to its longest, keeps activations as texts x channels x words and,
for each convolution, copies every window of three words into a row with a numpy loop three floats
long; its CRF decoder walks the words with half a dozen numpy calls a step and each path with numpy
scalars. Here:
- the first convolution, over the embeddings, is computed once for each distinct word of a pack
  (`_first_layer`): a window's product is the sum of its three words' shares;
- activations are words x channels, so a window's row is three contiguous copies;
- the texts of many runs are packed one after another, a zero row between two texts standing for
  the padding each would have, so the convolutions skip the padding (a third of slovnet's rows);
- the Viterbi step is four numpy calls, and paths are read back from lists.

The later layers compute every float by slovnet's operations on slovnet's operands in slovnet's
order. The first layer sums each window's three shares apart, where slovnet sums its 990 terms in
one product, so a score differs from slovnet's by float32 rounding: at most 3e-5 over the 251,739
words of NEREL train and dev, factRuEval dev and the samples, where scores run to tens, and not one
tag differed. tests/test_tagger.py compares the scores and tags with slovnet's own.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from slovnet.exec.model import NER, CNNEncoderLayer, NavecEmbedding, WordShapeEmbedding
from slovnet.shape import word_shape

from letopis.nlp.models import ner_tagger

# A product with fewer rows may take OpenBLAS's small-matrix path, which sums in another order (it
# does below 20 rows for these layers); runs (batch x padded width) and packs smaller than this are
# computed padded, as slovnet computes them, so that the later layers stay slovnet's to the bit.
PACKED_MIN_ROWS = 1024
# Rows (words) of one pack: the second layer's windows take 3 KB a row.
PACKED_MAX_ROWS = 8192


@dataclass
class _Run:
    """Texts slovnet encodes together: word and shape ids padded to the longest, and their lengths."""

    word_id: np.ndarray
    shape_id: np.ndarray
    pad_mask: np.ndarray  # as slovnet: where the word id is the pad's (padding, or a word "<pad>")
    lengths: list[int]


def tag_batches(batches: Sequence[Sequence[Sequence[str]]]) -> list[list[list[str]]]:
    """BIO tags ("B-PER", "O", …) of the words of each text of each batch, as `NewsNERTagger` tags a
    batch: in runs of the encoder's batch size (8), each padded to its longest text."""
    infer = ner_tagger().infer
    size = infer.encoder.batch_size
    runs = [_run(texts[start : start + size]) for texts in batches for start in range(0, len(texts), size)]
    by_run: list[list[list[str]]] = [[] for _ in runs]
    for number, features in _encoded(infer.model, runs):  # a pack at a time: memory as for one
        by_run[number] = _decoded(runs[number], features)
    tagged = iter([tags for run_tags in by_run for tags in run_tags])
    return [[next(tagged) for _ in texts] for texts in batches]


def _decoded(run: _Run, features: np.ndarray) -> list[list[str]]:
    """The tags of a run's texts from the encoder's output: projected to tag scores, then the CRF."""
    infer = ner_tagger().infer
    scores = infer.model.head.proj(features)
    labels = infer.decoder.tags_vocab.items
    paths = viterbi(infer.model.head.crf.transitions.array, scores, ~run.pad_mask)
    return [[labels[tag] for tag in path] for path in paths]


def _run(texts: Sequence[Sequence[str]]) -> _Run:
    """Word and shape ids, padded as `slovnet.exec.pad.pad_sequence` pads them."""
    encoder = ner_tagger().infer.encoder
    word_pad = encoder.words_vocab.pad_id
    width = max(len(words) for words in texts)
    word_id = np.full((len(texts), width), word_pad)
    shape_id = np.full((len(texts), width), encoder.shapes_vocab.pad_id)
    for row, words in enumerate(texts):
        if words:
            word_id[row, : len(words)], shape_id[row, : len(words)] = zip(*map(word_ids, words), strict=True)
    return _Run(word_id, shape_id, word_id == word_pad, [len(words) for words in texts])


@lru_cache(maxsize=100_000)
def word_ids(word: str) -> tuple[int, int]:
    """(word id, shape id) of one word, as `WordShapeEncoder.item` encodes it; cached, as news
    repeats its words."""
    encoder = ner_tagger().infer.encoder
    return encoder.words_vocab.encode(word.lower()), encoder.shapes_vocab.encode(word_shape(word))


def _encoded(model: NER, runs: Sequence[_Run]) -> Iterator[tuple[int, np.ndarray]]:
    """(number, the encoder's output) of each run, run x padded width x channels, padding zeroed."""
    for pack in _packs(runs):
        if _packable(model) and _large([runs[number] for number in pack]):
            yield from zip(pack, _packed_encoding(model, [runs[number] for number in pack]), strict=True)
        else:
            for number in pack:
                run = runs[number]
                yield number, padded_encoding(model, run.word_id, run.shape_id, run.pad_mask)


def _large(runs: Sequence[_Run]) -> bool:
    """True when both slovnet's products (each run padded) and the pack's have `PACKED_MIN_ROWS`."""
    packed = sum(sum(run.lengths) + len(run.lengths) for run in runs) - 1
    return packed >= PACKED_MIN_ROWS and all(run.pad_mask.size >= PACKED_MIN_ROWS for run in runs)


def _packable(model: NER) -> bool:
    """True when one zero row stands for each layer's padding: windows of three words, one each side."""
    return all(layer.conv.padding == 1 and layer.conv.weight.shape[2] == 3 for layer in model.encoder.layers)


def _packs(runs: Sequence[_Run]) -> Iterator[list[int]]:
    """Numbers of runs encoded together: each small run alone, the others up to `PACKED_MAX_ROWS`."""
    pack: list[int] = []
    rows = 0
    for number, run in enumerate(runs):
        if run.pad_mask.size < PACKED_MIN_ROWS:
            yield [number]
            continue
        if pack and rows + sum(run.lengths) > PACKED_MAX_ROWS:
            yield pack
            pack, rows = [], 0
        pack.append(number)
        rows += sum(run.lengths) + len(run.lengths)
    if pack:
        yield pack


def padded_encoding(
    model: NER, word_id: np.ndarray, shape_id: np.ndarray, pad_mask: np.ndarray
) -> np.ndarray:
    """`model.encoder(model.emb(word_id, shape_id), pad_mask)` of one padded run, faster."""
    layers = model.encoder.layers
    padding = layers[0].conv.padding
    batch, width = word_id.shape
    rows = np.zeros((batch, width + 2 * padding), dtype=bool)
    rows[:, padding : padding + width] = True
    x = _first_layer(layers[0], model.emb, word_id, shape_id, rows, pad_mask, _padding_after(layers, 0))
    for number, layer in enumerate(layers[1:], start=1):
        x = _encoder_layer(layer, x, pad_mask, _padding_after(layers, number))
    return x


def _packed_encoding(model: NER, runs: Sequence[_Run]) -> list[np.ndarray]:
    """`padded_encoding` of each run, computed for the texts of all of them packed in one row: one
    zero row before each text and after the last, for each layer's padding of one word."""
    texts = [
        (number, row, run.lengths[row]) for number, run in enumerate(runs) for row in range(len(run.lengths))
    ]
    starts = np.cumsum([0] + [length + 1 for _, _, length in texts]) + 1
    words = np.zeros(int(starts[-1]), dtype=bool)
    zero = np.ones(int(starts[-1]), dtype=bool)  # zeroed after each layer, as slovnet zeroes padding
    for (number, row, length), start in zip(texts, starts, strict=False):
        words[start : start + length] = True
        zero[start : start + length] = runs[number].pad_mask[row, :length]  # a word "<pad>" too
    word_id = np.concatenate([runs[number].word_id[row, :length] for number, row, length in texts])
    shape_id = np.concatenate([runs[number].shape_id[row, :length] for number, row, length in texts])
    first, *others = model.encoder.layers
    x = _first_layer(first, model.emb, word_id[None], shape_id[None], words[None], zero[None, 1:-1], 1)
    for layer in others:
        x = _encoder_layer(layer, x, zero[None, 1:-1], 1)
    out = [np.zeros((*run.word_id.shape, x.shape[-1]), dtype=x.dtype) for run in runs]
    for (number, row, length), start in zip(texts, starts, strict=False):
        out[number][row, :length] = x[0, start : start + length]
    return out


def _padding_after(layers: Sequence[CNNEncoderLayer], number: int) -> int:
    """The zero rows the layer after layer `number` wants around each text (none after the last)."""
    return layers[number + 1].conv.padding if number + 1 < len(layers) else 0


def _first_layer(
    layer: CNNEncoderLayer,
    emb: WordShapeEmbedding,
    word_id: np.ndarray,
    shape_id: np.ndarray,
    rows: np.ndarray,
    pad_mask: np.ndarray,
    padding: int,
) -> np.ndarray:
    """The first encoder layer over the word and shape embeddings of `word_id`/`shape_id` (batch x
    words), placed in the rows of `rows` (batch x padded) where it is True, zeros elsewhere (the
    convolution's padding; slovnet's pad word is all zeros).

    Each window's product is the sum of its three words' shares, each word's share depending on the
    word alone: the shares are computed once for each distinct (word, shape) of the batch and added
    up. A pack of 8,192 words holds some 3,300 distinct ones, so the layer, two thirds of the model's
    multiplications, does 40% of them. The three shares are summed apart, not in one product of 990
    terms as slovnet sums them: the scores differ from slovnet's by float32 rounding
    (tests/test_tagger.py; the tags of NEREL train and dev and the samples are the same)."""
    conv = layer.conv
    filters, channels, kernel = conv.weight.shape
    shapes = emb.shape.weight.array
    keys = word_id.ravel().astype(np.int64) * len(shapes) + shape_id.ravel()
    distinct, where = np.unique(keys, return_inverse=True)
    inputs = np.concatenate(
        (
            _navec_vectors(emb.word, distinct // len(shapes)).reshape(len(distinct), -1),
            shapes[distinct % len(shapes)],
        ),
        axis=-1,
    )
    # weight by offset in the window: channels x (offset, filter)
    by_offset = conv.weight.array.transpose(1, 2, 0).reshape(channels, kernel * filters)
    shares = np.zeros((len(distinct) + 1, kernel, filters), dtype=inputs.dtype)  # the last: no word
    shares[:-1] = (inputs @ by_offset).reshape(len(distinct), kernel, filters)
    word_of = np.full(rows.shape, len(distinct))
    word_of[rows] = where.ravel()
    width = rows.shape[1] - kernel + 1
    y = shares[word_of[:, :width], 0]
    for offset in range(1, kernel):
        y += shares[word_of[:, offset : offset + width], offset]
    return _activated(layer, y, pad_mask, padding)


def _navec_vectors(navec: NavecEmbedding, word_id: np.ndarray) -> np.ndarray:
    """`navec(word_id)`: each word's code, a centroid for each of its subvectors, looked up in one
    `np.take` over the flattened codebook (slovnet indexes it with two arrays, three times slower)."""
    subvectors, centroids, chunk = navec.codes.array.shape
    flat = navec.codes.array.reshape(subvectors * centroids, chunk)
    rows = navec.indexes.array[word_id].astype(np.intp)
    rows += np.arange(0, subvectors * centroids, centroids)
    return np.take(flat, rows, axis=0)


def _encoder_layer(layer: CNNEncoderLayer, x: np.ndarray, pad_mask: np.ndarray, padding: int) -> np.ndarray:
    """One convolution, ReLU and batch norm (`CNNEncoderLayer`), padding zeroed after it as
    `CNNEncoder` does, and `padding` zero rows left around each text for the next layer."""
    conv = layer.conv
    filters, channels, kernel = conv.weight.shape
    batch, padded, _ = x.shape
    width = padded - kernel + 1
    # slovnet's row for a window: for each channel, its values at the window's words in order.
    windows = np.empty((batch, width, channels, kernel), dtype=x.dtype)
    for offset in range(kernel):
        windows[..., offset] = x[:, offset : offset + width]
    weight = conv.weight.array.reshape(filters, channels * kernel)
    y = np.matmul(windows.reshape(batch * width, channels * kernel), weight.T)
    return _activated(layer, y.reshape(batch, width, filters), pad_mask, padding)


def _activated(layer: CNNEncoderLayer, y: np.ndarray, pad_mask: np.ndarray, padding: int) -> np.ndarray:
    """A layer's convolution products (batch x width x filters) with its bias, ReLU and batch norm,
    padding zeroed as `CNNEncoder` does, and `padding` zero rows left around each text."""
    norm = layer.norm
    batch, width, filters = y.shape
    y = y + layer.conv.bias.array
    y = y.clip(0)
    out = np.zeros((batch, width + 2 * padding, filters), dtype=y.dtype)
    inner = out[:, padding : padding + width]
    # BatchNorm1d: (x - mean) / std * weight + bias, one operation at a time as slovnet does it.
    np.subtract(y, norm.mean.array, out=inner)
    np.divide(inner, norm.std.array, out=inner)
    np.multiply(inner, norm.weight.array, out=inner)
    np.add(inner, norm.bias.array, out=inner)
    inner[pad_mask] = 0
    return out


def viterbi(transitions: np.ndarray, emissions: np.ndarray, mask: np.ndarray) -> list[list[int]]:
    """The best tag path of each text (`CRF.decode`): emissions batch x words x tags, `mask` True on
    the words (a path is as long as its text's True words)."""
    batch, width, tags = emissions.shape
    steps = np.ascontiguousarray(emissions.swapaxes(0, 1))  # words x batch x tags
    by_step = np.ascontiguousarray(mask.swapaxes(0, 1))
    whole = by_step.all(axis=1)
    score = steps[0]
    history = np.empty((max(width - 1, 0), batch, tags), dtype=np.intp)
    for index in range(1, width):
        # previous tag x next tag, summed in slovnet's order: (score + transitions) + emissions
        candidates = score[:, :, None] + transitions
        candidates += steps[index][:, None, :]
        np.argmax(candidates, axis=1, out=history[index - 1])
        best = candidates.max(axis=1)
        score = best if whole[index] else np.where(by_step[index][:, None], best, score)
    sizes = by_step.sum(axis=0) - 1
    return [_backtrack(history[: sizes[row], row].tolist(), int(score[row].argmax())) for row in range(batch)]


def _backtrack(history: list[list[int]], last: int) -> list[int]:
    """The path ending in tag `last`, read back through each step's best previous tags."""
    path = [last]
    for previous in reversed(history):
        last = previous[last]
        path.append(last)
    path.reverse()
    return path
