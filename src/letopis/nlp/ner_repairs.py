"""Repairs of the tagger's raw name spans where slovnet goes wrong on official news.

`find_mentions` (`ner.py`) tags names with slovnet; the rules here fix the bounds and types of its
spans from the text, word lists and pymorphy3's parses. They are apart from the tagging because they
never run slovnet: each repair takes and returns the `RawSpan`s of one text.

Repairs, each a small function `repair(text, spans) -> spans`, run in the order of `REPAIRS`:
- `balance_quotes`: «Структуры «ООН-Женщины» keeps its closing quote.
- `extend_hyphenated_start`: a span starting inside "Азиатско-Тихоокеанского" takes the whole word.
- `split_bracket_abbreviation`: "Федеральную налоговую службу (ФНС)" is two names.
- `cut_places_at_prepositions`: "РФ" in "Совета при Президенте РФ по развитию …" ends at "по".
- `strip_descriptor`: "ОАО «Газпром»" names "Газпром"; the legal form is not part of the name.
- `trim_unpaired_quotes`: "«Нур Отан»" names "Нур Отан"; a quote without its pair is left out.
- `retype_known_names`: "Евросоюза" is an organisation, "МКС" a place, "СМИ" no name at all.
- `extend_adjective_to_head`: an organisation cut after its adjective ("Азиатско-Тихоокеанского")
  takes the noun it agrees with and that noun's genitive chain ("центра цифровых решений …").
- `join_genitive_names`: "МИД" + "России" is also "МИД России", "Совет Безопасности" + "ООН"
  also "Совет Безопасности ООН" (nested mentions are allowed: the parts stay).
- `extend_complement`: an organisation takes the phrase that belongs to its name:
  "УФСБ по Пермскому краю", "Совета при Президенте РФ", "МХТ имени Чехова", "Госдумы шестого созыва".
- `tag_units_before_names`: "пресс-служба Кремля", "комитета Госдумы": a unit named by a common noun.
- `nest_known_names`: a quoted or several-word organisation named on its own elsewhere is marked
  again inside a longer one.
- `tag_repeated_names`: an organisation tagged once is tagged where slovnet missed it ("Голос Америки:").
Word lists live in grammars/ (grammars/README.md says where each comes from).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from functools import lru_cache
from itertools import islice
from typing import NamedTuple

from letopis.nlp.grammars import word_list
from letopis.nlp.lemmas import lemma
from letopis.nlp.models import parses
from letopis.nlp.normal import TOKEN


class RawSpan(NamedTuple):
    """A name found in the text: its characters [start, end) and type (PER, ORG, LOC). A tuple: the
    repairs make, hash and sort tens of thousands of them."""

    start: int
    end: int
    type: str


NAME_WORD = re.compile(r"[0-9A-Za-zА-Яа-яЁё]+(?:-[0-9A-Za-zА-Яа-яЁё]+)*")
CAPITALISED = re.compile(r"(?<![0-9A-Za-zА-Яа-яЁё-])[A-ZА-ЯЁ][0-9A-Za-zА-Яа-яЁё]*(?:-[0-9A-Za-zА-Яа-яЁё]+)*")
CYRILLIC_WORD_BEFORE = re.compile(r"(?<![0-9A-Za-zА-Яа-яЁё-])([А-ЯЁа-яё][а-яё]*(?:-[а-яё]+)*)[ \xa0]$")
# The next word after a position, on the same line: a word, a hyphenated word or a «quoted name».
NEXT_WORD = re.compile(r"[ \xa0]([0-9A-Za-zА-Яа-яЁё]+(?:-[0-9A-Za-zА-Яа-яЁё]+)*|«[^«»\n]{1,80}»)")
BRACKETED = re.compile(r"^(?P<name>.*?[^\s(])\s*\((?P<inner>[A-ZА-ЯЁ][^()\n]{0,60})\)$", re.DOTALL)
ABBREVIATION = re.compile(r"^[A-ZА-ЯЁ0-9][A-ZА-ЯЁ0-9&-]*[A-ZА-ЯЁ]$|^[A-ZА-ЯЁ][A-ZА-ЯЁ0-9&-]+$")
QUOTED_NAME = re.compile(r"^(?P<descriptor>[^\s«»\"„“]+)\s+[«\"„“](?P<name>[^«»\"„“]+)[»\"“]$")
LOCATIVE_BEFORE = re.compile(r"(?:^|[\s(«\"])(?:[Вв]о?|[Уу]|[Пп]еред|[Вв]озле|[Оо]коло)[ \xa0]$")
PREPOSITION_INSIDE = re.compile(r"[ \xa0](?:по|при)[ \xa0]")
COMPLEMENT = re.compile(r"[ \xa0](по|при)(?:[ \xa0](?:г\.|городу))?(?=[ \xa0])")
ORDINAL = r"(?:\d+(?:-?(?:го|й))?|[а-яё]+(?:ого|его))"
CONVOCATION = re.compile(rf"[ \xa0]{ORDINAL}(?:[ \xa0]и[ \xa0]{ORDINAL})?[ \xa0]созыв(?:а|ов)(?![а-яё])")
NAMED_AFTER = re.compile(r"[ \xa0](?:имени|им\.)[ \xa0]?")
INITIALS = re.compile(r"(?:[А-ЯЁA-Z]\.[ \xa0]?){1,2}")
SURNAME = re.compile(r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?")
AND = re.compile(r"[ \xa0]и(?=[ \xa0])")
COMPLEMENT_CASE = {"по": "datv", "при": "loct"}
TERRITORIAL = {"область", "край", "округ", "район", "республика", "город", "регион", "автономия"}
NAMED_TERRITORIES = {"республика", "город"}  # "по Республике Крым", "по городу Москве"
MAX_CHAIN = 6
MAX_JOINS = 3
MIN_SCORE = 0.01


# Word lists (grammars/*.txt, read once, on first use)


def _columns(name: str) -> list[list[str]]:
    """The entries of grammars/<name>.txt split on tabs: ["правительство", "org"]."""
    return [line.split("\t") for line in sorted(word_list(name))]


@lru_cache(maxsize=1)
def org_heads() -> dict[str, frozenset[str]]:
    """Head nouns of organisation names -> prepositions whose phrase belongs to the name."""
    return {row[0]: frozenset(row[1].split() if len(row) > 1 else ()) for row in _columns("org_heads")}


@lru_cache(maxsize=1)
def unit_nouns() -> dict[str, frozenset[str]]:
    """Nouns that name one body when a name follows -> the types of that name: "пресс-служба" -> ORG."""
    return {row[0]: frozenset(row[1].upper().split()) for row in _columns("org_units")}


@lru_cache(maxsize=1)
def known_types() -> dict[str, str]:
    """Lemmatised names -> the type they get (ORG, LOC, or "-" for not a name)."""
    return {row[0]: row[1].upper() for row in _columns("ner_types")}


@lru_cache(maxsize=1)
def known_first_words() -> frozenset[str]:
    """First three letters of the first word of every name in grammars/ner_types.txt: a cheap filter."""
    return frozenset(name.split()[0][:3] for name in known_types())


# Words


def _is_abbreviation(word: str) -> bool:
    return len(word) > 1 and bool(ABBREVIATION.match(word))


@lru_cache(maxsize=100_000)
def _forms(word: str) -> frozenset[tuple[str, str]]:
    """(part of speech, case) pairs the lower-cased word can have: ("NOUN", "gent"), ("ADJ", "datv")."""
    forms = set()
    for p in parses(word):
        if p.score < MIN_SCORE or not p.tag.case:
            continue
        pos = "ADJ" if p.tag.POS in ("ADJF", "PRTF") else p.tag.POS
        forms.add((pos, p.tag.case))
        if p.tag.case in ("loc2", "gen2"):  # "в аэропорту", "чаю": second cases count as the first
            forms.add((pos, p.tag.case[:3] + "t"))
    return frozenset(forms)


def _has_form(word: str, pos: str, case: str) -> bool:
    return (pos, case) in _forms(word.lower())


def _is_adjective(word: str) -> bool:
    options = parses(word.lower())
    return bool(options) and options[0].tag.POS in ("ADJF", "PRTF")


@lru_cache(maxsize=100_000)  # asked of the same words by several repairs
def _is_genitive_word(word: str) -> bool:
    if word.startswith("«") or _is_abbreviation(word):
        return True
    return any(
        p.score >= 0.05 and p.tag.case == "gent" and p.tag.POS in ("NOUN", "ADJF", "PRTF")
        for p in parses(word.lower())
    )


def _agrees(adjective: str, noun: str) -> bool:
    """The noun can follow the adjective in one phrase: a noun parse sharing a case, number and gender."""
    adjectives = [p.tag for p in parses(adjective.lower()) if p.tag.POS in ("ADJF", "PRTF")]
    nouns = [p.tag for p in parses(noun.lower()) if p.tag.POS == "NOUN" and p.score >= MIN_SCORE]
    return any(
        a.case == n.case
        and a.number == n.number
        and (n.number == "plur" or a.gender == n.gender or "ms-f" in n.grammemes)
        for a in adjectives
        for n in nouns
    )


def _last_word(text: str, span: RawSpan) -> str:
    words = TOKEN.findall(text[span.start : span.end])
    return words[-1] if words else ""


def _head_complements(word: str) -> frozenset[str] | None:
    """Prepositions a head noun takes into its name, or None when the word heads no organisation."""
    return org_heads().get(lemma(word)) if word[:1].isalpha() and not _is_abbreviation(word) else None


# Repairs


def balance_quotes(text: str, spans: list[RawSpan]) -> list[RawSpan]:
    """Close a «…» left open by the tagger, when the closing mark follows on the same line."""
    out = []
    for span in spans:
        inside = text[span.start : span.end]
        if inside.count("«") > inside.count("»"):
            close = text.find("»", span.end)
            newline = text.find("\n", span.end)
            if close != -1 and (newline == -1 or close < newline) and close - span.end <= 80:
                span = RawSpan(span.start, close + 1, span.type)
        out.append(span)
    return out


def extend_hyphenated_start(text: str, spans: list[RawSpan]) -> list[RawSpan]:
    """Start a span at the beginning of the hyphenated word it starts inside of."""
    out = []
    for span in spans:
        start = span.start
        while start > 1 and text[start - 1] == "-" and text[start - 2].isalpha():
            start -= 1
            while start > 0 and text[start - 1].isalpha():
                start -= 1
        out.append(RawSpan(start, span.end, span.type))
    return out


def split_bracket_abbreviation(text: str, spans: list[RawSpan]) -> list[RawSpan]:
    """Split "Name (ABBR)" into two names of the same type: "Федеральную налоговую службу" and "ФНС"."""
    out = []
    for span in spans:
        match = BRACKETED.match(text[span.start : span.end])
        if span.type == "PER" or not match:
            out.append(span)
            continue
        out.append(RawSpan(span.start, span.start + match.end("name"), span.type))
        out.append(RawSpan(span.start + match.start("inner"), span.start + match.end("inner"), span.type))
    return out


def trim_unpaired_quotes(text: str, spans: list[RawSpan]) -> list[RawSpan]:
    """Leave out quotes around a whole name and quotes without a pair: "«Нур Отан»" -> "Нур Отан"."""
    out = []
    for span in spans:
        start, end = span.start, span.end
        inside = text[start:end]
        if inside.startswith("«") and inside.endswith("»") and inside.count("«") == inside.count("»") == 1:
            start, end = start + 1, end - 1
        elif inside.endswith("»") and inside.count("«") < inside.count("»"):
            end -= 1
        elif inside.startswith("«") and inside.count("«") > inside.count("»"):
            start += 1
        out.append(RawSpan(start, end, span.type) if end > start else span)
    return out


def cut_places_at_prepositions(text: str, spans: list[RawSpan]) -> list[RawSpan]:
    """End a place before "по"/"при": "РФ [по развитию гражданского общества]" belongs to an organisation."""
    out = []
    for span in spans:
        cut = PREPOSITION_INSIDE.search(text, span.start, span.end) if span.type == "LOC" else None
        out.append(RawSpan(span.start, cut.start(), span.type) if cut else span)
    return out


def strip_descriptor(text: str, spans: list[RawSpan]) -> list[RawSpan]:
    """Keep only the quoted name after a legal form or kind of company: "ООО «Алтек»" -> "Алтек"."""
    out = []
    for span in spans:
        match = QUOTED_NAME.match(text[span.start : span.end])
        if span.type == "ORG" and match and lemma(match.group("descriptor")) in word_list("org_descriptors"):
            span = RawSpan(span.start + match.start("name"), span.start + match.end("name"), span.type)
        out.append(span)
    return out


def _known_type(surface: str) -> str | None:
    """The type grammars/ner_types.txt gives the name, compared by lemmas: "Евросоюза" -> ORG."""
    words = NAME_WORD.findall(surface)
    if not words or words[0][:3].lower().replace("ё", "е") not in known_first_words():
        return None
    return known_types().get(" ".join(lemma(word) for word in words))


def retype_known_names(text: str, spans: list[RawSpan]) -> list[RawSpan]:
    """Give names from grammars/ner_types.txt their type; drop those listed as no name.

    A name typed ORG there stays a place where the text says where: "в Белом доме".
    """
    out = []
    for span in spans:
        kind = _known_type(text[span.start : span.end])
        if kind == "-":
            continue
        if kind is not None and kind != span.type:
            locative = kind == "ORG" and LOCATIVE_BEFORE.search(text, max(0, span.start - 8), span.start)
            span = span if locative else RawSpan(span.start, span.end, kind)
        out.append(span)
    return out


def extend_adjective_to_head(text: str, spans: list[RawSpan]) -> list[RawSpan]:
    """Extend an organisation that ends in an adjective over its head noun and genitive chain.

    The noun must agree with the adjective and head organisations ("Азиатско-Тихоокеанского центра"),
    so "Худрук Большого завершил работу" keeps "Большого" as it is.
    """
    out = []
    for span in spans:
        last = _last_word(text, span)
        if span.type != "ORG" or not last or not _is_adjective(last):
            out.append(span)
            continue
        head = NEXT_WORD.match(text, span.end)
        if not head or not _agrees(last, head.group(1)) or _head_complements(head.group(1)) is None:
            out.append(span)
            continue
        out.append(RawSpan(span.start, _genitive_tail(text, head.end(), spans), span.type))
    return out


def _genitive_tail(text: str, end: int, spans: list[RawSpan]) -> int:
    """Where the genitive words after `end` stop; a person's name is never taken in."""
    people = {s.start for s in spans if s.type == "PER"}
    for _ in range(MAX_CHAIN):
        match = NEXT_WORD.match(text, end)
        if not match or match.start(1) in people or not _is_genitive_word(match.group(1)):
            break
        end = match.end()
    return end


