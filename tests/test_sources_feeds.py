"""letopis.sources.feeds: RSS 2.0 and Atom, one document per item."""

from pathlib import Path

import pytest

from letopis.errors import SourceError
from letopis.model import Document, document_id
from letopis.sources.feeds import read_feed

FIXTURES = Path(__file__).parent / "fixtures" / "sources"


def read_fixture(name: str) -> list:
    """The results of a fixture feed read as `feeds/<name>`."""
    return list(read_feed((FIXTURES / name).read_text(encoding="utf-8"), f"feeds/{name}"))


@pytest.fixture(scope="module")
def rss():
    return read_fixture("feed_rss.xml")


@pytest.fixture(scope="module")
def atom():
    return read_fixture("feed_atom.atom")


def test_rss_gives_two_documents_and_one_error(rss):
    assert [type(result) for result in rss] == [Document, Document, SourceError]


@pytest.mark.parametrize(
    ("index", "item", "title", "url", "published"),
    [
        (
            0,
            "mid-2026-0226-01",
            "Глава МИД встретился с представителями ООН в Алматы",
            "https://example.kz/news/mid-oon-almaty",
            "2026-02-26",
        ),
        (
            1,
            "https://example.kz/news/ramochnyi-dokument",
            "Стороны обсудили Рамочный документ о сотрудничестве",
            "https://example.kz/news/ramochnyi-dokument",
            "2026-02-25",
        ),
    ],
)
def test_rss_item_fields(rss, index, item, title, url, published):
    document = rss[index]
    assert (document.source, document.item, document.title, document.url, document.published) == (
        "feeds/feed_rss.xml",
        item,
        title,
        url,
        published,
    )


def test_rss_published_keeps_the_publishers_day_not_utc(rss):
    # "Thu, 26 Feb 2026 01:30:00 +0500" is still the 25th in UTC.
    assert rss[0].published == "2026-02-26"


def test_rss_plain_description_is_the_text(rss):
    assert rss[0].text == (
        "На встрече с представителями ООН в Алматы глава внешнеполитического ведомства подтвердил "
        "неизменную приверженность Казахстана уставу организации."
    )


def test_rss_html_description_becomes_paragraphs(rss):
    assert rss[1].text == (
        "В ходе встречи стороны обсудили приоритетные направления Рамочного документа о сотрудничестве "
        "на 2026–2030 годы.\n\n"
        "Министр поблагодарил агентства ООН за участие в подготовке Регионального экологического саммита, "
        "который пройдёт 22–24 апреля.\n\n"
        "Подробности «на сайте» министерства."
    )


def test_rss_item_without_text_is_an_error_for_that_item(rss):
    error = rss[2]
    assert (error.source, error.reason) == ("feeds/feed_rss.xml#item 3", "item has no text")


def test_rss_item_id_hashes_basename_and_item(rss):
    assert rss[1].id == document_id("feed_rss.xml#https://example.kz/news/ramochnyi-dokument", rss[1].text)


@pytest.mark.parametrize(
    ("index", "item", "published", "text"),
    [
        (
            0,
            "tag:example.kz,2026:balaeva-gyures",
            "2026-02-24",
            "Стороны обсудили перспективы сотрудничества в сфере продвижения гендерного равенства.\n\n"
            "По итогам встречи подтверждена готовность к дальнейшему укреплению практического партнерства.",
        ),
        (
            1,
            "tag:example.kz,2026:referendum",
            "2026-02-20",
            "Окончательное решение будет принято по итогам республиканского референдума, "
            "который состоится 15 марта.",
        ),
    ],
)
def test_atom_entries(atom, index, item, published, text):
    document = atom[index]
    assert (document.item, document.published, document.text) == (item, published, text)


def test_atom_titles_and_links(atom):
    assert [(document.title, document.url) for document in atom] == [
        ("Аида Балаева встретилась с Джерен Гювен Гюрес", "https://example.kz/news/balaeva-gyures"),
        ("Референдум по новой Конституции", "https://example.kz/news/referendum"),
    ]


def test_item_without_guid_or_link_is_keyed_by_number():
    feed = (
        '<rss version="2.0"><channel><title>Лента</title>'
        "<item><description>Первая новость.</description></item>"
        "<item><description>Вторая новость.</description></item></channel></rss>"
    )
    assert [document.item for document in read_feed(feed, "lenta.rss")] == ["item 1", "item 2"]


def test_declared_encoding_does_not_override_decoded_text():
    feed = (
        '<?xml version="1.0" encoding="windows-1251"?><rss version="2.0"><channel><title>Лента</title>'
        "<item><title>Саммит</title><description>Саммит пройдёт 22–24 апреля.</description></item>"
        "</channel></rss>"
    )
    [document] = read_feed(feed, "cp1251.rss")
    assert (document.title, document.text) == ("Саммит", "Саммит пройдёт 22–24 апреля.")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("Просто текст, не лента.", "not a feed (syntax error)"),
        ("https://example.kz/feed.rss", "not a feed (not well-formed (invalid token))"),
        ('<rss version="2.0"><channel><title>Пусто</title></channel></rss>', "feed has no items"),
    ],
)
def test_unusable_feed_is_one_error_for_the_file(content, reason):
    assert [(error.source, error.reason) for error in read_feed(content, "bad.rss")] == [("bad.rss", reason)]


@pytest.mark.parametrize(
    ("pub_date", "published"),
    [
        ("<pubDate>Tue, 24 Feb 2026 23:59:00 -0300</pubDate>", "2026-02-24"),
        ("<pubDate>24 Feb 2026 10:00 GMT</pubDate>", "2026-02-24"),
        ("<pubDate>2026-02-24T23:30:00+05:00</pubDate>", "2026-02-24"),
        ("<pubDate>вчера вечером</pubDate>", None),
        ("", None),
    ],
)
def test_rss_pub_date(pub_date, published):
    item = f"<item>{pub_date}<description>Новость.</description></item>"
    feed = f'<rss version="2.0"><channel>{item}</channel></rss>'
    [document] = read_feed(feed, "dates.rss")
    assert document.published == published
