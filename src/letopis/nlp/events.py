"""Events: meetings, agreements, initiatives and announced events (referendums, summits, visits …).

The stage `find_events(doc)` needs `mentions`, `entities` and `dates`, and fills `doc.events`.
Word lists are in grammars/events.tsv. Two kinds of evidence:
- meeting triggers, lemma patterns: `new` ones report a meeting ("состоялась встреча",
  "встретился с"), `ref` ones refer to the meeting already reported ("в ходе встречи"). A
  document's triggers make one meeting unless they name different people.
- event nouns ("референдум", "соглашение", "инициатива") with the phrase around them, kept when
  something shows an event: "предстоящий", a verb like "состоится", a frame like "в ходе", "о …".
Status comes from tense, words like "предстоящий" or "планируется", and dates after publication.
A meeting is named by its sides in the genitive ("встреча Аиды Балаевой и Джерен Гювен Гюрес"), each
left as written where its form is unsure (nlp/inflect.py); an agreement named in a sentence about a
meeting ("в ходе встречи") is between the meeting's organisations.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from letopis.model import DateValue, Document, Event, Mention
from letopis.nlp.grammars import word_list
from letopis.nlp.grammars.tokens import line_sentences
from letopis.nlp.inflect import genitive
from letopis.nlp.models import parses
from letopis.nlp.normal import TOKEN, normalize

RULES_FILE = Path(__file__).parent / "grammars" / "events.tsv"
GAP, PERSON = "~", "PER"
MAX_GAP = 3  # words a "~" in a pattern lets in between
PERSON_REACH = 7  # words from a verb to the person it takes: "принимает в Белом доме своего коллегу Н."
SPEAKER_REACH = 3  # sentences after a meeting searched for who spoke at it, when it names no one
MAX_PHRASE = 16  # words in an event phrase
DATE_REACH = 3  # words between a date and the event phrase or verb it belongs to
MEETING_TYPES = ("meeting", "call")
STATUSES = ("announced", "happened")
MEETING_WORDS = {"meeting": "встреча", "call": "телефонный разговор"}
MIN_SCORE = 0.05  # parses less likely than this are ignored ("путин" as a plural genitive)
NOMINAL = {"NOUN", "ADJF", "PRTF", "NUMR"}
PREPOSITIONS = {"о", "об", "по", "в", "во", "на", "для", "между", "с", "со", "под", "при"}
COMPLEMENT = {"о", "об", "по", "между"}  # "соглашение о …", "инициатива по созданию …"
DASHES = {"—", "–", "-"}
BOUNDARIES = {",", ";", ":", "(", ")", "?", "!", *DASHES}
NOT_EVENT_TIME = {"до", "к", "ко", "после", "перед", "накануне"}  # "до 2020 года" bounds, is not when
LATE_SENTENCE = re.compile(r"(?<=[а-яё][.!?])(?=[А-ЯЁ])")  # "развития.На встрече": a missing space


# ---------------------------------------------------------------- rules (grammars/events.tsv)


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


# ---------------------------------------------------------------- words


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


def _blocks_object(tokens: list[_Token], k: int) -> bool:
    """An inanimate noun in the accusative ("принял решение"): the verb takes a thing, not a person."""
    options = parses(tokens[k].text.lower()) if tokens[k].text[:1].isalpha() else ()
    if not options:
        return False
    tag = options[0].tag
    if tag.POS != "NOUN" or "anim" in tag.grammemes or tag.case not in ("nomn", "accs"):
        return False
    return not any(_pos(t.text) == "PREP" for t in tokens[max(0, k - 2) : k])


# ---------------------------------------------------------------- text: sentences and tokens


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    text: str
    glued: bool = False  # no space before it: the dash of "22–24" is not a clause's end
    in_date: bool = False  # inside a date: nor is the dash of "30 марта – 2 апреля"

    @property
    def is_boundary(self) -> bool:
        return self.text in BOUNDARIES and not ((self.glued or self.in_date) and self.text in DASHES)

    def has(self, lemma: str) -> bool:
        return lemma in _lemmas(self.text)

    def has_any(self, lemmas: frozenset[str] | set[str]) -> bool:
        return not lemmas.isdisjoint(_lemmas(self.text))


@dataclass
class _Sentence:
    index: int
    start: int
    end: int
    tokens: list[_Token] = field(default_factory=list)


def _sentences(text: str, dates: Iterable[DateValue] = ()) -> list[_Sentence]:
    """Sentences with their tokens; a paragraph break always ends a sentence."""
    in_date = {i for d in dates for i in range(d.start + 1, d.end - 1)}
    out: list[_Sentence] = []
    offset = 0
    for line in text.split("\n"):
        for piece_start, piece_end in line_sentences(line):
            piece = line[piece_start:piece_end]
            cuts = [0, *(m.start() for m in LATE_SENTENCE.finditer(piece)), len(piece)]
            for a, b in zip(cuts, cuts[1:], strict=False):
                start = offset + piece_start + a
                tokens = [
                    _Token(
                        start + m.start(),
                        start + m.end(),
                        m.group(),
                        not text[start + m.start() - 1 : start + m.start()].isspace(),
                        start + m.start() in in_date,
                    )
                    for m in TOKEN.finditer(piece[a:b])
                ]
                if tokens:
                    out.append(_Sentence(len(out), start, tokens[-1].end, tokens))
        offset += len(line) + 1
    return out


# ---------------------------------------------------------------- the document, indexed


class _Doc:
    """The document with its sentences, mentions and dates, and spans already used by events."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.text = doc.text
        self.sentences = _sentences(doc.text, doc.dates)
        self.mentions = sorted(doc.mentions, key=lambda m: (m.start, -m.end))
        self.names = {e.id: e.name for e in doc.entities}
        self.taken: list[tuple[int, int]] = []  # event phrases: not a meeting's people, places or dates
        self._cover: dict[int, Mention] = {}  # character offset -> the longest mention over it
        for m in sorted(self.mentions, key=lambda m: m.end - m.start):
            self._cover.update(dict.fromkeys(range(m.start, m.end), m))
        # Names only: a resolved "глава ведомства" or "он" (coref) is a person, but not a name to look for.
        self._persons = {
            m.start: m
            for m in reversed(self.mentions)
            if m.type == "PER" and m.entity and m.text[:1].isupper()
        }
        self._dates = {d.start: d for d in reversed(doc.dates)}
        self._attribution: dict[int, list[tuple[int, int]]] = {}

    def mentions_in(self, start: int, end: int, kind: str | None = None) -> list[Mention]:
        return [
            m
            for m in self.mentions
            if start <= m.start and m.end <= end and (kind is None or m.type == kind) and m.entity
        ]

    def outermost_at(self, offset: int) -> Mention | None:
        """The longest mention covering the character at `offset`."""
        return self._cover.get(offset)

    def starts_person(self, offset: int) -> Mention | None:
        return self._persons.get(offset)

    def date_at(self, offset: int) -> DateValue | None:
        return self._dates.get(offset)

    def is_taken(self, start: int, end: int) -> bool:
        return any(a <= start and end <= b for a, b in self.taken)

    def attribution(self, sentence: _Sentence) -> list[tuple[int, int]]:
        """Spans naming the text's source ("сообщает Kazpravda.kz со ссылкой на Минкультуры")."""
        if sentence.index not in self._attribution:
            out = []
            tokens = sentence.tokens
            for i in range(len(tokens)):
                if _phrase_at(tokens, i, "attribution"):
                    end = next((t.start for t in tokens[i + 1 :] if t.is_boundary), sentence.end)
                    out.append((tokens[i].start, end))
            self._attribution[sentence.index] = out
        return self._attribution[sentence.index]

    def free_mentions(self, sentence: _Sentence, kind: str) -> list[Mention]:
        """Mentions of a type in a sentence, outside its attribution and outside other events."""
        cut = self.attribution(sentence)
        return [
            m
            for m in self.mentions_in(sentence.start, sentence.end, kind)
            if not self.is_taken(m.start, m.end) and not any(a <= m.start < b for a, b in cut)
        ]


