"""Positions over time: the posts of a person, the heads of an organisation, from position facts.

Input rows are position facts as the store's read side gives them (`PositionFact`), already
without rejected ones; a fact is dated by its `as_of`, else by its document's publication date.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import TypedDict


class EntityRef(TypedDict):
    """A store entity, as facts point at it (the shape of store.queries.EntityRef)."""

    id: int
    type: str
    name: str


class PositionFact(TypedDict):
    """One position fact with its entities' names and its date."""

    id: int
    doc_id: str
    person: EntityRef | None
    title: str
    title_key: str | None
    organization: EntityRef | None
    office: EntityRef | None  # the organisation, else the one the title names ("министр иностранных дел РК")
    office_key: str | None
    date: str | None
    head: bool
    review: str | None
    start: int
    end: int


class PostHeld(TypedDict):
    """A post a person held: first and last day a document vouches for it, and those documents;
    `organization` is the fact's, else the one its title names."""

    title: str
    organization: EntityRef | None
    first_seen: str | None
    last_seen: str | None
    current: bool
    confirmed: bool
    documents: list[str]
    facts: list[str]


class Tenure(TypedDict):
    """Someone heading an organisation, seen from `first_seen` to `last_seen`."""

    person: EntityRef
    title: str
    first_seen: str | None
    last_seen: str | None
    documents: list[str]
    facts: list[str]


HEAD = "\x00head of"  # the key of posts heading an office; no title key starts with it


def fact_reference(kind: str, fact_id: int) -> str:
    """How users name a fact: "position:12"."""
    return f"{kind}:{fact_id}"


def posts_over_time(facts: list[PositionFact]) -> list[PostHeld]:
    """A person's posts (one per title and organisation), earliest first; the latest are `current`.

    A title that another of the person's titles only adds to is the same post: "заместитель
    Премьер-министра" is "заместитель Премьер-министра Республики Казахстан"; heading one office is
    one post, whatever the title: "глава МИД РК" is "министр иностранных дел РК"."""
    groups: dict[tuple, list[PositionFact]] = defaultdict(list)
    for fact in facts:
        if fact["head"] and fact["office"]:
            groups[(HEAD, fact["office"]["id"])].append(fact)
            continue
        organization = fact["organization"]["id"] if fact["organization"] else None
        groups[(fact["title_key"] or fact["title"], organization)].append(fact)
    for key in sorted(groups, key=lambda k: len(k[0])):
        longer = {other for other in groups if other != key and _extends(other, key)}
        if len(longer) == 1:
            groups[longer.pop()].extend(groups.pop(key))
    posts = [_post(group) for group in groups.values()]
    latest = max((p["last_seen"] for p in posts if p["last_seen"]), default=None)
    for post in posts:
        post["current"] = latest is not None and post["last_seen"] == latest
    return sorted(posts, key=lambda p: (p["first_seen"] is None, p["first_seen"] or "", p["title"]))


def _extends(longer: tuple, shorter: tuple) -> bool:
    """Whether post key `longer` says all `shorter` says, and more."""
    (title, organization), (short_title, short_organization) = longer, shorter
    same_place = short_organization is None or organization == short_organization
    return same_place and title.startswith(short_title + " ")


def _post(facts: list[PositionFact]) -> PostHeld:
    dates = sorted(f["date"] for f in facts if f["date"])
    return PostHeld(
        title=_most_common(f["title"] for f in facts),
        organization=next((f["office"] for f in facts if f["office"]), None),
        first_seen=dates[0] if dates else None,
        last_seen=dates[-1] if dates else None,
        current=False,
        confirmed=any(f["review"] == "confirmed" for f in facts),
        documents=sorted({f["doc_id"] for f in facts}),
        facts=[fact_reference("position", f["id"]) for f in sorted(facts, key=lambda f: f["id"])],
    )


def heads_over_time(facts: list[PositionFact]) -> list[Tenure]:
    """Who headed the organisation the facts are about (each a head's title), and when, earliest first."""
    groups: dict[int, list[PositionFact]] = defaultdict(list)
    for fact in facts:
        if fact["head"] and fact["person"]:
            groups[fact["person"]["id"]].append(fact)
    tenures = []
    for group in groups.values():
        dates = sorted(f["date"] for f in group if f["date"])
        tenures.append(
            Tenure(
                person=group[0]["person"],
                title=_most_common(f["title"] for f in group),
                first_seen=dates[0] if dates else None,
                last_seen=dates[-1] if dates else None,
                documents=sorted({f["doc_id"] for f in group}),
                facts=[fact_reference("position", f["id"]) for f in sorted(group, key=lambda f: f["id"])],
            )
        )
    return sorted(
        tenures, key=lambda t: (t["first_seen"] is None, t["first_seen"] or "", t["person"]["name"])
    )


def _most_common(values: Iterable[str]) -> str:
    """The most frequent value; of equally frequent ones the longest, then the first in order."""
    counts = Counter(values)
    return min(counts, key=lambda value: (-counts[value], -len(value), value))