def _names_organisation(text: str, span: RawSpan) -> bool:
    """The span has an abbreviation or an organisation's head noun in it ("Регионального центра")."""
    return any(
        _is_abbreviation(word) or _head_complements(word) is not None
        for word in TOKEN.findall(text[span.start : span.end])
    )


def _bridges(text: str, left: RawSpan, right: RawSpan) -> bool:
    """Only genitive words lie between an organisation ending in its head noun and the next name:
    "Генерального штаба" [вооруженных сил] "Украины", "Высшего совета" [партии] «"Единая Россия"».
    """
    gap = text[left.end : right.start]
    if left.type != "ORG" or not gap.startswith(" ") or len(gap) > 40 or right.type == "PER":
        return False
    if _head_complements(_last_word(text, left)) is None:
        return False
    words = gap.rstrip("«").split()
    return (
        0 < len(words) <= 3
        and all(w.islower() and _is_genitive_word(w) for w in words)
        and (gap.endswith(" ") or gap.endswith(" «"))
    )


def _continues(text: str, left: RawSpan, right: RawSpan) -> bool:
    """`right` stands right after the organisation `left` and continues its name in the genitive."""
    if left.type != "ORG" or text[left.end : right.start] != " ":
        return False
    surface = text[right.start : right.end]
    first = TOKEN.findall(surface)[0]
    if right.type == "LOC":  # "МИД" + "России"
        return _is_genitive_word(first)
    if right.type != "ORG":
        return False
    if _is_abbreviation(surface):  # "Регионального центра" + "ООН", "ГУ" + "МВД", not "ЭСКАТО" + "ООН"
        before = text[left.start : left.end]
        return _names_organisation(text, left) and (len(before) <= 2 or not _is_abbreviation(before))
    # "Главного оперативного управления" + "Генштаба"
    return _head_complements(_last_word(text, left)) is not None and _is_genitive_word(first)