def _phrase_at(tokens: list[_Token], i: int, category: str) -> str | None:
    """The value of the word-list entry of `category` whose lemmas start at token `i`, if any."""
    return next((value for value, _ in _entries_at(tokens, i, category)), None)


def _entries_at(tokens: list[_Token], i: int, category: str) -> Iterator[tuple[str, tuple[str, ...]]]:
    """The entries of `category` (value, lemmas) whose lemmas are the words from token `i` on."""
    index = _rules().by_first.get(category, {})
    for lemma in _lemmas(tokens[i].text):
        for value, items in index.get(lemma, []):
            if i + len(items) <= len(tokens) and all(
                tokens[i + k].has(w) for k, w in enumerate(items[1:], 1)
            ):
                yield value, items


def _unique(ids: Iterable[str | None]) -> list[str]:
    """The ids in first-seen order, without repeats or None."""
    return list(dict.fromkeys(i for i in ids if i))


# ---------------------------------------------------------------- meeting triggers


@dataclass
class _Hit:
    trigger: _Trigger
    sentence: _Sentence
    first: int  # token indices of the match, end exclusive
    last: int


def _match(items: tuple[str, ...], sentence: _Sentence, i: int, ctx: _Doc) -> int | None:
    """The token index after a match of pattern `items` starting at token `i`, or None."""
    if not items:
        return i
    item, rest = items[0], items[1:]
    tokens = sentence.tokens
    if item == GAP:
        for k in range(i, min(i + MAX_GAP, len(tokens)) + 1):
            end = _match(rest, sentence, k, ctx)
            if end is not None:
                return end
            if k >= len(tokens) or not _gap_word(tokens, k):
                return None
        return None
    if item == PERSON:
        return i if _person_ahead(sentence, i, ctx) else None
    if i < len(tokens) and tokens[i].has(item):
        return _match(rest, sentence, i + 1, ctx)
    return None


