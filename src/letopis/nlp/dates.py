"""Temporal expressions -> absolute values and ranges: the `dates` stage.

Compiled regexes built from the word lists in grammars/dates_words.tsv find every date-like
span; each match is parsed into calendar parts and resolved against the publication date.
Where two matches overlap, the longer one wins ("22–24 апреля" over "24 апреля").
"""

from __future__ import annotations

import bisect
import calendar
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property, lru_cache
from pathlib import Path

from letopis.model import DateValue, Document
from letopis.nlp.models import morph

WORDS_FILE = Path(__file__).parent / "grammars" / "dates_words.tsv"

# A bare year ("в 2014", "с 2006") counts only in this window; with "году"/"г." any 4 digits do.
BARE_YEAR_MIN, BARE_YEAR_MAX = 1900, 2100
YEAR_RANGE_MAX_SPAN = 100
SOON_DAYS = 7  # "в ближайшие дни"

# Every match holds a digit or one of these words; the patterns only run in windows around them,
# wide enough for the longest prefix ("во второй половине ") and suffix (" годами") a match has.
ANCHOR_CATEGORIES = ("month", "weekday", "relday", "unit")
ANCHOR_WORDS = ("назад", "ближайшие")
WINDOW_BEFORE, WINDOW_AFTER = 40, 20
DIGITS = re.compile(r"\d+")

QUOTES = set('«»"“”„')
DASH = r"\s*[-–—]\s*"
YEAR_SUFFIX = r"(?:-(?:го|м|й))?"  # "в 2025-м году", "в апреле 1945-го"
YEAR_END = r"(?!\w|-[^\W\d_])"  # not "1990-е", "1990-х годов"; "2008-2011" is fine
BARE_YEAR_PREPS = {"в", "во", "с", "со", "до", "по", "к", "ко"}


# ---------------------------------------------------------------- word lists -> regex pieces


@lru_cache(maxsize=1)
def _words() -> dict[str, dict[str, str]]:
    """Category -> {form: value}, read once from the word-list file."""
    table: dict[str, dict[str, str]] = {}
    for line in WORDS_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        category, value, forms = line.split("\t")
        for form in forms.split():
            table.setdefault(category, {})[form.lower()] = value
    return table


def _alternation(category: str) -> str:
    """A regex matching a category's forms as written or capitalised; "stem*" matches any ending."""
    return _words_regex(*_words()[category])


def _words_regex(*words: str) -> str:
    variants = {v for w in words for v in (w, w[:1].upper() + w[1:], w.upper() if w.isascii() else w)}
    return _trie_regex(variants)  # upper-case ASCII for Roman numerals: "II квартал"


def _trie_regex(words: set[str]) -> str:
    """An alternation factored by common prefixes: Python's re tries branches one by one."""
    tree: dict = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        if "*" in node:
            return r"\w*"
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" not in node:
            return body
        return (body if len(branches) == 1 and len(body) == 1 else f"(?:{body})") + "?"

    return "(?:" + emit(tree) + ")"


def _value(category: str, form: str) -> str:
    """The value a word form carries in its category, whatever its case."""
    return _words()[category][form.lower()]


@dataclass(frozen=True)
class _Patterns:
    single: re.Pattern[str]
    range_from_to: re.Pattern[str]
    range_dash: re.Pattern[str]
    range_night: re.Pattern[str]
    quarter: re.Pattern[str]
    relative_unit: re.Pattern[str]
    relative_day: re.Pattern[str]
    weekday: re.Pattern[str]
    ago: re.Pattern[str]
    soon: re.Pattern[str]
    future: re.Pattern[str]
    anchor_words: re.Pattern[str]


def _year_part(p: str) -> str:
    """A year after a month: "2026", "2026 года", "2026-м году" or "прошлого года"."""
    yw, adj, year_unit = _alternation("yearword"), _alternation("reladj"), _alternation("unit")
    return (
        rf"(?:(?P<{p}y>\d{{4}}{YEAR_SUFFIX})(?:\s*(?P<{p}yw>{yw})(?!\w))?{YEAR_END}"
        rf"|(?P<{p}ry>{adj})\s+(?P<{p}ru>{year_unit}))"
    )


