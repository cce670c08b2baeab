"""How names are compared across documents: normalised keys, lemma keys, abbreviations, people's names.

Every alias of a stored entity is turned into a few `NameKey`s, each in a `space` and with the
`derivation` that made it. Two names match when they share a key of one space:

- space `name` (organisations, places, everything but people): the lemmas of the name
  (`same_lemmas`), of the name in «…» after a generic word (`quoted`: Структура «ООН-Женщины»),
  of each side of "X (Y)" (`parenthetical`: ООН-Женщины (UN Women)), and of the name with its
  known abbreviations spelled out (`expanded`: МИД РК -> министерство иностранный дело республика
  казахстан, from abbreviations.tsv), of the name without "Республика" before a country's
  name (`country_name`: Министерство иностранных дел Казахстана), of the name with every country
  called by its short name (`country_name`, countries.tsv: Российская Федерация, РФ -> россия), and of
  a UN body's name without «ООН» when what is left is a known name (`expanded`: ЭСКАТО ООН).
- generic names (generic_names.txt: Конгресс, МВД, Вооружённые силы) are told apart by the country
  of their documents, in kb.countries; its `generic_name` splits "МВД России" into the generic name
  and its country.
- space `initials` / `abbreviation`: the initials of a spelled-out name meet the letters of an
  abbreviation (Организация Объединённых Наций = ООН).
- space `person_name`: a person's whole name, exactly; space `person`: the surname as written in
  the nominative. First names, patronymics and initials are compared afterwards
  (`PersonName.compatible`). People's names are compared by their normal forms, not lemmas:
  pymorphy's lemma of "Балаева" is "балаев" and of "Александра" is "александр", which would
  make a wife her husband.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from letopis.nlp.lemmas import lemma
from letopis.nlp.models import parses
from letopis.nlp.normal import TOKEN

FUNCTION_WORDS = {"по", "и", "в", "во", "при", "для", "на", "о", "об", "с", "со", "за", "от", "к", "у"}
# A generic word or legal form before a quoted name: АО «Казмунайгаз» is Казмунайгаз.
GENERIC_BEFORE_QUOTES = 1
# Short initials match too much across documents ("САР" is not Синьцзян-Уйгурский автономный район,
# "КПК" not Коммунистическая партия Кубы); short abbreviations go in abbreviations.tsv instead.
MIN_INITIALS = 4
# «…», or "…" opened after a space and closed before one ("П" ФСБ ("Промышленность") holds no name).
QUOTED = re.compile(r"«([^«»]+)»|(?:^|(?<=\s))\"([^\"\s][^\"]*?)\"(?=\s|$|[.,;:)])")
PARENTHETICAL = re.compile(r"^(?P<outer>[^()]+?)\s*\((?P<inner>[^()]+)\)\s*$")
INITIAL = re.compile(r"^[А-ЯЁA-Z]$")
PATRONYMIC = re.compile(r"(ович|евич|ич|овна|евна|ична|инична)$")
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
REPUBLIC = re.compile(r"\bРеспублик[аиеуой]{1,2}\s+(?=[А-ЯЁ])")
UN = "ООН"  # a UN body is often named with it: "ЭСКАТО ООН"
# Particles between a first name and a surname, not middle names: "Кристина Фернандес де Киршнер".
NAME_PARTICLES = frozenset("де да ди дель дос дас ду ла ле ван фон дер бен бин ибн аль эль".split())
# The first parse of a word that is no name when alone: «Оно» is the pronoun, «По» the preposition.
FUNCTION_PARTS = {"NPRO": "a pronoun", "PREP": "a preposition", "CONJ": "a conjunction"}
# Names recur across documents and each is keyed, parsed and ranked many times per document: the
# pure functions below remember this many names each.
NAMES_REMEMBERED = 100_000


@lru_cache(maxsize=NAMES_REMEMBERED)
def entity_key(name: str) -> str:
    """The name as compared exactly: lower case, ё as е, single spaces."""
    return " ".join(name.lower().replace("ё", "е").split())


def words(name: str) -> list[str]:
    """The name's words, without punctuation ("А.Б. Иванов" -> ["А", "Б", "Иванов"])."""
    return [w for w in TOKEN.findall(name) if w[0].isalnum()]