def _gap_word(tokens: list[_Token], k: int) -> bool:
    """A word, or the comma of ", которая" ("встречу, которая пройдет")."""
    if tokens[k].text[:1].isalnum():
        return True
    return tokens[k].text == "," and k + 1 < len(tokens) and tokens[k + 1].has("который")


def _person_ahead(sentence: _Sentence, i: int, ctx: _Doc) -> bool:
    """A person named within a few words, with only titles and places in between."""
    tokens = sentence.tokens
    for k in range(i, min(i + PERSON_REACH, len(tokens))):
        if ctx.starts_person(tokens[k].start):
            return True
        if not tokens[k].text[:1].isalnum():
            return False
        if ctx.outermost_at(tokens[k].start) is None and (
            _blocks_object(tokens, k) or _is_subject(tokens[k].text)
        ):
            return False
    return False


def _hits(ctx: _Doc) -> list[_Hit]:
    """The best meeting trigger of each type in each sentence: `new` before `ref`, then the first."""
    out = []
    for sentence in ctx.sentences:
        found: dict[str, _Hit] = {}
        for i, token in enumerate(sentence.tokens):
            for lemma in _lemmas(token.text):
                for trigger in _rules().triggers.get(lemma, []):
                    end = _match(trigger.items[1:], sentence, i + 1, ctx)
                    if end is None or not _allowed(trigger, sentence, ctx):
                        continue
                    best = found.get(trigger.type)
                    if best is None or (best.trigger.kind == "ref" and trigger.kind == "new"):
                        found[trigger.type] = _Hit(trigger, sentence, i, end)
        out.extend(sorted(found.values(), key=lambda h: h.first))
    return out


def _allowed(trigger: _Trigger, sentence: _Sentence, ctx: _Doc) -> bool:
    if any(t.has_any(_rules().lemmas("veto")) for t in sentence.tokens):
        return False
    return not trigger.needs_person or bool(ctx.free_mentions(sentence, "PER"))


def _hit_tense(hit: _Hit) -> str | None:
    return next((t for tok in hit.sentence.tokens[hit.first : hit.last] if (t := _tense(tok.text))), None)


def _reports_one(hit: _Hit) -> bool:
    """Whether a `ref` trigger can start a meeting: one meeting, in a frame, with its other side
    ("на встрече с представителями ООН"), not "на встречах с избирателями" or "переговоры с"."""
    tokens = hit.sentence.tokens
    near = tokens[hit.last - 1 : hit.last + 1]
    plural = any(
        _pos(t.text) == "NOUN" and parses(t.text.lower())[0].tag.number == "plur" and t.has("встреча")
        for t in tokens[hit.first : hit.last]
    )
    framed = hit.trigger.items[0] in PREPOSITIONS
    return framed and not plural and any(t.text.lower() in ("с", "со") for t in near)


def _counterparts(hit: _Hit, ctx: _Doc) -> list[str]:
    """The person right after "встреча с" ("на встречу с Виктором")."""
    tokens = hit.sentence.tokens
    start = hit.last + (0 if tokens[hit.last - 1].text.lower() in ("с", "со") else 1)
    for k in range(start, min(start + PERSON_REACH, len(tokens))):
        person = ctx.starts_person(tokens[k].start)
        if person:
            return [person.entity] if person.entity else []
        if not tokens[k].text[:1].isalnum():
            break
    return []


# ---------------------------------------------------------------- meetings


@dataclass
class _Meeting:
    hit: _Hit
    event: Event
    people: list[str]  # named in its sentences (empty: look for speakers after it)
    at: set[int] = field(default_factory=set)  # where the sentences that mention it start


def _meetings(ctx: _Doc) -> list[_Meeting]:
    """Meeting hits folded into meetings: a `ref` joins the last one, a `new` one joins it when the
    people agree (none named, or one set within the other)."""
    meetings: list[_Meeting] = []
    for hit in _hits(ctx):
        same_type = [m for m in meetings if m.event.type == hit.trigger.type]
        last = same_type[-1] if same_type else None
        if hit.trigger.kind == "ref":
            if last is not None:
                last.people = _unique(last.people + _counterparts(hit, ctx))
                last.at.add(hit.sentence.start)
            elif _reports_one(hit):  # "На встрече с … глава ведомства подтвердил": who acts in it takes part
                people = _counterparts(hit, ctx) + [m.entity for m in ctx.free_mentions(hit.sentence, "PER")]
                meetings.append(_new_meeting(hit, ctx, _unique(people)))
            continue
        people = [m.entity for m in ctx.free_mentions(hit.sentence, "PER")]
        if last is not None and _same_people(last.people, people):
            last.people = _unique(last.people + people)
            last.at.add(hit.sentence.start)
            continue
        meetings.append(_new_meeting(hit, ctx, _unique(people)))
    return meetings


