"""Names in the genitive, as they read after "встреча": "Аида Балаева" -> "Аиды Балаевой".

`genitive(name, type)` declines a person's name word by word, read once as a man's and once as a
woman's, and an organisation's or a place's head noun with the adjectives before it ("Посольство
Казахстана в Швейцарии" -> "Посольства Казахстана в Швейцарии").

The rule is caution: a name is declined only when its form is certain, and is otherwise left as
written. "встреча Александр Озерец" reads oddly; "встреча Александра Озереца" would be wrong. So a
word the dictionary lacks is declined only by a Russian surname's ending ("Токаев", "Бектенова") or,
as a first name, before such a surname ("Касым-Жомарт"); a name that reads as two different forms
("Бут": a man's "Бута", a woman's "Бут"), a foreign-script word, an abbreviation or a brand ("ООН",
"МегаФон") stays, and so does an organisation whose head is followed by a word that does not depend
on it ("Нур Отан"). Known wrong forms are kept as xfail rows in tests/test_inflect.py.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pymorphy3.analyzer import Parse

from letopis.nlp.models import inflected_word, is_known, parses
from letopis.nlp.normal import CYRILLIC_WORD, GENDERS, TOKEN, restore_case

GENITIVE = frozenset({"gent"})
MIN_SCORE = 0.05  # parses less likely than this are ignored: "мирзиёёв" beside "мирзиёев"
NAME_TAGS = frozenset({"Name", "Surn", "Patr"})
DEPENDENT_CASES = frozenset({"gent", "datv", "ablt", "loct"})  # a word after the head in one depends on it
SURNAME_ENDINGS = {"masc": ("ов", "ев", "ёв"), "femn": ("ова", "ева", "ёва")}  # not "-ин": "Остин", "Мартин"
HARD_CONSONANTS = "бвгджзклмнпрстфхцчшщ"
VELARS_AND_HUSHERS = "гкхжшчщ"  # "-а" after them turns to "-и": "Малика" -> "Малики"


def genitive(name: str, type: str) -> str:
    """The name (of entity type "PER", "ORG", "LOC" …) in the genitive when its declension is certain, else
    as written: "Аида Балаева" -> "Аиды Балаевой"; "ООН", "Джерен Гювен Гюрес" stay."""
    found = _person_genitive(name) if type == "PER" else _phrase_genitive(name)
    return found or name


def _person_genitive(name: str) -> str | None:
    """ "Аида Балаева" -> "Аиды Балаевой"; None when unsure: a word has no sure form, nothing in the name
    says whose it is, or read as a man's and as a woman's it gives two forms ("Бут": "Бута", "Бут")."""
    words = name.split()
    if not words or not all(CYRILLIC_WORD.match(w) and not _has_inner_capital(w) for w in words):
        return None
    forms = {form for gender in GENDERS if (form := _person_genitive_as(words, gender))}
    return forms.pop() if len(forms) == 1 else None


def _person_genitive_as(words: list[str], gender: str) -> str | None:
    """The genitive of a name read as a man's ("masc") or a woman's ("femn"), or None. A first name the
    dictionary lacks is declined only before a surname of that gender ("Касым-Жомарт Токаев"). That takes
    the first name first and a man's "-ов" as a man's: "Ван Хунин" (family name first) and the widow
    "Дорит Ревентлов" come out as "Вана Хунина" and "Дорита Ревентлова", both wrong."""
    *firsts, last = words
    surname = _is_surname(last, gender)
    out = []
    for word in firsts:
        form = _name_word_genitive(word, gender, last=False)
        if form is None and surname and not _in_dictionary(word):
            form = _first_name_genitive(word, gender)
        out.append(form)
    out.append(_name_word_genitive(last, gender, last=True))
    return None if None in out else " ".join(str(form) for form in out)


@lru_cache(maxsize=50_000)
def _nominatives(word: str, gender: str) -> tuple[Parse, ...]:
    """Trusted parses of a name word as a nominative singular of that gender (or of either: "Обама"):
    the dictionary's names, or a guessed surname ("Мирзиёев")."""
    low = word.lower()
    tags = NAME_TAGS if is_known(low) else frozenset({"Surn"})
    return tuple(
        p
        for p in parses(low)
        if p.tag.POS == "NOUN"
        and tags & p.tag.grammemes
        and p.tag.case == "nomn"
        and p.tag.number == "sing"
        and p.score >= MIN_SCORE  # "мирзиёёв" beside "мирзиёев"
        and (p.tag.gender == gender or "ms-f" in p.tag.grammemes)
    )


def _in_dictionary(word: str) -> bool:
    """Whether the dictionary knows the word as a name (not "Токаев", which it reads as "токай")."""
    return any(_nominatives(word, gender) for gender in GENDERS)


def _name_word_genitive(word: str, gender: str, last: bool) -> str | None:
    """One word of a name in the genitive, by the dictionary; a last word it lacks by a Russian surname's
    ending ("Токаев" -> "Токаева", "Бектенова" -> "Бектеновой"). None when unsure."""
    if _in_dictionary(word):
        forms = {g for p in _nominatives(word, gender) if (g := inflected_word(p, GENITIVE))}
        return _as_written(word, forms.pop()) if len(forms) == 1 else None
    if last and word.lower().endswith(SURNAME_ENDINGS[gender]):
        return word + "а" if gender == "masc" else word[:-1] + "ой"
    return None


def _is_surname(word: str, gender: str) -> bool:
    if _in_dictionary(word):
        return any("Surn" in p.tag.grammemes for p in _nominatives(word, gender))
    return word.lower().endswith(SURNAME_ENDINGS[gender])


