"""letopis.sources.html: main text of pages (trafilatura) and plain text of fragments."""

from pathlib import Path

import pytest

from letopis.errors import SourceError
from letopis.model import document_id
from letopis.sources.html import html_to_text, read_html

NEWS_PAGE = Path(__file__).parent / "fixtures" / "sources" / "news_page.html"
BOILERPLATE = [
    "Главная",
    "Политика",
    "Подписаться на рассылку",
    "Читайте также",
    "Погода в Астане",
    "Все права защищены",
    "Перепечатка материалов",
]


@pytest.fixture
def page():
    return read_html(NEWS_PAGE.read_text(encoding="utf-8"), "news/news_page.html")


def test_page_metadata(page):
    assert (page.title, page.published, page.url) == (
        "Аида Балаева встретилась с представителем «ООН-Женщины»",
        "2026-02-24",
        "https://example.kz/news/2026/02/24/balaeva-oon-zhenshchiny",
    )


def test_page_text_is_the_article_in_paragraphs(page):
    assert page.text.split("\n\n") == [
        "Аида Балаева встретилась с представителем «ООН-Женщины»",
        "Состоялась встреча заместителя Премьер-министра – министра культуры и информации РК Аиды Балаевой "
        "с главой Центральноазиатского координационного офиса Структуры «ООН-Женщины» Джерен Гювен Гюрес.",
        "В ходе встречи отдельное внимание было уделено проводимым в Казахстане реформам, включая "
        "предстоящий республиканский референдум по вопросу принятия новой Конституции.",
        "Аида Балаева отметила, что проект Основного закона предусматривает дальнейшее укрепление института "
        "семьи, обеспечение равных возможностей для женщин и мужчин, а также защиту материнства, отцовства "
        "и детства.",
        "По итогам встречи подтверждена готовность к дальнейшему укреплению практического партнерства и "
        "совместной реализации инициатив в сфере гендерной политики.",
    ]


@pytest.mark.parametrize("phrase", BOILERPLATE)
def test_page_boilerplate_is_left_out(page, phrase):
    assert phrase not in page.text


def test_page_identity(page):
    assert (page.source, page.item, page.text_offset, page.id) == (
        "news/news_page.html",
        None,
        0,
        document_id("news_page.html", page.text),
    )


def test_page_without_canonical_or_date_has_none():
    html = (
        "<html><head><title>Саммит</title></head><body><article><p>Министр поблагодарил агентства ООН "
        "за активное участие в подготовке Регионального экологического саммита.</p></article></body></html>"
    )
    document = read_html(html, "summit.html")
    assert (document.url, document.published) == (None, None)


@pytest.mark.parametrize(
    "html",
    [
        "<html><body></body></html>",
        "<html>",
        "<<<>>>",
        "<!doctype html><html><head><title>Пусто</title></head>"
        "<body><nav><a href='/'>Главная</a></nav></body></html>",
        "<html><body><script>var news = 'Состоялась встреча';</script></body></html>",
    ],
)
def test_page_without_main_text_is_an_error(html):
    with pytest.raises(SourceError) as raised:
        read_html(html, "broken.html")
    assert (raised.value.source, raised.value.reason) == ("broken.html", "no main text in HTML")


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("<p>Первый абзац.</p><p>Второй абзац.</p>", "Первый абзац.\n\nВторой абзац."),
        ("Строка<br/>Ещё строка", "Строка\n\nЕщё строка"),
        ("&laquo;ООН-Женщины&raquo; &amp; МИД&nbsp;РК", "«ООН-Женщины» & МИД РК"),
        ("<p>  много\n   пробелов  </p>", "много пробелов"),
        ("<ul><li>Алматы</li><li>Астана</li></ul>", "Алматы\n\nАстана"),
        ("<p>Текст<script>alert(1)</script> статьи</p><style>p {}</style>", "Текст статьи"),
        ("Без разметки", "Без разметки"),
        ("", ""),
    ],
)
def test_html_to_text(fragment, expected):
    assert html_to_text(fragment) == expected