def _same_people(old: list[str], new: list[str]) -> bool:
    return not new or set(new) <= set(old) or set(old) <= set(new)


def _new_meeting(hit: _Hit, ctx: _Doc, people: list[str]) -> _Meeting:
    sentence = hit.sentence
    date = _meeting_date(hit, ctx)
    status = _meeting_status(hit, date, ctx)
    event = Event(
        id="",
        type=hit.trigger.type,
        name="",
        status=status,
        from_=None,
        to=None,
        place=_place(ctx, sentence, hit.sentence.tokens[hit.first].start),
        organizations=_unique(m.entity for m in ctx.free_mentions(sentence, "ORG")),
        start=sentence.start,
        end=sentence.end,
    )
    _set_date(event, date)
    if event.date_basis is None and status == "happened" and ctx.doc.published:
        event.from_ = event.to = ctx.doc.published[:10]
        event.date_basis = "published"
    return _Meeting(hit, event, people, {sentence.start})


def _meeting_status(hit: _Hit, date: DateValue | None, ctx: _Doc) -> str:
    if _after_published(date, ctx):
        return "announced"
    tense = _hit_tense(hit)
    if tense in ("futr", "infn"):
        return "announced"
    if tense is None and _future_cue(hit.sentence.tokens):
        return "announced"
    return "happened"


def _meeting_date(hit: _Hit, ctx: _Doc) -> DateValue | None:
    """The date in the trigger's sentence nearest the trigger, outside other events' phrases."""
    sentence = hit.sentence
    at = sentence.tokens[hit.first].start
    dates = [
        d
        for d in ctx.doc.dates
        if sentence.start <= d.start
        and d.end <= sentence.end
        and not ctx.is_taken(d.start, d.end)
        and _is_event_time(d)
    ]
    return min(dates, key=lambda d: (d.from_ is None and d.partial is None, abs(d.start - at)), default=None)


def _place(ctx: _Doc, sentence: _Sentence, at: int, within: tuple[int, int] | None = None) -> str | None:
    """The place "в Алматы" nearest `at` (within a span of text, if given); not one in a title
    ("представителем … в Казахстане Джерен Гювен Гюрес")."""
    candidates = []
    tokens = sentence.tokens
    low, high = within or (sentence.start, sentence.end)
    for m in ctx.free_mentions(sentence, "LOC"):
        k = next((i for i, t in enumerate(tokens) if t.start == m.start), None)
        if not low <= m.start < high:
            continue
        if k is None or k == 0 or tokens[k - 1].text.lower() not in ("в", "во"):
            continue
        after = next((t for t in tokens if t.start >= m.end), None)
        inside = ctx.outermost_at(m.start)
        if (after and ctx.starts_person(after.start)) or (inside is not None and inside.type == "ORG"):
            continue
        candidates.append(m)
    return min(candidates, key=lambda m: abs(m.start - at)).entity if candidates else None


def _finish_meetings(meetings: list[_Meeting], ctx: _Doc) -> list[Event]:
    """People (or speakers after it), name and outcome of each meeting."""
    starts = [m.hit.sentence.index for m in meetings] + [len(ctx.sentences)]
    for meeting, stop in zip(meetings, starts[1:], strict=False):
        event = meeting.event
        event.participants = meeting.people or _speakers(ctx, meeting.hit.sentence.index, stop)
        event.outcome = _outcome(ctx, meeting.hit.sentence.index, stop)
        event.name = _meeting_name(event, ctx)
    return [m.event for m in meetings]


def _speakers(ctx: _Doc, index: int, stop: int) -> list[str]:
    """The first person who speaks in the sentences after a meeting ("– …, – отметил Ермек Кошербаев")."""
    speech = word_list("speech_verbs")
    for sentence in ctx.sentences[index + 1 : min(stop, index + 1 + SPEAKER_REACH)]:
        tokens = sentence.tokens
        for k, token in enumerate(tokens):
            person = ctx.starts_person(token.start)
            if person is None:
                continue
            after = next((t for t in tokens if t.start >= person.end), None)
            if (k > 0 and tokens[k - 1].has_any(speech)) or (after and after.has_any(speech)):
                return [person.entity] if person.entity else []
    return []


def _outcome(ctx: _Doc, index: int, stop: int) -> str | None:
    """The sentence saying what the meeting gave: "По итогам встречи …", else "договорились", …"""
    best: tuple[int, _Sentence] | None = None
    for sentence in ctx.sentences[index:stop]:
        for i in range(len(sentence.tokens)):
            rank = _phrase_at(sentence.tokens, i, "outcome")
            if rank is not None and (best is None or int(rank) < best[0]):
                best = (int(rank), sentence)
    return ctx.text[best[1].start : best[1].end] if best else None


