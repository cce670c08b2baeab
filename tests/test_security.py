"""Web security against a real `letopis serve` (web/, api/): hostile text renders as text, injection
attempts on every parameter of every route stay data, search syntax is a clear 400, static files stay
in their folder, request bodies are bounded, and the server listens on loopback by default."""

from __future__ import annotations

import copy
import http.client
import json
import socket
import sqlite3
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import quote, unquote, urlsplit

import httpx
import psutil
import pytest
from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from typer.testing import CliRunner

from conftest import BACKENDS, CURATION_TOKEN, at, fill_web_store, mention, serving
from letopis.api.extract import MAX_BODY_BYTES
from letopis.cli import app as cli
from letopis.config import load_settings
from letopis.model import Document, Entity, Event, Position, Quote
from letopis.store import Store
from letopis.web.app import create_app
from letopis.web.curate import COOKIE, MAX_FORM_BYTES, csrf_token, session_value

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '" onmouseover="alert(2)'
HOSTILE_ARTICLE = (
    f" date 2026-03-02 Сергей Лавров встретился с послом Франции {SCRIPT}\n\n"
    f"Министр иностранных дел Сергей Лавров заявил: «Мы открыты к диалогу {SCRIPT} и {ATTRIBUTE}».\n"
)
HOSTILE_ROW = {
    "id": "hostile-url",
    "url": " JavaScript:alert(document.cookie)",
    "title": f"Ссылка {SCRIPT}",
    "text": "Посол Франции вручил верительные грамоты в Москве.",
    "published": "2026-03-03",
}
MARKED_UP_NAME = f'{SCRIPT}" onmouseover="alert(3)'
MARKED_UP_TEXT = (
    f"Глава ведомства {MARKED_UP_NAME} заявил: «<img src=x onerror=alert(4)>». "
    "Встреча <script>alert(5)</script> пройдёт 20 марта 2026 года."
)
# Echoed in the 404 page of an unknown document id (no "/": that would be another path).
ECHOED_ID = '<img src=x onerror=alert(7)>" onmouseover="alert(8)'
HTML = {"accept": "text/html"}


def marked_up() -> Document:
    """A document whose entity name, post, quote, event and title are all markup."""
    t = MARKED_UP_TEXT
    return Document(
        id="t-markup",
        source="архив/<b>разметка</b>.txt",
        title=f"Заголовок {SCRIPT}",
        published="2026-03-01",
        text=t,
        mentions=[mention(t, MARKED_UP_NAME, "PER", MARKED_UP_NAME, "e1")],
        entities=[Entity("e1", "PER", MARKED_UP_NAME, [MARKED_UP_NAME])],
        positions=[
            Position(
                "e1", '<b onmouseover="alert(6)">глава</b>', None, "2026-03-01", *at(t, "Глава ведомства")
            )
        ],
        quotes=[Quote("e1", MARKED_UP_NAME, "<img src=x onerror=alert(4)>", "direct", *at(t, "<img"))],
        events=[
            Event(
                "v1",
                "meeting",
                f"встреча {SCRIPT}",
                "announced",
                "2026-03-20",
                "2026-03-20",
                participants=["e1"],
                start=t.index("Встреча"),
                end=len(t),
            )
        ],
    )


@pytest.fixture(scope="module", params=BACKENDS)
def security_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The web store, with a hostile article and a hostile row ingested by the CLI and the hand-written
    document of markup; in SQLite, then in PostgreSQL."""
    folder = tmp_path_factory.mktemp("security")
    if request.param == "sqlite":
        db = str(folder / "letopis.db")
    else:
        postgres = request.getfixturevalue("postgres")
        db = postgres.new_database()
        request.addfinalizer(lambda: postgres.drop(db))
    fill_web_store(db, folder)
    (folder / "lavrov.txt").write_text(HOSTILE_ARTICLE, encoding="utf-8")
    (folder / "rows.jsonl").write_text(json.dumps(HOSTILE_ROW, ensure_ascii=False) + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["ingest", str(folder / "lavrov.txt"), str(folder / "rows.jsonl"), "--db", db]
    )
    assert result.exit_code == 0, result.output
    with Store.open(db) as store:
        store.add(marked_up())
    return db


@pytest.fixture(scope="module")
def secure_server(security_db: str) -> Iterator[str]:
    """`letopis serve` of the security store, curation on (LETOPIS_TOKEN = CURATION_TOKEN)."""
    with serving(security_db, CURATION_TOKEN) as base:
        yield base


def entity_id(base: str, name: str) -> int:
    items = httpx.get(base + "/api/entities", params={"q": name}, timeout=30).json()["items"]
    return next(item["id"] for item in items if item["name"] == name)


# --- hostile text renders as text ----------------------------------------------------------------


class PageParts(HTMLParser):
    """What a browser would run or follow in a page: script elements, event-handler attributes, link
    targets; and the page's text as a reader sees it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[dict[str, str | None]] = []
        self.handlers: list[str] = []
        self.targets: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handlers += [f"<{tag} {name}=…>" for name, _ in attrs if name.startswith("on")]
        self.targets += [
            value or "" for name, value in attrs if name in ("href", "src", "action", "formaction")
        ]
        if tag == "script":
            self.scripts.append({**dict(attrs), "body": ""})
            self._in_script = True

    def handle_endtag(self, tag: str) -> None:
        self._in_script = self._in_script and tag != "script"

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1]["body"] = (self.scripts[-1]["body"] or "") + data
        else:
            self.text.append(data)


