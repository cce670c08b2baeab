"""Shared fixtures: a store with the two sample articles (run through the real pipeline), a hostile
text and two hand-written articles whose facts are known exactly, served for real by uvicorn; new
stores on each backend (`db`, `new_db`, `module_db`: an SQLite file, then a PostgreSQL database)."""

from __future__ import annotations

import itertools
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, sync_playwright
from typer.testing import CliRunner

from letopis.cli import app
from letopis.model import DateValue, Document, Entity, Event, Mention, Position, Quote, Topic
from letopis.store import Store
from postgres_server import ENV_URL, Server, binaries, throwaway_cluster

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
SAMPLES = ROOT / "samples"
HOSTILE = 'Министр Сергей Лавров заявил: <script>alert(1)</script> и " onmouseover="alert(2)'

FORUM_TEXT = (
    "3 ноября в Астане министр иностранных дел Ермек Кошербаев встретился с послом Франции Мари Дюбуа. "
    "«Мы готовы расширять партнёрство», – сказал Ермек Кошербаев. "
    "Астанинский международный форум пройдёт 20–21 мая 2030 года."
)
HISTORY_TEXT = "Посол Казахстана в Бельгии Ермек Кошербаев вручил верительные грамоты королю Бельгии."


def at(text: str, fragment: str, nth: int = 0) -> tuple[int, int]:
    """(start, end) of the nth occurrence of `fragment` in `text`."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(fragment, start + 1)
    return start, start + len(fragment)


def mention(text: str, fragment: str, type: str, normal: str, entity: str, nth: int = 0) -> Mention:
    start, end = at(text, fragment, nth)
    return Mention(start, end, fragment, type, normal, entity)


def forum() -> Document:
    """A meeting in Astana, a direct quote, two posts and an announced forum in May 2030."""
    t = FORUM_TEXT
    first_sentence = at(t, FORUM_TEXT.split(". ")[0] + ".")
    forum_sentence = at(t, "Астанинский международный форум пройдёт 20–21 мая 2030 года.")
    return Document(
        id="t-forum",
        source="https://mfa.gov.kz/ru/news/forum",
        url="https://mfa.gov.kz/ru/news/forum",
        title="Ермек Кошербаев встретился с послом Франции",
        published="2025-11-03",
        text=t,
        mentions=[
            mention(t, "Астане", "LOC", "Астана", "e3"),
            mention(t, "Ермек Кошербаев", "PER", "Ермек Кошербаев", "e1"),
            mention(t, "Франции", "LOC", "Франция", "e4"),
            mention(t, "Мари Дюбуа", "PER", "Мари Дюбуа", "e2"),
            mention(t, "Ермек Кошербаев", "PER", "Ермек Кошербаев", "e1", nth=1),
        ],
        entities=[
            Entity("e1", "PER", "Ермек Кошербаев", ["Ермек Кошербаев"]),
            Entity("e2", "PER", "Мари Дюбуа", ["Мари Дюбуа"]),
            Entity("e3", "LOC", "Астана", ["Астане"]),
            Entity("e4", "LOC", "Франция", ["Франции"]),
        ],
        positions=[
            Position(
                "e1",
                "министр иностранных дел",
                None,
                "2025-11-03",
                *at(t, "министр иностранных дел Ермек Кошербаев"),
            ),
            Position("e2", "посол Франции", None, "2025-11-03", *at(t, "послом Франции Мари Дюбуа")),
        ],
        quotes=[
            Quote(
                "e1",
                "Ермек Кошербаев",
                "Мы готовы расширять партнёрство",
                "direct",
                *at(t, "Мы готовы расширять партнёрство"),
            )
        ],
        dates=[
            DateValue(*at(t, "3 ноября"), "3 ноября", "2025-11-03", "2025-11-03", "day"),
            DateValue(
                *at(t, "20–21 мая 2030 года"), "20–21 мая 2030 года", "2030-05-20", "2030-05-21", "day"
            ),
        ],
        events=[
            Event(
                "v1",
                "meeting",
                "встреча Ермека Кошербаева и Мари Дюбуа",
                "happened",
                "2025-11-03",
                "2025-11-03",
                place="e3",
                participants=["e1", "e2"],
                start=first_sentence[0],
                end=first_sentence[1],
            ),
            Event(
                "v2",
                "conference",
                "Астанинский международный форум",
                "announced",
                "2030-05-20",
                "2030-05-21",
                place="e3",
                start=forum_sentence[0],
                end=forum_sentence[1],
            ),
        ],
        topics=[
            Topic(
                "SDG",
                "17",
                "Партнёрство в интересах устойчивого развития",
                0.9,
                *at(t, "«Мы готовы расширять партнёрство»"),
            )
        ],
    )


def history() -> Document:
    """The same minister six years earlier, as ambassador: his second post."""
    t = HISTORY_TEXT
    return Document(
        id="t-history",
        source="архив/2019/грамоты.txt",
        title="Вручение верительных грамот",
        published="2019-06-14",
        text=t,
        mentions=[
            mention(t, "Казахстана", "LOC", "Казахстан", "e2"),
            mention(t, "Бельгии", "LOC", "Бельгия", "e3"),
            mention(t, "Ермек Кошербаев", "PER", "Ермек Кошербаев", "e1"),
            mention(t, "Бельгии", "LOC", "Бельгия", "e3", nth=1),
        ],
        entities=[
            Entity("e1", "PER", "Ермек Кошербаев", ["Ермек Кошербаев"]),
            Entity("e2", "LOC", "Казахстан", ["Казахстана"]),
            Entity("e3", "LOC", "Бельгия", ["Бельгии"]),
        ],
        positions=[
            Position(
                "e1",
                "посол Казахстана в Бельгии",
                None,
                "2019-06-14",
                *at(t, "Посол Казахстана в Бельгии Ермек Кошербаев"),
            ),
        ],
    )


# --- the store's backends ----------------------------------------------------------------------

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def postgres() -> Iterator[Server]:
    """A PostgreSQL server the tests may create databases on: $LETOPIS_TEST_POSTGRES, else a throwaway
    cluster from the PostgreSQL binaries here; without either the PostgreSQL tests are skipped, and
    fail when CI is set (CI installs PostgreSQL)."""
    url = os.environ.get(ENV_URL)
    if url:
        server = Server(url, throwaway=False)
        yield server
        server.drop_all()
        return
    bin_dir = binaries()
    if bin_dir is None:
        message = (
            f"no PostgreSQL server: set {ENV_URL} to a URL where the tests may create databases, or install"
            " PostgreSQL (apt-get install postgresql), as .ci/run does"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with throwaway_cluster(bin_dir) as url:
        yield Server(url, throwaway=True)


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The backend a test runs on: each test using a store runs on SQLite, then on PostgreSQL."""
    return request.param


