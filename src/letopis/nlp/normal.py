"""Normal (nominative) forms of names: "Аиды Балаевой" -> "Аида Балаева".

People: every word of the name is put in the nominative under one reading of case and
gender shared by the whole name, chosen with the word before the name as context
("Президента Касым-Жомарта Токаева" is genitive). Organisations and places: the head
noun and the adjectives agreeing with it go to the nominative, the dependent words stay
as written ("Национальной комиссии по делам женщин" -> "Национальная комиссия по делам женщин").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pymorphy3.analyzer import Parse

from letopis.nlp.models import inflected, is_known, parses

TOKEN = re.compile(r"[0-9A-Za-zА-Яа-яЁё]+(?:[-‑][0-9A-Za-zА-Яа-яЁё]+)*|\S")
CYRILLIC_WORD = re.compile(r"^[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*$")
CASES = ("nomn", "gent", "datv", "ablt", "loct", "accs")
GENDERS = ("masc", "femn")
NAME_TAGS = {"Name", "Surn", "Patr"}
CONTEXT_BONUS = 1.0  # agreeing with the title before the name outweighs any single parse score
NOMINATIVE_PRIOR = 0.1
NOMINATIVE_SINGULAR = frozenset({"nomn", "sing"})


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


@dataclass(frozen=True)
class _Reading:
    case: str
    gender: str


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


@lru_cache(maxsize=100_000)
def _fitting(word: str, reading: _Reading) -> tuple[Parse, ...]:
    """The trusted parses of a name word that fit the reading, in pymorphy3's order."""
    return tuple(
        parse
        for parse, case, number, grammemes in _name_tags(word)
        if _matches(case, number, grammemes, reading)
    )


@lru_cache(maxsize=50_000)
def _name_tags(word: str) -> tuple[tuple[Parse, str | None, str | None, frozenset[str]], ...]:
    """The trusted parses of a name word, each with the case, number and grammemes `_matches` reads:
    read once per word, not again for each of the twelve readings tried."""
    return tuple((p, p.tag.case, p.tag.number, p.tag.grammemes) for p in _name_parses(word))


def _matches(case: str | None, number: str | None, grammemes: frozenset[str], reading: _Reading) -> bool:
    if case != reading.case or number == "plur":
        return False
    return (
        reading.gender in grammemes
        or "ms-f" in grammemes
        or "Fixd" in grammemes
        or not ({"masc", "femn", "neut"} & grammemes)
    )


def _best_reading(words: list[str], context_cases: set[str]) -> tuple[_Reading, list[Parse | None]] | None:
    per_word = [w if CYRILLIC_WORD.match(w) and _name_parses(w) else None for w in words]
    best: tuple[float, _Reading, list[Parse | None]] | None = None
    for case in CASES:
        for gender in GENDERS:
            reading = _Reading(case, gender)
            chosen: list[Parse | None] = []
            score = 0.0
            for word in per_word:
                fitting = _fitting(word, reading) if word else ()
                if word and not fitting:
                    break
                pick = max(fitting, key=lambda p: p.score) if fitting else None
                chosen.append(pick)
                score += pick.score if pick else 0.0
            else:
                if not any(chosen):
                    continue
                score += CONTEXT_BONUS if case in context_cases else 0.0
                score += NOMINATIVE_PRIOR if case == "nomn" else 0.0
                if best is None or score > best[0]:
                    best = (score, reading, chosen)
    return (best[1], best[2]) if best else None


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
        nominative = inflected(parse, NOMINATIVE_SINGULAR)
        out.append(restore_case(word, nominative.word) if nominative else word)
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
    tokens = list(TOKEN.finditer(text))
    if not tokens or not CYRILLIC_WORD.match(tokens[0].group()) or _is_abbreviation(tokens[0].group()):
        return text
    adjectives: list[re.Match[str]] = []
    for token in tokens:
        word = token.group()
        if not CYRILLIC_WORD.match(word) or _is_abbreviation(word):
            return text
        if _head_readings(word) and not (_adjective_parses(word) and token is not tokens[-1]):
            head = token
            break
        if not _adjective_parses(word):
            return text
        adjectives.append(token)
    else:
        return text
    choice = _choose_head_parse(head.group(), [a.group() for a in adjectives], context_cases)
    if choice is None:
        return text
    noun, adjective_parses = choice
    pieces = [(head, _inflect_word(head.group(), noun, {"nomn"}))]
    grammemes = {"nomn", noun.tag.number}
    if noun.tag.number == "sing" and noun.tag.gender:
        grammemes.add(noun.tag.gender)
    pieces += [
        (a, _inflect_word(a.group(), p, grammemes)) for a, p in zip(adjectives, adjective_parses, strict=True)
    ]
    out = text
    for token, new in sorted(pieces, key=lambda item: item[0].start(), reverse=True):
        out = out[: token.start()] + new + out[token.end() :]
    return out


def _choose_head_parse(
    head: str, adjectives: list[str], context_cases: frozenset[str]
) -> tuple[Parse, list[Parse]] | None:
    best: tuple[float, Parse, list[Parse]] | None = None
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
            score = noun.score + sum(p.score for p in picked)
            score += CONTEXT_BONUS if noun.tag.case in context_cases else 0.0
            score += NOMINATIVE_PRIOR if noun.tag.case == "nomn" else 0.0
            if best is None or score > best[0]:
                best = (score, noun, picked)
    return (best[1], best[2]) if best else None


def _inflect_word(word: str, parse: Parse, grammemes: set[str]) -> str:
    new = inflected(parse, frozenset(grammemes))
    return restore_case(word, new.word) if new else word


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