def page_parts(html: str) -> PageParts:
    parts = PageParts()
    parts.feed(html)
    parts.close()
    return parts


def executable_markup(html: str) -> list[str]:
    """What in the page would run: inline scripts (other than JSON data that parses), event
    handlers, and javascript:/data: link targets."""
    parts = page_parts(html)
    problems = list(parts.handlers)
    for script in parts.scripts:
        if script.get("type") == "application/json":
            json.loads(script["body"] or "")  # data broken out of its JSON would not parse
        elif not (script.get("src") or "").startswith("/static/") or (script["body"] or "").strip():
            problems.append(f"<script {script}>")
    problems += [
        target
        for target in parts.targets
        if "".join(target.split()).lower().startswith(("javascript:", "data:", "vbscript:"))
    ]
    return problems


# The pages that show the hostile article, row and document; {…} are ids the store gave them.
PAGES = {
    "doc": "/doc/{lavrov_doc}",
    "doc of markup": "/doc/t-markup",
    "doc with a javascript: url": "/doc/hostile-url",
    "entity": "/entity/{lavrov}",
    "entity of markup": "/entity/{marked_up}",
    "search snippet": "/search?q=диалог",
    "search inside the markup": "/search?q=script+alert",
    "search echoing the query": "/search?q=" + quote(f"{ATTRIBUTE} {SCRIPT}"),
    "documents": "/documents",
    "index": "/",
    "calendar": "/calendar?month=2026-03",
    "graph": "/graph",
    "404 page echoing the id": "/doc/" + quote(ECHOED_ID, safe=""),
}


@pytest.fixture(scope="module")
def hostile_ids(secure_server: str) -> dict[str, object]:
    items = httpx.get(secure_server + "/api/documents", params={"source": "lavrov.txt"}, timeout=30).json()
    return {
        "lavrov_doc": items["items"][0]["id"],
        "lavrov": entity_id(secure_server, "Сергей Лавров"),
        "marked_up": entity_id(secure_server, MARKED_UP_NAME),
    }


def hostile_page(base: str, page: str, ids: dict[str, object]) -> httpx.Response:
    return httpx.get(base + PAGES[page].format(**ids), headers=HTML, timeout=30)


@pytest.mark.parametrize("page", list(PAGES))
def test_hostile_text_has_no_executable_markup_in_the_page(
    secure_server: str, hostile_ids: dict, page: str
) -> None:
    response = hostile_page(secure_server, page, hostile_ids)
    assert response.status_code == (404 if page.startswith("404") else 200)
    assert response.headers["content-type"].startswith("text/html")
    assert executable_markup(response.text) == []


@pytest.mark.parametrize(
    ("page", "shown"),
    [
        ("doc", f"Мы открыты к диалогу {SCRIPT} и {ATTRIBUTE}"),
        ("doc of markup", MARKED_UP_TEXT),
        ("entity of markup", MARKED_UP_NAME),
        ("entity", f"Мы открыты к диалогу {SCRIPT}"),
        ("search snippet", f"Мы открыты к диалогу {SCRIPT} и {ATTRIBUTE}"),
        ("search inside the markup", SCRIPT),
        ("search echoing the query", f"{ATTRIBUTE} {SCRIPT}"),
        ("404 page echoing the id", f"no document with id {ECHOED_ID}"),
    ],
)
def test_hostile_text_is_shown_as_text(secure_server: str, hostile_ids: dict, page: str, shown: str) -> None:
    html = hostile_page(secure_server, page, hostile_ids).text
    assert shown in " ".join("".join(page_parts(html).text).split())


