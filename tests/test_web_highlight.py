"""web/highlight.py: nested and crossing spans become well-formed, escaped HTML with one id each."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import pytest

from letopis.model import DateValue, Document, Entity, Mention, Quote
from letopis.web.highlight import Span, anchor, document_spans, highlight

CENTRE = "Развитию Регионального центра ООН в Алматы уделено внимание."


def mark(start: int, end: int, name: str, type: str = "ORG") -> Span:
    return Span(start, end, "mention", "mark", name, (("class", type),))


class Balance(HTMLParser):
    """Fails on a closing tag that does not close the last element opened."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open.pop() == tag


def balanced(html: str) -> bool:
    parser = Balance()
    parser.feed(html)
    return parser.open == []


def plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_nested_mention_is_a_mark_inside_a_mark() -> None:
    outer = CENTRE.index("Регионального")
    inner = CENTRE.index("ООН")
    html = highlight(CENTRE, [mark(outer, inner + 3, "a"), mark(inner, inner + 3, "b")])
    assert '<mark class="ORG" id="a">Регионального центра <mark class="ORG" id="b">ООН</mark></mark>' in html


def test_crossing_spans_are_split_and_stay_well_formed() -> None:
    quote = Span(
        CENTRE.index("центра"), CENTRE.index(" уделено"), "quote", "span", "q", (("class", "quote"),)
    )
    name = mark(CENTRE.index("Регионального"), CENTRE.index(" в Алматы"), "m")
    html = highlight(CENTRE, [quote, name])
    assert balanced(html)
    assert plain(html) == CENTRE
    assert html.count('id="q"') == 1 and html.count('data-continues="q"') == 1


def test_equal_ranges_nest_by_layer() -> None:
    text = "Аида Балаева"
    quote = Span(0, 12, "quote", "span", "q", (("class", "quote"),))
    html = highlight(text, [mark(0, 12, "m", "PER"), quote])
    assert html == '<span class="quote" id="q"><mark class="PER" id="m">Аида Балаева</mark></span>'


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ('<b onclick="x">', (1, 2)),
        ("a & b < c", (0, 1)),
    ],
)
def test_text_and_attributes_are_escaped(text: str, span: tuple[int, int]) -> None:
    html = highlight(text, [Span(*span, "mention", "mark", "m", (("class", "PER"), ("title", '"><script>')))])
    assert "<script>" not in html and "<b" not in html
    assert unescape(plain(html)) == text


def test_spans_outside_the_text_are_ignored() -> None:
    assert highlight("Астана", [mark(3, 99, "m"), mark(4, 2, "n")]) == "Астана"


def test_document_spans_anchor_each_fact_by_kind_and_offsets() -> None:
    text = "«Мы готовы», – сказал Ермек Кошербаев 3 ноября."
    who = text.index("Ермек")
    doc = Document(
        id="d",
        source="d.txt",
        text=text,
        mentions=[Mention(who, who + 15, "Ермек Кошербаев", "PER", "Ермек Кошербаев", "e1")],
        entities=[Entity("e1", "PER", "Ермек Кошербаев", kb_id=7)],
        quotes=[Quote("e1", "Ермек Кошербаев", "Мы готовы", "direct", 1, 10)],
        dates=[DateValue(38, 46, "3 ноября", "2025-11-03", "2025-11-03", "day")],
    )
    spans = {span.anchor: span for span in document_spans(doc)}
    assert set(spans) == {anchor("mention", who, who + 15), "span-quote-1-10", "span-date-38-46"}
    assert ("data-href", "/entity/7") in spans[anchor("mention", who, who + 15)].attrs
    assert ("datetime", "2025-11-03") in spans["span-date-38-46"].attrs


def test_repeated_spans_get_distinct_anchors() -> None:
    doc = Document(
        id="d",
        source="d.txt",
        text="Аида Балаева",
        mentions=[
            Mention(0, 12, "Аида Балаева", "PER", "Аида Балаева"),
            Mention(0, 12, "Аида Балаева", "PER", ""),
        ],
    )
    assert [s.anchor for s in document_spans(doc)] == ["span-mention-0-12", "span-mention-0-12-2"]
