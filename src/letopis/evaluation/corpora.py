"""Gold corpora read into `GoldDoc`s: NEREL (brat standoff) and factRuEval-2016.

Offsets in both are character indices into the `.txt` read as UTF-8 with no newline
translation (checked on NEREL v1.1 and the factRuEval devset: no `\\r`, no byte offsets).
The loaders check every annotation against the text and raise `CorpusError` on a mismatch.

Conventions:
- NEREL: PERSON -> PER, ORGANIZATION -> ORG, CITY/COUNTRY/STATE_OR_PROVINCE/DISTRICT/LOCATION
  -> LOC, other types ignored. A discontinuous entity (`start end;start end`) is skipped, and
  so is any relation that has it as an argument: its outer extent would take in words that
  are not part of the name ("Лебединский [и Михайловский] горно-обогатительные комбинаты").
  Relations kept as facts: WORKS_AS (PERSON -> PROFESSION), WORKPLACE (PERSON -> ORGANIZATION)
  and POINT_IN_TIME (EVENT -> DATE: 215 of the 238 in dev, 212 once those with a discontinuous
  argument are skipped; those from an AWARD, CRIME or WORK_OF_ART, or to a TIME such as
  "в 14:00", are not what letopis dates, so they are left out).
- factRuEval, as naeval (the published Natasha benchmark) reads it: a Person object is the
  extent of all its spans; an Org object gives its `org_name` spans; a Location or LocOrg
  object gives its `loc_name` spans (LocOrg -> LOC). Descriptors ("мэрии", "движения") are
  not part of a name, so "мэрии Москвы" is LOC "Москвы" only. Project and Facility are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from letopis.errors import LetopisError
from letopis.evaluation.records import Extent, Fact, GoldDoc, Span

NEREL_TYPES = {
    "PERSON": "PER",
    "ORGANIZATION": "ORG",
    "CITY": "LOC",
    "COUNTRY": "LOC",
    "STATE_OR_PROVINCE": "LOC",
    "DISTRICT": "LOC",
    "LOCATION": "LOC",
}
# relation -> (fact kind, type of Arg1, type of Arg2)
NEREL_RELATIONS = {
    "WORKS_AS": ("works_as", "PERSON", "PROFESSION"),
    "WORKPLACE": ("workplace", "PERSON", "ORGANIZATION"),
    "POINT_IN_TIME": ("point_in_time", "EVENT", "DATE"),
}
# object type -> (span type that makes the name, or None for the whole object; letopis type)
FACTRU_OBJECTS = {
    "Person": (None, "PER"),
    "Org": ("org_name", "ORG"),
    "Location": ("loc_name", "LOC"),
    "LocOrg": ("loc_name", "LOC"),
}
FACTRU_SPLITS = {"dev": "devset", "test": "testset"}
SLOT_REFERENCE = re.compile(r"^(obj|span)(\d+)")


class CorpusError(LetopisError):
    """A gold corpus file cannot be read or disagrees with its text."""


def read_text(path: Path) -> str:
    """A corpus file as UTF-8, newlines untouched, so offsets stay exact."""
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def _lines(path: Path) -> list[str]:
    return [line.rstrip("\r\n") for line in read_text(path).split("\n")]


def _blocks(path: Path) -> Iterator[list[str]]:
    """Groups of non-empty lines separated by blank lines."""
    block: list[str] = []
    for line in _lines(path) + [""]:
        if line.strip():
            block.append(line)
        elif block:
            yield block
            block = []


def _check(text: str, start: int, end: int, expected: str, where: str) -> None:
    if text[start:end] != expected:
        raise CorpusError(f"{where}: offsets {start}-{end} give {text[start:end]!r}, annotated {expected!r}")


def _doc_paths(folder: Path, suffix: str, limit: int | None) -> list[Path]:
    if not folder.is_dir():
        raise CorpusError(f"{folder}: no such folder")
    paths = sorted(folder.glob(f"*{suffix}"))
    return paths[:limit] if limit is not None else paths


# NEREL


def parse_brat(
    ann: str, text: str, where: str
) -> tuple[dict[str, tuple[str, Extent]], list[tuple], list[str]]:
    """Entities `{id: (TYPE, (start, end))}`, relations `[(REL, arg1, arg2)]`, types of discontinuous ones."""
    entities: dict[str, tuple[str, Extent]] = {}
    relations = []
    discontinuous = []
    for line in ann.split("\n"):
        line = line.rstrip("\r")
        if line.startswith("T"):
            tid, head, annotated = line.split("\t", 2)
            kind, ranges = head.split(" ", 1)
            if ";" in ranges:
                discontinuous.append(kind)
                continue
            start, end = (int(x) for x in ranges.split())
            _check(text, start, end, annotated, f"{where} {tid}")
            entities[tid] = (kind, (start, end))
        elif line.startswith("R"):
            _, head = line.split("\t")[:2]
            name, arg1, arg2 = head.split()
            relations.append((name, arg1.split(":", 1)[1], arg2.split(":", 1)[1]))
    return entities, relations, discontinuous


def nerel_facts(entities: dict[str, tuple[str, Extent]], relations: list[tuple]) -> list[Fact]:
    """The relations of `NEREL_RELATIONS` whose arguments have the types it names, as facts."""
    facts = []
    for name, arg1, arg2 in relations:
        if name not in NEREL_RELATIONS or arg1 not in entities or arg2 not in entities:
            continue
        kind, type1, type2 = NEREL_RELATIONS[name]
        (got1, extent1), (got2, extent2) = entities[arg1], entities[arg2]
        if (got1, got2) == (type1, type2):
            facts.append(Fact(kind, ((extent1,), (extent2,))))
    return facts


def load_nerel_doc(txt: Path) -> GoldDoc:
    """One NEREL document from its `.txt` and the `.ann` beside it."""
    text = read_text(txt)
    entities, relations, discontinuous = parse_brat(read_text(txt.with_suffix(".ann")), text, txt.name)
    spans = {
        Span(start, end, NEREL_TYPES[kind]) for kind, (start, end) in entities.values() if kind in NEREL_TYPES
    }
    skipped = sum(kind in NEREL_TYPES for kind in discontinuous)
    return GoldDoc(txt.stem, text, sorted(spans), nerel_facts(entities, relations), skipped)


def load_nerel(path: str | Path, split: str | None = "dev", limit: int | None = None) -> list[GoldDoc]:
    """NEREL documents from `path/<split>/*.txt` (or `path` itself when `split` is None)."""
    folder = Path(path) / split if split else Path(path)
    return [load_nerel_doc(txt) for txt in _doc_paths(folder, ".txt", limit)]


# factRuEval


def factru_spans(stem: Path, text: str) -> dict[str, tuple[str, Extent]]:
    """`{span id: (span type, (start, end))}`, each checked to start and end on a token of `.tokens`."""
    starts, ends = set(), set()
    for line in _lines(stem.with_suffix(".tokens")):
        fields = line.split(" ", 3)
        if len(fields) == 4:
            start, end = int(fields[1]), int(fields[1]) + int(fields[2])
            _check(text, start, end, fields[3], f"{stem.name}.tokens {fields[0]}")
            starts.add(start)
            ends.add(end)
    spans = {}
    for line in _lines(stem.with_suffix(".spans")):
        fields = line.split("#", 1)[0].split()
        if not fields:
            continue
        start = int(fields[2])
        end = start + int(fields[3])
        if start not in starts or end not in ends:
            raise CorpusError(f"{stem.name}.spans {fields[0]}: {start}-{end} does not fall on token bounds")
        spans[fields[0]] = (fields[1], (start, end))
    return spans


def factru_objects(stem: Path) -> dict[str, tuple[str, list[str]]]:
    """`{object id: (type, [span ids])}`."""
    objects = {}
    for line in _lines(stem.with_suffix(".objects")):
        fields = line.split("#", 1)[0].split()
        if fields:
            objects[fields[0]] = (fields[1], fields[2:])
    return objects


def factru_corefs(stem: Path) -> dict[str, list[str]]:
    """`{coreference group id: [object ids]}`; facts name their participants by these groups."""
    path = stem.with_suffix(".coref")
    if not path.exists():
        return {}
    return {block[0].split()[0]: block[0].split()[1:] for block in _blocks(path)}


def object_extent(span_ids: list[str], spans: dict[str, tuple[str, Extent]]) -> Extent:
    """An object's outer extent: from its first span's start to its last span's end."""
    extents = [spans[s][1] for s in span_ids]
    return min(start for start, _ in extents), max(end for _, end in extents)


