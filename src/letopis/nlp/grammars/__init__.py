"""Rules kept as data: word lists (one lemma or phrase a line, `#` comments) next to the code using them."""

from __future__ import annotations

from functools import cache
from pathlib import Path

HERE = Path(__file__).parent


@cache
def word_list(name: str) -> frozenset[str]:
    """The lines of grammars/<name>.txt, lower-cased with ё as е, blanks and comments dropped."""
    words = set()
    for line in (HERE / f"{name}.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip().lower().replace("ё", "е")
        if line:
            words.add(line)
    return frozenset(words)