def _meeting_name(event: Event, ctx: _Doc) -> str:
    """ "встреча Аиды Балаевой и Джерен Гювен Гюрес"; organisations stand in for a missing side."""
    sides = [genitive(ctx.names[p], "PER") for p in event.participants]
    if len(sides) < 2:
        sides += [genitive(ctx.names[o], "ORG") for o in event.organizations[: 2 - len(sides)]]
    word = MEETING_WORDS[event.type]
    if len(sides) > 1:
        return f"{word} {', '.join(sides[:-1])} и {sides[-1]}"
    return f"{word} {sides[0]}" if sides else word


# ---------------------------------------------------------------- event nouns and their phrases


@dataclass
class _Phrase:
    sentence: _Sentence
    type: str
    first: int  # token indices: the whole phrase, end exclusive
    last: int
    head: int  # index of the head noun
    compound: bool  # a two-word event noun: "рамочный документ", "дорожная карта"
    name_first: int  # the name starts after "предстоящий" and the like
    cue: str | None  # value of such an adjective: "announced", "happened", "-"

    @property
    def start(self) -> int:
        return self.sentence.tokens[self.first].start

    @property
    def end(self) -> int:
        return self.sentence.tokens[self.last - 1].end


def _heads(sentence: _Sentence) -> Iterator[tuple[int, int, str]]:
    """(first, head, type) for every event noun: "рамочного документа" gives (i, i + 1, "agreement")."""
    for i in range(len(sentence.tokens)):
        for value, items in _entries_at(sentence.tokens, i, "noun"):
            yield i, i + len(items) - 1, value


def _phrase(ctx: _Doc, sentence: _Sentence, first: int, head: int, kind: str) -> _Phrase:
    """The noun phrase around an event noun: adjectives before, genitives and "о …" after."""
    tokens = sentence.tokens
    compound = first < head
    while (
        first > 0
        and _agrees(tokens[first - 1].text, tokens[head].text)
        and not ctx.outermost_at(tokens[first - 1].start)
    ):
        first -= 1
    last, governed = head + 1, False
    while last < len(tokens) and last - first < MAX_PHRASE:
        step = _phrase_step(ctx, tokens, last, kind, governed)
        if step is None:
            break
        last, governed = step
    while last > head + 1 and _trailing(tokens[last - 1], ctx):
        last -= 1
    name_first, cue = first, None
    while name_first < head and (value := _rules().value("adjective", _adjective_lemma(tokens[name_first]))):
        cue = cue if cue not in (None, "-") else value
        name_first += 1
    return _Phrase(sentence, kind, first, last, head, compound, name_first, cue)


def _adjective_lemma(token: _Token) -> str:
    known = _rules().lemmas("adjective") & _lemmas(token.text)
    return next(iter(known), "")


def _phrase_step(
    ctx: _Doc, tokens: list[_Token], k: int, kind: str, governed: bool
) -> tuple[int, bool] | None:
    """Where the next piece of the phrase from token `k` ends, and whether a preposition governs what
    follows it ("о сотрудничестве"); None where the phrase ends."""
    token = tokens[k]
    date = ctx.date_at(token.start)
    if date is not None:
        if kind == "agreement" and date.text.lower().startswith("на "):
            return _index_after(tokens, date.end), False
        return None
    mention = ctx.outermost_at(token.start)
    if mention is not None:
        if not governed and not any(_is_nominal(w, True) for w in TOKEN.findall(mention.text)):
            return None  # "посетит с визитом Туркестанскую область": the verb's object, not the visit's
        return _index_after(tokens, mention.end), False
    if token.text.lower() == "и" and k > 0 and k + 1 < len(tokens):
        joins = ctx.outermost_at(tokens[k - 1].start) and ctx.outermost_at(tokens[k + 1].start)
        return (k + 1, governed) if joins else None  # "форум регионов Беларуси и России"
    if token.text == "«":
        close = next((j for j in range(k + 1, min(k + 12, len(tokens))) if tokens[j].text == "»"), None)
        return (close + 1, False) if close is not None else None
    if token.text.lower() in PREPOSITIONS:
        nxt = tokens[k + 1] if k + 1 < len(tokens) else None
        if nxt and (_is_nominal(nxt.text, False) or ctx.outermost_at(nxt.start)):
            return k + 1, True
        return None
    if not _is_nominal(token.text, not governed):
        return None
    return k + 1, governed and _pos(token.text) != "NOUN"


def _index_after(tokens: list[_Token], offset: int) -> int:
    return next((j for j, t in enumerate(tokens) if t.start >= offset), len(tokens))


def _trailing(token: _Token, ctx: _Doc) -> bool:
    """Words a phrase does not end with: a preposition, "и", an adjective without its noun."""
    low = token.text.lower()
    if low in PREPOSITIONS or low == "и":
        return True
    return _is_adjective(token.text) and ctx.outermost_at(token.start) is None