def factru_names(
    objects: dict[str, tuple[str, list[str]]], spans: dict[str, tuple[str, Extent]]
) -> list[Span]:
    """Gold PER/ORG/LOC spans, read as naeval reads them (see the module docstring)."""
    names = set()
    for kind, span_ids in objects.values():
        if kind not in FACTRU_OBJECTS or not span_ids:
            continue
        name_type, out_type = FACTRU_OBJECTS[kind]
        if name_type is None:
            names.add(Span(*object_extent(span_ids, spans), out_type))
            continue
        for span_id in span_ids:
            span_type, (start, end) = spans[span_id]
            if span_type == name_type:
                names.add(Span(start, end, out_type))
    return sorted(names)


def _slot_extents(
    value: str, group_extents: dict[str, tuple[Extent, ...]], spans: dict
) -> tuple[Extent, ...]:
    """Extents a fact slot points at: `obj48 …` (a coreference group) or `span1 … | span2 …`."""
    extents: list[Extent] = []
    for part in value.split(" | "):
        match = SLOT_REFERENCE.match(part)
        if match and match.group(1) == "obj":
            extents.extend(group_extents.get(match.group(2), ()))
        elif match and match.group(2) in spans:
            extents.append(spans[match.group(2)][1])
    return tuple(dict.fromkeys(extents))