def test_a_javascript_url_is_not_a_link(secure_server: str) -> None:
    html = httpx.get(secure_server + "/doc/hostile-url", timeout=30).text
    assert "javascript:" not in html.lower()
    assert "rows.jsonl" in "".join(page_parts(html).text)


def test_json_twins_are_served_as_json(secure_server: str) -> None:
    response = httpx.get(secure_server + "/api/search", params={"q": "script"}, timeout=30)
    assert response.headers["content-type"] == "application/json"
    assert SCRIPT in json.dumps(response.json(), ensure_ascii=False)


# --- injection on every parameter of every route -------------------------------------------------

INJECTIONS = [
    "' OR 1=1 --",
    '"; DROP TABLE documents; --',
    "%",
    "_",
    "‘ OR ‘1’=‘1’ --",
    "«»„“”ʼ",
    "1); DELETE FROM entities; --",
    "\x00",
    "²",  # a digit to str.isdigit() that int() refuses
    "99999999999999999999",  # past the database's 64-bit integers
]
# The form fields the curation routes read from their bodies (web/curate.py), by route.
FORM_FIELDS = {
    "/curate/login": ("token", "next"),
    "/curate/facts/{kind}/{fact_id}/reject": ("next",),
    "/curate/entities/{entity_id}/merge": ("into",),
    "/curate/entities/{entity_id}/rename": ("name",),
}
STORE_TABLES = ("documents", "doc_entities", "entities", "positions", "quotes", "dates", "events", "topics")


def full_schema(app: FastAPI) -> dict:
    """The app's OpenAPI schema with the routes it keeps out of /docs too: the HTML pages and forms."""
    routes = []
    for route in app.routes:
        if isinstance(route, APIRoute):
            route = copy.copy(route)
            route.include_in_schema = True
        routes.append(route)
    return get_openapi(title=app.title, version=app.version, routes=routes)


def body_fields(operation: dict, schema: dict) -> list[str]:
    """The JSON body's fields of an operation ($ref resolved), if it takes one."""
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    if body is None:
        return []
    if "$ref" in body:
        body = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
    return list(body.get("properties", {}))


def targets(app: FastAPI) -> list[tuple[str, str, str, str]]:
    """(method, path, where, name) of every parameter of every route: path, query, JSON body, form."""
    schema = full_schema(app)
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            found += [(method, path, p["in"], p["name"]) for p in operation.get("parameters", [])]
            found += [(method, path, "body", name) for name in body_fields(operation, schema)]
            if method == "post" and path in FORM_FIELDS:
                found += [(method, path, "form", name) for name in FORM_FIELDS[path]]
    return found


APP = create_app("unused.db")  # only its routes are read: no store is opened
TARGETS = targets(APP)
BODY_FIELDS = {(method, path): [] for method, path, _, _ in TARGETS}
for method, path, where, name in TARGETS:
    if where == "body":
        BODY_FIELDS[(method, path)].append(name)


def test_every_form_route_has_its_fields_listed() -> None:
    forms = {
        path
        for path, operations in full_schema(APP)["paths"].items()
        if "post" in operations and "requestBody" not in operations["post"] and path.startswith("/curate/")
    }
    assert forms == set(FORM_FIELDS)


def test_every_route_has_a_parameter_to_inject_or_none() -> None:
    paths = {path for _, path, _, _ in TARGETS}
    assert {"/api/search", "/search", "/doc/{doc_id}", "/entity/{entity_id}.json", "/extract"} <= paths
    assert "/api/entities/{entity_id}/rename" in paths and "/curate/login" in paths


@pytest.fixture(scope="module")
def valid(secure_server: str) -> dict[str, object]:
    """A valid value for each parameter that is not the one under attack."""
    return {
        "doc_id": "t-forum",
        "entity_id": entity_id(secure_server, "Мари Дюбуа"),
        "kind": "quote",
        "fact_id": 1,
        "text": "Министр встретился с послом.",
        "into": entity_id(secure_server, "Мари Дюбуа"),
        "name": "Мари Дюбуа",
    }


