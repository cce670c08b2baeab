"""Bytes to text: UTF-8 (with or without BOM), cp1251 or koi8-r, decided by content."""

from __future__ import annotations

import re

from letopis.errors import SourceError

UTF8_BOM = b"\xef\xbb\xbf"
# Single-byte Russian encodings we accept when the bytes are not UTF-8. Adding mac_cyrillic made
# charset-normalizer take some cp1251 sentences for it, so the list stays as the contract says.
CANDIDATES = ("cp1251", "koi8_r")
# Control bytes that never occur in text (tab, newlines, form feed and ESC are allowed).
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20)])
_MAX_CONTROL_SHARE = 0.01
# Non-ASCII characters a Russian text is made of besides Cyrillic letters.
_TYPOGRAPHY = set("«»—–‘’“”„…№•·°€\xa0\u2009\u202f")
_MIN_TYPICAL_SHARE = 0.9
_WORD = re.compile(r"[^\W\d_]+")
_LATIN = re.compile(r"[A-Za-z]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def decode(data: bytes, source: str) -> str:
    """Decode a file's bytes without translating newlines; raise `SourceError` when it is not text."""
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
    if not data:
        raise SourceError(source, "empty file")
    if is_binary(data):
        raise SourceError(source, "binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.reason == "unexpected end of data" and error.end == len(data):
            # A download or copy cut off inside the last character: the rest is good UTF-8.
            return data[: error.start].decode("utf-8")
    encoding = guess_russian_encoding(data)
    if encoding is not None:
        return data.decode(encoding)
    text = decode_lines(data)
    if text is None:
        raise SourceError(source, "unknown encoding")
    return text


def decode_lines(data: bytes) -> str | None:
    """Each line decoded by itself (UTF-8, else a Russian single-byte encoding), or None if one cannot be.

    For files pasted together from a UTF-8 and a cp1251 source, which no single encoding reads.
    """
    lines = []
    for line in data.split(b"\n"):
        try:
            lines.append(line.decode("utf-8"))
            continue
        except UnicodeDecodeError:
            pass
        encoding = guess_russian_encoding(line)
        if encoding is None:
            return None
        lines.append(line.decode(encoding))
    return "\n".join(lines)


def is_binary(data: bytes) -> bool:
    """True for NUL bytes or more than 1% control bytes (images, archives, UTF-16)."""
    if b"\x00" in data:
        return True
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    return controls > _MAX_CONTROL_SHARE * len(data)


def guess_russian_encoding(data: bytes) -> str | None:
    """The single-byte encoding under which `data` reads as Russian, or None.

    charset-normalizer is right on sentences but takes a lowercase koi8-r word for an uppercase
    cp1251 one. The two encodings swap the case ranges of the alphabet, so letter case decides:
    the decoding with fewer mixed-case words and then more lowercase letters wins, and
    charset-normalizer breaks exact ties and vetoes content that is not Russian at all.
    """
    from charset_normalizer import from_bytes

    texts = {}
    for encoding in CANDIDATES:
        try:
            texts[encoding] = data.decode(encoding)
        except UnicodeDecodeError:
            continue
    best = from_bytes(data, cp_isolation=list(CANDIDATES)).best()
    detected = best.encoding if best is not None else None
    ranked = sorted(texts, key=lambda enc: (*_oddness(texts[enc]), enc != detected))
    if not ranked:
        return None
    winner = ranked[0]
    if detected is None and not _looks_russian(texts[winner]):
        return None
    return winner


def _oddness(text: str) -> tuple[float, int, int]:
    """Sort key of a decoding: atypical characters, odd words, then fewer lowercase letters first."""
    lowercase = sum(1 for char in text if char.islower())
    return (-_typical_share(text), _odd_words(text), -lowercase)


def _looks_russian(text: str) -> bool:
    """Plausible without charset-normalizer's opinion (too short for it): typical characters only."""
    return _typical_share(text) >= _MIN_TYPICAL_SHARE and _odd_words(text) == 0


def _typical_share(text: str) -> float:
    """Share of non-ASCII characters that are Cyrillic letters or Russian typography."""
    non_ascii = [char for char in text if not char.isascii()]
    if not non_ascii:
        return 1.0
    typical = sum(1 for char in non_ascii if _CYRILLIC.match(char) or char in _TYPOGRAPHY)
    return typical / len(non_ascii)


def _odd_words(text: str) -> int:
    """Words a wrong decoding produces: mixed case (not Title or CAPS) or mixed Latin and Cyrillic."""
    odd = 0
    for word in _WORD.findall(text):
        mixed_case = not (word.islower() or word.isupper() or word.istitle())
        mixed_script = bool(_LATIN.search(word) and _CYRILLIC.search(word))
        odd += mixed_case or mixed_script
    return odd
