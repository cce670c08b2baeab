"""Pronouns, role phrases and sides of talks -> the entities they refer to: the `coref` stage.

Conservative on purpose: a wrong link is worse than none.
- "он"/"она" and "его"/"ее" as objects go to the most salient preceding person of the same
  gender (nearest sentence first, subjects before others), at most two sentences back, unless a
  noun of that gender opens a clause in between ("Реформа …, она направлена"), two people tie, or
  the person is no subject and an unresolved "он" of that gender stands in their sentence or after
  it ("он был задержан по подозрению в покушении на Анатолия Чубайса. Он отсидел" is not Чубайс).
- A possessive "его"/"ее" is resolved only in "по ее словам"-like phrases ("ее центральной роли"
  is the organisation's).
- A role phrase in the nominative with a past-tense verb of its own ("подчеркнул глава МИД")
  goes to the one person the document gives that distinctive post ("Президент" -> Токаев), else
  to the latest person named as a subject in an earlier sentence whom it fits (the verb's gender,
  no clashing post), else, with nobody before, to the first person named after it as a subject,
  not as a genitive dependent ("инициативы Президента Касым-Жомарта Токаева"). Anonymous roles
  ("неназванный представитель") and statements about an office ("избирается") stay unresolved, and
  so does a role after "его"/"ее" of its sentence resolved to the candidate ("По его словам, …
  председатель КГБ угрожал" is someone else).
- A side of talks named by a country's adjective ("казахстанская сторона", "с российской стороны";
  grammars/country_sides.tsv) is the country: the LOC or ORG entity the document names it by
  ("Казахстан", "Республика Казахстан"), the mention nearest before it, else the first after. Not the
  person leading the side: who that is the text seldom says. Never resolved when the document names
  no such country, or two the adjective may mean ("корейская": Республика Корея and КНДР); "стороны"
  in the plural ("казахстанская и российская стороны") is left alone.
- Nothing inside direct speech is resolved.
A person's gender comes from the name (pymorphy3 Name/Surn/Patr tags, trusted only for known
words and guessed Russian surnames) and from the past-tense verbs it agrees with ("отметила").
A name is a subject when written in its normal form, one the entity's name holds or a nominative
could be ("Ортеги" of "Ортега", left unnormalised, is not), and no preposition comes before it.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache, partial
from itertools import compress, count, product
from operator import attrgetter, methodcaller
from pathlib import Path

from letopis.model import Document, Mention
from letopis.nlp.grammars.titles import Chain, chain_span, is_name, is_role_phrase, title_chains
from letopis.nlp.grammars.tokens import DASHES, Token, sentence_index, sentence_spans
from letopis.nlp.lemmas import lemma
from letopis.nlp.models import is_known, parses
from letopis.nlp.speech import direct_speech_spans, is_speech_noun

PRONOUN_GENDER = {
    "он": "masc", "его": "masc", "ему": "masc", "него": "masc", "нему": "masc",
    "она": "femn", "ее": "femn", "ей": "femn", "ею": "femn", "нее": "femn", "ней": "femn", "нею": "femn",
}  # fmt: skip
NOMINATIVE = frozenset({"он", "она"})
POSSESSIVE = frozenset({"его", "ее"})
PREPOSITIONS = frozenset(
    {"с", "со", "к", "ко", "о", "об", "у", "для", "от", "по", "при", "на", "в", "во", "за"}
)
CLAUSE_OPENERS = frozenset({",", "и", "а", "но", ";", ":"}) | DASHES
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# Posts a document rarely gives two people: a bare "Президент" is the president named in it.
DISTINCTIVE_POSTS = frozenset(
    {"президент", "премьер-министр", "премьер", "канцлер", "король", "госсекретарь", "генсек",
     "губернатор", "мэр", "аким", "посол", "пресс-секретарь", "спикер", "министр", "вице-президент",
     "вице-премьер", "генпрокурор", "омбудсмен", "полпред", "постпред", "уполномоченный"}
)  # fmt: skip
# Heads that name any leader: "глава МИД" may be the "министр" named before.
GENERIC_POSTS = frozenset({"глава", "руководитель", "лидер", "начальник"})
# Posts of people who speak or act for someone else: not the person named before, unless they hold it.
THIRD_PARTY_POSTS = frozenset(
    {"представитель", "спецпредставитель", "помощник", "советник", "заместитель", "зам", "референт"}
)
ANONYMOUS = frozenset({"неназванный", "анонимный", "некий", "некоторый", "один", "другой", "какой-то"})
PRONOUN_REACH = 2  # sentences back
ROLE_REACH = 4
CATAPHORA_REACH = 3
# Tokens from a name to the verb it agrees with: "Макгирт после известия о смерти Дадашева заявил".
VERB_REACH = 7
NAME_TAGS = ("Name", "Surn", "Patr")
SIDES_FILE = Path(__file__).parent / "grammars" / "country_sides.tsv"
SIDE_NOUN = "сторона"
SIDE_NOUN_STEM = "сторон"  # what every form of SIDE_NOUN starts with
COUNTRY_TYPES = frozenset({"LOC", "ORG"})


@dataclass
class _Ref:
    """A place in the text that names a person."""

    start: int
    end: int
    entity: str
    sentence: int
    subject: bool


# ---------------------------------------------------------------- words


@lru_cache(maxsize=50_000)
def past_gender(word: str) -> str | None:
    """The gender of a singular past-tense verb ("отметила" -> femn), else None."""
    options = parses(word.lower())
    if not options or options[0].tag.POS != "VERB" or options[0].tag.tense != "past":
        return None
    return options[0].tag.gender if options[0].tag.number == "sing" else None


@lru_cache(maxsize=50_000)
def name_gender(word: str) -> str | None:
    """The gender of one word of a name in the nominative, when the dictionary is sure."""
    low = word.lower()
    known = is_known(low)
    genders = set()
    for parse in parses(low):
        tag = parse.tag
        if tag.case != "nomn" or tag.number != "sing" or not any(t in tag.grammemes for t in NAME_TAGS):
            continue
        if known or "Surn" in tag.grammemes:
            genders.add(tag.gender)
    return genders.pop() if len(genders) == 1 else None


@lru_cache(maxsize=50_000)
def _thing_gender(word: str, any_case: bool) -> str | None:
    """The gender of an inanimate singular noun, likely nominative unless `any_case` ("Реформа")."""
    options = [p for p in parses(word.lower()) if p.tag.POS == "NOUN" and (any_case or p.tag.case == "nomn")]
    if not options or "anim" in options[0].tag.grammemes or options[0].tag.number != "sing":
        return None
    if sum(p.score for p in options) < 0.5:
        return None
    return options[0].tag.gender


@lru_cache(maxsize=50_000)
def _is_verb(word: str) -> bool:
    """True when the word's likeliest reading is a verb form: "его пытали", "ее встретили"."""
    options = parses(word.lower())
    return bool(options) and options[0].tag.POS in ("VERB", "INFN", "PRTS", "GRND")