def _point(p: str, day_only: bool = False) -> str:
    """One calendar point with groups named after prefix `p`: day-month-year, month-year, year."""
    month, yw = _alternation("month"), _alternation("yearword")
    day = r"(?:[12]\d|3[01]|0?[1-9])(?:-?(?:го|е|ое))?(?!\d)"
    alternatives = [
        rf"(?P<{p}nd>\d{{1,2}})\.(?P<{p}nm>\d{{1,2}})\.(?P<{p}ny>\d{{4}})(?!\d)(?:\s*(?P<{p}nyw>{yw})(?!\w))?",
        rf"(?P<{p}iy>\d{{4}})-(?P<{p}im>\d\d)-(?P<{p}id>\d\d)(?![\w-])",
        rf"(?:(?P<{p}d>{day})\s+)?(?P<{p}m>{month})(?!\w)(?:\s+{_year_part(p)})?",
        rf"(?P<{p}yy>\d{{4}}{YEAR_SUFFIX})(?:\s*(?P<{p}yyw>{yw})(?!\w))?{YEAR_END}",
    ]
    if day_only:
        alternatives.append(rf"(?P<{p}dd>{day})")
    return "(?:" + "|".join(alternatives) + ")"


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    """All patterns, compiled on first use. Case is spelled out, not IGNORECASE: that is 3x faster."""
    start = r"(?<![\w.,:/№-])"
    head = rf"{start}(?:(?P<prep>{_alternation('prep')})\s+)?(?:(?P<mod>{_alternation('modifier')})\s+)?"
    adj, unit = _alternation("reladj"), _alternation("unit")
    a_left, a, b = _point("a", day_only=True), _point("a"), _point("b")
    return _Patterns(
        single=re.compile(head + a),
        range_from_to=re.compile(
            rf"{start}(?P<prep>{_words_regex('с', 'со', 'от')})\s+{a_left}\s+(?:по|до)\s+{b}"
        ),
        range_night=re.compile(
            rf"{start}(?:(?P<prep>{_words_regex('в')})\s+)?ночь\s+с\s+{a_left}\s+на\s+{b}"
        ),
        range_dash=re.compile(rf"{start}(?:(?P<prep>{_alternation('prep')})\s+)?{a_left}{DASH}{b}"),
        quarter=re.compile(
            head
            + rf"(?P<qo>{_alternation('ordinal')})\s+(?P<qp>{_alternation('period')})\s+{_year_part('a')}"
        ),
        relative_unit=re.compile(
            head + rf"(?:(?P<ra>{adj})\s+(?P<ru>{unit})|(?P<bare>года|месяца|недели))(?!\w)"
        ),
        relative_day=re.compile(rf"(?<!\w)(?P<rd>{_alternation('relday')})(?!\w)"),
        weekday=re.compile(
            rf"(?<!\w){_words_regex('в', 'во')}\s+(?:(?P<wa>{adj})\s+)?"
            rf"(?P<wd>{_alternation('weekday')})(?!\w)"
        ),
        ago=re.compile(
            rf"(?<!\w)(?:(?P<an>\d{{1,3}}|{_alternation('number')})\s+)?(?P<au>{_alternation('agounit')})"
            r"\s+(?:тому\s+)?назад(?!\w)"
        ),
        soon=re.compile(rf"(?<!\w){_words_regex('в')}\s+ближайшие\s+дни(?!\w)"),
        future=re.compile(rf"{_alternation('future')}(?!\w)"),  # word start checked by the caller
        anchor_words=re.compile(
            _words_regex(*ANCHOR_WORDS, *(w for c in ANCHOR_CATEGORIES for w in _words()[c]))
        ),
    )


# ---------------------------------------------------------------- parsed matches


@dataclass(frozen=True)
class _Point:
    """Calendar parts of one side of a date; `year_offset` is relative to the publication year."""

    day: int | None = None
    month: int | None = None
    year: int | None = None
    year_offset: int | None = None

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def has_year(self) -> bool:
        return self.year is not None or self.year_offset is not None