def _store_maker(
    backend: str, request: pytest.FixtureRequest, folder: Callable[[], Path]
) -> Callable[[], str]:
    if backend == "sqlite":
        numbers = itertools.count(1)
        return lambda: str(folder() / f"store{next(numbers)}.db")
    server: Server = request.getfixturevalue("postgres")

    def new_database() -> str:
        url = server.new_database()
        request.addfinalizer(lambda: server.drop(url))
        return url

    return new_database


@pytest.fixture
def new_db(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], str]:
    """Make new, empty stores on the test's backend: each call a new file or a new database, migrated
    on first open; its location for Store.open and --db."""
    return _store_maker(backend, request, lambda: tmp_path)


@pytest.fixture
def db(new_db: Callable[[], str]) -> str:
    """The location of a new, empty store on the test's backend."""
    return new_db()


@pytest.fixture(scope="module")
def module_db(backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A new, empty store on the backend, for the tests of one module to share."""
    return _store_maker(backend, request, lambda: tmp_path_factory.mktemp("store"))()


def sample_records() -> list[dict]:
    """What `letopis extract samples/` gives now: the pipeline's output for the two sample articles."""
    result = CliRunner().invoke(app, ["extract", str(SAMPLES), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


@pytest.fixture(scope="session")
def samples_extracted() -> list[dict]:
    return sample_records()


def fill_web_store(db: str, folder: Path) -> str:
    """Put the samples (ingested by the CLI), a hostile text and the hand-written articles in `db`."""
    (folder / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", str(SAMPLES), str(folder / "hostile.txt"), "--db", db])
    assert result.exit_code == 0, result.output
    with Store.open(db) as store:
        store.add(forum())
        store.add(history())
    return db


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store with the samples (ingested by the CLI), a hostile text and the hand-written articles."""
    folder = tmp_path_factory.mktemp("web")
    return fill_web_store(str(folder / "letopis.db"), folder)


@pytest.fixture(scope="session")
def postgresql_web_db(postgres: Server, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The web store (as web_db) in a PostgreSQL database."""
    return fill_web_store(postgres.new_database(), tmp_path_factory.mktemp("web-postgresql"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(db: str, token: str | None = None) -> Iterator[str]:
    """`letopis serve` of `db` on a free loopback port, with LETOPIS_TOKEN set to `token` (or unset);
    its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "letopis", "serve", "--db", db, "--port", str(port)]
    env = {key: value for key, value in os.environ.items() if key != "LETOPIS_TOKEN"}
    if token is not None:
        env["LETOPIS_TOKEN"] = token
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(base + "/index.json", timeout=1)
                break
            except httpx.TransportError:
                if process.poll() is not None:
                    raise RuntimeError(f"letopis serve exited: {process.stdout.read().decode()}") from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def sqlite_server(web_db: str) -> Iterator[str]:
    """`letopis serve` of web_db on a free loopback port, curation disabled (no token); its base URL."""
    with serving(web_db) as base:
        yield base


@pytest.fixture(scope="session")
def postgresql_server(postgresql_web_db: str) -> Iterator[str]:
    """`letopis serve` of the web store in PostgreSQL, curation disabled; its base URL."""
    with serving(postgresql_web_db) as base:
        yield base


@pytest.fixture(scope="session")
def server(sqlite_server: str) -> str:
    """`letopis serve` of the web store (SQLite), curation disabled (no token); its base URL."""
    return sqlite_server


@pytest.fixture(scope="module", params=BACKENDS)
def web_server(request: pytest.FixtureRequest) -> str:
    """The web store served from SQLite, then from PostgreSQL: a module whose `server` fixture returns
    it tests every route on both backends."""
    return request.getfixturevalue(f"{request.param}_server")


CURATION_TOKEN = "s3cret-token-for-tests"


@pytest.fixture(scope="module", params=BACKENDS)
def curation_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A second server with LETOPIS_TOKEN = CURATION_TOKEN, over its own copy of the web store (its
    edits stay out of the other tests), on SQLite then on PostgreSQL; one per test module."""
    if request.param == "sqlite":
        web_db = request.getfixturevalue("web_db")
        copy = str(tmp_path_factory.mktemp("curated") / "letopis.db")
        source, target = sqlite3.connect(web_db), sqlite3.connect(copy)
        source.backup(target)
        source.close()
        target.close()
    else:
        postgres: Server = request.getfixturevalue("postgres")
        copy = postgres.copy_database(request.getfixturevalue("postgresql_web_db"))
    with serving(copy, CURATION_TOKEN) as base:
        yield base


# --- a real browser (test_browser.py, test_web_curation.py) ---------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        message = (
            f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium), as .ci/run does"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()