def _clause(sentence: _Sentence, first: int, last: int) -> tuple[int, int]:
    """Token range of the clause around a phrase, with its relative clause (", который пройдет …");
    a bracketed aside "(АТЭС)" does not end it."""
    tokens = sentence.tokens
    a, b, relative = first, last, False
    while a > 0 and not tokens[a - 1].is_boundary:
        a -= 1
    while b < len(tokens):
        if tokens[b].text == "(":
            b = next((j for j in range(b, len(tokens)) if tokens[j].text == ")"), len(tokens) - 1) + 1
            continue
        if tokens[b].is_boundary:
            if relative or tokens[b].text != "," or b + 1 >= len(tokens) or not tokens[b + 1].has("который"):
                break
            relative = True
        b += 1
    return a, b


def _future_cue(tokens: list[_Token]) -> bool:
    future = _rules().lemmas("future")
    return any(t.has_any(future) for t in tokens)


def _verb_near(
    tokens: list[_Token], a: int, b: int, phrase: _Phrase, lemmas: frozenset[str] | None
) -> int | None:
    """The verb in tokens[a:b] nearest the phrase (one from the list, if given); a relative clause's first."""
    verbs = [
        k
        for k in range(a, b)
        if (k < phrase.first or k >= phrase.last)
        and _tense(tokens[k].text)
        and (lemmas is None or tokens[k].has_any(lemmas))
        and not (k > 0 and tokens[k - 1].text.lower() == "не")
    ]
    relative = [k for k in verbs if any(t.has("который") for t in tokens[phrase.last : k])]
    if relative:
        return relative[0]
    return min(verbs, key=lambda k: min(abs(k - phrase.first), abs(k - phrase.last)), default=None)


def _frame(phrase: _Phrase) -> str | None:
    """Words before the phrase that make it an event ("в ходе визита", "накануне визита"): their value,
    "announced" or "-"; None when there are none."""
    tokens = phrase.sentence.tokens
    for value, items in _rules().words["frame"]:
        at = phrase.first - len(items)
        if at >= 0 and all(tokens[at + k].has(w) for k, w in enumerate(items)):
            return value
    return None


def _is_event_time(date: DateValue) -> bool:
    return date.text.split()[0].lower() not in NOT_EVENT_TIME


def _phrase_date(ctx: _Doc, phrase: _Phrase, clause: tuple[int, int], verb: int | None) -> DateValue | None:
    """A date inside the phrase, else one in its clause next to the phrase or its verb."""
    tokens = phrase.sentence.tokens
    dates = [d for d in ctx.doc.dates if not _is_term(d, phrase)]
    inside = [d for d in dates if phrase.start <= d.start and d.end <= phrase.end]
    if inside:
        return inside[0]
    anchors = [(phrase.first, phrase.last)] + ([(verb, verb + 1)] if verb is not None else [])
    best: tuple[tuple[int, bool], DateValue] | None = None
    sentence = phrase.sentence
    for date in dates:
        if not (sentence.start <= date.start and date.end <= sentence.end):
            continue
        a, b = _index_after(tokens, date.start), _index_after(tokens, date.end)
        if a < clause[0] or b > clause[1] or not _is_event_time(date):
            continue
        gap = min(max(x - b, a - y, 0) for x, y in anchors)
        rank = (gap, date.from_ is None and date.partial is None)  # "в минувшую среду 12 мая": the day
        if gap <= DATE_REACH and (best is None or rank < best[0]):
            best = (rank, date)
    return best[1] if best else None


def _after_published(date: DateValue | None, ctx: _Doc) -> bool:
    published = ctx.doc.published
    return bool(date and date.from_ and published and date.from_ > published[:10])


def _set_date(event: Event, date: DateValue | None) -> None:
    """Copy a date that says something (not "во вторник" without a publication date)."""
    if date is not None and (date.from_ or date.partial):
        event.from_, event.to, event.partial = date.from_, date.to, date.partial
        event.date_basis = "text"


def _phrase_event(ctx: _Doc, phrase: _Phrase, **fields: object) -> Event:
    sentence = phrase.sentence
    name = ctx.text[sentence.tokens[phrase.name_first].start : phrase.end]
    event = Event(
        id="",
        type=phrase.type,
        name=normalize(name, "EVENT"),
        status="happened",
        from_=None,
        to=None,
        start=sentence.start,
        end=sentence.end,
    )
    for key, value in fields.items():
        setattr(event, key, value)
    return event


