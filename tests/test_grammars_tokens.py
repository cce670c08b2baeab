"""Sentences of nlp/grammars/tokens.py: razdel's own, found faster (`_razdel_sentences`), then cut at
line breaks (`sentence_spans`)."""

import random
from pathlib import Path

import pytest
import razdel

from letopis.nlp.grammars.tokens import (
    _razdel_sentences,
    line_sentences,
    sentence_spans,
    token_range,
    tokens_within,
)

SAMPLES = Path(__file__).parent.parent / "samples"
TRICKY = [
    "",
    "   ",
    "\n",
    "Привет.",
    " А. Б. ",
    "Т.е. да.  Нет!",
    "«Да.» Он сказал.",
    "1. Пункт.\n2. Пункт",
    "Встреча прошла в г. Астане 3 марта. Стороны обсудили сотрудничество.",
    "Как отметил С. Лавров, «переговоры прошли успешно». Далее — пресс-конференция…",
    "Он сказал: «Да!» — и ушёл.Без пробела. А вот (в скобках.) и так далее...",
    "Указ №1.2 подписан в 2024 г.Москва, ул. Ленина, д. 5. Конец",
]


def _razdel(text: str) -> list[tuple[int, int]]:
    return [(sentence.start, sentence.stop) for sentence in razdel.sentenize(text)]


@pytest.mark.parametrize("text", TRICKY)
def test_sentences_are_razdels(text: str) -> None:
    assert _razdel_sentences(text) == _razdel(text)


def test_sentences_of_the_samples_and_their_lines_are_razdels() -> None:
    for path in sorted(SAMPLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert _razdel_sentences(text) == _razdel(text)
        for line in text.split("\n"):
            assert list(line_sentences(line)) == _razdel(line)


def test_random_strings_of_sentence_marks_split_as_razdel_splits_them() -> None:
    pieces = [*'аБв. ?!…\n\t\u00a0»«"“”()1Т.:;-—,', " т.е. ", " г. ", " Н. ", " 1. ", "...", " см. ", "II."]
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        assert _razdel_sentences(text) == _razdel(text), text


def test_sentence_spans_cut_razdels_sentences_at_line_breaks() -> None:
    text = "Заголовок новости\nВ Астане прошла встреча. Стороны договорились.\n\n  Фото: пресс-служба"
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "Заголовок новости",
        "В Астане прошла встреча.",
        "Стороны договорились.",
        "Фото: пресс-служба",
    ]


def test_sentence_spans_read_each_line_alone() -> None:
    """razdel over the whole text joins "1." to the line before and cuts it from its own line."""
    text = (
        "В соответствии с указом постановляю:\n\n1. Принять отставку губернатора Архангельской области"
        " Михальчука И. Ф. по собственному желанию.\n\n2. Назначить Орлова Игоря Анатольевича."
    )
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "В соответствии с указом постановляю:",
        "1. Принять отставку губернатора Архангельской области Михальчука И. Ф. по собственному желанию.",
        "2. Назначить Орлова Игоря Анатольевича.",
    ]


TEXT = "Глава МИД Казахстана встретился с послом."


@pytest.mark.parametrize(
    ("span", "expected"),
    [
        ((0, len(TEXT)), (0, 7)),  # every token
        ((10, 20), (2, 3)),  # "Казахстана" alone
        ((9, 21), (2, 3)),  # the spaces around it change nothing
        ((12, 20), None),  # the span starts inside "Казахстана"
        ((0, 7), None),  # and here ends inside "МИД"
        ((40, 41), (6, 7)),  # the final stop
    ],
)
def test_token_range_is_the_tokens_a_span_holds_unless_it_cuts_one(
    span: tuple[int, int], expected: tuple[int, int] | None
) -> None:
    assert token_range(TEXT, *span) == expected


def test_tokens_within_a_span_that_cuts_a_word_are_the_spans_own() -> None:
    assert [(t.start, t.end, t.text) for t in tokens_within(TEXT, 12, 20)] == [(12, 20, "захстана")]
    assert [t.text for t in tokens_within(TEXT, 10, 20)] == ["Казахстана"]
