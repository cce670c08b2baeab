"""Where direct speech stands in a text, and the words that mark speech.

Direct speech is text in quotation marks («…», nested «» included; "…", “…”, „…“) or a
dialogue line opening with a dash ("– Реформа носит …, – отметил Ермек Кошербаев."),
attributed by a verb of speech (grammars/speech_verbs.txt) next to it. Apart from the `quotes`
stage because coreference reads it too (pronouns in direct speech are not resolved); the word tests
here serve the stage and the speakers it finds alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from letopis.nlp.grammars import word_list
from letopis.nlp.grammars.tokens import DASHES, tokenize
from letopis.nlp.lemmas import lemma
from letopis.nlp.models import parses

QUOTE_MARK = re.compile('[«»"“”„]')
CLOSING_MARK = {"«": "»", '"': '"', "“": "”"}
OPENERS_BEFORE = set(" \t\n\u00a0([{«„:/") | DASHES
DASH_LINE = re.compile(r"^[ \t\u00a0]*(?:-[ \t\u00a0]+|[–—][ \t\u00a0]*)(?=\w)", re.M)
# Punctuation closing a quote, then a dash and the attribution: "…, – отметил X." or "…», – сказал".
ATTRIBUTION_DASH = re.compile(r"([,!?…]|\.\.\.)?[ \t\u00a0]*[-–—][ \t\u00a0]*(?=\w)")
AFTER_QUOTE = re.compile(r"[ \t\u00a0]*(?:[,!?…]|\.\.\.)?[ \t\u00a0]*(?:[-–—][ \t\u00a0]+)?")
SET_OFF = re.compile(r"[,!?…]\s*[-–—]")
CLAUSE_END = re.compile(r"[.!?…\n]|,[ \t\u00a0]*[-–—]\s|[«\"“]")
# What introduces a quotation after its attribution: "заявил: «", "заявил, что «".
INTRODUCED = re.compile(r"(?::|,\s*что)\s*$")
INTRODUCTION_REACH = 20
MIN_WORDS = 4
# Verbs of reports that no person makes: "говорится в сообщении", "отмечается на сайте".
IMPERSONAL_SPEECH = frozenset({"говориться", "отмечаться", "подчеркиваться", "сообщаться", "указываться"})


# ---------------------------------------------------------------- words


@lru_cache(maxsize=50_000)
def is_speech_verb(word: str) -> bool:
    """A personal form or gerund of a verb of speech ("отметила", "подчеркнув") or quoting ("цитирует")."""
    verbs = _speaking_verbs()
    return any(
        p.normal_form.replace("ё", "е") in verbs and p.tag.POS in ("VERB", "GRND")
        for p in parses(word.lower())
    )


@lru_cache(maxsize=1)
def _speaking_verbs() -> frozenset[str]:
    """Verbs of speech and of quoting, joined once: `is_speech_verb` asks for every new word."""
    return word_list("speech_verbs") | word_list("quoting_verbs")


@lru_cache(maxsize=50_000)
def is_quoting_verb(word: str) -> bool:
    """ "цитирует": its subject passes on someone else's words (grammars/quoting_verbs.txt)."""
    verbs = word_list("quoting_verbs")
    return any(p.normal_form.replace("ё", "е") in verbs and p.tag.POS == "VERB" for p in parses(word.lower()))


@lru_cache(maxsize=50_000)
def is_participle(word: str) -> bool:
    """ "размещенном", "опубликованном": a full participle."""
    options = parses(word.lower())
    return bool(options) and options[0].tag.POS == "PRTF"


def is_impersonal_speech(word: str) -> bool:
    """ "говорится", "отмечается": a document speaks, not a person."""
    return lemma(word) in IMPERSONAL_SPEECH


@lru_cache(maxsize=50_000)
def is_finite_verb(word: str) -> bool:
    """True when the word's likeliest reading is a personal verb form or a short participle."""
    options = parses(word.lower())
    return bool(options) and options[0].tag.POS in ("VERB", "PRTS")


@lru_cache(maxsize=50_000)
def is_gerund(word: str) -> bool:
    """ "отметив", "подчеркнув": the attribution belongs to the clause's subject."""
    options = parses(word.lower())
    return bool(options) and options[0].tag.POS == "GRND"


def is_speech_noun(word: str) -> bool:
    """ "словам", "мнению": the nouns of "По словам X, …"."""
    nouns = word_list("speech_nouns")
    return any(p.tag.POS == "NOUN" and p.normal_form in nouns for p in parses(word.lower()))


# ---------------------------------------------------------------- direct speech spans


def quote_pairs(text: str) -> list[tuple[int, int]]:
    """Offsets of the outermost quotation marks (opening, closing) on each line."""
    pairs: list[tuple[int, int]] = []
    stacks: dict[str, list[int]] = {"«": [], '"': [], "“": []}
    for match in QUOTE_MARK.finditer(text):
        at, mark = match.start(), match.group()
        family, opening = _mark_role(text, at, mark)
        stack = stacks[family]
        if opening:
            stack.append(at)
        elif stack and "\n" not in text[stack[-1] : at]:
            pairs.append((stack.pop(), at))
        else:
            stack.clear()
    pairs.sort()
    return [p for p in pairs if not any(o < p[0] and p[1] < c for o, c in pairs)]


def _mark_role(text: str, at: int, mark: str) -> tuple[str, bool]:
    """The family of a quotation mark and whether it opens here, judged by its neighbours."""
    if mark == "«":
        return "«", True
    if mark == "»":
        return "«", False
    if mark == "„":
        return "“", True
    before = text[at - 1] if at > 0 else " "
    after = text[at + 1] if at + 1 < len(text) else " "
    opening = before in OPENERS_BEFORE and not after.isspace()
    return ('"' if mark == '"' else "“"), opening and mark != "”"


