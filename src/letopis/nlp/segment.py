"""razdel's word tokens, the same ones faster: the tokens the NER tagger reads.

razdel cuts a text into atoms (a run of letters, of digits, one other character) and, at every
boundary between two atoms, builds a split record and asks its rules whether to join them; it then
finds each token in the text again. A boundary with a space in it never joins, and most of them
have one. Of those without, a word or number beside a punctuation mark that no rule reads across
(`_always_splits`) splits too; only the others are put to razdel's own rules here, with the split
records razdel would build, and offsets come straight from the atoms.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from razdel.segmenters.punct import DASHES
from razdel.segmenters.tokenize import ATOM, Atom, TokenSplit
from razdel.segmenters.tokenize import tokenize as razdel_tokenize
from razdel.substring import Substring


def tokenize(text: str) -> list[Substring]:
    """`list(razdel.tokenize(text))`, in a third of the time."""
    matches = list(ATOM.finditer(text))
    if not matches:
        return []
    tokens = []
    atoms = _Atoms(matches)
    start, end = matches[0].span()
    for index in range(1, len(matches)):
        match = matches[index]
        if (
            match.start() == end
            and not _always_splits(matches[index - 1], match)
            and _joins(atoms, index, text[start:end])
        ):
            end = match.end()
            continue
        tokens.append(Substring(start, end, text[start:end]))
        start, end = match.span()
    tokens.append(Substring(start, end, text[start:end]))
    return tokens


# Marks that razdel's rules read across: dashes and "_" join words ("кто-то"), "/" and "\\" numbers
# ("1/2"); "." and "," join numbers ("3,5").
JOINING_MARKS = frozenset(DASHES + "_/\\")
NUMBER_MARKS = frozenset(".,")
WORDS = frozenset({"RU", "LAT"})


def _always_splits(left: re.Match[str], right: re.Match[str]) -> bool:
    """True when razdel's rules never join two touching atoms: a word and a punctuation mark that no
    rule reads across, either way round ("слово," or "«Слово"), or a number and one that is not a
    decimal mark either ("2024)"); a Latin word before "!" is left to the rules ("Yahoo!").

    razdel's rules: a dash or "_" joins what stands on its two sides unless one is punctuation; "/",
    "\\", "." and "," join two numbers; two punctuation marks may join ("?!", ":)"); a character of no
    class joins a word or another such; "yahoo" joins "!". A word or a number beside any other mark
    meets none of them."""
    kinds = (left.lastgroup, right.lastgroup)
    if kinds[0] == "PUNCT":
        mark, other = left.group(), kinds[1]
    elif kinds[1] == "PUNCT":
        mark, other = right.group(), kinds[0]
    else:
        return False
    if mark in JOINING_MARKS or other not in WORDS and (other != "INT" or mark in NUMBER_MARKS):
        return False
    return not (mark == "!" and kinds == ("LAT", "PUNCT"))


class _Atoms:
    """razdel's atoms of one text, each made when a rule first looks at it."""

    def __init__(self, matches: list[re.Match[str]]) -> None:
        self.matches = matches
        self._made: dict[int, Atom] = {}

    def __getitem__(self, index: int) -> Atom:
        atom = self._made.get(index)
        if atom is None:
            match = self.matches[index]
            atom = self._made[index] = Atom(match.start(), match.end(), match.lastgroup, match.group())
        return atom


class _Window(Sequence[Atom]):
    """Atoms [start, stop) of a text as the list razdel's split record holds, made only on access:
    the rules look at one or two atoms on each side of a boundary, seldom three."""

    def __init__(self, atoms: _Atoms, start: int, stop: int) -> None:
        self.atoms, self.start, self.stop = atoms, start, stop

    def __len__(self) -> int:
        return self.stop - self.start

    def __getitem__(self, position: int) -> Atom:  # type: ignore[override]  # no slices: razdel indexes
        if not -len(self) <= position < len(self):
            raise IndexError(position)
        return self.atoms[(self.stop if position < 0 else self.start) + position]


def _joins(atoms: _Atoms, index: int, buffer: str) -> bool:
    """razdel's verdict on the spaceless boundary before atom `index`, the token so far being `buffer`."""
    window = razdel_tokenize.split.window
    left = _Window(atoms, max(0, index - window), index)
    right = _Window(atoms, index, min(index + window, len(atoms.matches)))
    split = TokenSplit(left, "", right)
    split.buffer = buffer
    return bool(razdel_tokenize.join(split))
