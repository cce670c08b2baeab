"""A PostgreSQL server for the tests: the one LETOPIS_TEST_POSTGRES names, else a throwaway cluster
started from the PostgreSQL binaries on this machine, else none (the tests say why).

A throwaway cluster lives in a temp dir (initdb, then pg_ctl start with fsync off, listening on a
free loopback port and a unix socket in that dir) and is deleted when the tests end. initdb refuses
to run as root, so as root the binaries run as the `postgres` user (runuser).
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ENV_URL = "LETOPIS_TEST_POSTGRES"
TEMPLATE = "letopis_template"
# A role with a password, for the wrong-password test (only in a throwaway cluster).
PASSWORD_ROLE, PASSWORD = "letopis_pw", "правильный-пароль"
_names = itertools.count(1)


def binaries() -> Path | None:
    """The folder holding initdb and pg_ctl: on PATH, else the newest /usr/lib/postgresql/*/bin."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).parent
    folders = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda f: int(Path(f).parent.name))
    folders = [f for f in folders if Path(f, "initdb").exists() and Path(f, "pg_ctl").exists()]
    return Path(folders[-1]) if folders else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_owner(command: list[str]) -> list[str]:
    """Run as `postgres` when we are root: initdb and postgres refuse to run as root."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def throwaway_cluster(bin_dir: Path) -> Iterator[str]:
    """Start a new cluster in a temp dir; yield the URL of its superuser; stop and delete it after."""
    folder = Path(tempfile.mkdtemp(prefix="letopis-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    data, port = folder / "data", _free_port()
    try:
        initdb = ["-D", str(data), "-U", "postgres", "-E", "UTF8", "--locale=C", "--auth=trust", "--no-sync"]
        _run(bin_dir / "initdb", *initdb)
        hba = data / "pg_hba.conf"
        rules = f"host all {PASSWORD_ROLE} 127.0.0.1/32 scram-sha-256\n"
        _write_as_owner(hba, rules + hba.read_text())
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off -c synchronous_commit=off"
            " -c full_page_writes=off -c max_connections=200"
        )
        _run(bin_dir / "pg_ctl", "-D", str(data), "-l", str(folder / "log"), "-o", options, "-w", "start")
        try:
            url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
            with psycopg.connect(url, autocommit=True) as admin:
                admin.execute(f"CREATE ROLE {PASSWORD_ROLE} LOGIN PASSWORD '{PASSWORD}'")
            yield url
        finally:
            _run(bin_dir / "pg_ctl", "-D", str(data), "-m", "immediate", "stop")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _run(program: Path, *args: str) -> None:
    """Run a PostgreSQL program (as its owner); a failure says what it printed."""
    done = subprocess.run(_as_owner([str(program), *args]), capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{program.name} failed ({done.returncode}): {done.stderr or done.stdout}")


def _write_as_owner(path: Path, text: str) -> None:
    stat = path.stat()
    path.write_text(text)
    os.chown(path, stat.st_uid, stat.st_gid)


class Server:
    """A server where the tests may create databases: each test's store gets a new one."""

    def __init__(self, url: str, throwaway: bool) -> None:
        self.url = url
        self.throwaway = throwaway
        self.created: list[str] = []
        with self.admin() as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {TEMPLATE}")
            admin.execute(f"CREATE DATABASE {TEMPLATE} TEMPLATE template0 ENCODING 'UTF8'")
        # Migrated once: a copy of it is a store that opens at once.
        from letopis.store import Store

        Store.open(self.database_url(TEMPLATE)).close()

    @contextmanager
    def admin(self) -> Iterator[psycopg.Connection]:
        with psycopg.connect(self.url, autocommit=True) as connection:
            yield connection

    def database_url(self, name: str) -> str:
        """The server's URL with another database."""
        parts = urlsplit(self.url)
        return urlunsplit(parts._replace(path="/" + name))

    def new_database(self) -> str:
        """A new store, migrated but empty; its URL."""
        return self.copy_database(self.database_url(TEMPLATE))

    def copy_database(self, url: str) -> str:
        """A new database holding what the one at `url` holds (nothing may be connected to it); its URL."""
        name = f"letopis_test_{os.getpid()}_{next(_names)}"
        with self.admin() as admin:
            admin.execute(f"CREATE DATABASE {name} TEMPLATE {urlsplit(url).path.lstrip('/')}")
        self.created.append(name)
        return self.database_url(name)

    def drop(self, url: str) -> None:
        """Drop a database new_database made, closing what is still connected to it."""
        name = urlsplit(url).path.lstrip("/")
        with self.admin() as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self.created.remove(name)

    def drop_all(self) -> None:
        with self.admin() as admin:
            for name in [*self.created, TEMPLATE]:
                admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self.created.clear()
