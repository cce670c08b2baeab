"""Write a seeded corpus of hostile input files for `letopis ingest`, and what ingesting it must give.

Every file holds a known number of *units*: a unit is one document (a text, a page, a feed item,
a table row) or one reported error, so after `letopis ingest OUT_DIR` the summary must read
`read <units>` with `new + updated + duplicates + failed == read`. The expected numbers go to
`OUT_DIR/.manifest.json` (hidden, so ingest skips it): `{"files": {name: units}, "units": total}`.
Full mode (the default) adds one 50 MB text file, `big.txt`; every mode has HTML nested 10,000 deep.
`account` checks an ingest against the manifest (bench/bench_fuzz.py runs both and prints it).

Example:
    python bench/make_fuzz_corpus.py /tmp/fuzz --count 1000
    letopis ingest /tmp/fuzz --db /tmp/fuzz.db
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import re
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SEED = 20260224
BIG_FILE_BYTES = 50 * 1024 * 1024
# A long line is long enough to stress the readers without making extraction take minutes.
LONG_LINE_CHARS = {"full": 200_000, "fast": 3_000}
# In fast mode articles are made of short sentences only, so a test can extract hundreds quickly.
FAST_SENTENCE_CHARS = 160
NESTING_DEPTH = 10_000
ZERO_WIDTH_AND_BIDI = "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202b\u202e\u2066\u2069"
# Names written with Latin letters that look Cyrillic (a, e, o, p, c, x, A, B, E, K, M, H, O, P, C, T).
LOOKALIKE_NAMES = ("Aида Бaлaева", "Eрмек Кошербaев", "Сергей Лaвров", "Mарат Kарабаев", "Oлжас Бектенов")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[А-ЯЁA-Z«–])")
# The corpus file an error line of `letopis ingest` names.
_REPORTED_FILE = re.compile(r"^error: .*?/(\d{5}_[a-z0-9_]+\.[a-z]+|big\.txt)\b")

Maker = Callable[[random.Random, str], tuple[bytes, int]]


def sample_sentences() -> list[str]:
    """Sentences of the sample articles (date markers dropped), the material of every valid text."""
    sentences: list[str] = []
    for path in sorted(SAMPLES.glob("*.txt")):
        text = re.sub(r"^ date \d{4}-\d{2}-\d{2} ", "", path.read_text(encoding="utf-8"))
        for paragraph in text.split("\n"):
            sentences.extend(s.strip() for s in _SENTENCE_END.split(paragraph) if len(s.strip()) > 20)
    return sentences


class Corpus:
    """The file makers; each returns (bytes, units) for a seeded `random.Random`."""

    def __init__(self, mode: str) -> None:
        sentences = sample_sentences()
        if mode == "fast":
            sentences = [sentence for sentence in sentences if len(sentence) <= FAST_SENTENCE_CHARS]
        self.sentences = sentences
        self.mode = mode

    def article(self, rng: random.Random, sentences: int = 3) -> str:
        return " ".join(rng.sample(self.sentences, k=min(sentences, len(self.sentences))))

    def valid_article(self, rng: random.Random, ext: str) -> tuple[bytes, int]:
        day = f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        return f" date {day} {self.article(rng, 1)}\n\n{self.article(rng)}\n".encode(), 1

    def empty(self, rng: random.Random, ext: str) -> tuple[bytes, int]:
        return rng.choice([b"", b"\xef\xbb\xbf"]), 1

    def binary(self, rng: random.Random, ext: str) -> tuple[bytes, int]:
        header = rng.choice([b"\x89PNG\r\n\x1a\n", b"PK\x03\x04", b"%PDF-1.4\n\x00", b"\xff\xd8\xff\xe0"])
        return header + rng.randbytes(rng.randint(16, 2048)), 1

    def truncated_utf8(self, rng: random.Random, ext: str) -> tuple[bytes, int]:
        data = self.article(rng).encode("utf-8")
        cut = rng.randrange(len(data) // 2, len(data))
        while data[cut - 1] < 0xC0:  # end just after a lead byte: a character cut in half
            cut -= 1
        return data[:cut], 1

    def mixed_encodings(self, rng: random.Random, ext: str) -> tuple[bytes, int]:
        first, second = self.article(rng, 2), self.article(rng, 2)
        parts = [first.encode("utf-8"), second.encode("cp1251", errors="replace")]
        rng.shuffle(parts)
        return b"\n\n".join(parts), 1

    def with_bom(self, rng: random.Random, ext: str) -> tuple[bytes, int]:
        return b"\xef\xbb\xbf" + self.article(rng).encode(), 1

    def nul_bytes(self, rng: random.Random, ext: str) -> tuple[bytes, int]:
        text = self.article(rng)
        at = rng.randrange(len(text))
        return (text[:at] + "\x00" + text[at:]).encode(), 1

    def invisible_characters(self, rng: random.Random, ext: str) -> tuple[bytes, int]:
        chars = list(self.article(rng))
        for _ in range(len(chars) // 10):
            chars.insert(rng.randrange(len(chars)), rng.choice(ZERO_WIDTH_AND_BIDI))
        return "".join(chars).encode(), 1

    def long_line(self, rng: random.Random, ext: str) -> tuple[bytes, int]:
        limit = LONG_LINE_CHARS[self.mode]
        words = self.article(rng, 5).split()
        line = " ".join(rng.choice(words) for _ in range(limit // 6))
        return line[:limit].encode(), 1

    def nested_html(self, rng: random.Random, ext: str) -> tuple[bytes, int]:
        tag = rng.choice(["div", "span", "b", "section"])
        body = f"<{tag}>" * NESTING_DEPTH + f"<p>{self.article(rng)}</p>" + f"</{tag}>" * rng.randint(0, 10)
        return f"<!doctype html><html><head><title>Вложенность</title></head><body>{body}".encode(), 1

    def broken_feed(self, rng: random.Random, ext: str) -> tuple[bytes, int]:
        """An RSS channel cut off inside its first item's text: one error ("not a feed")."""
        item = f"<item><guid>{rng.randrange(10**9)}</guid><title>{self.article(rng, 1)}</title>"
        xml = f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Лента</title>{item}'
        return (xml + "<description>" + self.article(rng)[:40]).encode(), 1

    def csv_table(self, rng: random.Random, ext: str) -> tuple[bytes, int]:
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, delimiter=rng.choice(",;"), quoting=csv.QUOTE_MINIMAL)
        writer.writerow(["id", "title", "text", "published"])
        rows = rng.randint(1, 5)
        for number in range(1, rows + 1):
            text = f'{self.article(rng, 1)}\n«Цитата, с запятой; и "кавычками"».\n{self.article(rng, 1)}'
            row_id = f"csv-{rng.randrange(10**12)}-{number}"
            writer.writerow([row_id, "Заголовок, с запятой", text, "24.02.2026"])
        return buffer.getvalue().encode(), rows

    def jsonl_with_bad_rows(self, rng: random.Random, ext: str) -> tuple[bytes, int]:
        rows = []
        for _ in range(rng.randint(2, 6)):
            kind = rng.choice(["good", "good", "not json", "not object", "no text", "bad date", "markup"])
            good = {"text": self.article(rng, 2), "published": "2026-02-24"}
            rows.append({
                "good": json.dumps(good, ensure_ascii=False),
                "not json": '{"text": "Оборванная строка',
                "not object": json.dumps(["текст", "в", "списке"], ensure_ascii=False),
                "no text": json.dumps({"title": "Без текста"}, ensure_ascii=False),
                "bad date": json.dumps({"text": good["text"], "published": "вчера"}, ensure_ascii=False),
                # Rich markup in a reported value must be printed, not interpreted.
                "markup": json.dumps({"text": good["text"], "published": "[/red][bold]"}),
            }[kind])
        return "\n".join(rows).encode() + b"\n", len(rows)

    def lookalike_names(self, rng: random.Random, ext: str) -> tuple[bytes, int]:
        name = rng.choice(LOOKALIKE_NAMES)
        return f"{name} провела встречу в Астане. {self.article(rng, 2)} Об этом сообщила {name}.".encode(), 1


