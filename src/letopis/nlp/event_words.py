"""Words events are found by: the word lists of grammars/events.tsv, read once, and what a word can be
(its dictionary forms, part of speech, tense, case)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from letopis.nlp.models import parses

RULES_FILE = Path(__file__).parent / "grammars" / "events.tsv"
MIN_SCORE = 0.05  # parses less likely than this are ignored ("путин" as a plural genitive)
NOMINAL = {"NOUN", "ADJF", "PRTF", "NUMR"}
PREPOSITIONS = {"о", "об", "по", "в", "во", "на", "для", "между", "с", "со", "под", "при"}


@dataclass(frozen=True)
class _Trigger:
    type: str
    kind: str  # "new" or "ref"
    items: tuple[str, ...]
    needs_person: bool


@dataclass(frozen=True)
class _Rules:
    triggers: dict[str, list[_Trigger]]  # first lemma -> triggers starting with it
    words: dict[str, list[tuple[str, tuple[str, ...]]]]  # category -> [(value, lemmas)]
    single: dict[str, frozenset[str]]  # category -> its one-word entries
    by_first: dict[str, dict[str, list[tuple[str, tuple[str, ...]]]]]  # category -> first lemma -> entries

    def lemmas(self, category: str) -> frozenset[str]:
        """One-word entries of a category."""
        return self.single.get(category, frozenset())

    def value(self, category: str, lemma: str) -> str | None:
        return next((v for v, items in self.words.get(category, []) if items == (lemma,)), None)


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    """The word lists, read once."""
    triggers: dict[str, list[_Trigger]] = {}
    words: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for line in RULES_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        category, value, pattern = line.split("\t")
        items = tuple(pattern.split())
        if category == "trigger":
            kind = value.split("/")
            trigger = _Trigger(kind[0], kind[1], items, "person" in kind[2:])
            triggers.setdefault(items[0], []).append(trigger)
        else:
            words.setdefault(category, []).append((value, items))
    single = {c: frozenset(i[0] for _, i in entries if len(i) == 1) for c, entries in words.items()}
    by_first: dict[str, dict[str, list[tuple[str, tuple[str, ...]]]]] = {}
    for category, entries in words.items():
        for value, items in entries:
            by_first.setdefault(category, {}).setdefault(items[0], []).append((value, items))
    return _Rules(triggers, words, single, by_first)


@lru_cache(maxsize=100_000)
def _lemmas(word: str) -> frozenset[str]:
    """Every dictionary form the word may have, lower-cased, ё as е; and the word itself."""
    low = word.lower().replace("ё", "е")
    if not low[:1].isalpha():
        return frozenset({low})
    return frozenset({low} | {p.normal_form.replace("ё", "е") for p in parses(low)})


@lru_cache(maxsize=100_000)
def _pos(word: str) -> str | None:
    options = parses(word.lower()) if word[:1].isalpha() else ()
    return options[0].tag.POS if options else None


@lru_cache(maxsize=100_000)
def _tense(word: str) -> str | None:
    """ "past", "pres", "futr" for a finite verb, "infn" for an infinitive, else None."""
    options = parses(word.lower()) if word[:1].isalpha() else ()
    if not options or options[0].tag.POS not in ("VERB", "INFN"):
        return None
    tense = options[0].tag.tense
    return str(tense) if tense else "infn"


@lru_cache(maxsize=100_000)
def _is_nominal(word: str, genitive: bool) -> bool:
    """A word that can continue a noun phrase: a noun, adjective or number in an oblique case (only the
    genitive, when no preposition governs it); not a verb, nor a nominative that starts a new clause."""
    if word[:1].isdigit() or (word[:1].isalpha() and word.isupper() and len(word) > 1):
        return True
    if re.fullmatch(r"[A-Za-z][\w.-]*", word):
        return True
    if not word[:1].isalpha() or _pos(word) not in NOMINAL:
        return False
    cases = {p.tag.case for p in parses(word.lower()) if p.tag.POS in NOMINAL and p.score >= MIN_SCORE}
    return "gent" in cases if genitive else bool(cases - {None, "nomn"})


def _is_adjective(word: str) -> bool:
    return _pos(word) in ("ADJF", "PRTF")


@lru_cache(maxsize=100_000)
def _agrees(adjective: str, noun: str) -> bool:
    """Whether a word can be an adjective in the case and number of the noun ("рабочим визитом")."""
    forms = {
        (p.tag.case, p.tag.number)
        for p in parses(adjective.lower())
        if p.tag.POS in ("ADJF", "PRTF") and not {"Apro", "Abbr"} & p.tag.grammemes  # not "все", "тур"
    }
    return bool(forms & {(p.tag.case, p.tag.number) for p in parses(noun.lower()) if p.tag.POS == "NOUN"})


@lru_cache(maxsize=100_000)
def _is_subject(word: str) -> bool:
    """A noun that can only be a nominative: "решение принял глава ведомства" names the subject."""
    cases = {p.tag.case for p in parses(word.lower()) if p.tag.POS == "NOUN" and p.score >= MIN_SCORE}
    return cases == {"nomn"}