def _announced_kind(ctx: _Doc, phrase: _Phrase) -> Event | None:
    """A referendum, summit, visit … when something shows it is an event; None otherwise."""
    tokens = phrase.sentence.tokens
    a, b = _clause(phrase.sentence, phrase.first, phrase.last)
    event_verb = _verb_near(tokens, a, b, phrase, _rules().lemmas("verb"))
    date = _phrase_date(ctx, phrase, (a, b), event_verb)
    frame = _frame(phrase)
    planned = _future_cue(tokens[max(a, phrase.first - DATE_REACH) : min(b, phrase.last + DATE_REACH)])
    if phrase.cue is None and event_verb is None and frame is None and date is None and not planned:
        return None
    verb = event_verb if event_verb is not None else _verb_near(tokens, a, b, phrase, None)
    date = date or _phrase_date(
        ctx, phrase, (a, b), verb
    )  # "С 8 по 13 октября патриарх … находится с визитом"
    future = _future_cue(tokens[a:b]) or frame == "announced"
    tense = _tense(tokens[verb].text) if verb is not None else None
    event = _phrase_event(
        ctx,
        phrase,
        status=phrase.cue if phrase.cue in STATUSES else _status(tense, future, _after_published(date, ctx)),
        place=_phrase_place(ctx, phrase) or _place(ctx, phrase.sentence, phrase.start, _span(tokens, a, b)),
        participants=_phrase_people(ctx, phrase),
        organizations=_unique(m.entity for m in ctx.mentions_in(phrase.start, phrase.end, "ORG")),
    )
    _set_date(event, date)
    return event


def _status(tense: str | None, future: bool, after_published: bool) -> str:
    """A date after publication or a future tense announces; a past or present one ("открывается")
    reports; without either, words like "планируется" announce."""
    if after_published or tense == "futr":
        return "announced"
    if tense in ("past", "pres"):
        return "happened"
    return "announced" if future else "happened"


def _phrase_people(ctx: _Doc, phrase: _Phrase) -> list[str]:
    """People named in the phrase ("визит Эммануэля Макрона"); for a visit without one, the subject
    nearest it: a person named in the nominative ("Олжас Бектенов 20 января посетит с рабочим визитом")."""
    inside = _unique(m.entity for m in ctx.mentions_in(phrase.start, phrase.end, "PER"))
    if inside or phrase.type != "visit":
        return inside
    subjects = [m for m in ctx.free_mentions(phrase.sentence, "PER") if m.text == m.normal]
    nearest = min(
        subjects, key=lambda m: min(abs(m.start - phrase.end), abs(m.end - phrase.start)), default=None
    )
    return [nearest.entity] if nearest and nearest.entity else []


def _span(tokens: list[_Token], a: int, b: int) -> tuple[int, int]:
    """Character span of tokens[a:b]."""
    return tokens[a].start, tokens[b - 1].end


def _phrase_place(ctx: _Doc, phrase: _Phrase) -> str | None:
    """A place after "в" inside the phrase: "визит в Украину", "по созданию в Алматы …"."""
    tokens = phrase.sentence.tokens
    for k in range(phrase.head + 1, phrase.last):
        if tokens[k - 1].text.lower() in ("в", "во"):
            mention = next(
                (
                    m
                    for m in ctx.mentions_in(tokens[k].start, phrase.end, "LOC")
                    if m.start == tokens[k].start
                ),
                None,
            )
            if mention is not None:
                return mention.entity
    return None


def _agreement(ctx: _Doc, phrase: _Phrase) -> Event | None:
    """ "Рамочного документа о сотрудничестве … на 2026–2030 годы", "подписали соглашение о …"."""
    tokens = phrase.sentence.tokens
    a, b = _clause(phrase.sentence, phrase.first, phrase.last)
    sign = _verb_near(tokens, a, b, phrase, _rules().lemmas("sign"))
    complement = any(t.text.lower() in COMPLEMENT for t in tokens[phrase.head + 1 : phrase.last])
    if _preceded_by(phrase, "по") or not (sign is not None or complement or phrase.compound):
        return None
    planned = sign is not None and (_tense(tokens[sign].text) in ("futr", "infn") or _future_cue(tokens[a:b]))
    people = ctx.free_mentions(phrase.sentence, "PER") if sign is not None else []
    orgs = ctx.free_mentions(phrase.sentence, "ORG") if sign is not None else []
    event = _phrase_event(
        ctx,
        phrase,
        status="announced" if planned or phrase.cue == "announced" else "happened",
        participants=_unique(m.entity for m in people),
        organizations=_unique(m.entity for m in orgs + ctx.mentions_in(phrase.start, phrase.end, "ORG")),
    )
    date = _phrase_date(ctx, phrase, (a, b), sign) if sign is not None else _inside_date(ctx, phrase)
    _set_date(event, date)
    if event.date_basis is None and sign is not None and not planned and ctx.doc.published:
        event.from_ = event.to = ctx.doc.published[:10]
        event.date_basis = "published"
    return event


def _inside_date(ctx: _Doc, phrase: _Phrase) -> DateValue | None:
    inside = (d for d in ctx.doc.dates if phrase.start <= d.start and d.end <= phrase.end)
    return next((d for d in inside if not _is_term(d, phrase)), None)