def _fold(text: str) -> str:
    return text.lower().replace("ё", "е")


@cache
def _pronoun_spellings() -> frozenset[str]:
    """Every token text whose `_fold` is a pronoun of PRONOUN_GENDER ("Он", "ЕЁ", "её" …): coref looks
    at every word of a document for a pronoun, and a set needs no folded copy of each.

    A token's letters are Russian or Latin (`tokenize`): the only ones folding to a pronoun's letter
    are the letter, its capital and, for "е", also "ё" and "Ё"."""
    letters = {"е": "еЕёЁ"}
    return frozenset(
        "".join(spelling)
        for pronoun in PRONOUN_GENDER
        for spelling in product(*(letters.get(letter, letter + letter.upper()) for letter in pronoun))
    )


@lru_cache(maxsize=50_000)
def _may_be_nominative(word: str) -> bool:
    """True when a word of a name may be in the nominative singular ("людмила", not "ортеги")."""
    return any(p.tag.case == "nomn" and p.tag.number != "plur" for p in parses(word))


@cache
def country_sides() -> dict[str, tuple[frozenset[str], ...]]:
    """grammars/country_sides.tsv: {adjective lemma: the names of each country it may mean}."""
    sides: dict[str, list[frozenset[str]]] = {}
    for line in SIDES_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            adjective, names = line.split("\t")
            sides.setdefault(adjective, []).append(frozenset(map(_fold, names.split("|"))))
    return {adjective: tuple(countries) for adjective, countries in sides.items()}


