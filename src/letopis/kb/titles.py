"""Titles of posts: a key to compare them by, whether a title heads an organisation, and which.

Keys are lemmas with known abbreviations spelled out and "Республика" dropped before a country
(kb.names.canonical_key), so "министр культуры и информации РК" and "Министра культуры и
информации Республики Казахстан" are one post. Which titles head an office, and the office's
name in a title, are grammar (letopis.nlp.grammars.offices), shared with the positions stage.
"""

from __future__ import annotations

from letopis.kb.names import canonical_key
from letopis.nlp.grammars.offices import is_head_title, office_name

__all__ = ["is_head_title", "office_key", "title_key"]


def title_key(title: str | None) -> str | None:
    """The title as compared: "Министра культуры РК" and "министр культуры Республики Казахстан" meet."""
    if title is None:
        return None
    return canonical_key(title)


def office_key(title: str | None) -> str | None:
    """For a head's title, the key of the organisation it heads as named in the title, else None:
    "министр иностранных дел РК" and "глава МИД Казахстана" -> "министерство иностранный дело казахстан"."""
    name = office_name(title)
    return canonical_key(name) if name else None
