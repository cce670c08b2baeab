"""One writer, many readers: `letopis serve` answers while `letopis ingest` writes to the same store,
with no server error and no "database is locked" anywhere."""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx

from conftest import free_port
from letopis.store import Store

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import make_fuzz_corpus  # noqa: E402 - bench/ is not a package

ARTICLES = 30
MIN_REQUESTS, MAX_REQUESTS = 200, 1500
PATHS = ("/api/documents", "/search?q=встреча", "/api/search?q=министр", "/documents.json")


def start_server(db: Path, log: Path) -> tuple[subprocess.Popen, str]:
    """`letopis serve` of `db` on a free loopback port, its output to `log`; the process and base URL."""
    port = free_port()
    command = [sys.executable, "-m", "letopis", "serve", "--db", str(db), "--port", str(port)]
    process = subprocess.Popen(command, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(base + "/api/summary", timeout=1)
            return process, base
        except httpx.TransportError:
            assert process.poll() is None, log.read_text(encoding="utf-8")
            assert time.monotonic() < deadline, "letopis serve did not start"
            time.sleep(0.1)


def test_serve_answers_without_errors_while_ingest_writes(tmp_path: Path) -> None:
    db, server_log, ingest_log = tmp_path / "kb.db", tmp_path / "serve.log", tmp_path / "ingest.log"
    Store.open(db).close()
    make_fuzz_corpus.write_articles(tmp_path / "articles", ARTICLES)
    server, base = start_server(db, server_log)
    try:
        command = [sys.executable, "-m", "letopis", "ingest", str(tmp_path / "articles"), "--db", str(db)]
        with ingest_log.open("wb") as log:
            ingest = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        statuses: Counter[int] = Counter()
        during_ingest = 0
        with httpx.Client(base_url=base, timeout=30) as client:
            while len(statuses) == 0 or sum(statuses.values()) < MAX_REQUESTS:
                running = ingest.poll() is None
                if not running and sum(statuses.values()) >= MIN_REQUESTS:
                    break
                response = client.get(PATHS[sum(statuses.values()) % len(PATHS)])
                statuses[response.status_code] += 1
                during_ingest += running
        assert ingest.wait(timeout=120) == 0, ingest_log.read_text(encoding="utf-8")
    finally:
        server.terminate()
        server.wait(timeout=10)
    outputs = server_log.read_text(encoding="utf-8") + ingest_log.read_text(encoding="utf-8")
    assert "database is locked" not in outputs
    assert "Traceback" not in outputs
    assert [status for status in statuses if status >= 500] == []
    assert set(statuses) == {200}
    assert during_ingest >= 50
    assert f"read {ARTICLES}, new {ARTICLES}," in outputs
