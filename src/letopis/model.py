"""The extraction contract (shared/CONTRACT.md) in code: dataclasses and their JSON shape."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields
from functools import cache
from typing import Any

SCHEMA_VERSION = 1


@dataclass
class Mention:
    """A named span in the text: `start`/`end` index `Document.text`, end exclusive."""

    start: int
    end: int
    text: str
    type: str
    normal: str
    entity: str | None = None
    kind: str = "name"  # "name", or "pronoun"/"role" for a reference resolved by coreference


@dataclass
class Entity:
    """One distinct real-world thing within a document."""

    id: str
    type: str
    name: str
    aliases: list[str] = field(default_factory=list)
    kb_id: int | None = None


@dataclass
class Position:
    """A person holding a post, with the evidence span."""

    person: str
    title: str
    organization: str | None
    as_of: str | None
    start: int
    end: int


@dataclass
class Quote:
    """Who said what: direct or indirect speech."""

    speaker: str | None
    speaker_text: str | None
    text: str
    kind: str
    start: int
    end: int


@dataclass
class DateValue:
    """A temporal expression resolved to an absolute range (`from`/`to` in JSON)."""

    start: int
    end: int
    text: str
    from_: str | None
    to: str | None
    precision: str
    partial: str | None = None


@dataclass
class Event:
    """Something that happened or is announced (`from` in JSON)."""

    id: str
    type: str
    name: str
    status: str
    from_: str | None
    to: str | None
    place: str | None = None
    participants: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    outcome: str | None = None
    start: int = 0
    end: int = 0
    partial: str | None = None
    date_basis: str | None = None  # "text", "published", "kb" (inferred across documents) or None
    sponsor: str | None = None  # entity id of who put forward an initiative


@dataclass
class Topic:
    """A theme with its evidence span."""

    scheme: str
    code: str
    label: str
    score: float
    start: int
    end: int


FACT_LISTS = {
    "mentions": Mention,
    "entities": Entity,
    "positions": Position,
    "quotes": Quote,
    "dates": DateValue,
    "events": Event,
    "topics": Topic,
}


@dataclass
class Document:
    """One article: its text, where it came from, and everything extracted from it."""

    id: str
    source: str
    text: str
    url: str | None = None
    title: str | None = None
    published: str | None = None
    text_offset: int = 0
    item: str | None = (
        None  # which item of a multi-document source (row id, feed guid); None for one-doc files
    )
    mentions: list[Mention] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    positions: list[Position] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    dates: list[DateValue] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The contract's JSON object, `schema` first."""
        out: dict[str, Any] = {"schema": SCHEMA_VERSION}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in FACT_LISTS:
                value = [_fact_to_dict(item) for item in value]
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        """Rebuild a document from its contract JSON (the inverse of `to_dict`)."""
        kwargs: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in data:
                continue
            value = data[f.name]
            if f.name in FACT_LISTS:
                value = [_fact_from_dict(FACT_LISTS[f.name], item) for item in value]
            kwargs[f.name] = value
        return cls(**kwargs)


def _fact_to_dict(item: Any) -> dict[str, Any]:
    data = asdict(item)
    if "from_" in data:
        # `from` is a Python keyword, so the dataclass field carries a trailing underscore.
        data = {("from" if k == "from_" else k): v for k, v in data.items()}
    return data


def _fact_from_dict(kind: type, data: dict[str, Any]) -> Any:
    if data.keys() <= _own_names(kind):  # the usual case, and what a bulk load reads by the million
        return kind(**data)
    names = _field_names(kind)
    return kind(**{names[k]: v for k, v in data.items() if k in names})


@cache
def _own_names(kind: type) -> frozenset[str]:
    """The keys of a fact's JSON that are its fields' own names (all but `from`)."""
    return frozenset(f.name for f in fields(kind))


@cache
def _field_names(kind: type) -> dict[str, str]:
    """The field each key of a fact's JSON fills: its own name, and `from` for `from_`."""
    names = {f.name: f.name for f in fields(kind)}
    if "from_" in names:
        names["from"] = "from_"
    return names


def document_id(source_name: str, text: str) -> str:
    """A stable id from the source's name and the text: the same file gives the same id anywhere."""
    digest = hashlib.sha1(f"{source_name}\n{text}".encode()).hexdigest()
    return digest[:16]
