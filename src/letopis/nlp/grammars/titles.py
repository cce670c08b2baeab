"""The grammar of posts: title heads, titles and chains of titles with the person they belong to.

A title is a head word from titles.txt ("министр", "глава", "посол") with the adjectives
agreeing with it before ("Генеральный секретарь") and its dependents after ("иностранных дел РК").
Titles in a row, joined by a dash, a comma or "и" and sharing the head's case, make a chain:
- a chain right before a name belongs to that person
  ("заместителя Премьер-министра - министра культуры и информации РК Аиды Балаевой");
- a chain after "Name," / "Name –" / "Name (" belongs to the name ("Джерен Гювен Гюрес, глава …");
- so does one set off before it ("Бывший спикер палаты, Нэнси Пелоси, …") or linked by a verb
  ("Иванов назначен министром", "Новым акимом Алматы стал Ерболат Досаев"), but not one to come
  ("станет министром", "будет назначен"); a post in the instrumental after the object of
  "назначить"/"избрать"/"утвердить" is the object's ("назначил Александра Бастрыкина председателем");
- a chain with no name is a role phrase ("глава МИД"), for coref to resolve.
Used by letopis.nlp.positions and letopis.nlp.coref.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import compress
from operator import attrgetter

from pymorphy3.analyzer import Parse

from letopis.model import Document, Mention
from letopis.nlp.grammars import word_list
from letopis.nlp.grammars.tokens import DASHES, Token, tokenize
from letopis.nlp.lemmas import lemma
from letopis.nlp.models import is_known, parses

OPEN_QUOTES = frozenset('«„“"')
CLOSE_QUOTES = frozenset('»”"')  # and "“" closing „…“
TITLE_PREPOSITIONS = frozenset({"по", "при", "в", "во", "на", "для", "от", "из", "у", "за"})
PLACE_PREPOSITIONS = frozenset({"в", "во", "на", "у", "из", "от", "за"})
# A role phrase without a name keeps only these: "глава МИД в среду" is "глава МИД".
ROLE_PREPOSITIONS = frozenset({"по", "при", "для"})
DEPENDENT_POS = frozenset({"NOUN", "ADJF", "PRTF", "NUMR"})
HEAD_POS = frozenset({"NOUN", "ADJF", "PRTF"})
NAME_TAGS = frozenset({"Name", "Surn", "Patr"})
ALL_GENDERS = frozenset({"masc", "femn"})
ALL_CASES = frozenset({"nomn", "gent", "datv", "accs", "ablt", "loct"})
MAX_ADJECTIVES = 3
MAX_DEPENDENTS = 16
FORMER_PREFIX = "экс-"
POST_WORDS = frozenset({"пост", "должность"})
# Verbs whose object gets the post: "назначил Александра Бастрыкина председателем".
APPOINTING = frozenset({"назначить", "избрать", "переизбрать", "утвердить"})
FUTURE_AUXILIARIES = frozenset({"будет", "будут"})


@dataclass(frozen=True)
class Head:
    """A title head word: its lemma, the cases it can be in (singular only) and its genders."""

    lemma: str
    cases: frozenset[str]
    genders: frozenset[str] = frozenset({"masc", "femn"})
    acting: bool = False  # "исполняющий обязанности министра": the head stays in the genitive


@lru_cache(maxsize=50_000)
def title_head(word: str) -> Head | None:
    """The title head this word is a singular form of ("главой" -> глава), else None."""
    options = parses(word.lower().replace("ё", "е"))
    if not options or options[0].tag.POS not in HEAD_POS:
        return None  # "после" is a preposition before it is a form of "посол"
    titles = word_list("titles")
    adjectival = word.lower()[:5] in _adjectival_heads()
    if not adjectival and not any(_noun_lemma(p.normal_form) in titles for p in options):
        return None  # then only a noun can be the head, and no reading has a title's lemma
    cases, genders = set(), set()
    lemma = ""
    for parse in options:
        tag = parse.tag
        if tag.number != "sing" or not tag.case or tag.POS not in HEAD_POS:
            continue
        if tag.POS == "NOUN" and "anim" not in tag.grammemes:
            continue
        if tag.POS != "NOUN" and not adjectival:
            continue  # inflecting every adjective to look it up would be slow
        normal = head_lemma(parse)
        if normal in titles:
            cases.add(tag.case)
            common = "ms-f" in tag.grammemes or tag.gender is None
            genders.update({"masc", "femn"} if common else {tag.gender})
            lemma = lemma or normal
    return Head(lemma, frozenset(cases), frozenset(genders)) if cases else None


@lru_cache(maxsize=1)
def _adjectival_heads() -> frozenset[str]:
    """First letters of the titles that are adjectives used as nouns ("уполномоченный", "управляющий")."""
    return frozenset(t[:5] for t in word_list("titles") if t.endswith(("ый", "ий", "ой")))


def head_lemma(parse: Parse) -> str:
    """The dictionary form of a head reading; a participle used as a noun keeps its own form."""
    if parse.tag.POS == "NOUN":
        return _noun_lemma(parse.normal_form)
    inflected = parse.inflect({"masc", "sing", "nomn"})
    return _noun_lemma(inflected.word if inflected else parse.normal_form)


def _noun_lemma(normal: str) -> str:
    return normal.replace("ё", "е").removeprefix(FORMER_PREFIX)


@lru_cache(maxsize=50_000)
def adjective_forms(word: str) -> frozenset[tuple[str, str]]:
    """(case, gender) pairs this word can have as a singular descriptive adjective."""
    out = set()
    for parse in parses(word.lower()):
        tag = parse.tag
        if tag.POS in ("ADJF", "PRTF") and tag.number == "sing" and "Apro" not in tag.grammemes:
            out.add((tag.case, tag.gender))
    return frozenset(out)


def adjective_cases(word: str) -> frozenset[str]:
    """Cases this word can be in as a singular descriptive adjective ("Генерального" -> gent, accs)."""
    return frozenset(case for case, _ in adjective_forms(word))


def agrees(word: str, head: Head) -> bool:
    """True when the word can be an adjective agreeing with the head ("Генеральный секретарь")."""
    return any(case in head.cases and gender in head.genders for case, gender in adjective_forms(word))


@lru_cache(maxsize=50_000)
def _acting_cases(word: str) -> frozenset[str]:
    """Cases of a singular participle of "исполнять" ("исполняющего" -> gent, accs)."""
    return frozenset(
        p.tag.case
        for p in parses(word.lower())
        if p.tag.POS == "PRTF" and p.normal_form == "исполнять" and p.tag.number == "sing"
    )


@lru_cache(maxsize=50_000)
def _word_name_cases(word: str) -> frozenset[str]:
    """Cases of one word of a name by its trusted readings: dictionary names, guessed surnames."""
    low = word.lower()
    known = is_known(low)
    return frozenset(
        p.tag.case
        for p in parses(low)
        if p.tag.POS == "NOUN"
        and p.tag.number == "sing"
        and NAME_TAGS & p.tag.grammemes
        and (known or "Surn" in p.tag.grammemes)
    )


def name_cases(name: str) -> frozenset[str] | None:
    """Cases a whole name can be in, or None when no word of it is a name the dictionary knows, or
    its words disagree ("Хамад бен Джасем Аль Тани": a foreign name's words read as Russian ones)."""
    out: frozenset[str] | None = None
    for word in name.split():
        cases = _word_name_cases(word)
        if cases:
            out = cases if out is None else out & cases
    return out or None


@lru_cache(maxsize=50_000)
def is_dependent_word(word: str) -> bool:
    """A word that can sit inside a title after its head: nouns, adjectives, names, some prepositions."""
    if not word[0].isalpha():
        return False
    if not re.search("[а-яё]", word.lower()) or (word.isupper() and len(word) > 1):
        return True
    low = word.lower()
    top = parses(low)[0]
    if top.tag.POS == "PREP":
        return low in TITLE_PREPOSITIONS
    return top.tag.POS in DEPENDENT_POS and "Apro" not in top.tag.grammemes


@lru_cache(maxsize=50_000)
def names_a_post(text: str) -> bool:
    """True for a capitalised post the tagger took for a person's name ("Премьер-министра")."""
    return all(title_head(word) for word in text.split())


def is_name(mention: Mention) -> bool:
    """A person's name as written: a PER mention, capitalised, not just a post."""
    return mention.type == "PER" and mention.text[:1].isupper() and not names_a_post(mention.text)


@dataclass(frozen=True)
class Title:
    """One post in the text: tokens [first, last], head at `head`."""

    first: int
    head: int
    last: int
    lemma: str
    cases: frozenset[str]
    genders: frozenset[str] = frozenset({"masc", "femn"})
    acting: bool = False  # "исполняющий обязанности министра": the head stays in the genitive


@dataclass
class Chain:
    """Titles in a row and the person they belong to, if a name stands next to them."""

    titles: list[Title]
    person: Mention | None = None
    after_name: bool = False


class _Reader:
    """Reads title chains off the tokens of one document."""

    def __init__(self, doc: Document, people: list[Mention]) -> None:
        self.text = doc.text
        self.tokens = tokenize(doc.text)
        self.names: dict[int, Mention] = {}
        for mention in sorted(people, key=lambda m: (m.start, -m.end)):
            self.names.setdefault(mention.start, mention)
        self.name_ends = {m.end: m for m in self.names.values()}
        self.starts = list(map(attrgetter("start"), self.tokens))

    def chains(self) -> list[Chain]:
        found = []
        # Every word's head by `map`, and only the words that are heads (a `Head` is never false)
        # visited: most are none.
        heads = list(map(title_head, map(attrgetter("text"), self.tokens)))
        resume = 0  # the token after the last chain read
        for index in compress(range(len(heads)), heads):
            if index < resume or self.tokens[index].start in self.names or self._modifies_next(index):
                continue
            chain, resume = self.read_chain(index, heads[index])
            found.append(chain)
        return found

    def _acting_prefix(self, first: int) -> tuple[int, frozenset[str]] | None:
        """ "врио губернатора", "временно исполняющего обязанности министра": (first token, cases)."""
        if first >= 1 and self.tokens[first - 1].text.lower() == "врио":
            return first - 1, ALL_CASES
        if first < 2 or self.tokens[first - 1].text.lower() != "обязанности":
            return None
        cases = _acting_cases(self.tokens[first - 2].text)
        if not cases:
            return None
        start = first - 2
        if start >= 1 and self.tokens[start - 1].text.lower() == "временно":
            start -= 1
        return start, cases

    def _modifies_next(self, index: int) -> bool:
        """ "управляющий директор": a participle head is the adjective of a noun head after it."""
        if index + 1 >= len(self.tokens):
            return False
        word, following = self.tokens[index].text, title_head(self.tokens[index + 1].text)
        return following is not None and agrees(word, following)

    def adjectives_before(self, index: int, head: Head) -> int:
        first = index
        while first > 0 and index - first < MAX_ADJECTIVES:
            if first < index and first > 1 and self.tokens[first - 1].text == "и":
                if self._agreeing_before(first - 2, head):  # "чрезвычайный и полномочный посол"
                    first -= 2
                    continue
                break
            if not self._agreeing_before(first - 1, head):
                break
            first -= 1
        return first

    def _agreeing_before(self, position: int, head: Head) -> bool:
        """An adjective of the head at `position`, on its line: not a name, a head of its own or an
        age ("82-летний экс-министр": the age is the person's, not the post's)."""
        before = self.tokens[position]
        if self.gap(position, position + 1) or before.text[:1].isdigit() or not agrees(before.text, head):
            return False
        if before.start in self.names or title_head(before.text) and not self._modifies_next(position):
            return False
        return True

    def gap(self, left: int, right: int) -> bool:
        """True when a line break separates two tokens."""
        return "\n" in self.text[self.tokens[left].end : self.tokens[right].start]

    def next_head(self, index: int, cases: frozenset[str]) -> tuple[int, int, Head] | None:
        """(first, head, Head) of a title starting at token `index` in one of `cases`."""
        for head_index in range(index, min(index + MAX_ADJECTIVES + 1, len(self.tokens))):
            word = self.tokens[head_index].text
            head = title_head(word)
            if head is not None and head.cases & cases:
                return index, head_index, Head(head.lemma, head.cases & cases, head.genders)
            if not adjective_cases(word) & cases:
                return None
        return None

    def read_chain(self, index: int, head: Head) -> tuple[Chain, int]:
        """The chain starting with the head at `index`, and the index to go on from."""
        titles: list[Title] = []
        current = (self.adjectives_before(index, head), index, head)
        acting = self._acting_prefix(current[0])
        if acting is not None:
            current = (acting[0], index, Head(head.lemma, acting[1], head.genders, acting=True))
        depth = 0
        position = index + 1
        while position < len(self.tokens) and not self.gap(position - 1, position):
            token = self.tokens[position]
            name = self.names.get(token.start)
            if name is not None and depth == 0:
                if self.tokens[position - 1].text.lower() in TITLE_PREPOSITIONS:
                    break  # "министра иностранных дел у Фишера": the name is in the title's object
                if self._possessor(name, current[2].cases):
                    position = self._after(name.end)
                    continue
                cases_of_name = name_cases(name.text)
                if self.tokens[position - 1].text in (",", "и") or (
                    cases_of_name is not None and not cases_of_name & current[2].cases
                ):
                    break  # "Указом Главы государства Марат Карабаев назначен": the name is not the head's
                titles.append(self._title(current, position - 1))
                return Chain(titles, name), self._after(name.end)
            following = self._next_title(position, current) if depth == 0 else None
            if following is not None:
                titles.append(self._title(current, position - 1))
                current, position = following, following[1] + 1
                continue
            step = self._dependent_step(position, current[1], depth)
            if step is None:
                break
            depth, position = step
        titles.append(self._title(current, self._trim(current[1], position - 1)))
        return Chain(titles, None), max(position, index + 1)

    def _next_title(self, position: int, current: tuple[int, int, Head]) -> tuple[int, int, Head] | None:
        """A new title at `position`: after a dash, a comma or "и", or a head in apposition."""
        word = self.tokens[position].text
        cases = current[2].cases
        if word in DASHES or word in (",", "и"):
            return self.next_head(position + 1, cases)
        head = title_head(word)
        previous = self.tokens[position - 1].text.lower()
        if head is None or previous in TITLE_PREPOSITIONS or "gent" in head.cases & cases:
            return None
        # "председатель Совета муфтиев России шейх Равиль Гайнутдин": same case, not a genitive dependent.
        shared = head.cases & cases
        return (position, position, Head(head.lemma, shared, head.genders)) if shared else None

    def _dependent_step(self, position: int, head_index: int, depth: int) -> tuple[int, int] | None:
        """(quote depth, next position) after a dependent word at `position`, or None where the title ends."""
        word = self.tokens[position].text
        if position - head_index > MAX_DEPENDENTS or word in DASHES or word == ",":
            return None
        if word == "и":
            return (depth, position + 1) if position > head_index + 1 else None
        if word == "&" and self._between_capitals(position):
            return depth, position + 1  # "Microsoft Entertainment & Devices"
        if depth == 0 and self._starts_other_title(position):
            return None
        if depth > 0 and (word in CLOSE_QUOTES or word == "“"):
            return depth - 1, position + 1
        if word in OPEN_QUOTES:
            return depth + 1, position + 1
        if word == "(":
            close = self._abbreviation_in_brackets(position)
            return (depth, close + 1) if close else None
        if word.lower() in PLACE_PREPOSITIONS and not self._names_a_place(position + 1):
            return None
        if is_dependent_word(word) or self._adverb_before_adjective(position):
            return depth, position + 1
        return None

    def _between_capitals(self, position: int) -> bool:
        if position + 1 >= len(self.tokens):
            return False
        return self.tokens[position - 1].text[:1].isupper() and self.tokens[position + 1].text[:1].isupper()

    def _starts_other_title(self, position: int) -> bool:
        """A head that cannot be a genitive dependent starts a title of its own: "Совета при Президенте
        РФ по развитию информационного общества глава РФ Дмитрий Медведев"."""
        head = title_head(self.tokens[position].text)
        previous = self.tokens[position - 1].text.lower()
        return head is not None and "gent" not in head.cases and previous not in TITLE_PREPOSITIONS

    def _names_a_place(self, position: int) -> bool:
        """After "в"/"на" a title goes on with a name or an adjective: "в Казахстане", not "в отпуске"."""
        if position >= len(self.tokens):
            return False
        word = self.tokens[position].text
        return word[:1].isupper() or word in OPEN_QUOTES or bool(adjective_cases(word))

    def _abbreviation_in_brackets(self, position: int) -> int | None:
        """The index of ")" closing a short bracketed abbreviation: "Национального фронта (FN)"."""
        for close in range(position + 1, min(position + 4, len(self.tokens))):
            word = self.tokens[close].text
            if word == ")":
                return close if close > position + 1 else None
            if not (word.isupper() or word.isdigit()):
                return None
        return None

    def _adverb_before_adjective(self, position: int) -> bool:
        """ "крайне правого": an adverb inside a title when an adjective follows."""
        if position + 1 >= len(self.tokens):
            return False
        options = parses(self.tokens[position].text.lower())
        return (
            bool(options)
            and options[0].tag.POS == "ADVB"
            and bool(adjective_cases(self.tokens[position + 1].text))
        )

    def _title(self, current: tuple[int, int, Head], last: int) -> Title:
        first, head_index, head = current
        return Title(
            first, head_index, max(last, head_index), head.lemma, head.cases, head.genders, head.acting
        )

    def _trim(self, head_index: int, last: int) -> int:
        """Drop trailing conjunctions, prepositions and unbalanced quotes from a title's end."""
        while last > head_index:
            word = self.tokens[last].text
            inside = [t.text for t in self.tokens[head_index : last + 1]]
            unbalanced = word in OPEN_QUOTES and inside.count(word) % 2 == 1 and word == '"'
            if word == "и" or word.lower() in TITLE_PREPOSITIONS or word == "«" or unbalanced:
                last -= 1
            else:
                break
        return last

    def _possessor(self, name: Mention, cases: frozenset[str]) -> bool:
        """A name the title goes on after: "советник Путина Юрий Ушаков", "помощник Клинтон по делам".

        Not when the name shares the head's case: "президента Нурсултана Назарбаева Дариги …"
        names the president first.
        """
        after = self._after(name.end)
        if after >= len(self.tokens) or self.gap(after - 1, after):
            return False
        if self.tokens[after].text == "по":
            return True
        cases_of_name = name_cases(name.text)
        return (
            self.tokens[after].start in self.names and cases_of_name is not None and not cases_of_name & cases
        )

    def _after(self, offset: int) -> int:
        """The index of the first token starting at or after `offset`."""
        return bisect.bisect_left(self.starts, offset)

    def attach_after_name(self, chain: Chain) -> None:
        """A nameless chain right after "Name,", "Name (" or "Name –" belongs to that name."""
        first = chain.titles[0].first
        if first < 2 or not (
            self.tokens[first - 1].text in (",", "(") or self.tokens[first - 1].text in DASHES
        ):
            return
        name = self.name_ends.get(self.tokens[first - 2].end)
        if name is not None:
            chain.person, chain.after_name = name, True

    def attach_apposed_name(self, chain: Chain) -> None:
        """A chain, a comma and a name set off by commas: "Бывший спикер палаты, Нэнси Пелоси, …"."""
        last = chain.titles[-1].last
        if last + 2 >= len(self.tokens) or self.tokens[last + 1].text != ",":
            return
        name = self.names.get(self.tokens[last + 2].start)
        after = self._after(name.end) if name else len(self.tokens)
        if name is not None and after < len(self.tokens) and self.tokens[after].text == ",":
            chain.person = name

    def attach_predicate(self, chain: Chain) -> None:
        """A post after a linking verb: "Пелоси, которая является главой …", "Иванов назначен министром"."""
        index = chain.titles[0].first - 1
        if index > 0 and lemma(self.tokens[index].text) in POST_WORDS:
            index -= 2 if self.tokens[index - 1].text.lower() == "на" else 1
        if index < 1 or not is_title_verb(self.tokens[index].text) or self._future(index):
            return
        index -= 1
        while index > 0 and _is_adverb(self.tokens[index].text):
            index -= 1
        if index > 1 and lemma(self.tokens[index].text) == "который" and self.tokens[index - 1].text == ",":
            index -= 2
        name = self.name_ends.get(self.tokens[index].end)
        if name is not None and name.text == name.normal:
            chain.person, chain.after_name = name, True

    def attach_inverted_predicate(self, chain: Chain) -> None:
        """A post before a linking verb and the name: "Новым главой ведомства стала Анна Петрова"."""
        verb = chain.titles[-1].last + 1
        if verb + 1 >= len(self.tokens) or not is_title_verb(self.tokens[verb].text) or self._future(verb):
            return
        if "ablt" not in chain.titles[0].cases:
            return
        name = self.names.get(self.tokens[verb + 1].start)
        if name is not None and name.text == name.normal:
            chain.person = name

    def attach_object(self, chain: Chain) -> None:
        """A post given to the object of a verb: "назначил Александра Бастрыкина председателем …"."""
        first = chain.titles[0].first
        if "ablt" not in chain.titles[0].cases or first < 2:
            return
        name = self.name_ends.get(self.tokens[first - 1].end)
        if name is None or "accs" not in (name_cases(name.text) or frozenset()):
            return
        verb = self._after(name.start) - 1
        if verb >= 0 and _is_appointing_verb(self.tokens[verb].text) and not self._future(verb):
            chain.person = name

    def _future(self, verb: int) -> bool:
        """A verb saying the post is still to come: "станет", "будет назначен"."""
        before = self.tokens[verb - 1].text.lower() if verb else ""
        return before in FUTURE_AUXILIARIES or any(
            p.tag.tense == "futr" for p in parses(self.tokens[verb].text.lower())[:1]
        )


@lru_cache(maxsize=50_000)
def _is_appointing_verb(word: str) -> bool:
    """An active form of a verb giving someone a post ("назначил", "избрали", "утвердила")."""
    return any(p.tag.POS == "VERB" and p.normal_form in APPOINTING for p in parses(word.lower()))


@lru_cache(maxsize=50_000)
def is_title_verb(word: str) -> bool:
    """A form of a verb linking a person to a post ("является", "назначен", "стала")."""
    verbs = word_list("title_verbs")
    return any(p.tag.POS in ("VERB", "PRTS", "INFN") and p.normal_form in verbs for p in parses(word.lower()))


def _is_adverb(word: str) -> bool:
    options = parses(word.lower())
    return bool(options) and options[0].tag.POS in ("ADVB", "PRCL")


def title_chains(doc: Document) -> tuple[Sequence[Token], list[Chain]]:
    """The document's tokens and every title chain in it, with the person each belongs to.

    Coref, positions and quotes each ask; the answer is kept while the text and the person
    mentions it depends on stay the same (callers only read it).
    """
    people = [m for m in doc.mentions if is_name(m)]
    key = (doc.text, tuple((m.start, m.end, m.text, m.normal, m.entity) for m in people))
    if _last_chains and _last_chains[0] == key:
        return _last_chains[1]
    found = _read_chains(doc, people)
    _last_chains[:] = [key, found]
    return found


_last_chains: list = []  # [key, (tokens, chains)] of the last document read


def _read_chains(doc: Document, people: list[Mention]) -> tuple[Sequence[Token], list[Chain]]:
    """The tokens and chains of a document whose persons' names are `people`."""
    reader = _Reader(doc, people)
    chains = reader.chains()
    for chain in chains:
        for attach in (
            reader.attach_after_name,
            reader.attach_apposed_name,
            reader.attach_predicate,
            reader.attach_inverted_predicate,
            reader.attach_object,
        ):
            if chain.person is None:
                attach(chain)
        if chain.person is None:
            _shorten_role(reader, chain)
    return reader.tokens, chains


def _shorten_role(reader: _Reader, chain: Chain) -> None:
    """A role phrase stopped by a verb keeps no place or time: "глава МИД в среду заявил"."""
    title = chain.titles[-1]
    following = title.last + 1
    if following >= len(reader.tokens) or not reader.tokens[following].text[0].isalpha():
        return
    for index in range(title.head + 1, title.last + 1):
        word = reader.tokens[index].text.lower()
        if word in TITLE_PREPOSITIONS and word not in ROLE_PREPOSITIONS:
            chain.titles[-1] = replace(title, last=index - 1)
            return


def is_role_phrase(chain: Chain) -> bool:
    """A nameless chain in the nominative singular: a subject that can be resolved to a person."""
    return chain.person is None and all("nomn" in t.cases for t in chain.titles)


def chain_span(tokens: Sequence[Token], chain: Chain) -> tuple[int, int]:
    """Start and end offsets of a chain's titles, without the name."""
    return tokens[chain.titles[0].first].start, tokens[chain.titles[-1].last].end