def factru_facts(stem: Path, group_extents: dict[str, tuple[Extent, ...]], spans: dict) -> list[Fact]:
    """Occupation -> works_as (Who, Position) and workplace (Who, Where); Meeting -> meeting."""
    path = stem.with_suffix(".facts")
    if not path.exists():
        return []
    facts = []
    for block in _blocks(path):
        kind = block[0].split()[1]
        slots: dict[str, list[tuple[Extent, ...]]] = {}
        for line in block[1:]:
            role, _, value = line.partition(" ")
            extents = _slot_extents(value, group_extents, spans)
            if extents:
                slots.setdefault(role, []).append(extents)
        if kind == "Occupation" and "Who" in slots:
            who = slots["Who"][0]
            if "Position" in slots:
                facts.append(Fact("works_as", (who, slots["Position"][0])))
            if "Where" in slots:
                facts.append(Fact("workplace", (who, slots["Where"][0])))
        elif kind == "Meeting" and len(slots.get("Participant", [])) >= 2:
            facts.append(Fact("meeting", tuple(slots["Participant"])))
    return facts


def load_factru_doc(txt: Path) -> GoldDoc:
    """One factRuEval document from `book_N.txt` and its `.tokens/.spans/.objects/.coref/.facts`."""
    stem = txt.with_suffix("")
    text = read_text(txt)
    spans = factru_spans(stem, text)
    objects = factru_objects(stem)
    extents = {oid: object_extent(ids, spans) for oid, (_, ids) in objects.items() if ids}
    groups = {
        gid: tuple(dict.fromkeys(extents[o] for o in oids if o in extents))
        for gid, oids in factru_corefs(stem).items()
    }
    return GoldDoc(stem.name, text, factru_names(objects, spans), factru_facts(stem, groups, spans))


def load_factrueval(path: str | Path, split: str | None = "dev", limit: int | None = None) -> list[GoldDoc]:
    """factRuEval documents from `path/devset` (split "dev"), `path/testset` ("test"), or `path/<split>`."""
    folder = Path(path) / FACTRU_SPLITS.get(split, split) if split else Path(path)
    return [load_factru_doc(txt) for txt in _doc_paths(folder, ".txt", limit)]


CORPORA = {"nerel": load_nerel, "factrueval": load_factrueval}
# The fact kinds each corpus annotates; a predicted fact of another kind cannot be scored there.
CORPUS_FACTS = {
    "nerel": tuple(kind for kind, _, _ in NEREL_RELATIONS.values()),
    "factrueval": ("works_as", "workplace", "meeting"),
}


def load_corpus(corpus: str, path: str | Path, split: str | None, limit: int | None) -> list[GoldDoc]:
    """Documents of a named corpus (`nerel` or `factrueval`)."""
    if corpus not in CORPORA:
        raise CorpusError(f"unknown corpus {corpus!r}: choose one of {', '.join(CORPORA)}")
    return CORPORA[corpus](path, split, limit)
