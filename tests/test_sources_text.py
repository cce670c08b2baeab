"""letopis.sources.text: plain-text articles and the ` date YYYY-MM-DD ` marker."""

from pathlib import Path

import pytest

from letopis.errors import SourceError
from letopis.model import document_id
from letopis.sources.text import read_text, stable_id

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
FIXTURES = Path(__file__).parent / "fixtures" / "sources"
SAMPLE_000 = SAMPLES / "000_200e2ad5eac8ecb4.txt"
SAMPLE_004 = SAMPLES / "004_0f5906432b56b7a9.txt"
LEAD_000 = (
    "Стороны обсудили текущее состояние и перспективы сотрудничества в сфере продвижения гендерного "
    "равенства, расширения прав и возможностей женщин, а также укрепления института семьи и защиты прав "
    "женщин и детей"
)


def read_sample(path: Path):
    decoded = path.read_bytes().decode("utf-8")
    return decoded, read_text(decoded, str(path))


def test_sample_with_marker_gives_published_offset_and_lead():
    decoded, document = read_sample(SAMPLE_000)
    assert (document.published, document.text_offset, document.title) == ("2026-02-24", 17, LEAD_000)


def test_sample_with_marker_text_is_decoded_from_offset():
    decoded, document = read_sample(SAMPLE_000)
    assert decoded[document.text_offset :] == document.text
    assert document.text.startswith("Стороны обсудили текущее состояние")


def test_sample_without_marker_keeps_whole_text():
    decoded, document = read_sample(SAMPLE_004)
    assert (document.text, document.text_offset, document.title, document.published) == (
        decoded,
        0,
        None,
        None,
    )


@pytest.mark.parametrize(
    ("path", "expected_id"),
    [(SAMPLE_000, "f0779eadb844aa80"), (SAMPLE_004, "80c545ebe6fa44d6")],
)
def test_sample_id_is_pinned_to_basename_and_text(path, expected_id):
    _, document = read_sample(path)
    assert document.id == expected_id == document_id(path.name, document.text)


def test_id_does_not_depend_on_folder():
    text = "Состоялась встреча."
    assert read_text(text, "/home/a/news/x.txt").id == read_text(text, "x.txt").id


def test_single_document_has_no_item_and_source_as_given():
    document = read_text("Состоялась встреча.", "news/x.txt")
    assert (document.source, document.item) == ("news/x.txt", None)


@pytest.mark.parametrize(
    ("content", "published", "offset", "title", "text"),
    [
        (" date 2026-03-15 Референдум\nТекст.", "2026-03-15", 17, "Референдум", "Референдум\nТекст."),
        (" date 2026-03-15 Референдум  \r\nТекст.", "2026-03-15", 17, "Референдум", "Референдум  \r\nТекст."),
        (" date 2026-03-15 \nТекст.", "2026-03-15", 17, None, "\nТекст."),
        ("date 2026-03-15 Без пробела в начале.", None, 0, None, "date 2026-03-15 Без пробела в начале."),
        (" date 15.03.2026 Не ISO.", None, 0, None, " date 15.03.2026 Не ISO."),
    ],
)
def test_marker_table(content, published, offset, title, text):
    document = read_text(content, "a.txt")
    assert (document.published, document.text_offset, document.title, document.text) == (
        published,
        offset,
        title,
        text,
    )


@pytest.mark.parametrize(
    "content", ["", "   ", "\r\n\r\n", "\t\n", " date 2026-03-15 ", " date 2026-03-15 \r\n "]
)
def test_whitespace_only_is_no_text(content):
    with pytest.raises(SourceError, match="no text"):
        read_text(content, "blank.txt")


@pytest.mark.parametrize(
    ("source", "item", "name"),
    [("dir/articles.csv", "row 2", "articles.csv#row 2"), ("dir/a.txt", None, "a.txt"), ("-", None, "-")],
)
def test_stable_id_hashes_basename_and_item(source, item, name):
    assert stable_id(source, item, "Текст") == document_id(name, "Текст")
