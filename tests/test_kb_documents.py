"""Hand-built documents for the knowledge-base tests: real news sentences, facts at exact offsets.

`article` finds every name, title and quote in the text itself, so a test says only what the
pipeline would have found, not where.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from letopis.model import Document, Entity, Event, Mention, Position, Quote
from letopis.store import Store


@dataclass
class Name:
    """A document entity: its type, name, and the (surface, normal form) of its mentions."""

    type: str
    name: str
    forms: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Post:
    """A position: person and organisation by local id, the title, and the text that says so."""

    person: str
    title: str
    evidence: str
    organization: str | None = None
    as_of: str | None = None


def article(
    doc_id: str,
    published: str,
    text: str,
    names: dict[str, Name],
    posts: list[Post] = (),
    quotes: list[tuple[str, str, str]] = (),
    events: list[Event] = (),
    source: str | None = None,
) -> Document:
    """A document with mentions of `names` wherever their surfaces occur (longest first)."""
    taken: list[tuple[int, int]] = []
    mentions = []
    surfaces = [(surface, normal, local) for local, n in names.items() for surface, normal in n.forms]
    for surface, normal, local in sorted(surfaces, key=lambda s: -len(s[0])):
        start = text.find(surface)
        while start != -1:
            end = start + len(surface)
            if not any(start < e and s < end for s, e in taken):
                taken.append((start, end))
                mentions.append(Mention(start, end, surface, names[local].type, normal, local))
            start = text.find(surface, end)
    mentions.sort(key=lambda m: m.start)
    entities = [
        Entity(local, n.type, n.name, sorted({normal for _, normal in n.forms} | {n.name}))
        for local, n in names.items()
    ]
    positions = [_position(text, published, post) for post in posts]
    found_quotes = [_quote(text, speaker, words, kind) for speaker, words, kind in quotes]
    return Document(
        id=doc_id,
        source=source or f"статьи/{doc_id}.txt",
        text=text,
        published=published,
        title=text.split(".")[0],
        mentions=mentions,
        entities=entities,
        positions=positions,
        quotes=found_quotes,
        events=list(events),
    )


def _position(text: str, published: str, post: Post) -> Position:
    start = text.index(post.evidence)
    return Position(
        post.person, post.title, post.organization, post.as_of or published, start, start + len(post.evidence)
    )


def _quote(text: str, speaker: str, words: str, kind: str) -> Quote:
    start = text.index(words)
    return Quote(speaker, None, words, kind, start, start + len(words))


def event(text: str, evidence: str, **fields: object) -> Event:
    """An event whose span is `evidence` in `text`."""
    start = text.index(evidence)
    return Event(start=start, end=start + len(evidence), **fields)


def person(name: str, *forms: str) -> Name:
    """A person whose mentions are `forms`, each "surface" or "surface=normal"."""
    return Name("PER", name, [_form(f) for f in forms or (name,)])


def org(name: str, *forms: str) -> Name:
    return Name("ORG", name, [_form(f) for f in forms or (name,)])


def place(name: str, *forms: str) -> Name:
    return Name("LOC", name, [_form(f) for f in forms or (name,)])


def _form(form: str) -> tuple[str, str]:
    surface, _, normal = form.partition("=")
    return surface, normal or surface


def store_with(db: str, *docs: Document) -> Store:
    """The new store at `db` (conftest's fixture) holding `docs`, added in order."""
    store = Store.open(db)
    for doc in docs:
        store.add(doc)
    return store


def entity_id(store: Store, name: str) -> int:
    """The id of the entity called `name` (its name, not an alias)."""
    row = store.connection.execute("SELECT id FROM entities WHERE name = ?", (name,)).fetchone()
    assert row is not None, f"no entity named {name!r}"
    return row["id"]


def people(store: Store) -> dict[str, list[str]]:
    """Every person in the store: name -> sorted aliases."""
    return entities_of(store, "PER")


def entities_of(store: Store, type: str) -> dict[str, list[str]]:
    rows = store.connection.execute(
        "SELECT e.name, a.alias FROM entities AS e JOIN aliases AS a ON a.entity_id = e.id WHERE e.type = ?"
        " ORDER BY e.name, a.alias",
        (type,),
    )
    found: dict[str, list[str]] = {}
    for row in rows:
        found.setdefault(row["name"], []).append(row["alias"])
    return found


# --- the test that the builders do what they say -------------------------------------------------

SAMPLE = (
    "Министр культуры и информации РК Аида Балаева встретилась с главой офиса «ООН-Женщины». "
    "Балаева отметила вклад ООН-Женщины в расширение прав женщин."
)


def sample() -> Document:
    return article(
        "d-sample",
        "2023-03-15",
        SAMPLE,
        {"e1": person("Аида Балаева", "Аида Балаева", "Балаева"), "e2": org("ООН-Женщины")},
        posts=[
            Post("e1", "министр культуры и информации РК", "Министр культуры и информации РК Аида Балаева")
        ],
        quotes=[("e1", "вклад ООН-Женщины в расширение прав женщин", "indirect")],
    )


def test_article_marks_every_surface_once_with_exact_offsets() -> None:
    doc = sample()
    assert [(m.text, m.entity) for m in doc.mentions] == [
        ("Аида Балаева", "e1"),
        ("ООН-Женщины", "e2"),
        ("Балаева", "e1"),
        ("ООН-Женщины", "e2"),
    ]
    spans = [(m.start, m.end, m.text) for m in doc.mentions]
    spans += [(p.start, p.end, SAMPLE[p.start : p.end]) for p in doc.positions]
    spans += [(q.start, q.end, q.text) for q in doc.quotes]
    assert all(doc.text[start:end] == text for start, end, text in spans)


@pytest.mark.parametrize("form", ["Балаевой=Балаева", "Балаева"])
def test_a_form_is_a_surface_with_an_optional_normal(form: str) -> None:
    assert _form(form)[1] == "Балаева"