def attack(
    client: httpx.Client, target: tuple[str, str, str, str], value: str, valid: dict
) -> httpx.Response:
    """The request with `value` as the target parameter and valid values elsewhere (with the bearer
    token, and signed in with the form's CSRF token, so the value gets as far as it can)."""
    method, path, where, name = target
    url = path
    for key, default in valid.items():
        url = url.replace(
            "{" + key + "}", quote(value if where == "path" and key == name else str(default), safe="")
        )
    params = {name: value} if where == "query" else None
    if method == "get":
        return client.get(url, params=params)
    if where == "form":
        session = session_value(CURATION_TOKEN)
        fields = {"csrf": csrf_token(CURATION_TOKEN, session, unquote(url)), name: value}
        return client.post(url, data=fields)
    body = {field: valid[field] for field in BODY_FIELDS.get((method, path), []) if field in valid}
    return client.post(url, params=params, json={**body, name: value} if where == "body" else body)


def store_state(db: str) -> dict[str, object]:
    """Rows per content table and every document's content hash; the integrity check of an SQLite file."""
    with Store.open(db) as store:
        execute = store.connection.execute
        state = {
            "rows": {table: execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in STORE_TABLES},
            "documents": [
                tuple(row) for row in execute("SELECT id, content_hash FROM documents ORDER BY id")
            ],
        }
    if not db.startswith(("postgresql:", "postgres:")):
        with sqlite3.connect(db) as connection:
            state["integrity"] = connection.execute("PRAGMA integrity_check").fetchall()
    return state


@pytest.fixture(scope="module")
def state_before(security_db: str, secure_server: str) -> dict[str, object]:
    return store_state(security_db)


@pytest.mark.parametrize(
    ("method", "path", "where", "name"), TARGETS, ids=[" ".join(target) for target in TARGETS]
)
def test_injection_is_never_a_server_error(
    secure_server: str, valid: dict, state_before: dict, method: str, path: str, where: str, name: str
) -> None:
    accept = (
        HTML if not path.endswith((".json", ".ics")) and not path.startswith(("/api/", "/extract")) else {}
    )
    headers = {"authorization": f"Bearer {CURATION_TOKEN}", **accept}
    cookies = {COOKIE: session_value(CURATION_TOKEN)}
    with httpx.Client(base_url=secure_server, headers=headers, cookies=cookies, timeout=60) as client:
        statuses = {
            value: attack(client, (method, path, where, name), value, valid).status_code
            for value in INJECTIONS
        }
    assert {value: status for value, status in statuses.items() if status >= 500} == {}


def test_the_store_is_intact_after_the_injections(security_db: str, state_before: dict) -> None:
    after = store_state(security_db)
    assert after.get("integrity", [("ok",)]) == [("ok",)]
    assert after == state_before


@pytest.mark.parametrize(
    ("path", "params", "detail"),
    [
        ("/api/entities", {"q": "Лав\x00ров"}, "q: a NUL character is not allowed"),
        ("/api/documents", {"source": "\x00"}, "source: a NUL character is not allowed"),
        ("/doc/t-forum%00.json", {}, "doc_id: a NUL character is not allowed"),
    ],
)
def test_a_nul_character_in_a_parameter_is_a_400_with_a_message(
    secure_server: str, path: str, params: dict, detail: str
) -> None:
    response = httpx.get(secure_server + path, params=params, timeout=30)
    assert (response.status_code, response.json()) == (400, {"detail": detail})


# --- search syntax -------------------------------------------------------------------------------

NO_WORDS = ['"', "*", "(", "-", ":", "^", "()", '"*"']
TAKEN_AS_WORDS = [
    "AND",
    "NEAR(",
    "OR",
    "NOT",
    "Балаева AND",
    "NEAR(Балаева",
    "title:Балаева",
    "Балаева*",
    "-Балаева",
]
SEARCHES = ["/api/search", "/search.json", "/api/entities"]


@pytest.mark.parametrize("route", SEARCHES)
@pytest.mark.parametrize("query", NO_WORDS)
def test_a_query_of_syntax_alone_is_a_400_json_message(secure_server: str, route: str, query: str) -> None:
    response = httpx.get(secure_server + route, params={"q": query}, timeout=30)
    assert response.status_code == 400
    assert response.json() == {"detail": f"nothing to search for in {query!r}: it has no words"}


@pytest.mark.parametrize("query", NO_WORDS)
def test_a_query_of_syntax_alone_is_a_400_page_with_the_form(secure_server: str, query: str) -> None:
    response = httpx.get(secure_server + "/search", params={"q": query}, headers=HTML, timeout=30)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert "nothing to search for" in response.text and 'name="q"' in response.text


@pytest.mark.parametrize("route", [*SEARCHES, "/search"])
@pytest.mark.parametrize("query", TAKEN_AS_WORDS)
def test_search_syntax_among_words_is_taken_as_words(secure_server: str, route: str, query: str) -> None:
    response = httpx.get(secure_server + route, params={"q": query}, headers=HTML, timeout=30)
    assert response.status_code == 200


