"""HTML: whole pages through trafilatura, small fragments (feed items) through the stdlib parser."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from letopis.errors import SourceError
from letopis.model import Document
from letopis.sources.text import stable_id

# trafilatura's fallback extractors keep menu links when a page has nothing else; a menu is never
# the article, so it is cut before extraction.
PRUNE_XPATH = "//nav"
BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 "
    "header hr li main ol p pre section table td th tr ul".split()
)
SKIPPED_TAGS = frozenset({"script", "style", "template"})
_SPACES = re.compile(r"\s+")


def read_html(content: str, source: str) -> Document:
    """One document from a decoded HTML page; offline (trafilatura only parses what it is given)."""
    from trafilatura import bare_extraction  # slow to import: only when an HTML file shows up

    extracted = bare_extraction(content, with_metadata=True, include_comments=False, prune_xpath=PRUNE_XPATH)
    text = as_paragraphs(extracted.text.splitlines()) if extracted is not None and extracted.text else ""
    if not text:
        raise SourceError(source, "no main text in HTML")
    return Document(
        id=stable_id(source, None, text),
        source=source,
        text=text,
        url=extracted.url or None,
        title=extracted.title or None,
        published=extracted.date or None,
    )


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment: entities unescaped, one paragraph per block, blank lines between."""
    parser = _BlockTextParser()
    parser.feed(fragment)
    parser.close()
    return as_paragraphs(parser.blocks)


def as_paragraphs(blocks: list[str]) -> str:
    """Blocks with whitespace collapsed, empty ones dropped, joined by blank lines like the samples."""
    paragraphs = (_SPACES.sub(" ", block).strip() for block in blocks)
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


class _BlockTextParser(HTMLParser):
    """Collects text, starting a new block at every block-level tag and skipping scripts and styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = [""]
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_TAGS:
            self._skipping += 1
        elif tag in BLOCK_TAGS:
            self.blocks.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in BLOCK_TAGS:
            self.blocks.append("")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.blocks[-1] += data