def _first_name_genitive(word: str, gender: str) -> str | None:
    """A first name the dictionary lacks: a man's in a hard consonant takes "-а" ("Касым-Жомарта"); a
    woman's keeps it ("Айгерим"), or turns "-а" to "-ы"/"-и"; anything else is unsure."""
    low = word.lower()
    if low[-1] in HARD_CONSONANTS:
        return word + "а" if gender == "masc" else word
    if gender == "femn" and low.endswith("а") and len(low) > 2:
        return word[:-1] + ("и" if low[-2] in VELARS_AND_HUSHERS else "ы")
    return None


def _as_written(word: str, form: str) -> str:
    """A dictionary form with the word's capitals, and е where the word has no ё ("Федоров")."""
    form = form if "ё" in word.lower() else form.replace("ё", "е")
    return restore_case(word, form)


def _phrase_genitive(name: str) -> str | None:
    """ "Посольство Казахстана в Швейцарии" -> "Посольства Казахстана в Швейцарии": the head noun and the
    adjectives before it, the rest as it is; an abbreviation stays ("ООН"). None when unsure: a foreign
    word, a head that may be a first name, or one followed by a word that does not depend on it."""
    tokens = list(TOKEN.finditer(name))
    first = tokens[0].group() if tokens else ""
    if not CYRILLIC_WORD.match(first) or _has_inner_capital(first):
        return name
    for k, token in enumerate(tokens):
        word = token.group()
        if not CYRILLIC_WORD.match(word) or _has_inner_capital(word):
            return None
        if _phrase_parses(word, "NOUN") and not (_phrase_parses(word, "ADJF") and k + 1 < len(tokens)):
            break
        if not _phrase_parses(word, "ADJF"):
            return None
    else:
        return None
    if (k and _may_be_a_name(tokens[k].group())) or not _may_follow_head(tokens[k + 1 :], name):
        return None
    forms = {
        _phrase_genitive_as(tokens[: k + 1], noun, name) for noun in _phrase_parses(tokens[k].group(), "NOUN")
    }
    forms.discard(None)
    return forms.pop() if len(forms) == 1 else None


def _has_inner_capital(word: str) -> bool:
    """A capital after a part's first letter ("МИД", "ООН-Женщины", "МИСиС", "МегаФон", "МакКейн"): an
    abbreviation or a brand, whose spelling a dictionary form would lose; a name with one is not declined."""
    return any(part[1:] != part[1:].lower() for part in word.split("-"))


def _may_be_a_name(word: str) -> bool:
    """A head after adjectives that may be a first name: "Мастерская Петра Фоменко" is not "Петра"."""
    return any("Name" in p.tag.grammemes for p in _phrase_parses(word, "NOUN"))


def _may_follow_head(rest: list[re.Match[str]], name: str) -> bool:
    """Whether the word after the head can depend on it: an oblique case ("Посольство Казахстана",
    "Управление делами"), a preposition ("Комиссия по делам"), a place in apposition ("Республика
    Казахстан"), an abbreviation, a number, a quote, "им.". Else it is a foreign name's second word
    ("Нур Отан", "Бургер Кинг") or agrees with the head ("Братья мусульмане"), and the name is unsure."""
    if not rest:
        return True
    word = rest[0].group()
    if not CYRILLIC_WORD.match(word) or _has_inner_capital(word) or name[rest[0].end() :].startswith("."):
        return True
    low = word.lower()
    known = is_known(low)  # a place the dictionary knows, not a guess: "Отан" is a place by its ending
    return any(
        p.tag.case in DEPENDENT_CASES
        or p.tag.POS in ("PREP", "CONJ")
        or (known and "Geox" in p.tag.grammemes)
        for p in parses(low)
    )


def _phrase_parses(word: str, pos: str) -> list[Parse]:
    return [p for p in parses(word.lower()) if p.tag.POS == pos and p.tag.case == "nomn"]


def _phrase_genitive_as(tokens: list[re.Match[str]], noun: Parse, name: str) -> str | None:
    """The name with its head read as `noun`, it and the adjectives before it in the genitive."""
    number = noun.tag.number
    grammemes = {"gent", number} | ({noun.tag.gender} if number == "sing" and noun.tag.gender else set())
    head = inflected_word(noun, GENITIVE)
    if head is None:
        return None
    pieces = [(tokens[-1], head)]
    for token in tokens[:-1]:
        fitting = [
            p
            for p in _phrase_parses(token.group(), "ADJF")
            if p.tag.number == number and (number == "plur" or p.tag.gender == noun.tag.gender)
        ]
        forms = {form for p in fitting if (form := _adjective_inflected(p, frozenset(grammemes)))}
        if len(forms) != 1:
            return None
        pieces.append((token, forms.pop()))
    out = name
    for token, form in sorted(pieces, key=lambda piece: piece[0].start(), reverse=True):
        out = out[: token.start()] + _as_written(token.group(), form) + out[token.end() :]
    return out


@lru_cache(maxsize=50_000)
def _adjective_inflected(adjective: Parse, grammemes: frozenset[str]) -> str | None:
    """The adjective in those grammemes on its own stem. pymorphy3 files "высший" under "высокий" and
    inflects it to "высочайшего", "лучший" to "наихорошего"; a name needs "Высшего"."""
    stem = adjective.word[:-2]
    found = inflected_word(adjective, grammemes)
    if found is not None and found.startswith(stem):
        return found
    forms = {f.word for f in adjective.lexeme if grammemes <= f.tag.grammemes and f.word.startswith(stem)}
    return forms.pop() if len(forms) == 1 else None
