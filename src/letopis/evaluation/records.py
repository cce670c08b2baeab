"""What gold corpora and systems both produce: typed spans and facts over one text."""

from __future__ import annotations

from dataclasses import dataclass, field

TYPES = ("PER", "ORG", "LOC")

Extent = tuple[int, int]


@dataclass(frozen=True, order=True)
class Span:
    """A named span: `start`/`end` index the document text, end exclusive; `type` is PER, ORG or LOC."""

    start: int
    end: int
    type: str


@dataclass(frozen=True)
class Fact:
    """A relation between spans: each argument is the extents any one of which counts as that argument.

    `kind` is `works_as` (person, title), `workplace` (person, organisation), `point_in_time`
    (event, date) or `meeting` (participants, in any order). An argument holds several extents
    when the gold names it more than once (a person's every mention) or the system's entity has
    several mentions.
    """

    kind: str
    args: tuple[tuple[Extent, ...], ...]


@dataclass
class GoldDoc:
    """One annotated document; `skipped` counts annotations left out (discontinuous entities)."""

    id: str
    text: str
    spans: list[Span] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    skipped: int = 0


@dataclass
class Prediction:
    """What one system found in one document; `facts` is None for a system that extracts none."""

    spans: list[Span] = field(default_factory=list)
    facts: list[Fact] | None = None