def _is_term(date: DateValue, phrase: _Phrase) -> bool:
    """ "Рамочный документ … на 2026–2030 годы": how long it runs, part of its name, not when it was made."""
    inside = phrase.start <= date.start and date.end <= phrase.end
    return inside and date.text.lower().startswith("на ")


def _preceded_by(phrase: _Phrase, word: str) -> bool:
    return phrase.first > 0 and phrase.sentence.tokens[phrase.first - 1].text.lower() == word


def _initiative(ctx: _Doc, phrase: _Phrase) -> Event | None:
    """ "инициативы Президента Токаева о создании Международной водной организации"; not "по инициативе"."""
    tokens = phrase.sentence.tokens
    prep = next(
        (k for k in range(phrase.head + 1, phrase.last) if tokens[k].text.lower() in PREPOSITIONS), None
    )
    if prep is None or tokens[prep].text.lower() not in COMPLEMENT or _preceded_by(phrase, "по"):
        return None
    between = ctx.mentions_in(tokens[phrase.head].end, tokens[prep].start)
    sponsor = next((m for m in between if m.type == "PER"), between[0] if between else None)
    targets = sorted(
        ctx.mentions_in(tokens[prep].start, phrase.end, "ORG"), key=lambda m: (m.start, m.start - m.end)
    )
    status = "announced" if phrase.cue == "announced" or _future_cue(tokens) else "happened"
    return _phrase_event(
        ctx,
        phrase,
        status=status,
        place=_phrase_place(ctx, phrase),
        participants=[sponsor.entity] if sponsor and sponsor.type == "PER" and sponsor.entity else [],
        organizations=[targets[0].entity] if targets and targets[0].entity else [],
        sponsor=sponsor.entity if sponsor else None,
    )


BUILDERS = {"agreement": _agreement, "initiative": _initiative}


def _noun_events(ctx: _Doc) -> list[Event]:
    """Events named by a noun phrase; their phrases are marked taken."""
    out = []
    for sentence in ctx.sentences:
        for first, head, kind in sorted(_heads(sentence)):
            token = sentence.tokens[head]
            if ctx.is_taken(token.start, token.end) or ctx.outermost_at(token.start) is not None:
                continue
            phrase = _phrase(ctx, sentence, first, head, kind)
            event = BUILDERS.get(kind, _announced_kind)(ctx, phrase)
            if event is not None:
                out.append(event)
                ctx.taken.append((phrase.start, phrase.end))
    return out


# ---------------------------------------------------------------- merging and the stage


def _name_key(name: str) -> set[str]:
    words = (w for w in TOKEN.findall(name) if w[:1].isalnum() and len(w) > 2)
    return {min(_lemmas(w)) for w in words}


def _merge_noun_events(events: list[Event]) -> list[Event]:
    """One event per thing: the same type and one name's words within the other's."""
    out: list[Event] = []
    for event in events:
        key = _name_key(event.name)
        same = next(
            (
                o
                for o in out
                if o.type == event.type and (key <= _name_key(o.name) or _name_key(o.name) <= key)
            ),
            None,
        )
        if same is None:
            out.append(event)
        else:
            _absorb(same, event)
    return out


def _absorb(kept: Event, other: Event) -> None:
    """Fill what `kept` lacks from a later mention of the same event."""
    if len(other.name) > len(kept.name):
        kept.name = other.name
    if kept.date_basis != "text" and other.date_basis == "text":
        kept.from_, kept.to, kept.partial, kept.date_basis = other.from_, other.to, other.partial, "text"
    if other.status == "announced":
        kept.status = "announced"
    kept.place = kept.place or other.place
    kept.sponsor = kept.sponsor or other.sponsor
    kept.participants = _unique(kept.participants + other.participants)
    kept.organizations = _unique(kept.organizations + other.organizations)


def _agreements_at_meetings(events: list[Event], meetings: list[_Meeting]) -> None:
    """An agreement named in a sentence about a meeting ("В ходе встречи стороны обсудили приоритетные
    направления Рамочного документа …") is between the meeting's organisations too."""
    for event in events:
        meeting = next((m for m in meetings if event.start in m.at), None)
        if event.type == "agreement" and meeting is not None:
            event.organizations = _unique(event.organizations + meeting.event.organizations)


def find_events(doc: Document) -> Document:
    """Stage: needs `mentions`, `entities`, `dates` (and `published`); fills `doc.events`."""
    ctx = _Doc(doc)
    nouns = _noun_events(ctx)  # first: their phrases are no meeting's people, places or dates
    meetings = _meetings(ctx)
    _agreements_at_meetings(nouns, meetings)
    found = _finish_meetings(meetings, ctx) + _merge_noun_events(nouns)
    events = sorted(found, key=lambda e: (e.start, e.type not in MEETING_TYPES))
    for number, event in enumerate(events, start=1):
        event.id = f"v{number}"
    doc.events = list(events)
    return doc
