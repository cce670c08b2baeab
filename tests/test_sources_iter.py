"""letopis.sources.iter_documents: paths, folders and stdin to documents and errors."""

import io
import os
import socket
import sys
from pathlib import Path

import pytest

from letopis.errors import SourceError
from letopis.model import Document
from letopis.sources import detect_format, iter_documents, read_bytes

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def only(path: Path | str):
    """The single result of reading one path."""
    [result] = iter_documents([str(path)])
    return result


@pytest.mark.parametrize(
    ("name", "published", "text_offset", "title", "text"),
    [
        (
            "article_cp1251.txt",
            "2026-03-02",
            17,
            "Глава МИД подтвердил приверженность Казахстана уставу ООН",
            "Глава МИД подтвердил приверженность Казахстана уставу ООН\n\n"
            "– Реформа носит системный и долгосрочный характер, – отметил Ермек Кошербаев.\n\n"
            "Отдельное внимание уделено развитию Регионального центра ООН по Целям устойчивого развития "
            "«в Алматы».\n",
        ),
        (
            "article_koi8r.txt",
            None,
            0,
            None,
            "Министр поблагодарил агентства ООН за активное участие в подготовке Регионального "
            "экологического саммита.\n\n"
            "Он также проинформировал о планах по запуску международных консультаций, ещё до конца года.\n",
        ),
        (
            "article_utf8_bom.txt",
            "2026-02-24",
            17,
            "Стороны обсудили перспективы сотрудничества",
            "Стороны обсудили перспективы сотрудничества\r\n\r\nФото: Минкультуры РК\r\n\r\n"
            "Состоялась встреча заместителя Премьер-министра – министра культуры и информации РК.\r\n",
        ),
    ],
)
def test_encoded_text_files(name, published, text_offset, title, text):
    document = only(FIXTURES / name)
    assert (document.published, document.text_offset, document.title, document.text) == (
        published,
        text_offset,
        title,
        text,
    )


@pytest.mark.parametrize(
    ("name", "reason"),
    [("empty.txt", "empty file"), ("image.png", "binary file, not text")],
)
def test_unreadable_fixture_is_an_error_naming_the_path(name, reason):
    error = only(FIXTURES / name)
    assert (error.source, error.reason) == (str(FIXTURES / name), reason)


def test_missing_path_is_an_error():
    error = only("no/such/article.txt")
    assert (error.source, error.reason) == ("no/such/article.txt", "no such file or directory")


def test_broken_symlink_is_an_error(tmp_path):
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "missing.txt")
    error = only(link)
    assert (error.source, error.reason) == (str(link), "no such file or directory")


def test_sample_read_through_the_entry_point():
    document = only(SAMPLES / "000_200e2ad5eac8ecb4.txt")
    assert (document.id, document.source, document.published, document.text_offset) == (
        "f0779eadb844aa80",
        str(SAMPLES / "000_200e2ad5eac8ecb4.txt"),
        "2026-02-24",
        17,
    )


def test_fixture_folder_yields_documents_and_errors_in_file_order():
    results = list(iter_documents([str(FIXTURES)]))
    assert [(Path(result.source).name, type(result).__name__) for result in results] == [
        ("article_cp1251.txt", "Document"),
        ("article_koi8r.txt", "Document"),
        ("article_utf8_bom.txt", "Document"),
        ("articles.csv", "Document"),
        ("articles.csv", "Document"),
        ("articles.csv#row 3", "SourceError"),
        ("articles.jsonl", "Document"),
        ("articles.jsonl", "Document"),
        ("articles.jsonl#row 4", "SourceError"),
        ("articles.jsonl#row 5", "SourceError"),
        ("articles.jsonl", "Document"),
        ("empty.txt", "SourceError"),
        ("feed_atom.atom", "Document"),
        ("feed_atom.atom", "Document"),
        ("feed_rss.xml", "Document"),
        ("feed_rss.xml", "Document"),
        ("feed_rss.xml#item 3", "SourceError"),
        # image.png is not read: inside a folder only article formats are
        ("news_page.html", "Document"),
    ]


@pytest.fixture
def tree(tmp_path):
    """A folder with nested, hidden and differently encoded files."""
    files = {
        "b.txt": "Вторая новость.".encode(),
        "a/z.txt": "Новость из подпапки.".encode("cp1251"),
        "a/b/deep.txt": "Глубоко вложенная новость.".encode("koi8_r"),
        ".hidden.txt": "Скрытый файл.".encode(),
        ".git/config.txt": "Скрытая папка.".encode(),
        "a/.cache/x.txt": "Скрытая подпапка.".encode(),
        "c.md": "Заметка в неизвестном формате.".encode(),
    }
    for name, data in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return tmp_path


def test_folder_is_recursed_sorted_without_hidden(tree):
    results = list(iter_documents([str(tree)]))
    assert [(result.source, result.text) for result in results] == [
        (f"{tree}/a/b/deep.txt", "Глубоко вложенная новость."),
        (f"{tree}/a/z.txt", "Новость из подпапки."),
        (f"{tree}/b.txt", "Вторая новость."),
        (f"{tree}/c.md", "Заметка в неизвестном формате."),
    ]