@dataclass
class _Found:
    """A match before resolution: its span and how to turn it into a range."""

    start: int
    end: int
    resolve: Callable[[_Context], _Resolved | None]
    point: _Point | None = None  # a single point may borrow a year from its neighbour
    # "в воскресенье, 11 июня 2017 года", "Вчера, 16 августа": whether it can be the day beside it
    same_day: Callable[[date], bool] | None = None


def _point_found(start: int, end: int, point: _Point) -> _Found:
    return _Found(start, end, lambda ctx: _resolve_point(point, start, ctx), point=point)


def _range_found(start: int, end: int, a: _Point, b: _Point) -> _Found:
    return _Found(start, end, lambda ctx: _resolve_range(a, b, start, ctx))


@dataclass(frozen=True)
class _Resolved:
    first: date | None
    last: date | None
    precision: str
    partial: str | None = None
    # Whether later year-less dates in the sentence take its year: only a written day or month
    # does ("14 июня 2017 года и спустя две недели, 28 июня"); a bare year is too often another
    # time ("правили с 1997 года, но на выборах 6 мая").
    year_known: bool = False


class _Context:
    """What resolution needs beyond the match: publication date, sentences, years seen so far."""

    def __init__(self, text: str, published: date | None):
        self.text = text
        self.published = published
        self.sentence_ends = [m.end() for m in _SENTENCE_END.finditer(text)]
        self.years: dict[int, int] = {}  # sentence -> last explicit year seen in it

    @cached_property
    def future_sentences(self) -> set[int]:
        """Sentences with "состоится", "пройдет", "будет"… (found only when some date needs it)."""
        words = _patterns().future.finditer(self.text)
        return {
            self.sentence_of(m.start()) for m in words if not self.text[m.start() - 1 : m.start()].isalnum()
        }

    def sentence_of(self, offset: int) -> int:
        return bisect.bisect_right(self.sentence_ends, offset)

    def is_future(self, offset: int) -> bool:
        return self.sentence_of(offset) in self.future_sentences

    def context_year(self, offset: int) -> int | None:
        return self.years.get(self.sentence_of(offset))


# Starts with a character class so that re can skip ahead quickly: 5x faster than an alternation.
_SENTENCE_END = re.compile(r"[.!?…\n](?:(?<=\n)\n*|[.!?…]*[»\"')]*\s+(?=[«\"(–—А-ЯЁA-Z0-9-]))")


def _group_int(m: re.Match[str], name: str) -> int | None:
    value = m.group(name)
    return int(re.match(r"\d+", value).group()) if value else None


def _parse_point(m: re.Match[str], p: str) -> tuple[_Point, int]:
    """The calendar parts of point `p` in match `m`, and where the point's text ends."""
    if m.group(p + "nd"):
        point = _Point(_group_int(m, p + "nd"), _group_int(m, p + "nm"), _group_int(m, p + "ny"))
        return point, m.end(p + "nyw") if m.group(p + "nyw") else m.end(p + "ny")
    if m.group(p + "iy"):
        point = _Point(_group_int(m, p + "id"), _group_int(m, p + "im"), _group_int(m, p + "iy"))
        return point, m.end(p + "id")
    if m.group(p + "m"):
        point = _Point(_group_int(m, p + "d"), int(_value("month", m.group(p + "m"))))
        return _parse_year_part(m, p, point) or (point, m.end(p + "m"))
    if m.group(p + "yy"):
        year_end = m.end(p + "yyw") if m.group(p + "yyw") else m.end(p + "yy")
        return _Point(year=_group_int(m, p + "yy")), year_end
    return _Point(day=_group_int(m, p + "dd")), m.end(p + "dd")