@lru_cache(maxsize=NAMES_REMEMBERED)
def lemma_key(name: str) -> str:
    """The lemmas of the name's words: "Министерства иностранных дел" -> "министерство иностранный дело".
    Abbreviations stay as they are: "ДУМ" is not "дума"."""
    return " ".join(entity_key(w) if _is_caps(w) else lemma(w) for w in words(name))


def _is_caps(word: str) -> bool:
    return len(word) > 1 and word.isupper()


def is_abbreviation(name: str) -> bool:
    """Upper-case words only, each at most 8 letters: "МИД", "МИД РК", "ООН"."""
    parts = words(name)
    return (
        bool(parts)
        and all(p.isupper() and p.isalpha() and len(p) <= 8 for p in parts)
        and (len("".join(parts)) >= 2)
    )


def abbreviation_letters(name: str) -> str:
    """An abbreviation's letters, spaces and hyphens dropped: "МИД РК" -> "МИДРК"."""
    return "".join(words(name)).upper().replace("Ё", "Е")


def initials(name: str) -> str:
    """Initials of a spelled-out name's content words: "Министерство иностранных дел" -> "МИД"."""
    content = [w for w in words(name) if w.lower() not in FUNCTION_WORDS and w[0].isalpha()]
    return "".join(w[0] for w in content).upper().replace("Ё", "Е")


@lru_cache(maxsize=1)
def known_abbreviations() -> dict[str, str]:
    """abbreviations.tsv as {short form's key: full form}."""
    text = resources.files(__package__).joinpath("abbreviations.tsv").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            short, full = line.split("\t")
            table[entity_key(short)] = full.strip()
    return table


def expand_abbreviations(name: str) -> str | None:
    """The name with each known abbreviation spelled out, or None when it holds none."""
    table = known_abbreviations()
    parts = words(name)
    if not any(entity_key(p) in table for p in parts):
        return None
    return " ".join(table.get(entity_key(p), p) for p in parts)


@dataclass(frozen=True)
class NameKey:
    """One way a name can be matched: `key` in `space`, made from `alias` by `derivation`."""

    space: str
    key: str
    alias: str
    derivation: str


def name_variants(alias: str) -> list[tuple[str, str]]:
    """The forms an organisation or place name also goes by, each with how it was derived."""
    variants = [(alias, "same_lemmas")]
    paren = PARENTHETICAL.match(alias)
    if paren:
        variants += [(paren["outer"], "parenthetical"), (paren["inner"], "parenthetical")]
    quoted = QUOTED.search(alias)
    if quoted and len(words(alias[: quoted.start()])) <= GENERIC_BEFORE_QUOTES:
        variants.append((quoted.group(1) or quoted.group(2), "quoted"))
    without_un = drop_un(alias)
    if without_un:
        variants.append((without_un, "expanded"))
    for form, _ in list(variants):
        expanded = expand_abbreviations(form)
        if expanded:
            variants.append((expanded, "expanded"))
        short = drop_republic(expanded or form)
        if short:
            variants.append((short, "expanded" if expanded else "country_name"))
    return variants


def drop_republic(form: str) -> str | None:
    """The name with "Республика" dropped before a country's name, or None when it has none:
    "МИД Республики Казахстан" -> "МИД Казахстан" (lemmas make it meet "МИД Казахстана")."""
    short = REPUBLIC.sub("", form)
    return short if short != form and words(short) else None


