"""letopis.sources.tables: JSONL and CSV, one document per row."""

from pathlib import Path

import pytest

from letopis.errors import SourceError
from letopis.model import Document, document_id
from letopis.sources.tables import csv_delimiter, iso_day, read_csv, read_jsonl

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
REFORM_QUOTE = (
    "– Реформа носит системный и долгосрочный характер, – отметил Ермек Кошербаев.\n\n"
    'Окончательное решение будет принято по итогам референдума, который назовут "историческим".'
)


def summary(result):
    """A row's outcome as a comparable tuple."""
    if isinstance(result, SourceError):
        return ("error", result.source, result.reason)
    return (result.id, result.item, result.title, result.url, result.published)


@pytest.fixture(scope="module")
def jsonl():
    return list(read_jsonl((FIXTURES / "articles.jsonl").read_text(encoding="utf-8"), "in/articles.jsonl"))


@pytest.fixture(scope="module")
def csv_rows():
    return list(read_csv((FIXTURES / "articles.csv").read_text(encoding="utf-8"), "in/articles.csv"))


def test_jsonl_rows(jsonl):
    assert [summary(result) for result in jsonl] == [
        ("kz-001", "kz-001", "Встреча Аиды Балаевой", None, "2026-02-24"),
        (
            document_id("articles.jsonl#row 2", "Региональный экологический саммит пройдет 22–24 апреля."),
            "row 2",
            "Саммит в Алматы",
            "https://example.kz/news/summit",
            None,
        ),
        ("error", "in/articles.jsonl#row 4", "invalid JSON (Expecting ',' delimiter at column 84)"),
        ("error", "in/articles.jsonl#row 5", "row has no 'text'"),
        ("5", "5", None, None, None),
    ]


def test_jsonl_text_and_source(jsonl):
    assert (jsonl[0].text, jsonl[0].source, jsonl[0].text_offset) == (
        "Состоялась встреча заместителя Премьер-министра – министра культуры и информации РК Аиды Балаевой.",
        "in/articles.jsonl",
        0,
    )


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('["Текст"]', "row is not a JSON object"),
        ('"Текст"', "row is not a JSON object"),
        ('{"text": ""}', "row has no 'text'"),
        ('{"text": "   "}', "row has no 'text'"),
        ('{"text": 42}', "row has no 'text'"),
        ('{"text": "Встреча.", "published": "вчера"}', "'published' is not a date: 'вчера'"),
        ('{"text": "Встреча.", "published": "2026-02-30"}', "'published' is not a date: '2026-02-30'"),
        ("{text: 1}", "invalid JSON (Expecting property name enclosed in double quotes at column 2)"),
        ('{"text": "Оборванная строка', "invalid JSON (Unterminated string starting at column 10)"),
    ],
)
def test_jsonl_bad_row(line, reason):
    [error] = read_jsonl(line, "t.jsonl")
    assert (error.source, error.reason) == ("t.jsonl#row 1", reason)


def test_jsonl_crlf_lines():
    content = '{"text": "Первая."}\r\n{"text": "Вторая."}\r\n'
    assert [document.text for document in read_jsonl(content, "t.jsonl")] == ["Первая.", "Вторая."]


def test_jsonl_keeps_unicode_line_separator_inside_a_row():
    [document] = read_jsonl('{"text": "Первая\u2028вторая."}', "t.jsonl")
    assert document.text == "Первая\u2028вторая."


def test_csv_rows(csv_rows):
    assert [summary(result) for result in csv_rows] == [
        ("mid-01", "mid-01", "Встреча в Алматы", "https://example.kz/news/mid-01", "2026-02-26"),
        (
            document_id("articles.csv#row 2", REFORM_QUOTE),
            "row 2",
            "Референдум, 15 марта",
            None,
            "2026-02-26",
        ),
        ("error", "in/articles.csv#row 3", "row has no 'text'"),
    ]


def test_csv_quoted_field_keeps_commas_newlines_and_quotes(csv_rows):
    assert csv_rows[1].text == REFORM_QUOTE


def test_csv_all_results_are_documents_or_errors(csv_rows):
    assert [type(result) for result in csv_rows] == [Document, Document, SourceError]


@pytest.mark.parametrize(
    "content",
    ["id,title\n1,Встреча\n", "", "Текст статьи без заголовка таблицы\n"],
)
def test_csv_without_text_column_is_one_error(content):
    assert [(error.source, error.reason) for error in read_csv(content, "t.csv")] == [
        ("t.csv", "CSV has no 'text' column")
    ]


@pytest.mark.parametrize(
    ("content", "texts"),
    [
        ("id;text\n1;Встреча, переговоры\n", ["Встреча, переговоры"]),
        ("Text\tTitle\nВстреча\tЗаголовок\n", ["Встреча"]),
        ('text\r\n"Первая,\r\nстрока"\r\nВторая\r\n', ["Первая,\r\nстрока", "Вторая"]),
        ("text\n\nВстреча\n\n", ["Встреча"]),
    ],
)
def test_csv_dialects(content, texts):
    assert [document.text for document in read_csv(content, "t.csv")] == texts


def test_csv_row_with_fewer_cells_has_no_text():
    results = list(read_csv("id,title,text\n7,Заголовок\n8,Другой,Текст\n", "t.csv"))
    assert [summary(result) for result in results] == [
        ("error", "t.csv#row 1", "row has no 'text'"),
        ("8", "8", "Другой", None, None),
    ]


def test_csv_error_stops_the_file_after_the_good_rows():
    content = "text\nПервая\n" + "а" * 140_000 + "\nТретья\n"
    assert [summary(result) for result in read_csv(content, "t.csv")][1:] == [
        ("error", "t.csv#row 2", "invalid CSV (field larger than field limit (131072))"),
    ]


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [("id,title,text", ","), ("id;title;text", ";"), ("id\ttext", "\t"), ("text", ",")],
)
def test_csv_delimiter(header, delimiter):
    assert csv_delimiter(header + "\nrow") == delimiter


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-02-24", "2026-02-24"),
        ("2026-02-24T10:15:00+05:00", "2026-02-24"),
        (" 2026-02-24 10:15", "2026-02-24"),
        ("24.02.2026", "2026-02-24"),
        ("24 февраля 2026", None),
        ("2026-13-01", None),
        ("2026", None),
    ],
)
def test_iso_day(value, expected):
    assert iso_day(value) == expected