def _parse_year_part(m: re.Match[str], p: str, point: _Point) -> tuple[_Point, int] | None:
    """`point` with the year written after it ("2026 года", "прошлого года"), and where that ends;
    None when there is none, or the number counts something ("в марте 2000 человек")."""
    if m.group(p + "ry"):
        return _with_year(point, offset=int(_value("reladj", m.group(p + "ry")))), m.end(p + "ru")
    if m.group(p + "yw"):
        return _with_year(point, year=_group_int(m, p + "y")), m.end(p + "yw")
    if m.group(p + "y") and not _counts_something(m.string, m.end(p + "y")):
        return _with_year(point, year=_group_int(m, p + "y")), m.end(p + "y")
    return None


def _with_year(point: _Point, year: int | None = None, offset: int | None = None) -> _Point:
    return _Point(point.day, point.month, year, offset)


_NOUNISH = {"NOUN", "ADJF", "NUMR"}


@lru_cache(maxsize=4096)
def _is_counted_word(word: str) -> bool:
    """Whether a lower-case word after a number is what the number counts ("2000 человек")."""
    parse = morph().parse(word)[0]
    return parse.tag.POS in _NOUNISH and not ({"Name", "Surn", "Geox", "Orgn"} & parse.tag.grammemes)


def _counts_something(text: str, end: int) -> bool:
    """Whether the number ending at `end` is followed by the noun it counts, not a year's context."""
    m = re.match(r"\s+([а-яё]+)", text[end : end + 40])
    return bool(m) and _is_counted_word(m.group(1))


# ---------------------------------------------------------------- calendar arithmetic


def _period(point: _Point, year: int) -> tuple[date, date] | None:
    """First and last day of a point once its year is known; None for an impossible date."""
    try:
        if point.day:
            day = date(year, point.month, point.day)
            return day, day
        if point.month:
            last_day = calendar.monthrange(year, point.month)[1]
            return date(year, point.month, 1), date(year, point.month, last_day)
        return date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        return None


def _possible_without_year(point: _Point) -> bool:
    return (
        point.month is not None
        and 1 <= point.month <= 12
        and (point.day is None or point.day <= calendar.monthrange(2000, point.month)[1])
    )


def _partial(point: _Point) -> str:
    return f"--{point.month:02d}-{point.day:02d}" if point.day else f"--{point.month:02d}"


def _infer_year(point: _Point, at: int, ctx: _Context) -> int | None:
    """The year of a year-less point: the sentence's year, else the publication's, never the past
    when the sentence announces something."""
    if point.year is not None:
        return point.year
    if point.year_offset is not None:
        return ctx.published.year + point.year_offset if ctx.published else None
    year = ctx.context_year(at)
    if year is not None or ctx.published is None:
        return year
    year = ctx.published.year
    if ctx.is_future(at):
        period = _period(point, year)
        if period and period[1] < ctx.published:
            year += 1
    return year


def _resolve_point(point: _Point, at: int, ctx: _Context) -> _Resolved | None:
    year = _infer_year(point, at, ctx)
    if year is None:
        if point.has_year:  # relative year without a publication date
            return _Resolved(None, None, point.precision)
        if not _possible_without_year(point):
            return None
        return _Resolved(None, None, point.precision, _partial(point))
    period = _period(point, year)
    year_known = point.has_year and point.month is not None
    return _Resolved(*period, point.precision, year_known=year_known) if period else None


def _resolve_range(a: _Point, b: _Point, at: int, ctx: _Context) -> _Resolved | None:
    """A range: the left side borrows what it lacks from the right, and the years keep it in order."""
    a = _Point(a.day, a.month or (b.month if a.day else None), a.year, a.year_offset)
    if not a.has_year and b.has_year:
        b_year = _infer_year(b, at, ctx)
        if b_year is None:
            return _Resolved(None, None, b.precision)
        a = _with_year(a, year=b_year - 1 if (a.month, a.day or 0) > (b.month, b.day or 0) else b_year)
    a_year = _infer_year(a, at, ctx)
    if a_year is None:
        if a.has_year or b.has_year:  # relative year without a publication date
            return _Resolved(None, None, a.precision)
        if not (_possible_without_year(a) and _possible_without_year(b)):
            return None
        return _Resolved(None, None, a.precision, f"{_partial(a)}/{_partial(b)}")
    if not b.has_year:
        b = _with_year(b, year=a_year + 1 if (b.month, b.day or 0) < (a.month, a.day or 0) else a_year)
    b_year = _infer_year(b, at, ctx)
    if b_year is None:  # "по май этого года" without a publication date
        return _Resolved(None, None, a.precision)
    first, last = _period(a, a_year), _period(b, b_year)
    if not first or not last or last[1] <= first[0]:
        return None
    return _Resolved(first[0], last[1], a.precision, year_known=b.has_year and b.month is not None)


