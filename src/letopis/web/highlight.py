"""An article's text as HTML with every fact span marked, nested spans as nested elements.

Spans may nest ("Региональный центр ООН" holds "ООН") or cross (a quote ending inside a name); the
text is cut at every span boundary and elements are closed and reopened where they cross, so the HTML
stays well formed and each span keeps one `id="span-…"` on its first piece for the side panel's links.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from letopis.model import Document, Mention

# Outer layers first when two spans cover the same text: an event holds a quote holds a name holds a date.
LAYERS = ("event", "topic", "quote", "position", "mention", "date")


@dataclass(frozen=True)
class Span:
    """One highlighted range: `tag` and `attrs` of its element, `layer` for nesting equal ranges."""

    start: int
    end: int
    layer: str
    tag: str
    anchor: str
    attrs: tuple[tuple[str, str], ...] = field(default=())

    @property
    def rank(self) -> int:
        return LAYERS.index(self.layer)


def anchor(layer: str, start: int, end: int) -> str:
    """The element id of a fact's span, derived from the fact alone so other pages can link to it."""
    return f"span-{layer}-{start}-{end}"


def document_spans(doc: Document) -> list[Span]:
    """Every mention, date, quote, position, event and topic of the document as a `Span`, in that order;
    a span repeating another of its kind (two posts, one evidence) gets an id with a suffix."""
    kb = {entity.id: entity.kb_id for entity in doc.entities}
    facts: list[tuple[str, Any, str, tuple[tuple[str, str], ...]]] = [
        *(("mention", m, "mark", _mention_attrs(m, kb)) for m in doc.mentions),
        *(("date", d, "time", _date_attrs(d.from_, d.to, d.partial)) for d in doc.dates),
        *(("quote", q, "span", (("class", f"quote {q.kind}"),)) for q in doc.quotes),
        *(("position", p, "span", (("class", "position"), ("title", p.title))) for p in doc.positions),
        *(("event", e, "span", (("class", f"event {e.status}"), ("title", e.name))) for e in doc.events),
        *(("topic", t, "span", (("class", "topic"), ("title", t.label))) for t in doc.topics),
    ]
    seen: Counter[str] = Counter()
    spans = []
    for layer, fact, tag, attrs in facts:
        name = anchor(layer, fact.start, fact.end)
        seen[name] += 1
        if seen[name] > 1:
            name = f"{name}-{seen[name]}"
        spans.append(Span(fact.start, fact.end, layer, tag, name, attrs))
    return spans


def _mention_attrs(mention: Mention, kb: dict[str, int | None]) -> tuple[tuple[str, str], ...]:
    attrs = [("class", mention.type), ("title", mention.normal)]
    kb_id = kb.get(mention.entity) if mention.entity else None
    if kb_id is not None:
        attrs.append(("data-href", f"/entity/{kb_id}"))
    return tuple(attrs)


def _date_attrs(start: str | None, end: str | None, partial: str | None) -> tuple[tuple[str, str], ...]:
    if start is None:
        return (("class", "date"), ("title", f"год неизвестен: {partial}" if partial else "не разрешена"))
    value = start if start == end else f"{start}/{end}"
    return (("class", "date"), ("datetime", start), ("title", value))


def highlight(text: str, spans: list[Span]) -> Markup:
    """The text, HTML-escaped, with each span an element; crossing spans are split into pieces."""
    valid = [span for span in spans if 0 <= span.start < span.end <= len(text)]
    starting: dict[int, list[Span]] = defaultdict(list)
    for span in valid:
        starting[span.start].append(span)
    points = sorted({0, len(text)} | {s.start for s in valid} | {s.end for s in valid})
    out: list[str] = []
    stack: list[Span] = []
    for here, after in zip(points, points[1:] + [None], strict=True):
        reopen = _close_ending(stack, here, out)
        for span in sorted(reopen + starting[here], key=lambda s: (-s.end, s.rank, s.start)):
            out.append(_open_tag(span, first=span.start == here))
            stack.append(span)
        if after is not None:
            out.append(str(escape(text[here:after])))
    return Markup("".join(out))


def _close_ending(stack: list[Span], here: int, out: list[str]) -> list[Span]:
    """Close the spans ending at `here` and those inside them; return the latter, to be reopened."""
    ending = [index for index, span in enumerate(stack) if span.end <= here]
    if not ending:
        return []
    popped = stack[ending[0] :]
    del stack[ending[0] :]
    out.extend(f"</{span.tag}>" for span in reversed(popped))
    return [span for span in popped if span.end > here]


def _open_tag(span: Span, first: bool) -> str:
    attrs = list(span.attrs)
    if span.anchor and first:
        attrs.insert(1, ("id", span.anchor))
    elif span.anchor:
        attrs.append(("data-continues", span.anchor))
    rendered = "".join(f' {name}="{escape(value)}"' for name, value in attrs)
    return f"<{span.tag}{rendered}>"