@lru_cache(maxsize=50_000)
def _side_adjective(word: str) -> dict[str, frozenset[str]]:
    """{lemma: cases} of a country's adjective in the feminine singular ("казахстанской")."""
    found: dict[str, set[str]] = {}
    for parse in parses(word.lower()):
        tag, normal = parse.tag, parse.normal_form.replace("ё", "е")
        # The lemma first: most words are no country's adjective, and a tag's grammemes cost more.
        if normal in country_sides() and tag.POS == "ADJF" and tag.number == "sing" and tag.gender == "femn":
            found.setdefault(normal, set()).add(tag.case)
    return {normal: frozenset(cases) for normal, cases in found.items()}


@lru_cache(maxsize=50_000)
def _side_noun_cases(word: str) -> frozenset[str]:
    """The cases of "сторона" in the singular the word may be ("стороны": gent), else none."""
    return frozenset(
        p.tag.case
        for p in parses(word.lower())
        if p.tag.POS == "NOUN" and p.normal_form == SIDE_NOUN and p.tag.number == "sing"
    )


def side_phrases(tokens: Sequence[Token]) -> list[tuple[int, int, str]]:
    """(start, end, adjective lemma) of "казахстанская сторона", "с российской стороны" …"""
    found = []
    # Only the words before a form of "сторона" visited, picked by `map` and `compress` without a
    # Python step per word: every form of it starts with "сторон", and coref reads every word.
    nouns = map(
        methodcaller("startswith", SIDE_NOUN_STEM), map(str.lower, map(attrgetter("text"), tokens[1:]))
    )
    for index in compress(count(), nouns):
        first, second = tokens[index], tokens[index + 1]
        cases = _side_noun_cases(second.text)
        for normal, adjective_cases in _side_adjective(first.text).items():
            if adjective_cases & cases:
                found.append((first.start, second.end, normal))
                break
    return found


# ---------------------------------------------------------------- the document's people


class _People:
    """Persons of one document: their genders, posts, and where they are named."""

    def __init__(self, doc: Document, tokens: Sequence[Token], chains: list[Chain]) -> None:
        self.doc = doc
        self.tokens = tokens
        self.token_starts = list(map(attrgetter("start"), tokens))
        self.starts = dict(zip(self.token_starts, count()))
        self.ends = dict(zip(map(attrgetter("end"), tokens), count()))
        self.sentences = sentence_spans(doc.text)
        self.posts: dict[str, set[str]] = {}
        self.oblique_names: set[int] = set()
        for chain in chains:
            if chain.person is not None and chain.person.entity:
                self.posts.setdefault(chain.person.entity, set()).update(t.lemma for t in chain.titles)
                if not chain.after_name and not any("nomn" in t.cases for t in chain.titles):
                    self.oblique_names.add(chain.person.start)
        self.entity_names = {e.id: _fold(e.name) for e in doc.entities}
        names = [m for m in doc.mentions if is_name(m) and m.entity]
        subjects = list(map(self.is_subject, names))
        self.genders = self._genders(names, subjects)
        self.refs = sorted(
            (
                _Ref(m.start, m.end, m.entity, self.sentence(m.start), subject)
                for m, subject in zip(names, subjects, strict=True)
            ),
            key=lambda r: r.start,
        )

    def tokens_between(self, start: int, end: int) -> Sequence[Token]:
        """The tokens lying wholly within [start, end)."""
        first = bisect.bisect_left(self.token_starts, start)
        last = bisect.bisect_left(self.token_starts, end)
        return [t for t in self.tokens[first:last] if t.end <= end]

    def sentence(self, offset: int) -> int:
        """The index of the sentence holding `offset`."""
        return sentence_index(self.sentences, offset) if self.sentences else 0

    def word_before(self, offset: int) -> str:
        """The lower-cased token before the one starting at `offset`."""
        index = self.starts.get(offset)
        return self.tokens[index - 1].text.lower() if index else ""

    def is_subject(self, mention: Mention) -> bool:
        """A name in its nominative form, not after a preposition or an oblique title."""
        if mention.start in self.oblique_names or not self._as_named(mention):
            return False
        return self.word_before(mention.start) not in PREPOSITIONS

    def _as_named(self, mention: Mention) -> bool:
        """Written as its normal form ("Балахничев" of "Балахничёв" too), which the entity's name
        holds or a nominative could be: not "Ортеги" of "Ортега" (a genitive left unnormalised)."""
        text = _fold(mention.text)
        if text != _fold(mention.normal):
            return False
        words = WORD.findall(text)
        return set(words) <= set(WORD.findall(self.entity_names.get(mention.entity or "", ""))) or (
            bool(words) and _may_be_nominative(words[-1])
        )

    def _genders(self, names: list[Mention], subjects: list[bool]) -> dict[str, str | None]:
        """Each person's gender by the words of their name and the verbs their subject names agree with."""
        votes: dict[str, Counter[str]] = {}
        for entity in self.doc.entities:
            if entity.type == "PER":
                votes[entity.id] = Counter(g for g in map(name_gender, entity.name.split()) if g)
        for mention, subject in zip(names, subjects, strict=True):
            gender = self.verb_gender(mention.start, mention.end) if subject else None
            if gender and mention.entity in votes:
                votes[mention.entity][gender] += 2
        out: dict[str, str | None] = {}
        for entity, counter in votes.items():
            ranked = counter.most_common(2)
            tie = len(ranked) == 2 and ranked[0][1] == ranked[1][1]
            out[entity] = ranked[0][0] if ranked and not tie else None
        return out

    def verb_gender(self, start: int, end: int) -> str | None:
        """Gender of the past-tense verb a subject at [start, end) agrees with, before or after it."""
        index = self.ends.get(end)
        if index is not None:
            previous = end
            for token in self.tokens[index + 1 : index + 1 + VERB_REACH]:
                # A mark or a line break ends the clause: a headline's name is not the subject below.
                if not token.text[0].isalpha() or "\n" in self.doc.text[previous : token.start]:
                    break
                gender = past_gender(token.text)
                if gender:
                    return gender
                previous = token.end
        index = self.starts.get(start)
        if index:
            return past_gender(self.tokens[index - 1].text)
        return None