def join_genitive_names(text: str, spans: list[RawSpan]) -> list[RawSpan]:
    """Add the whole name where an organisation continues in the genitive with another name after it.

    "МИД" + "России" -> "МИД России", "Совет Безопасности" + "ООН" -> "Совет Безопасности ООН",
    "Департамента информации и печати" + "МИД" + "России" -> "… МИД России". The parts stay as
    names of their own (nested mentions are allowed) when they are names by themselves: not
    "Регионального центра" of "Регионального центра ООН", "ГУ" of "ГУ МВД", nor "Мажилис Парламента"
    of "Мажилис Парламента Республики Казахстан".
    """
    given = set(spans)
    spans = list(spans)
    known = set(spans)
    parts = set()
    for _ in range(MAX_JOINS):
        starts: dict[int, list[RawSpan]] = {}
        for span in spans:
            starts.setdefault(span.start, []).append(span)
        positions = sorted(starts)
        new = []
        for left in spans:
            for right in starts.get(left.end + 1, ()):
                joined = RawSpan(left.start, right.end, "ORG")
                if joined not in known and _continues(text, left, right):
                    known.add(joined)
                    new.append(joined)
                    parts.update([left] if right.type == "ORG" else [])
            for right in _names_after(text, left, starts, positions):
                end = right.end + (text[right.end : right.end + 1] == "»" and text[right.start - 1] == "«")
                joined = RawSpan(left.start, end, "ORG")
                if joined not in known and _bridges(text, left, right):
                    known.add(joined)
                    new.append(joined)
                    parts.add(left)
        if not new:
            break
        spans += new
    made = set(spans) - given
    parts |= {s for s in made if any(o.start == s.start and o.end > s.end for o in made)}
    return [s for s in spans if s not in parts or (_is_complete_name(text, s) and s.end - s.start > 2)]


