"""Settings, read once from the environment and passed down explicitly."""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_DB = "letopis.db"


@dataclass(frozen=True)
class Settings:
    """Where the store lives and where the server listens."""

    db: str = DEFAULT_DB
    host: str = "127.0.0.1"
    port: int = 8000


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Settings from LETOPIS_DB, LETOPIS_HOST and LETOPIS_PORT, with safe defaults."""
    env = os.environ if environ is None else environ
    return Settings(
        db=env.get("LETOPIS_DB", DEFAULT_DB),
        host=env.get("LETOPIS_HOST", "127.0.0.1"),
        port=int(env.get("LETOPIS_PORT", "8000")),
    )