# ---------------------------------------------------------------- resolution


class _Resolver:
    """Walks pronouns and role phrases in text order, linking each to a person or leaving it."""

    def __init__(self, doc: Document, people: _People, speech: list[tuple[int, int]]) -> None:
        self.doc = doc
        self.people = people
        # The speech spans merged where they overlap, for `in_speech` to look one up by `bisect`.
        self.speech_starts: list[int] = []
        self.speech_ends: list[int] = []
        for start, end in sorted(speech):
            if self.speech_ends and start <= self.speech_ends[-1]:
                self.speech_ends[-1] = max(self.speech_ends[-1], end)
            elif start < end:
                self.speech_starts.append(start)
                self.speech_ends.append(end)
        # People named inside quotations are not what the narrative's pronouns point back to.
        self.refs = [r for r in people.refs if not self.in_speech(r.start)]
        self.added: list[Mention] = []

    def in_speech(self, offset: int) -> bool:
        """True when `offset` lies in direct speech; asked of every token between a pronoun and its person."""
        index = bisect.bisect_right(self.speech_starts, offset) - 1
        return index >= 0 and offset < self.speech_ends[index]

    def link(self, start: int, end: int, entity: str, subject: bool) -> None:
        found = next(e for e in self.doc.entities if e.id == entity)
        surface = self.doc.text[start:end]
        kind = "pronoun" if _fold(surface) in PRONOUN_GENDER else "role"
        self.added.append(Mention(start, end, surface, found.type, found.name, entity, kind))
        if found.type == "PER":
            self.refs.append(_Ref(start, end, entity, self.people.sentence(start), subject))
            self.refs.sort(key=lambda r: r.start)

    def candidates(self, start: int, reach: int, gender: str | None) -> list[_Ref]:
        """Persons named before `start`, at most `reach` sentences back, of a fitting gender, best first."""
        here = self.people.sentence(start)
        found = []
        for ref in self.refs:
            if ref.end > start or here - ref.sentence > reach:
                continue
            known = self.people.genders.get(ref.entity)
            if gender and known and known != gender:
                continue
            found.append(ref)
        # Nearest sentence first, then people whose gender is known, then subjects, then the latest.
        return sorted(
            found,
            key=lambda r: (
                here - r.sentence,
                self.people.genders.get(r.entity) is None,
                not r.subject,
                -r.start,
            ),
        )

    def best(self, ranked: list[_Ref]) -> _Ref | None:
        """The first candidate, unless a different person ties with it."""
        if not ranked:
            return None
        first = ranked[0]
        for other in ranked[1:]:
            if other.entity == first.entity:
                continue
            if other.sentence == first.sentence and other.subject == first.subject and first.subject:
                return None
            break
        return first

    def pronoun(self, index: int) -> None:
        """Link "он", "ее", "ему" … to a person, or leave it."""
        token = self.people.tokens[index]
        word = token.text.lower().replace("ё", "е")
        possessive = self._possessive(index)
        if possessive and not self._names_speaker(index):
            return
        gender = PRONOUN_GENDER[word]
        ref = self.best(self.candidates(token.start, PRONOUN_REACH, gender))
        if ref is None:
            return
        if not possessive and self.blocked(ref.end, token.start, gender, strict=word not in NOMINATIVE):
            return
        if not ref.subject and self._unresolved_pronoun(
            self.people.sentences[ref.sentence][0], token.start, gender
        ):
            return
        # The one "по ее словам" names is the speaker: as salient as a subject.
        self.link(token.start, token.end, ref.entity, word in NOMINATIVE or possessive)

    def _unresolved_pronoun(self, start: int, end: int, gender: str) -> bool:
        """An "он"/"она" of that gender in narrative in [start, end), left unresolved: the subject
        the text goes on about is someone else."""
        linked = {r.start for r in self.refs}
        return any(
            _fold(t.text) in NOMINATIVE
            and PRONOUN_GENDER[_fold(t.text)] == gender
            and t.start not in linked
            and not self.in_speech(t.start)
            for t in self.people.tokens_between(start, end)
        )

    def _possessive(self, index: int) -> bool:
        """ "его"/"ее" before a word that is not a verb: "ее центральной роли", "по его словам"."""
        tokens = self.people.tokens
        word = tokens[index].text.lower().replace("ё", "е")
        following = tokens[index + 1].text if index + 1 < len(tokens) else ""
        return word in POSSESSIVE and following[:1].isalpha() and not _is_verb(following)

    def _names_speaker(self, index: int) -> bool:
        """ "по ее словам", "по его мнению"."""
        tokens = self.people.tokens
        if index == 0 or index + 1 >= len(tokens) or tokens[index - 1].text.lower() != "по":
            return False
        return is_speech_noun(tokens[index + 1].text)

    def blocked(self, start: int, end: int, gender: str, strict: bool) -> bool:
        """True when a thing of the pronoun's gender stands between it and the person, outside
        quotations (what a quotation speaks of is not what the narrative's pronoun points back to).

        For "он"/"она" that is a noun opening a clause ("Реформа …, она направлена"); for the
        other forms ("из него", "ей") any singular inanimate noun of that gender.
        """
        tokens = [t for t in self.people.tokens_between(start, end) if not self.in_speech(t.start)]
        for previous, token in zip([None, *tokens], tokens, strict=False):
            opens = previous is None or previous.text in CLAUSE_OPENERS or previous.text in ".!?«"
            if (opens or strict) and _thing_gender(token.text, strict) == gender:
                return True
        return False

    def role(self, start: int, end: int, posts: set[str]) -> None:
        """Link a role phrase ("глава МИД") to a person, or leave it."""
        gender = self.people.verb_gender(start, end)
        if gender is None:
            return  # no past-tense verb of its own: often a statement about the office, not a person
        ref = self.holder(posts, gender) or self.preceding_subject(start, gender, posts)
        ref = ref or self.following(end, gender, posts)
        if ref is not None and not self._pronoun_before(start, ref.entity):
            self.link(start, end, ref.entity, True)
            self.people.posts.setdefault(ref.entity, set()).update(posts)

    def _pronoun_before(self, start: int, entity: str) -> bool:
        """The person is "его"/"ее" earlier in the sentence ("По его словам", "Его встретил"): a role
        after it is someone else."""
        here = self.people.sentence(start)
        return any(
            m.entity == entity
            and _fold(m.text) in POSSESSIVE
            and m.start < start
            and self.people.sentence(m.start) == here
            for m in self.added
        )

    def side(self, start: int, end: int, adjective: str) -> None:
        """Link "казахстанская сторона" to the country the document names, or leave it."""
        countries = [c for c in map(self._country_mentions, country_sides()[adjective]) if c]
        if len(countries) != 1:
            return  # no such country named, or two the adjective may mean
        before = [m for m in countries[0] if m.end <= start]
        chosen = before[-1] if before else countries[0][0]
        if chosen.entity:
            self.link(start, end, chosen.entity, False)

    def _country_mentions(self, names: frozenset[str]) -> list[Mention]:
        """Mentions, in text order, of the LOC/ORG entities called by one of the country's names."""
        entities = {
            e.id
            for e in self.doc.entities
            if e.type in COUNTRY_TYPES and any(_fold(n) in names for n in [e.name, *e.aliases])
        }
        return sorted((m for m in self.doc.mentions if m.entity in entities), key=lambda m: m.start)

    def holder(self, posts: set[str], gender: str | None) -> _Ref | None:
        """The one person of the document named with this distinctive post ("Президент" -> Токаев)."""
        distinctive = posts & DISTINCTIVE_POSTS
        holders = {e for e, held in self.people.posts.items() if distinctive & held}
        if len(holders) != 1:
            return None
        entity = holders.pop()
        known = self.people.genders.get(entity)
        if gender and known and known != gender:
            return None
        return next((r for r in self.refs if r.entity == entity), None)

    def preceding_subject(self, start: int, gender: str | None, posts: set[str]) -> _Ref | None:
        """The latest person named as a subject in an earlier sentence, if the role fits them."""
        here = self.people.sentence(start)
        # Not a person of its own sentence: "Керри спросит, как глава подполья мог …" is someone else.
        ranked = [
            r
            for r in self.candidates(start, ROLE_REACH, gender)
            if r.sentence != here and r.subject and self.fits(r.entity, posts)
        ]
        if posts <= THIRD_PARTY_POSTS:  # "официальный представитель ведомства" speaks for someone else
            ranked = [r for r in ranked if posts & self.people.posts.get(r.entity, set())]
        return self.best(ranked)

    def following(self, end: int, gender: str | None, posts: set[str]) -> _Ref | None:
        """Cataphora: the first person named after a role phrase, as a subject, of a fitting gender."""
        here = self.people.sentence(end)
        if posts <= THIRD_PARTY_POSTS:
            return None
        for ref in self.refs:
            # In its own sentence a later name is someone else: "представитель заявил, что Ли Джэён …".
            if ref.start < end or not ref.subject or not 0 < ref.sentence - here <= CATAPHORA_REACH:
                continue
            known = self.people.genders.get(ref.entity)
            if (gender and known and known != gender) or not self.fits(ref.entity, posts):
                continue
            return ref
        return None

    def fits(self, entity: str, posts: set[str]) -> bool:
        """False when the person is known by another post: a "заместитель" is not the "мэр Москвы".

        "глава"-like heads fit any post ("глава МИД" is a "министр").
        """
        held = self.people.posts.get(entity, set())
        return not held or bool(posts & held) or held <= GENERIC_POSTS or posts <= GENERIC_POSTS