def test_folder_symlinks_are_followed_and_loops_end(tree, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    (outside / "far.txt").write_text("Новость из другой папки.", encoding="utf-8")
    (tree / "a" / "loop").symlink_to(tree / "a")
    (tree / "link").symlink_to(outside)
    results = list(iter_documents([str(tree)]))
    assert [result.source for result in results] == [
        f"{tree}/a/b/deep.txt",
        f"{tree}/a/z.txt",
        f"{tree}/b.txt",
        f"{tree}/c.md",
        f"{tree}/link/far.txt",
    ]


def test_special_files_in_a_folder_are_errors(tree):
    os.mkfifo(tree / "pipe")
    errors = [result for result in iter_documents([str(tree)]) if isinstance(result, SourceError)]
    assert [(error.source, error.reason) for error in errors] == [(f"{tree}/pipe", "not a regular file")]


def test_paths_are_read_in_the_order_given(tree):
    results = iter_documents([str(tree / "b.txt"), "missing.txt", str(tree / "a" / "z.txt")])
    assert [result.source for result in results] == [
        str(tree / "b.txt"),
        "missing.txt",
        str(tree / "a" / "z.txt"),
    ]


def test_same_file_in_two_places_has_the_same_id(tree, tmp_path_factory):
    other = tmp_path_factory.mktemp("elsewhere") / "b.txt"
    other.write_bytes((tree / "b.txt").read_bytes())
    assert only(tree / "b.txt").id == only(other).id


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (" date 2026-02-24 Стороны обсудили.\n".encode(), "Стороны обсудили.\n"),
        ("Встреча в Алматы.".encode("cp1251"), "Встреча в Алматы."),
        ('{"id": "s1", "text": "Из JSONL."}\n'.encode(), "Из JSONL."),
    ],
)
def test_stdin_is_sniffed_like_a_file(monkeypatch, data, text):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    document = only("-")
    assert (document.source, document.text) == ("-", text)


def test_empty_stdin_is_an_error(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    error = only("-")
    assert (error.source, error.reason) == ("-", "empty file")


@pytest.mark.parametrize(
    ("source", "content", "expected"),
    [
        ("a.txt", "Текст статьи.", "text"),
        ("a", "Текст статьи.", "text"),
        ("a.md", "Текст статьи.", "text"),
        ("a.HTML", "Текст", "html"),
        ("a.htm", "<p>Текст</p>", "html"),
        ("a.txt", "  <!DOCTYPE html><html><body>Текст</body></html>", "html"),
        ("-", "<html lang='ru'><body>Текст</body></html>", "html"),
        ("page", "<!-- saved --><html><body>Текст</body></html>", "html"),
        ("a.rss", "<rss/>", "feed"),
        ("a.atom", "<feed/>", "feed"),
        ("a.xml", "<?xml version='1.0'?><anything/>", "feed"),
        ("-", "<?xml version='1.0'?>\n<rss version='2.0'>", "feed"),
        ("news", '<feed xmlns="http://www.w3.org/2005/Atom">', "feed"),
        ("news.txt", '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">', "feed"),
        ("a.jsonl", "Текст", "jsonl"),
        ("a.ndjson", "{}", "jsonl"),
        ("-", '{"text": "Текст"}\n{"text": "Ещё"}', "jsonl"),
        ("-", "{не JSON} а текст", "text"),
        ("a.csv", "text\nТекст", "csv"),
        ("a.txt", "Текст со словом <rss> внутри.", "text"),
    ],
)
def test_detect_format(source, content, expected):
    assert detect_format(source, content) == expected


def test_every_fixture_reads_without_raising():
    results = list(iter_documents([str(FIXTURES), str(SAMPLES)]))
    assert all(isinstance(result, Document | SourceError) for result in results)


def test_reading_never_touches_the_network(monkeypatch, tmp_path):
    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    (tmp_path / "link.rss").write_text("https://example.kz/feed.rss", encoding="utf-8")
    (tmp_path / "path.xml").write_text(str(FIXTURES / "feed_rss.xml"), encoding="utf-8")
    results = list(iter_documents([str(FIXTURES), str(tmp_path)]))
    # Neither fetched nor opened: a feed's content that is a URL or a path is just bad XML.
    assert [(Path(result.source).name, result.reason) for result in results[-2:]] == [
        ("link.rss", "not a feed (not well-formed (invalid token))"),
        ("path.xml", "not a feed (not well-formed (invalid token))"),
    ]


def test_folder_skips_annotation_files_but_a_named_file_is_read(tmp_path):
    (tmp_path / "a.txt").write_text("Министр провел встречу.", encoding="utf-8")
    (tmp_path / "a.ann").write_text("T1\tPERSON 0 7\tМинистр\n", encoding="utf-8")
    assert [Path(r.source).name for r in iter_documents([str(tmp_path)])] == ["a.txt"]
    assert [Path(r.source).name for r in iter_documents([str(tmp_path / "a.ann")])] == ["a.ann"]


def test_a_nul_character_in_a_jsonl_row_becomes_a_replacement_character_in_place() -> None:
    """PostgreSQL cannot store NUL: the row is kept, one character for one, so offsets still hold."""
    row = '{"id": "n1", "title": "Итоги\\u0000", "text": "Глава МИД\\u0000 Ермек Кошербаев."}\n'
    [doc] = list(read_bytes(row.encode("utf-8"), "dump.jsonl"))
    assert doc.text == "Глава МИД\ufffd Ермек Кошербаев."
    assert doc.title == "Итоги\ufffd"