def _names_after(
    text: str, left: RawSpan, starts: dict[int, list[RawSpan]], positions: list[int]
) -> list[RawSpan]:
    """Names starting within a few words after `left` on the same line; `positions` are the keys of
    `starts` in order, so only the starts in that window are visited (asked of every span)."""
    first, stop = left.end + 2, min(len(text), left.end + 41)
    line_end = text.find("\n", first, stop)
    if line_end != -1:
        stop = line_end
    found = []
    for index in range(bisect.bisect_left(positions, first), bisect.bisect_left(positions, stop)):
        found += starts[positions[index]]
    return found


def _plain_words_before(text: str, at: int) -> Iterator[re.Match[str]]:
    """The Cyrillic words right before `at`, nearest first, on the same line; each found when asked
    for, as most names need only the first."""
    while word := CYRILLIC_WORD_BEFORE.search(text, max(0, at - 40), at):
        yield word
        at = word.start(1)


def _unit_start(text: str, name: RawSpan) -> int | None:
    """Where "правительство" (России) or "пресс-служба" (Кремля) starts before a name, or None.

    Up to two genitive words may stand between ("совет директоров" Apple, "дирекции радиовещания"
    ВГТРК) and agreeing adjectives before the noun join it ("японская полиция").
    """
    words = _plain_words_before(text, name.start)
    for word in islice(words, 3):
        if name.type in unit_nouns().get(lemma(word.group(1)), ()):
            break
        if not _is_genitive_word(word.group(1)):
            return None
    else:
        return None
    start = word.start(1)
    for adjective in islice(words, 2):  # the two words before the noun
        if not _agrees(adjective.group(1), word.group(1)):
            break
        start = adjective.start(1)
    return start