KINDS: list[tuple[str, str]] = [
    ("valid_article", ".txt"),
    ("empty", ".txt"),
    ("binary", ".txt"),
    ("truncated_utf8", ".txt"),
    ("mixed_encodings", ".txt"),
    ("with_bom", ".txt"),
    ("nul_bytes", ".txt"),
    ("invisible_characters", ".txt"),
    ("long_line", ".txt"),
    ("nested_html", ".html"),
    ("broken_feed", ".rss"),
    ("csv_table", ".csv"),
    ("jsonl_with_bad_rows", ".jsonl"),
    ("lookalike_names", ".txt"),
]


def write_corpus(out_dir: Path, count: int = 1000, mode: str = "full", big: bool = False) -> dict:
    """Write `count` files (kinds in turn, content seeded) and the manifest; return the manifest."""
    out_dir.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(mode)
    rng = random.Random(SEED)
    files: dict[str, int] = {}
    for number in range(count):
        kind, ext = KINDS[number % len(KINDS)]
        data, units = getattr(corpus, kind)(rng, ext)
        name = f"{number:05d}_{kind}{ext}"
        (out_dir / name).write_bytes(data)
        files[name] = units
    if big:
        line = (corpus.article(rng, 5) + "\n").encode()
        (out_dir / "big.txt").write_bytes(line * (BIG_FILE_BYTES // len(line) + 1))
        files["big.txt"] = 1
    manifest = {"files": files, "units": sum(files.values())}
    text = json.dumps(manifest, ensure_ascii=False, indent=1)
    (out_dir / ".manifest.json").write_text(text, encoding="utf-8")
    return manifest


def write_articles(out_dir: Path, count: int, seed: int = SEED) -> list[Path]:
    """`count` short valid Russian articles (one document each), for crash and load tests."""
    out_dir.mkdir(parents=True, exist_ok=True)
    corpus, rng = Corpus("fast"), random.Random(seed)
    paths = [out_dir / f"article_{number:03d}.txt" for number in range(count)]
    for path in paths:
        path.write_bytes(corpus.valid_article(rng, ".txt")[0])
    return paths


def account(manifest: dict, stderr: str, sources: Iterable[str]) -> dict:
    """How an ingest of the corpus did against its manifest: units stored (`sources` are the stored
    documents' sources), reported (error lines on `stderr`), and lost, with the files that differ."""
    stored = Counter(Path(source).name for source in sources)
    reported = Counter(m.group(1) for line in stderr.splitlines() if (m := _REPORTED_FILE.match(line)))
    differ = {
        name: {"units": units, "stored": stored[name], "reported": reported[name]}
        for name, units in manifest["files"].items()
        if stored[name] + reported[name] != units
    }
    return {
        "files": len(manifest["files"]),
        "units": manifest["units"],
        "stored": sum(stored.values()),
        "reported": sum(reported.values()),
        "lost": sum(max(0, d["units"] - d["stored"] - d["reported"]) for d in differ.values()),
        "differ": differ,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--fast", action="store_true", help="shorter long lines (for tests)")
    big_help = "add one 50 MB text file (default: unless --fast)"
    parser.add_argument("--big", action=argparse.BooleanOptionalAction, help=big_help)
    args = parser.parse_args()
    big = not args.fast if args.big is None else args.big
    manifest = write_corpus(args.out_dir, args.count, "fast" if args.fast else "full", big)
    print(f"wrote {len(manifest['files'])} files, {manifest['units']} units -> {args.out_dir}")


if __name__ == "__main__":
    main()
