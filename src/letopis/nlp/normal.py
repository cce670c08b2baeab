"""Normal (nominative) forms of names: "Аиды Балаевой" -> "Аида Балаева".

People: every word of the name is put in the nominative under one reading of case and
gender shared by the whole name, chosen with the word before the name as context
("Президента Касым-Жомарта Токаева" is genitive). Organisations and places: the head
noun and the adjectives agreeing with it go to the nominative, the dependent words stay
as written ("Национальной комиссии по делам женщин" -> "Национальная комиссия по делам женщин").
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from pymorphy3.analyzer import Parse

from letopis.nlp.models import inflected_word, is_known, parses

TOKEN = re.compile(r"[0-9A-Za-zА-Яа-яЁё]+(?:[-‑][0-9A-Za-zА-Яа-яЁё]+)*|\S")
CYRILLIC_WORD = re.compile(r"^[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*$")
CASES = ("nomn", "gent", "datv", "ablt", "loct", "accs")
GENDERS = ("masc", "femn")
NAME_TAGS = {"Name", "Surn", "Patr"}
CONTEXT_BONUS = 1.0  # agreeing with the title before the name outweighs any single parse score
NOMINATIVE_PRIOR = 0.1
NOMINATIVE_SINGULAR = frozenset({"nomn", "sing"})
_Span = tuple[int, int]  # a word of a name: its start and end in the name


def restore_case(original: str, new: str) -> str:
    """Give `new` the capitalisation of `original`, hyphen part by hyphen part."""
    if original.isupper() and len(original) > 1:
        return new.upper()
    old_parts, new_parts = original.split("-"), new.split("-")
    if len(old_parts) != len(new_parts):
        return new[:1].upper() + new[1:] if original[:1].isupper() else new
    out = []
    for old, part in zip(old_parts, new_parts, strict=True):
        out.append(part[:1].upper() + part[1:] if old[:1].isupper() else part)
    return "-".join(out)


def _is_abbreviation(word: str) -> bool:
    return len(word) > 1 and word.isupper()


class _Reading(NamedTuple):
    case: str
    gender: str


# Every reading of a person's name tried, in the order ties are broken (the first wins).
READINGS = tuple(_Reading(case, gender) for case in CASES for gender in GENDERS)


@lru_cache(maxsize=50_000)
def _name_parses(word: str) -> tuple[Parse, ...]:
    """Parses of a name word that are worth trusting: dictionary names, or guessed surnames."""
    options = parses(word.lower())
    if is_known(word.lower()):
        return tuple(p for p in options if p.tag.POS == "NOUN" and NAME_TAGS & set(p.tag.grammemes)) or tuple(
            p for p in options if p.tag.POS == "NOUN"
        )
    # Outside the dictionary only the productive Russian surname paradigm (-ов, -ева, -ин) is reliable.
    return tuple(p for p in options if "Surn" in p.tag.grammemes)


@lru_cache(maxsize=50_000)
def _picks(word: str) -> tuple[Parse | None, ...]:
    """For each of `READINGS`, the likeliest trusted parse of a name word that fits it (the first of
    equals in pymorphy3's order), or None: the tags are read once per word, not for every reading."""
    picks: list[Parse | None] = [None] * len(READINGS)
    for parse in _name_parses(word):
        case, number, grammemes = parse.tag.case, parse.tag.number, parse.tag.grammemes
        for index, reading in enumerate(READINGS):
            best = picks[index]
            if (best is None or parse.score > best.score) and _matches(case, number, grammemes, reading):
                picks[index] = parse
    return tuple(picks)


def _matches(case: str | None, number: str | None, grammemes: frozenset[str], reading: _Reading) -> bool:
    if case != reading.case or number == "plur":
        return False
    return (
        reading.gender in grammemes
        or "ms-f" in grammemes
        or "Fixd" in grammemes
        or not ({"masc", "femn", "neut"} & grammemes)
    )


@lru_cache(maxsize=50_000)
def _person_readings(words: tuple[str, ...]) -> tuple[tuple[_Reading, float, tuple[Parse | None, ...]], ...]:
    """The readings every name word fits, each with its parses and score before context, in the
    order of `READINGS`: a name comes again and again, after different words."""
    per_word = [_picks(w) if CYRILLIC_WORD.match(w) and _name_parses(w) else None for w in words]
    out = []
    for index, reading in enumerate(READINGS):
        chosen: list[Parse | None] = []
        score = 0.0
        for picks in per_word:
            pick = picks[index] if picks else None
            if picks and pick is None:
                break
            chosen.append(pick)
            score += pick.score if pick else 0.0
        else:
            if any(chosen):
                out.append((reading, score, tuple(chosen)))
    return tuple(out)


def _best_reading(words: list[str], context_cases: set[str]) -> tuple[_Reading, list[Parse | None]] | None:
    best: tuple[float, _Reading, tuple[Parse | None, ...]] | None = None
    for reading, score, chosen in _person_readings(tuple(words)):
        score += CONTEXT_BONUS if reading.case in context_cases else 0.0
        score += NOMINATIVE_PRIOR if reading.case == "nomn" else 0.0
        if best is None or score > best[0]:
            best = (score, reading, chosen)
    return (best[1], list(best[2])) if best else None


def _guess_unknown_nominative(word: str, reading: _Reading) -> str:
    """A foreign masculine first name in the genitive ("Касым-Жомарта") loses its -а."""
    if reading.case == "gent" and reading.gender == "masc" and re.search("[бвгджзклмнпрстфхцчшщ]а$", word):
        return word[:-1]
    return word


def normalize_person(text: str, context_cases: frozenset[str] = frozenset()) -> str:
    """The nominative of a person's name; unchanged when no reading fits every word."""
    words = text.split()
    if not words or not all(CYRILLIC_WORD.match(w) for w in words):
        return text
    found = _best_reading(words, set(context_cases))
    if found is None:
        return text
    reading, chosen = found
    out = []
    for word, parse in zip(words, chosen, strict=True):
        if parse is None:
            out.append(_guess_unknown_nominative(word, reading))
            continue
        nominative = inflected_word(parse, NOMINATIVE_SINGULAR)
        out.append(restore_case(word, nominative) if nominative else word)
    return " ".join(out)


@lru_cache(maxsize=50_000)
def _head_readings(head: str) -> tuple[Parse, ...]:
    """Noun readings with a case; cached, as a phrase asks this of each word two or three times."""
    return tuple(p for p in parses(head.lower()) if p.tag.POS == "NOUN" and p.tag.case)


def _agrees(adjective: Parse, noun: Parse) -> bool:
    a, n = adjective.tag, noun.tag
    if a.case != n.case or a.number != n.number:
        return False
    return n.number == "plur" or "ms-f" in n.grammemes or a.gender == n.gender


@lru_cache(maxsize=50_000)
def _adjective_parses(word: str) -> tuple[Parse, ...]:
    """Adjective and participle readings; cached, asked again for every noun reading of the head."""
    return tuple(p for p in parses(word.lower()) if p.tag.POS in ("ADJF", "PRTF"))


def normalize_phrase(text: str, context_cases: frozenset[str] = frozenset()) -> str:
    """Nominative of an organisation or place: head noun and agreeing adjectives only."""
    phrase = _phrase(text)
    if phrase is None:
        return text
    head, adjectives, readings = phrase
    best: tuple[float, Parse, tuple[Parse, ...]] | None = None
    for noun, adjective_parses, score in readings:
        score += CONTEXT_BONUS if noun.tag.case in context_cases else 0.0
        score += NOMINATIVE_PRIOR if noun.tag.case == "nomn" else 0.0
        if best is None or score > best[0]:
            best = (score, noun, adjective_parses)
    if best is None:
        return text
    _, noun, adjective_parses = best
    pieces = [(head, _inflect_word(text[head[0] : head[1]], noun, {"nomn"}))]
    grammemes = {"nomn", noun.tag.number}
    if noun.tag.number == "sing" and noun.tag.gender:
        grammemes.add(noun.tag.gender)
    pieces += [
        (a, _inflect_word(text[a[0] : a[1]], p, grammemes))
        for a, p in zip(adjectives, adjective_parses, strict=True)
    ]
    out = text
    for (start, end), new in sorted(pieces, key=lambda item: item[0][0], reverse=True):
        out = out[:start] + new + out[end:]
    return out


@lru_cache(maxsize=50_000)
def _phrase(
    text: str,
) -> tuple[_Span, tuple[_Span, ...], tuple[tuple[Parse, tuple[Parse, ...], float], ...]] | None:
    """The head noun and the adjectives before it of an organisation or place, as (start, end), with
    the readings of the head the adjectives agree with, each scored before context; None when the name
    is not such a phrase. Read once per name: it comes again after different words."""
    tokens = list(TOKEN.finditer(text))
    if not tokens or not CYRILLIC_WORD.match(tokens[0].group()) or _is_abbreviation(tokens[0].group()):
        return None
    adjectives: list[re.Match[str]] = []
    for token in tokens:
        word = token.group()
        if not CYRILLIC_WORD.match(word) or _is_abbreviation(word):
            return None
        if _head_readings(word) and not (_adjective_parses(word) and token is not tokens[-1]):
            head = token
            break
        if not _adjective_parses(word):
            return None
        adjectives.append(token)
    else:
        return None
    readings = _head_parse_readings(head.group(), [a.group() for a in adjectives])
    if readings is None:
        return None
    return head.span(), tuple(a.span() for a in adjectives), readings


def _head_parse_readings(
    head: str, adjectives: list[str]
) -> tuple[tuple[Parse, tuple[Parse, ...], float], ...] | None:
    """Noun readings of the head that every adjective agrees with, each with the likeliest agreeing
    parse of each adjective and the sum of their scores; None for an indeclinable head alone."""
    readings = []
    for noun in _head_readings(head):
        if "Fixd" in noun.tag.grammemes and not adjectives:
            return None
        picked: list[Parse] = []
        for word in adjectives:
            fitting = [p for p in _adjective_parses(word) if _agrees(p, noun)]
            if not fitting:
                break
            picked.append(max(fitting, key=lambda p: p.score))
        else:
            readings.append((noun, tuple(picked), noun.score + sum(p.score for p in picked)))
    return tuple(readings)


def _inflect_word(word: str, parse: Parse, grammemes: set[str]) -> str:
    new = inflected_word(parse, frozenset(grammemes))
    return restore_case(word, new) if new else word


@lru_cache(maxsize=50_000)
def normalize(text: str, type: str, context_cases: frozenset[str] = frozenset()) -> str:
    """The nominative form of a mention of the given type (PER, ORG, LOC, ...)."""
    if type == "PER":
        return normalize_person(text, context_cases)
    return normalize_phrase(text, context_cases)


@lru_cache(maxsize=50_000)
def context_cases(word: str | None) -> frozenset[str]:
    """Cases the word before a name can be in, when it is a noun or adjective it would agree with."""
    if not word or not CYRILLIC_WORD.match(word) or _is_abbreviation(word):
        return frozenset()
    options = [p for p in parses(word.lower()) if p.tag.POS in ("NOUN", "ADJF", "PRTF") and p.tag.case]
    return frozenset(p.tag.case for p in options if p.score >= 0.1)