def _compatible(a: _Point, b: _Point) -> bool:
    """Whether two points can be the ends of one range ("22–24 апреля", "2026–2030")."""
    if b.day is not None:
        return a.day is not None and b.month is not None
    if b.month is not None:
        return a.day is None and a.month is not None
    if a.day is not None or a.month is not None:
        return False
    return a.year is not None and b.year is not None and 0 < b.year - a.year <= YEAR_RANGE_MAX_SPAN


# ---------------------------------------------------------------- finders: regex match -> _Found


def _bare_year_ok(m: re.Match[str], p: str, end: int) -> bool:
    """A year with no "год" after it needs a preposition, a plausible value and no counted noun."""
    if m.group(p + "yyw"):
        return True
    if not BARE_YEAR_MIN <= _group_int(m, p + "yy") <= BARE_YEAR_MAX:
        return False
    if m.string[m.start() - 1 : m.start()] == "(" and m.string[end : end + 1] == ")":
        return True  # "Invaders Must Die (2009)"
    prep = (m.group("prep") or "").lower()
    return prep in BARE_YEAR_PREPS and not _counts_something(m.string, end)


def _find_singles(text: str, windows: list[tuple[int, int]]) -> Iterator[_Found]:
    for m in _scan(_patterns().single, text, windows):
        point, end = _parse_point(m, "a")
        if m.group("ayy") and not _bare_year_ok(m, "a", end):
            continue
        if point.precision == "month" and not point.has_year and not m.group("prep") and not m.group("mod"):
            if m.group("am")[0].isupper():  # "Август" alone is more likely a name than a month
                continue
        yield _point_found(m.start(), end, point)


def _find_ranges(text: str, windows: list[tuple[int, int]]) -> Iterator[_Found]:
    for pattern in (_patterns().range_from_to, _patterns().range_dash, _patterns().range_night):
        for m in _scan(pattern, text, windows):
            a, _ = _parse_point(m, "a")
            b, end = _parse_point(m, "b")
            if not _compatible(a, b):
                continue
            if a.day is not None and a.month is None and b.day is not None and a.day >= b.day:
                continue
            yield _range_found(m.start(), end, a, b)


def _find_quarters(text: str, windows: list[tuple[int, int]]) -> Iterator[_Found]:
    for m in _scan(_patterns().quarter, text, windows):
        number, months = int(_value("ordinal", m.group("qo"))), int(_value("period", m.group("qp")))
        if number * months > 12:
            continue
        parsed = _parse_year_part(m, "a", _Point(month=(number - 1) * months + 1))
        if parsed is None:
            continue
        first, end = parsed
        last = _Point(month=number * months, year=first.year, year_offset=first.year_offset)
        yield _range_found(m.start(), end, first, last)