@dataclass(frozen=True)
class Direct:
    """A piece of direct speech: the quote text span and where its attribution lies."""

    start: int
    end: int
    attribution: tuple[int, int] | None


# The direct speech of the last few texts: coreference and the quotes stage both read a document's.
SPEECH_CACHE = 16


@lru_cache(maxsize=SPEECH_CACHE)
def quoted_speech(text: str) -> tuple[Direct, ...]:
    """Quoted spans with the clause after them ("», - подчеркнула Аида Балаева.") or before them
    ("Лавров заявил: «…»", "Лавров заявил, что «…»")."""
    out = []
    for opening, closing in quote_pairs(text):
        # «По сути, команда стала сборной, - сказал он, - и это важно»: the attribution is inside.
        inside = _dialogue_line(text, opening + 1, closing)
        out.extend(inside or [Direct(opening + 1, closing, _attribution(text, opening, closing))])
    return tuple(out)


def _attribution(text: str, opening: int, closing: int) -> tuple[int, int] | None:
    """The clause after a quotation ("», – сказал он"), or the one introducing it ("заявил: «")."""
    after = AFTER_QUOTE.match(text, closing + 1)
    marks = after.group() if after else ""
    # "газопровода «Южный поток», сообщил Миллер", "«Южный поток» — компании …": a short quotation
    # is a name unless punctuation and a dash set the attribution off ("«Нет», – сказал он").
    quoted = text[opening + 1 : closing]
    set_off = bool(SET_OFF.search(marks))
    if marks.strip() and (word_count(quoted) >= MIN_WORDS or set_off or quoted.rstrip()[-1:] in ".!?…"):
        return after.end(), _clause_end(text, after.end())
    if INTRODUCED.search(text, max(0, opening - INTRODUCTION_REACH), opening):
        return _clause_start(text, opening), opening
    return None


def word_count(text: str) -> int:
    return sum(1 for t in tokenize(text) if t.text[0].isalnum())


@lru_cache(maxsize=SPEECH_CACHE)
def dialogue_speech(text: str) -> tuple[Direct, ...]:
    """Dialogue lines: "– Реформа носит …, – отметил Ермек Кошербаев." and what follows the attribution."""
    out = []
    for match in DASH_LINE.finditer(text):
        line_end = text.find("\n", match.end())
        line_end = len(text) if line_end == -1 else line_end
        out.extend(_dialogue_line(text, match.end(), line_end))
    return tuple(out)


def _dialogue_line(text: str, start: int, end: int) -> list[Direct]:
    for dash in ATTRIBUTION_DASH.finditer(text, start, end):
        if dash.start() == start or not dash.group(1) and text[dash.start() - 1] not in " \t":
            continue
        clause_end = _clause_end(text, dash.end(), end)
        if not any(is_speech_verb(t.text) for t in tokenize(text[dash.end() : clause_end])):
            continue
        quote_end = dash.start() + (0 if dash.group(1) in (None, ",") else len(dash.group(1)))
        pieces = [Direct(start, rstrip(text, start, quote_end), (dash.end(), clause_end))]
        more = re.match(r"[.,]?[ \t\u00a0]*[-–—][ \t\u00a0]+", text[clause_end:end])
        if more:
            rest = clause_end + more.end()
            pieces.append(Direct(rest, rstrip(text, rest, end, "."), (dash.end(), clause_end)))
        return pieces
    return []


def rstrip(text: str, start: int, end: int, marks: str = "") -> int:
    while end > start and (text[end - 1].isspace() or text[end - 1] in marks or text[end - 1] == ","):
        end -= 1
    return end


def _clause_end(text: str, start: int, limit: int | None = None) -> int:
    """Where an attribution clause ends: the sentence end, a line break, the next dash or the next
    quotation; a short name in quotation marks runs on ("сказал в интервью каналу «Вести» Сергей …")."""
    limit = limit or len(text)
    match = CLAUSE_END.search(text, start, limit)
    while match and match.group() in '«"“':
        closing = text.find(CLOSING_MARK[match.group()], match.end(), limit)
        if closing == -1 or not _is_short_name(text[match.end() : closing]):
            break
        match = CLAUSE_END.search(text, closing + 1, limit)
    return match.start() if match else limit


def _is_short_name(quoted: str) -> bool:
    """«Вести», «Свободной прессе»; not «Слава Украине!» or a quotation of four words or more."""
    return "\n" not in quoted and word_count(quoted) < MIN_WORDS and quoted.rstrip()[-1:] not in ".!?…"


def _clause_start(text: str, end: int) -> int:
    """Where the clause before a quote starts: after the last sentence end, line break or quotation;
    a short name in quotation marks runs on ("Гейдар Джемаль в интервью «Свободной прессе» говорит")."""
    while True:
        boundary = max(text.rfind(mark, 0, end) for mark in ".!?…\n»")
        opening = text.rfind("«", 0, boundary) if boundary != -1 and text[boundary] == "»" else -1
        if opening == -1 or not _is_short_name(text[opening + 1 : boundary]):
            return boundary + 1
        end = opening


def direct_speech_spans(text: str) -> list[tuple[int, int]]:
    """Offsets of every piece of direct speech, attributed or not: pronouns there are not resolved."""
    return sorted({(d.start, d.end) for d in quoted_speech(text) + dialogue_speech(text)})
