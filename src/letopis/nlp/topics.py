"""SDG topics: lemma terms from grammars/sdg.tsv, summed per goal, with the strongest sentence as evidence.

A goal is tagged when its saturated score reaches THRESHOLD and the evidence is more than loose words:
one strong term (weight STRONG), or MIN_TERMS different topical terms (weight TOPICAL). Context terms
(weight 1) only raise the score, so «школа» and «учитель» never make an article about education.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, count
from pathlib import Path

from letopis.model import Document, Topic
from letopis.nlp.grammars.tokens import sentence_spans
from letopis.nlp.lemmas import WORD, lemma
from letopis.nlp.models import morph

SCHEME = "SDG"
LEXICON_PATH = Path(__file__).parent / "grammars" / "sdg.tsv"

SATURATION = 3.0  # score = 1 - exp(-weight / SATURATION): one strong term (3) gives 0.63
THRESHOLD = 0.5  # a floor on the score; with weights 1-3 the evidence rule below is what binds
STRONG = 3.0  # a term this heavy is evidence on its own...
TOPICAL = 2.0  # ...otherwise a goal needs MIN_TERMS different terms this heavy;
MIN_TERMS = 2  # lighter (context) terms only raise the score
MAX_GAP = 2  # words allowed between the words of a term: «прав и возможностей женщин»
REPEAT_BONUS = 0.5  # each repeat of a term adds half its weight...
MAX_REPEATS = 3  # ...up to this many occurrences, so one word said often cannot carry a goal

SIDE_FORMS = {"COMP", "ADJS"}  # «победнее», «чисто»: their lemmas are other words, not forms of this one


@dataclass(frozen=True)
class Term:
    """One lexicon row: a goal, its words as lemmas, and how much a match counts."""

    goal: str
    words: tuple[str, ...]
    weight: float


@dataclass(frozen=True)
class Lexicon:
    """The goals' labels and their terms, indexed by first word (longest, heaviest first)."""

    labels: dict[str, str]
    by_first: dict[str, list[Term]]
    aliases: dict[str, str]


@dataclass(frozen=True)
class Hit:
    """A term matched in one sentence."""

    term: Term
    sentence: int


def find_topics(text: str) -> list[Topic]:
    """SDG goals the text is about, strongest first, each with its best evidence sentence."""
    lexicon = load_lexicon()
    spans = sentence_spans(text)
    hits = [
        hit for i, (start, end) in enumerate(spans) for hit in _sentence_hits(text[start:end], i, lexicon)
    ]
    topics = []
    for goal, goal_hits in _by_goal(hits).items():
        counts = Counter(hit.term for hit in goal_hits)
        score = _score(counts)
        if score < THRESHOLD or not _enough_evidence(counts):
            continue
        start, end = spans[_best_sentence(goal_hits)]
        topics.append(Topic(SCHEME, goal, lexicon.labels[goal], round(score, 2), start, end))
    return sorted(topics, key=lambda t: (-t.score, int(t.code)))


def tag_topics(doc: Document) -> Document:
    """Pipeline stage: fills `doc.topics` with SDG goals found in `doc.text`."""
    doc.topics = find_topics(doc.text)
    return doc


def _sentence_hits(sentence: str, index: int, lexicon: Lexicon) -> Iterator[Hit]:
    words = _keys(sentence, lexicon)
    used: set[int] = set()
    # Only words that start a term, picked by `compress` without a Python step per word.
    for i in compress(count(), map(lexicon.by_first.__contains__, words)):
        if i in used:
            continue
        for term in lexicon.by_first[words[i]]:
            positions = _match(term.words, words, i, used)
            if positions:
                used.update(positions)
                yield Hit(term, index)
                break


def _key(token: str, lexicon: Lexicon) -> str:
    word = lemma(token)
    return lexicon.aliases.get(word, word)


def _keys(sentence: str, lexicon: Lexicon) -> list[str]:
    """`_key` of each word of the sentence, by `map` without a Python call or step per word: topics
    read every word of every document."""
    lemmas = list(map(lemma, WORD.findall(sentence)))
    return list(map(lexicon.aliases.get, lemmas, lemmas))


def _match(term: tuple[str, ...], words: list[str], start: int, used: set[int]) -> list[int] | None:
    """Positions of the term's words from `start`, each within MAX_GAP words of the previous one."""
    positions = [start]
    for word in term[1:]:
        last = positions[-1]
        window = range(last + 1, min(last + 2 + MAX_GAP, len(words)))
        found = next((k for k in window if words[k] == word and k not in used), None)
        if found is None:
            return None
        positions.append(found)
    return positions


def _by_goal(hits: list[Hit]) -> dict[str, list[Hit]]:
    grouped: dict[str, list[Hit]] = defaultdict(list)
    for hit in hits:
        grouped[hit.term.goal].append(hit)
    return grouped


def _score(counts: Counter[Term]) -> float:
    weight = sum(t.weight * (1 + REPEAT_BONUS * (min(n, MAX_REPEATS) - 1)) for t, n in counts.items())
    return 1 - math.exp(-weight / SATURATION)


def _enough_evidence(counts: Counter[Term]) -> bool:
    weights = [t.weight for t in counts]
    return max(weights) >= STRONG or sum(w >= TOPICAL for w in weights) >= MIN_TERMS


def _best_sentence(hits: list[Hit]) -> int:
    """The sentence with the most weight for the goal; the earliest on a tie."""
    weights: Counter[int] = Counter()
    for hit in hits:
        weights[hit.sentence] += hit.term.weight
    return min(weights, key=lambda i: (-weights[i], i))


@lru_cache(maxsize=1)
def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    """Read the lexicon: `goal<TAB>term<TAB>weight` rows, and `goal<TAB>label<TAB>label` rows for names."""
    labels: dict[str, str] = {}
    terms: list[Term] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        goal, text, weight = line.split("\t")
        if weight == "label":
            labels[goal] = text
        else:
            terms.append(Term(goal, tuple(text.split()), float(weight)))
    by_first: dict[str, list[Term]] = defaultdict(list)
    for term in sorted(terms, key=lambda t: (-len(t.words), -t.weight)):
        by_first[term.words[0]].append(term)
    return Lexicon(labels, dict(by_first), _aliases({w for t in terms for w in t.words}))


def _aliases(words: set[str]) -> dict[str, str]:
    """Other lemmas that `lemma()` gives for forms of the lexicon's words, mapped back to the word.

    pymorphy's first parse is not always the word's own lexeme: «суши» -> "сушить", «организованной»
    -> "организовать", «ветровых» -> "ветровый". Mapping those back lets the lexicon use dictionary
    forms. A lemma claimed by two words, or itself a lexicon word, is left alone.
    """
    claims: dict[str, set[str]] = defaultdict(set)
    for word in words:
        for form in _forms(word):
            found = lemma(form)
            if found != word and found not in words:
                claims[found].add(word)
    return {found: next(iter(owners)) for found, owners in claims.items() if len(owners) == 1}


def _forms(word: str) -> set[str]:
    """The word and every inflected form of its own lexeme(s) in pymorphy's dictionary."""
    forms = {word}
    for parse in morph().parse(word):
        if parse.normal_form.replace("ё", "е") == word:
            forms.update(f.word for f in parse.lexeme if not SIDE_FORMS & f.tag.grammemes)
    return forms