def test_an_operator_word_finds_only_itself(secure_server: str) -> None:
    hits = httpx.get(secure_server + "/api/search", params={"q": "Балаева OR референдум"}, timeout=30).json()
    assert hits["total"] == 0


# --- static files --------------------------------------------------------------------------------

TRAVERSALS = [
    "/static/../../../../etc/passwd",
    "/static/../app.py",
    "/static/../templates/base.html",
    "/static/%2e%2e/app.py",
    "/static/%2e%2e%2fapp.py",
    "/static/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/static/..%2f..%2f..%2f..%2fetc/passwd",
    "/static/%252e%252e%252fapp.py",
    "/static/....//app.py",
    "/static/..%5capp.py",
    "/static//etc/passwd",
    "/static/%2fetc%2fpasswd",
    "/static/style.css%00.py",
    "/etc/passwd",
    "//etc/passwd",
]


def raw_get(base: str, path: str) -> tuple[int, bytes]:
    """GET `path` byte for byte (an HTTP library would resolve the dots first)."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.mark.parametrize("path", TRAVERSALS)
def test_static_paths_outside_the_folder_are_404(server: str, path: str) -> None:
    status, body = raw_get(server, path)
    assert status == 404
    assert b"root:" not in body and b"create_app" not in body and b"{% block" not in body


def test_static_files_inside_the_folder_are_served(server: str) -> None:
    assert raw_get(server, "/static/style.css")[0] == 200


# --- request bodies ------------------------------------------------------------------------------


def raw_post_head(base: str, path: str, declared: int, sent: bytes) -> bytes:
    """Announce a body of `declared` bytes, send only `sent`, and read what the server answers."""
    parts = urlsplit(base)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {declared}\r\nConnection: close\r\n\r\n"
        )
        sock.sendall(head.encode() + sent)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
        return answer


@pytest.mark.parametrize("path", ["/extract", "/api/extract"])
def test_extract_body_over_the_limit_is_413_with_a_message(server: str, path: str) -> None:
    body = json.dumps({"text": "а" * (MAX_BODY_BYTES // 2)}).encode()  # two bytes a letter, escaped: 6
    assert len(body) > MAX_BODY_BYTES
    response = httpx.post(
        server + path, content=body, headers={"content-type": "application/json"}, timeout=60
    )
    assert response.status_code == 413
    assert response.json() == {"detail": "request body is larger than 1 MB (1048576 bytes): send less text"}


@pytest.mark.parametrize("path", ["/extract", "/api/extract"])
def test_extract_refuses_a_declared_length_over_the_limit_before_reading_it(server: str, path: str) -> None:
    answer = raw_post_head(server, path, declared=10**12, sent=b'{"text": "')
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413 ")
    assert json.loads(body)["detail"].startswith("request body is larger than 1 MB")


def test_extract_stops_reading_a_chunked_body_over_the_limit(server: str) -> None:
    chunks = (b'{"text": "' + b"a" * 65536 for _ in range(3 * MAX_BODY_BYTES // 65536))
    response = httpx.post(server + "/extract", content=chunks, headers={"content-type": "application/json"})
    assert response.status_code == 413


@pytest.mark.parametrize("length", ["declared", "chunked"])
def test_a_curation_form_body_over_the_limit_is_413(secure_server: str, length: str) -> None:
    body = b"token=" + b"x" * (4 * MAX_FORM_BYTES)
    content = body if length == "declared" else iter([body[:1000], body[1000:]])
    headers = {"content-type": "application/x-www-form-urlencoded"}
    response = httpx.post(secure_server + "/curate/login", content=content, headers=headers, timeout=60)
    assert response.status_code == 413
    assert response.json() == {"detail": "request body is larger than 64 KB (65536 bytes): send less text"}


# --- where the server listens ---------------------------------------------------------------------


def test_serve_listens_on_loopback_by_default() -> None:
    result = CliRunner().invoke(cli, ["serve", "--help"], env={"COLUMNS": "200"})
    assert "[default: 127.0.0.1]" in result.output
    assert load_settings({}).host == "127.0.0.1"


def test_the_running_server_listens_on_loopback_only(server: str) -> None:
    port = urlsplit(server).port
    listening = {
        c.laddr.ip
        for c in psutil.net_connections("tcp")
        if c.status == psutil.CONN_LISTEN and c.laddr.port == port
    }
    assert listening == {"127.0.0.1"}
