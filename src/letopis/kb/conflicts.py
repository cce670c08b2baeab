"""Facts that cannot both hold, flagged for a curator instead of being merged silently.

Two different people heading one organisation on the same day (both "министр" of one ministry
on 2024-03-01) is a conflict; it ends when a curator rejects one of the facts. An organisation
is known by its store entity (the fact's, or the one its title names: "министр иностранных дел
РК" heads Министерство иностранных дел Республики Казахстан), else by the key of what the title
names, else by the title itself.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TypedDict

from letopis.kb.timelines import EntityRef, PositionFact, fact_reference


class ConflictingFact(TypedDict):
    """One side of a conflict, with its evidence."""

    fact: str
    person: EntityRef
    title: str
    doc_id: str
    start: int
    end: int


class Conflict(TypedDict):
    """Facts that cannot all be true: `kind` says why."""

    kind: str
    organization: EntityRef | None
    title: str | None
    date: str
    facts: list[ConflictingFact]


def head_conflicts(facts: list[PositionFact]) -> list[Conflict]:
    """Days on which two or more different people are said to head the same organisation."""
    offices: dict[tuple, list[PositionFact]] = defaultdict(list)
    for fact in facts:
        if fact["head"] and fact["person"] and fact["date"]:
            office = fact["office"]["id"] if fact["office"] else fact["office_key"] or fact["title_key"]
            offices[(office, fact["date"])].append(fact)
    conflicts = []
    for (_, date), group in offices.items():
        if len({f["person"]["id"] for f in group}) < 2:
            continue
        organization = group[0]["office"]
        conflicts.append(
            Conflict(
                kind="two_heads",
                organization=organization,
                title=None if organization else group[0]["title"],
                date=date,
                facts=[_side(f) for f in sorted(group, key=lambda f: f["id"])],
            )
        )
    return sorted(conflicts, key=lambda c: (c["date"], c["facts"][0]["fact"]))


def _side(fact: PositionFact) -> ConflictingFact:
    return ConflictingFact(
        fact=fact_reference("position", fact["id"]),
        person=fact["person"],
        title=fact["title"],
        doc_id=fact["doc_id"],
        start=fact["start"],
        end=fact["end"],
    )
