"""Within one document, "X (Y)": Y is another name of X when it abbreviates X or is X in another script.

"Всемирное антидопинговое агентство (ВАДА)", "ООН-Женщины (UN Women)", "Швейцарией (Switzerland)"
— but not "Вирджинии (США)" nor "США (USADA)", where the parentheses hold something else. An
abbreviation in X's script must have its letters in X in order; a name in another script must
start with X's first letter once transliterated, or be a word-for-word translation (as many words,
or, for an abbreviation, as many letters as X has words).
"""

from __future__ import annotations

import re

from letopis.kb.names import CYRILLIC, FUNCTION_WORDS, is_abbreviation, words
from letopis.model import Document, Mention

OPENING = re.compile(r"^\s*\(\s*$")
CLOSING = re.compile(r"^\s*\)")
FOREIGN_FUNCTION_WORDS = {"of", "the", "and", "for", "in", "on", "de", "la", "le", "des", "du", "del", "et"}
# Latin letters a Cyrillic first letter may come out as.
TRANSLITERATION = {
    "а": "a",
    "б": "b",
    "в": "vw",
    "г": "gh",
    "д": "d",
    "е": "ey",
    "ё": "ey",
    "ж": "zj",
    "з": "z",
    "и": "iy",
    "й": "yj",
    "к": "kcq",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "sc",
    "т": "t",
    "у": "uy",
    "ф": "fp",
    "х": "hk",
    "ц": "ct",
    "ч": "c",
    "ш": "s",
    "щ": "s",
    "э": "ea",
    "ю": "yj",
    "я": "yj",
}


def parenthetical_names(doc: Document) -> dict[str, tuple[str, str]]:
    """{Y's local entity: (X's local entity, evidence)} for each "X (Y)" in the document."""
    found: dict[str, tuple[str, str]] = {}
    named = [m for m in doc.mentions if m.entity and m.type != "PER"]
    for inner in named:
        closing = CLOSING.match(doc.text[inner.end : inner.end + 3])
        if not closing or inner.entity in found:
            continue
        outer = _outer(doc.text, named, inner)
        if outer is not None and outer.entity != inner.entity and names_alike(outer.normal, inner.normal):
            text = doc.text[outer.start : inner.end + closing.end()]
            found[inner.entity] = (outer.entity, f"«{text}» at {outer.start}")
    return found


def _outer(text: str, named: list[Mention], inner: Mention) -> Mention | None:
    """The longest name of the same type ending right before the "(" that opens `inner` (of the same
    entity, when the document already made Y a name of a shorter X: "отделения Федерации … России (ФАР)")."""
    before = [
        m
        for m in named
        if m.end <= inner.start
        and m.type == inner.type
        and OPENING.match(text[m.end : inner.start])
        and "\n" not in m.text
    ]
    own = [m for m in before if m.entity == inner.entity]
    if own:
        return own[0]
    return min(before, key=lambda m: m.start, default=None)


def names_alike(outer: str, inner: str) -> bool:
    """Whether `inner`, written in parentheses after `outer`, is another name of it."""
    if is_abbreviation(inner) and bool(CYRILLIC.search(inner)) == bool(CYRILLIC.search(outer)):
        return abbreviates(inner, outer)
    if bool(CYRILLIC.search(outer)) != bool(CYRILLIC.search(inner)):
        return same_first_letter(outer, inner) or _word_for_word(outer, inner)
    return False


def _word_for_word(outer: str, inner: str) -> bool:
    """ "Фонда прав человека (Human Rights Foundation)", "Гражданская демократическая партия (ODS)"."""
    if is_abbreviation(inner):
        return len("".join(words(inner))) == len(_content_parts(outer))
    parts = _content_parts(inner)
    return len(parts) >= 2 and len(parts) == len(_content_parts(outer))


def _content_parts(name: str) -> list[str]:
    parts = [part for word in words(name) for part in re.split("[-‑]", word) if part]
    return [part for part in parts if part.lower() not in FUNCTION_WORDS | FOREIGN_FUNCTION_WORDS]


def abbreviates(short: str, long: str) -> bool:
    """Whether the letters of `short` occur in `long` in order: "ФСЭГ" in "Форум стран-экспортеров газа"."""
    rest = iter(long.lower().replace("ё", "е"))
    return all(letter in rest for letter in "".join(words(short)).lower().replace("ё", "е"))


def same_first_letter(one: str, other: str) -> bool:
    """Whether two names in different scripts start alike: "Швейцарией" and "Switzerland"."""
    first, second = one[:1].lower(), other[:1].lower()
    if not first or not second:
        return False
    return second in TRANSLITERATION.get(first, first) or first in TRANSLITERATION.get(second, second)