def _is_anonymous(tokens: Sequence[Token], chain: Chain) -> bool:
    """ "неназванный представитель министерства", "один из руководителей": nobody to resolve to."""
    first = chain.titles[0]
    return any(lemma(t.text) in ANONYMOUS for t in tokens[first.first : first.head])


def _referring_phrases(
    tokens: Sequence[Token], chains: list[Chain], resolver: _Resolver
) -> list[tuple[int, int, Callable[[], None]]]:
    """(start, end, resolve) for every role phrase, third-person pronoun and side of talks, in text order."""
    found: list[tuple[int, int, Callable[[], None]]] = []
    for chain in chains:
        if is_role_phrase(chain) and not _is_anonymous(tokens, chain):
            start, end = chain_span(tokens, chain)
            found.append((start, end, partial(resolver.role, start, end, {t.lemma for t in chain.titles})))
    pronouns = map(_pronoun_spellings().__contains__, map(attrgetter("text"), tokens))
    for index in compress(range(len(tokens)), pronouns):
        found.append((tokens[index].start, tokens[index].end, partial(resolver.pronoun, index)))
    for start, end, adjective in side_phrases(tokens):
        found.append((start, end, partial(resolver.side, start, end, adjective)))
    return sorted(found, key=lambda item: item[0])


def resolve_coreference(doc: Document) -> Document:
    """Stage: add mentions for resolved pronouns, role phrases (PER) and sides of talks (LOC/ORG).
    Needs mentions and entities."""
    tokens, chains = title_chains(doc)
    resolver = _Resolver(doc, _People(doc, tokens, chains), direct_speech_spans(doc.text))
    known = {(m.start, m.end) for m in doc.mentions}  # running the stage twice adds nothing twice
    for start, end, resolve in _referring_phrases(tokens, chains, resolver):
        if (start, end) not in known and not resolver.in_speech(start):
            resolve()
    doc.mentions = sorted(doc.mentions + resolver.added, key=lambda m: (m.start, m.end))
    return doc