def tag_units_before_names(text: str, spans: list[RawSpan]) -> list[RawSpan]:
    """Add "правительство России", "пресс-служба Кремля": a body named by a common noun and the
    place or organisation after it in the genitive (grammars/org_units.txt)."""
    organisations = [s for s in spans if s.type == "ORG"]
    longest: dict[int, RawSpan] = {}
    for name in spans:
        if name.type in ("LOC", "ORG") and (name.start not in longest or name.end > longest[name.start].end):
            longest[name.start] = name
    extra = []
    for name in longest.values():
        if not _is_genitive_word(TOKEN.findall(text[name.start : name.end])[0]):
            continue
        start = _unit_start(text, name)
        if start is not None and not any(s.start <= start < s.end for s in organisations):
            extra.append(RawSpan(start, name.end, "ORG"))
    return spans + extra


def _phrase_end(text: str, start: int, case: str, spans: list[RawSpan]) -> tuple[int, str] | None:
    """End and head word of a noun phrase in `case` at `start` with its genitive tail, or None."""
    end = start
    for _ in range(MAX_CHAIN):
        match = NEXT_WORD.match(text, end)
        if not match:
            return None
        word = match.group(1)
        following = NEXT_WORD.match(text, match.end())
        if (
            _has_form(word, "ADJ", case)
            and following
            and (_has_form(following.group(1), "NOUN", case) or _has_form(following.group(1), "ADJ", case))
        ):  # "при главном" + "архитекторе": "главном" could be a noun too
            end = match.end()
            continue
        if _is_abbreviation(word) or _has_form(word, "NOUN", case):
            if following and lemma(word) in NAMED_TERRITORIES and following.group(1)[:1].isupper():
                return following.end(), word  # "по Республике" + "Крым"
            return _genitive_tail(text, match.end(), spans), word
        if not _has_form(word, "ADJ", case):
            return None
        end = match.end()
    return None