def drop_un(name: str) -> str | None:
    """The name without the word «ООН» when what is left is a known name (abbreviations.tsv), else None:
    "ЭСКАТО ООН" -> "ЭСКАТО"; not "Совет Безопасности ООН", which without it is any country's."""
    parts = words(name)
    if UN not in parts or len(parts) < 2:
        return None
    rest = " ".join(p for p in parts if p != UN)
    known = entity_key(rest) in known_abbreviations() or lemma_key(rest) in _known_full_names()
    return rest if known else None


@lru_cache(maxsize=1)
def _known_full_names() -> frozenset[str]:
    """The lemma keys of the full forms in abbreviations.tsv."""
    return frozenset(lemma_key(full) for full in known_abbreviations().values())


def canonical_key(form: str) -> str:
    """The lemma key with abbreviations spelled out and "Республика" dropped before a country:
    "МИД РК", "Министерство иностранных дел Казахстана" -> "министерство иностранный дело казахстан"."""
    expanded = expand_abbreviations(form) or form
    return lemma_key(drop_republic(expanded) or expanded)


def name_keys(alias: str) -> list[NameKey]:
    """The keys of an organisation's or place's alias (see the module's docstring)."""
    return list(_name_keys(alias))


@lru_cache(maxsize=NAMES_REMEMBERED)
def _name_keys(alias: str) -> tuple[NameKey, ...]:
    keys: dict[tuple[str, str], NameKey] = {}
    variants = name_variants(alias)
    for form, derivation in variants:
        key = lemma_key(form)
        if key:
            keys.setdefault(("name", key), NameKey("name", key, alias, derivation))
        if derivation in ("expanded", "country_name") or QUOTED.search(form):
            continue
        space, letters = _letters(form)
        if len(letters) >= MIN_INITIALS:
            keys.setdefault((space, letters), NameKey(space, letters, alias, space))
    for form, _ in variants:  # after the others: "МИД РК" keeps its "expanded" keys
        short = short_country_names(lemma_key(form))
        if short and expand_abbreviations(form) is None:  # else its spelled-out variant is shortened
            keys.setdefault(("name", short), NameKey("name", short, alias, "country_name"))
    return tuple(keys.values())


def _letters(form: str) -> tuple[str, str]:
    """("abbreviation", its letters) for an abbreviation, ("initials", its initials) for a longer name."""
    if is_abbreviation(form):
        return "abbreviation", abbreviation_letters(form)
    content = [w for w in words(form) if w.lower() not in FUNCTION_WORDS]
    if len(content) < MIN_INITIALS or len({bool(CYRILLIC.search(w)) for w in content}) > 1:
        return "initials", ""
    return "initials", initials(form)


# --- countries: the table, and their short names in name keys ------------------------------------


@dataclass(frozen=True)
class Countries:
    """countries.tsv by lemma keys: each name and capital -> the country's short name."""

    names: dict[str, str]  # "российский федерация", "рф", "россия" -> "Россия"
    capitals: dict[str, str]  # "москва" -> "Россия"
    short_keys: dict[str, str]  # "Россия" -> "россия"
    pattern: re.Pattern[str]  # any name or capital as whole words of a lemma key, longest first


@lru_cache(maxsize=1)
def countries() -> Countries:
    """The table of countries (countries.tsv), read once."""
    text = resources.files(__package__).joinpath("countries.tsv").read_text(encoding="utf-8")
    names: dict[str, str] = {}
    capitals: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        short, others, capital = (line.split("\t") + ["", ""])[:3]
        for name in [short, *others.split(";")]:
            if name.strip():
                names[lemma_key(name)] = short
        if capital.strip():
            capitals[lemma_key(capital)] = short
    keys = sorted({*names, *capitals}, key=len, reverse=True)
    pattern = re.compile(r"(?<!\S)(?:" + "|".join(map(re.escape, keys)) + r")(?!\S)")
    short_keys = {short: lemma_key(short) for short in names.values()}
    return Countries(names, capitals, short_keys, pattern)