def _find_relative(text: str, windows: list[tuple[int, int]]) -> Iterator[_Found]:
    pats = _patterns()
    for m in _scan(pats.relative_unit, text, windows):
        if m.group("bare") and not m.group("mod"):
            continue  # "года" alone is the current year only in "до конца года", "с начала года"
        unit = (
            _value("unit", m.group("ru"))
            if m.group("ru")
            else {"г": "year", "м": "month", "н": "week"}[m.group("bare")[0].lower()]
        )
        offset = int(_value("reladj", m.group("ra"))) if m.group("ra") else 0
        yield _Found(m.start(), m.end(), lambda ctx, u=unit, o=offset: _relative_unit(u, o, ctx.published))
    for m in _scan(pats.relative_day, text, windows):
        if text[m.start() - 1 : m.start()] in QUOTES and text[m.end() : m.end() + 1] in QUOTES:
            continue  # the newspaper: 'газета "Сегодня"'
        days = int(_value("relday", m.group("rd")))
        yield _Found(
            m.start(),
            m.end(),
            lambda ctx, d=days: _relative_days(d, d, ctx.published),
            same_day=lambda day: True,
        )
    for m in _scan(pats.soon, text, windows):
        yield _Found(m.start(), m.end(), lambda ctx: _relative_days(0, SOON_DAYS, ctx.published))
    for m in _scan(pats.weekday, text, windows):
        weekday = int(_value("weekday", m.group("wd")))
        offset = int(_value("reladj", m.group("wa"))) if m.group("wa") else None
        yield _weekday_found(m.start(), m.end(), weekday, offset)
    for m in _scan(pats.ago, text, windows):
        found = _ago(m)
        if found:
            yield found


def _weekday_found(start: int, end: int, weekday: int, offset: int | None) -> _Found:
    return _Found(
        start,
        end,
        lambda ctx: _weekday(weekday, offset, start, ctx),
        same_day=lambda day: day.weekday() == weekday,
    )


def _ago(m: re.Match[str]) -> _Found | None:
    unit_word = m.group("au").lower()
    unit = _value("agounit", unit_word)
    if m.group("an"):
        count = int(m.group("an")) if m.group("an").isdigit() else int(_value("number", m.group("an")))
    elif unit_word in {"день", "неделю", "месяц", "год"}:
        count = 1
    else:
        return None  # "несколько дней назад", "около года назад": no number to count back

    def resolve(ctx: _Context) -> _Resolved:
        pub = ctx.published
        if pub is None:
            return _Resolved(None, None, {"month": "month", "year": "year"}.get(unit, "day"))
        if unit in {"day", "week"}:
            day = pub - timedelta(days=count * (7 if unit == "week" else 1))
            return _Resolved(day, day, "day")
        if unit == "month":
            return _relative_unit("month", -count, pub)
        return _relative_unit("year", -count, pub)

    return _Found(m.start(), m.end(), resolve)


def _relative_days(first: int, last: int, published: date | None) -> _Resolved:
    if published is None:
        return _Resolved(None, None, "day")
    return _Resolved(published + timedelta(days=first), published + timedelta(days=last), "day")


def _relative_unit(unit: str, offset: int, published: date | None) -> _Resolved:
    """The year, month or Monday–Sunday week `offset` units away from the publication date."""
    precision = {"year": "year", "month": "month", "week": "day"}[unit]
    if published is None:
        return _Resolved(None, None, precision)
    if unit == "year":
        year = published.year + offset
        return _Resolved(date(year, 1, 1), date(year, 12, 31), precision)
    if unit == "month":
        index = published.year * 12 + published.month - 1 + offset
        year, month = divmod(index, 12)
        first, last = _period(_Point(month=month + 1), year)
        return _Resolved(first, last, precision)
    monday = published - timedelta(days=published.weekday()) + timedelta(weeks=offset)
    return _Resolved(monday, monday + timedelta(days=6), precision)


def _weekday(weekday: int, offset: int | None, at: int, ctx: _Context) -> _Resolved:
    """The day of "в понедельник": the nearest one before the publication, or after it in an
    announcement; of "в прошлую пятницу" / "в эту пятницу": that day of the previous / this week."""
    pub = ctx.published
    if pub is None:
        return _Resolved(None, None, "day")
    if offset is not None:
        day = pub - timedelta(days=pub.weekday()) + timedelta(weeks=offset, days=weekday)
        if offset < 0 and day >= pub:  # "в минувшую субботу" never lies ahead
            day -= timedelta(weeks=1)
    elif ctx.is_future(at):
        day = pub + timedelta(days=(weekday - pub.weekday()) % 7)
    else:
        day = pub - timedelta(days=(pub.weekday() - weekday) % 7)
    return _Resolved(day, day, "day")


# ---------------------------------------------------------------- public API


FINDERS = (_find_ranges, _find_quarters, _find_singles, _find_relative)