def _is_territory(word: str) -> bool:
    """A place the branch of an organisation covers: "Москве", "краю" (Пермскому), "округу"."""
    if lemma(word) in TERRITORIAL:
        return True
    return word[:1].isupper() and any("Geox" in p.tag.grammemes for p in parses(word.lower())[:2])


def _complement_end(text: str, span: RawSpan, spans: list[RawSpan], takes: frozenset[str]) -> int | None:
    """End of the "по …"/"при …" phrase that belongs to the organisation `span`, or None.

    `takes`: the prepositions its head noun takes into the name; "по" + a territory
    ("по Пермскому краю") belongs to any state body.
    """
    match = COMPLEMENT.match(text, span.end)
    if not match:
        return None
    preposition = match.group(1)
    first = NEXT_WORD.match(text, match.end())
    if not first or first.group(1).lower() in word_list("org_complement_stops"):
        return None
    phrase = _phrase_end(text, match.end(), COMPLEMENT_CASE[preposition], spans)
    if phrase is None:
        return None
    end, head = phrase
    territorial = preposition == "по" and _is_territory(head)
    if preposition not in takes and not (territorial and _names_organisation(text, span)):
        return None
    also = AND.match(text, end)  # "по делам женщин" + "и семейно-демографической политике"
    more = _phrase_end(text, also.end(), COMPLEMENT_CASE[preposition], spans) if also else None
    return more[0] if more else end


def _named_after_end(text: str, span: RawSpan, spans: list[RawSpan]) -> int | None:
    """End of "имени Чехова" / "им. М. В. Ломоносова" after an organisation, or None."""
    match = NAMED_AFTER.match(text, span.end)
    if not match:
        return None
    person = next((s for s in spans if s.type == "PER" and s.start == match.end()), None)
    if person is not None:
        return person.end
    initials = INITIALS.match(text, match.end())
    at = initials.end() if initials else match.end()
    name = SURNAME.match(text, at)
    return name.end() if name else None


def extend_complement(text: str, spans: list[RawSpan]) -> list[RawSpan]:
    """Widen an organisation over the phrase that belongs to its name; a complete name stays nested too.

    "УФСБ" + "по Пермскому краю", "Совета" + "при Президенте РФ", "МХТ" + "имени Чехова",
    "Комитета" + "по делам молодёжи и спорту", "Госдуме" + "шестого созыва".
    """
    widest: dict[int, RawSpan] = {}
    for span in spans:
        if span.type == "ORG" and (span.end not in widest or span.start < widest[span.end].start):
            widest[span.end] = span
    out = [s for s in spans if widest.get(s.end) != s]
    for span in widest.values():
        end = span.end
        takes = _head_takes(text, span)
        for _ in range(2):  # "Совета" + "при ГУ МВД России" + "по Москве"
            end = _complement_end(text, RawSpan(span.start, end, "ORG"), spans, takes) or end
        end = _named_after_end(text, RawSpan(span.start, end, "ORG"), spans) or end
        convocation = CONVOCATION.match(text, end)  # "Госдуме" + "шестого созыва": a name either way
        end = convocation.end() if convocation else end
        out.append(RawSpan(span.start, end, "ORG"))
        if end != span.end and (convocation or _is_complete_name(text, span)):
            out.append(span)
    return out


