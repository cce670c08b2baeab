"""The web UI and JSON API served for real by uvicorn on 127.0.0.1 (web/app.py)."""

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from letopis.cli import app

SAMPLES = Path(__file__).parent.parent / "samples"
HOSTILE = 'Министр Сергей Лавров заявил: <script>alert(1)</script> и " onmouseover="alert(2)'


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("web")
    db = str(folder / "letopis.db")
    (folder / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    runner = CliRunner()
    assert (
        runner.invoke(app, ["ingest", str(SAMPLES), str(folder / "hostile.txt"), "--db", db]).exit_code == 0
    )
    port = _free_port()
    command = [sys.executable, "-m", "letopis", "serve", "--db", db, "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(base + "/index.json", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def _doc_id(base: str, title_start: str) -> str:
    items = httpx.get(base + "/api/documents").json()["items"]
    return next(d["id"] for d in items if (d.get("title") or "").startswith(title_start))


def test_index_lists_documents_and_entities(server: str) -> None:
    page = httpx.get(server + "/")
    assert page.status_code == 200
    assert "Стороны обсудили" in page.text
    assert "Аида Балаева" in page.text


def test_document_page_highlights_mentions(server: str) -> None:
    doc_id = _doc_id(server, "Стороны обсудили")
    page = httpx.get(f"{server}/doc/{doc_id}")
    assert page.status_code == 200
    assert '<mark class="PER"' in page.text
    assert ">Аиды Балаевой</mark>" in page.text


def test_document_json_twin_is_the_contract(server: str) -> None:
    doc_id = _doc_id(server, "Стороны обсудили")
    record = httpx.get(f"{server}/doc/{doc_id}.json").json()
    assert record["schema"] == 1 and record["id"] == doc_id
    assert record["published"] == "2026-02-24"


def test_entity_page_and_twin(server: str) -> None:
    hits = httpx.get(server + "/api/search", params={"q": "Балаевой", "type": "PER"}).json()
    entity_id = hits["entities"][0]["id"]
    profile = httpx.get(f"{server}/entity/{entity_id}.json").json()
    assert profile["name"] == "Аида Балаева"
    page = httpx.get(f"{server}/entity/{entity_id}")
    assert page.status_code == 200 and "Аида Балаева" in page.text


def test_search_page_finds_inflected_form(server: str) -> None:
    page = httpx.get(server + "/search", params={"q": "референдум"})
    assert page.status_code == 200
    assert "Стороны обсудили" in page.text


def test_hostile_text_is_escaped(server: str) -> None:
    items = httpx.get(server + "/api/documents").json()["items"]
    doc_id = next(d["id"] for d in items if d["source"].endswith("hostile.txt"))
    page = httpx.get(f"{server}/doc/{doc_id}").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '" onmouseover="' not in page


def test_unknown_document_is_404_json(server: str) -> None:
    response = httpx.get(server + "/doc/nope.json")
    assert response.status_code == 404
    assert "nope" in json.dumps(response.json())