def _windows(text: str) -> list[tuple[int, int]]:
    """Merged stretches of text around digits and date words: the only places a date can be."""
    anchors = sorted(
        (m.start(), m.end()) for pattern in (DIGITS, _patterns().anchor_words) for m in pattern.finditer(text)
    )
    windows: list[tuple[int, int]] = []
    for start, end in anchors:
        start, end = max(0, start - WINDOW_BEFORE), min(len(text), end + WINDOW_AFTER)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(end, windows[-1][1]))
        else:
            windows.append((start, end))
    return windows


def _scan(pattern: re.Pattern[str], text: str, windows: list[tuple[int, int]]) -> Iterator[re.Match[str]]:
    for start, end in windows:
        yield from pattern.finditer(text, start, end)


def _longest_first(found: list[_Found]) -> list[_Found]:
    """Non-overlapping matches, longer ones winning, in text order."""
    chosen: list[_Found] = []
    taken: list[tuple[int, int]] = []
    for f in sorted(found, key=lambda f: (f.start - f.end, f.start)):
        if all(f.end <= s or f.start >= e for s, e in taken):
            chosen.append(f)
            taken.append((f.start, f.end))
    return sorted(chosen, key=lambda f: f.start)


_LIST_GAP = re.compile(r"\s*,\s*|\s+(?:и|или)\s+")
_APPOSITION_GAP = re.compile(r"\s*,\s*")


def _borrow_years(text: str, found: list[_Found]) -> list[_Found]:
    """A year-less date takes the year of the listed date after it: "30 июня и 1 июля 2019 года"."""
    out = list(found)
    for i in range(len(out) - 2, -1, -1):
        left, right = out[i].point, out[i + 1].point
        if not (left and right and left.month and not left.has_year and right.has_year and right.month):
            continue
        if not _LIST_GAP.fullmatch(text, out[i].end, out[i + 1].start):
            continue
        if right.year is not None:
            later = (left.month, left.day or 0) > (right.month, right.day or 0)
            point = _with_year(left, year=right.year - 1 if later else right.year)
        else:
            point = _with_year(left, offset=right.year_offset)
        out[i] = _point_found(out[i].start, out[i].end, point)
    return out


def _appositions(text: str, resolved: list[tuple[_Found, _Resolved]]) -> list[tuple[_Found, _Resolved]]:
    """A weekday or "вчера" is the day written beside it: "в воскресенье, 11 июня 2017 года"."""
    out = list(resolved)
    for i, ((found, _), (nxt, value)) in enumerate(zip(resolved, resolved[1:], strict=False)):
        if found.same_day is None or value.first is None or value.first != value.last:
            continue
        if _APPOSITION_GAP.fullmatch(text, found.end, nxt.start) and found.same_day(value.first):
            out[i] = (found, _Resolved(value.first, value.last, "day"))
    return out


def _parse_published(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def find_dates(text: str, published: str | None) -> list[DateValue]:
    """Every temporal expression in `text`, resolved against the ISO publication date if given."""
    ctx = _Context(text, _parse_published(published))
    out: list[DateValue] = []
    windows = _windows(text)
    chosen = _borrow_years(text, _longest_first([f for finder in FINDERS for f in finder(text, windows)]))
    resolved: list[tuple[_Found, _Resolved]] = []
    for found in chosen:
        value = found.resolve(ctx)
        if value is None:
            continue
        if value.year_known and value.first:
            ctx.years[ctx.sentence_of(found.start)] = value.last.year
        resolved.append((found, value))
    for found, value in _appositions(text, resolved):
        out.append(
            DateValue(
                start=found.start,
                end=found.end,
                text=text[found.start : found.end],
                from_=value.first.isoformat() if value.first else None,
                to=value.last.isoformat() if value.last else None,
                precision=value.precision,
                partial=value.partial,
            )
        )
    return out


def resolve_dates(doc: Document) -> Document:
    """Pipeline stage: needs `text` and `published`; fills `doc.dates`."""
    doc.dates = find_dates(doc.text, doc.published)
    return doc