def _head_takes(text: str, span: RawSpan) -> frozenset[str]:
    """The prepositions the organisation's head noun takes into its name: the first head noun in it
    ("Бюро США" + "по патентам", "Региональным центром ООН" + "по Целям устойчивого развития")."""
    for word in TOKEN.findall(text[span.start : span.end]):
        takes = _head_complements(word)
        if takes is not None:
            return takes
    return frozenset()


def _is_complete_name(text: str, span: RawSpan) -> bool:
    """A name that stands on its own: it ends in an abbreviation or a proper name ("МВД России")."""
    last = _last_word(text, span)
    return _is_abbreviation(last) or (last[:1].isupper() and _head_complements(last) is None)


def nest_known_names(text: str, spans: list[RawSpan]) -> list[RawSpan]:
    """Mark an organisation named elsewhere again where it sits inside a longer one.

    "Странового офиса Структуры «ООН-Женщины»" holds "Структуры «ООН-Женщины»". Only quoted or
    several-word names count: "Пушкина" in "Института Пушкина" is a person, "АЭС" in
    "Чернобыльской АЭС" part of one name.
    """
    organisations = {
        name
        for s in spans
        if s.type == "ORG" and ("«" in (name := text[s.start : s.end]) or " " in name.strip())
    }
    extra = []
    for span in spans:
        if span.type != "ORG":
            continue
        inside = text[span.start : span.end]
        for name in organisations:
            at = inside.find(name, 1)
            if name != inside and at > 0 and inside[at - 1] == " ":
                extra.append(RawSpan(span.start + at, span.start + at + len(name), "ORG"))
    return spans + extra


def _lemmas(text: str, start: int, end: int) -> tuple[str, ...]:
    return tuple(lemma(m.group()) for m in NAME_WORD.finditer(text, start, end))


def tag_repeated_names(text: str, spans: list[RawSpan]) -> list[RawSpan]:
    """Tag again, anywhere in the text, an organisation tagged once: "Голос Америки:" at a line start.

    Only names of several words or abbreviations are looked for: the same lemmas in a row, starting
    with a capital, where no other name already lies.
    """
    names: dict[str, set[tuple[str, ...]]] = {}
    for span in spans:
        surface = text[span.start : span.end]
        if span.type == "ORG" and (" " in surface or _is_abbreviation(surface)) and "«" not in surface:
            key = _lemmas(text, span.start, span.end)
            names.setdefault(key[0], set()).add(key)
    if not names:
        return spans
    taken = [(s.start, s.end) for s in spans]
    covered = bytearray(len(text))  # 1 under a name: a long text has thousands of names
    for a, b in taken:
        covered[a:b] = b"\x01" * max(0, b - a)
    extra = []
    for first in CAPITALISED.finditer(text):
        if covered[first.start()]:
            continue
        keys = names.get(lemma(first.group()))
        if not keys:
            continue
        words = list(NAME_WORD.finditer(text, first.start(), first.start() + 200))
        for key in sorted(keys, key=len, reverse=True):
            found = words[: len(key)]
            if len(found) == len(key) and tuple(lemma(w.group()) for w in found) == key:
                extra.append(RawSpan(first.start(), found[-1].end(), "ORG"))
                break
    # A name already inside the repeated one stays ("Америки" in "Голос Америки"); one across it wins.
    return spans + [
        s
        for s in extra
        if not any(a < s.end and s.start < b and not s.start <= a < b <= s.end for a, b in taken)
    ]


REPAIRS = (
    balance_quotes,
    extend_hyphenated_start,
    split_bracket_abbreviation,
    cut_places_at_prepositions,
    strip_descriptor,
    trim_unpaired_quotes,
    retype_known_names,
    extend_adjective_to_head,
    join_genitive_names,
    extend_complement,
    tag_units_before_names,
    nest_known_names,
    tag_repeated_names,
)


def repair_spans(text: str, spans: list[RawSpan]) -> list[RawSpan]:
    """Apply every repair in order, dropping duplicates."""
    for repair in REPAIRS:
        spans = repair(text, spans)
    return sorted(set(spans))
