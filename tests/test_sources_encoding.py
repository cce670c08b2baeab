"""letopis.sources.encoding: bytes to text for UTF-8 (BOM or not), cp1251 and koi8-r."""

import random

import pytest

from letopis.errors import SourceError
from letopis.sources.encoding import decode, guess_russian_encoding, is_binary

SHORT_SENTENCES = [
    "Состоялась встреча министра культуры и информации.",
    "Стороны обсудили перспективы сотрудничества.",
    "Глава МИД подтвердил приверженность Казахстана уставу ООН.",
    "Референдум состоится 15 марта.",
    "Фото: Минкультуры РК",
    "Объём работы ещё велик.",
    "подчеркнула Аида Балаева",
    "Да.",
]
# Single lowercase words in koi8-r are where charset-normalizer alone answers cp1251.
SINGLE_WORDS = ["обсудили", "сотрудничества", "встреча", "и", "референдум", "Казахстан"]


@pytest.mark.parametrize("sentence", SHORT_SENTENCES)
@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r"])
def test_short_single_byte_sentence_decodes_right(sentence, encoding):
    assert decode(sentence.encode(encoding), "short.txt") == sentence


@pytest.mark.parametrize("word", SINGLE_WORDS)
@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r"])
def test_single_word_gets_its_encoding(word, encoding):
    assert guess_russian_encoding(word.encode(encoding)) == encoding


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Стороны обсудили".encode(), "Стороны обсудили"),
        (b"\xef\xbb\xbf" + "Стороны обсудили".encode(), "Стороны обсудили"),
        (b"plain ASCII", "plain ASCII"),
    ],
)
def test_utf8_with_or_without_bom(data, expected):
    assert decode(data, "a.txt") == expected


@pytest.mark.parametrize("encoding", ["utf-8", "cp1251", "koi8_r"])
def test_newlines_are_not_translated(encoding):
    text = "Первая строка.\r\nВторая строка.\rТретья.\n"
    assert decode(text.encode(encoding), "a.txt") == text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"\xef\xbb\xbf", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file, not text"),
        ("Текст".encode("utf-16"), "binary file, not text"),
        (b"\x01\x02\x03\x04 some text with controls", "binary file, not text"),
        (bytes(range(128, 256)) * 2, "unknown encoding"),
        ("日本語のテキストです。これは長い文章です。".encode("shift_jis"), "unknown encoding"),
        ("Le café est très bon à Paris, déjà vu.".encode("latin-1"), "unknown encoding"),
    ],
)
def test_unreadable_bytes_raise_source_error(data, reason):
    with pytest.raises(SourceError) as raised:
        decode(data, "dir/bad.bin")
    assert (raised.value.source, raised.value.reason) == ("dir/bad.bin", reason)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_bytes_are_binary(seed):
    assert is_binary(random.Random(seed).randbytes(256)) is True


@pytest.mark.parametrize(
    "text",
    ["Абзац.\tТабуляция и\fразрыв страницы.\n", "Цвет: \x1b[1mжирный\x1b[0m и обычный текст статьи.\n"],
)
def test_tab_form_feed_and_escape_are_text(text):
    assert is_binary(text.encode("utf-8")) is False
