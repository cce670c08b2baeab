"""Events: meetings, agreements, initiatives and announced events (referendums, summits, visits …).

The stage `find_events(doc)` needs `mentions`, `entities` and `dates`, and fills `doc.events`.
Word lists are in grammars/events.tsv (read by nlp/event_words.py); the text is read in
nlp/event_text.py, event nouns' phrases in nlp/event_phrases.py, their dates in nlp/event_dates.py
and their places in nlp/event_places.py. Two kinds of evidence:
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

from collections.abc import Iterable
from dataclasses import dataclass, field

from letopis.model import DateValue, Document, Event
from letopis.nlp.event_dates import (
    DATE_REACH,
    _after_published,
    _inside_date,
    _meeting_date,
    _phrase_date,
    _set_date,
)
from letopis.nlp.event_phrases import _frame, _future_cue, _heads, _Phrase, _phrase, _preceded_by, _verb_near
from letopis.nlp.event_places import _phrase_place, _place
from letopis.nlp.event_text import _clause, _Doc, _phrase_at, _Sentence, _span, _Token
from letopis.nlp.event_words import PREPOSITIONS, _is_subject, _lemmas, _pos, _rules, _tense, _Trigger
from letopis.nlp.grammars import word_list
from letopis.nlp.inflect import genitive
from letopis.nlp.models import parses
from letopis.nlp.normal import TOKEN, normalize

GAP, PERSON = "~", "PER"
MAX_GAP = 3  # words a "~" in a pattern lets in between
PERSON_REACH = 7  # words from a verb to the person it takes: "принимает в Белом доме своего коллегу Н."
SPEAKER_REACH = 3  # sentences after a meeting searched for who spoke at it, when it names no one
MEETING_TYPES = ("meeting", "call")
STATUSES = ("announced", "happened")
MEETING_WORDS = {"meeting": "встреча", "call": "телефонный разговор"}
COMPLEMENT = {"о", "об", "по", "между"}  # "соглашение о …", "инициатива по созданию …"


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


def _blocks_object(tokens: list[_Token], k: int) -> bool:
    """An inanimate noun in the accusative ("принял решение"): the verb takes a thing, not a person."""
    options = parses(tokens[k].text.lower()) if tokens[k].text[:1].isalpha() else ()
    if not options:
        return False
    tag = options[0].tag
    if tag.POS != "NOUN" or "anim" in tag.grammemes or tag.case not in ("nomn", "accs"):
        return False
    return not any(_pos(t.text) == "PREP" for t in tokens[max(0, k - 2) : k])


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
    triggers = _rules().triggers
    for index, starts in ctx.starting(triggers.keys()).items():
        sentence = ctx.sentences[index]
        found: dict[str, _Hit] = {}
        for i in starts:
            for lemma in _lemmas(sentence.tokens[i].text):
                for trigger in triggers.get(lemma, []):
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


# ---------------------------------------------------------------- event nouns: agreements, initiatives, …


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
    for index, heads in _heads(ctx).items():
        sentence = ctx.sentences[index]
        for first, head, kind in heads:
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