@lru_cache(maxsize=NAMES_REMEMBERED)
def short_country_names(key: str) -> str:
    """A lemma key with every country's name replaced by its short name's (capitals are left alone):
    "вооруженный сила российский федерация" -> "вооруженный сила россия"."""
    table = countries()

    def short(match: re.Match[str]) -> str:
        country = table.names.get(match.group())
        return table.short_keys[country] if country else match.group()

    return table.pattern.sub(short, key)


# --- people --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonName:
    """A person's name split up; keys are lower case with е for ё ("Аида Балаева" -> аида, балаева)."""

    surname: str  # "" for a first name alone ("Сергей"): it names nobody in particular
    first: str | None = None  # the first name, as a key
    initial: str | None = None  # the first name's initial, from the name or from an initial
    patronymic_initial: str | None = None
    given: tuple[str, ...] = ()  # every word but the surname, as keys

    @property
    def bare(self) -> bool:
        """Only a surname: "Балаева"."""
        return self.initial is None

    def contradicts(self, other: PersonName) -> bool:
        """One surname and first name, other middle names: "Джордж Уокер Буш", "Джордж Герберт Уокер Буш"
        are two people, even where a name without middle names fits both."""
        if self.surname != other.surname or not self.first or self.first != other.first:
            return False
        return not _middles_fit(self.given[1:], other.given[1:])

    def compatible(self, other: PersonName) -> str | None:
        """How two names of one surname can be the same person, or None when they cannot."""
        if self.surname != other.surname:
            return None
        if self.patronymic_initial and other.patronymic_initial:
            if self.patronymic_initial != other.patronymic_initial:
                return None
        if self.first and other.first:
            if self.first == other.first:
                return None if self.contradicts(other) else "person_full_name"
            # "Гювен Гюрес" is "Джерен Гювен Гюрес": the given names of one are the other's but one.
            mine, theirs = set(self.given), set(other.given)
            subset = (mine <= theirs or theirs <= mine) and abs(len(mine) - len(theirs)) == 1
            return "person_name_subset" if subset else None
        if self.initial and other.initial:
            return "person_initials" if self.initial == other.initial else None
        return None


def _middles_fit(mine: tuple[str, ...], theirs: tuple[str, ...]) -> bool:
    """Whether the names between first name and surname can be one person's: "Уокер" is not "Герберт
    Уокер" (George W. Bush is not his father), "У." fits "Уокер", "Абдулла" "Абдалла" (a letter
    apart); «де», «бен», «аль» are no names, and a name without middle names fits any."""
    mine = tuple(m for m in mine if m not in NAME_PARTICLES)
    theirs = tuple(t for t in theirs if t not in NAME_PARTICLES)
    if not mine or not theirs:
        return True
    if len(mine) != len(theirs):
        return False
    return all(_same_given_name(a, b) for a, b in zip(mine, theirs, strict=True))


def _same_given_name(a: str, b: str) -> bool:
    """One name, an initial of it, or another spelling a letter apart ("Халифа", "Халиф")."""
    return a == b or (min(len(a), len(b)) == 1 and a[0] == b[0]) or _one_letter_apart(a, b)


def _one_letter_apart(a: str, b: str) -> bool:
    """Equal but for one letter changed, added or dropped."""
    longer, shorter = (a, b) if len(a) >= len(b) else (b, a)
    if len(longer) - len(shorter) > 1:
        return False
    i = next((k for k, (x, y) in enumerate(zip(longer, shorter, strict=False)) if x != y), len(shorter))
    return longer[i + 1 :] == (shorter[i + 1 :] if len(longer) == len(shorter) else shorter[i:])


def function_part(word: str) -> str | None:
    """What a word most likely is when it is a pronoun, preposition or conjunction ("a pronoun" for
    «Оно»), else None. A word pymorphy also knows as a given name («Ли», «Али») is a name."""
    found = parses(word.lower())
    if not found or any("Name" in p.tag.grammemes for p in found):
        return None
    return FUNCTION_PARTS.get(found[0].tag.POS)


@lru_cache(maxsize=NAMES_REMEMBERED)
def parse_person(alias: str) -> PersonName | None:
    """Surname, first name and initials of a person's name, or None when it has no Cyrillic surname."""
    parts = words(alias)
    if not parts:
        return None
    if len(parts) == 1 and is_first_name(parts[0]):
        return PersonName(surname="", first=entity_key(parts[0]), initial=entity_key(parts[0][0]))
    if len(parts) == 1:
        return PersonName(surname=entity_key(parts[0]))
    if len(parts) == 3 and _is_patronymic(parts[2]) and not _is_patronymic(parts[1]):
        surname, given = parts[0], parts[1:]  # "Иванов Иван Иванович"
    elif all(INITIAL.match(p) for p in parts[1:]):
        surname, given = parts[0], parts[1:]  # "Иванов А. Б."
    else:
        surname, given = parts[-1], parts[:-1]
    first = given[0]
    patronymic = (
        given[1] if len(given) > 1 and (INITIAL.match(given[1]) or _is_patronymic(given[1])) else None
    )
    is_initial = bool(INITIAL.match(first))
    return PersonName(
        surname=entity_key(surname),
        first=None if is_initial else entity_key(first),
        initial=entity_key(first[0]),
        patronymic_initial=entity_key(patronymic[0]) if patronymic else None,
        given=tuple(entity_key(g) for g in given),
    )


def is_first_name(word: str) -> bool:
    """A word that is a first name and never a surname: "Сергей", "Саша" (not "Иванов", "Роза")."""
    tags = [set(p.tag.grammemes) for p in parses(word.lower())]
    return any("Name" in t for t in tags) and not any("Surn" in t for t in tags)


def _is_patronymic(word: str) -> bool:
    return len(word) > 4 and bool(PATRONYMIC.search(word.lower()))


def person_keys(alias: str) -> list[NameKey]:
    """The keys of a person's alias: the exact name, and the surname for comparing first names."""
    return list(_person_keys(alias))


@lru_cache(maxsize=NAMES_REMEMBERED)
def _person_keys(alias: str) -> tuple[NameKey, ...]:
    keys = [NameKey("person_name", entity_key(alias), alias, "same_name")]
    parsed = parse_person(alias)
    if parsed is not None and parsed.surname:
        keys.append(NameKey("person", parsed.surname, alias, "bare" if parsed.bare else "full"))
    return tuple(keys)


def distinctive_names(type: str, names: list[str]) -> list[str]:
    """The names one document has for an entity that identify it in other documents too: for an
    organisation or place, not a name whose words run inside another of its names ("МИД" beside "МИД
    РК" means that МИД only there). People's names are all kept: their keys only gather candidates."""
    if type == "PER":
        return names
    keys = {name: f" {lemma_key(name)} " for name in names}
    return [
        name
        for name in names
        if not any(keys[name] != keys[other] and keys[name] in keys[other] for other in names)
    ]


def keys_for(type: str, alias: str) -> list[NameKey]:
    """The keys an alias of an entity of this type is found by."""
    return person_keys(alias) if type == "PER" else name_keys(alias)


@lru_cache(maxsize=NAMES_REMEMBERED)
def name_rank(type: str, name: str) -> tuple[int, ...]:
    """How complete a name is, to choose an entity's display name: the larger the better."""
    if type == "PER":
        parsed = parse_person(name)
        if parsed is None:
            return (0, 0, 0, 0)
        cyrillic = int(bool(CYRILLIC.search(name)))
        return (int(parsed.first is not None), int(not parsed.bare), cyrillic, len(parsed.given))
    return (int(not is_abbreviation(name)), int(bool(CYRILLIC.search(name))), 0, 0)
