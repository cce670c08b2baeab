"""Settings, read once from the environment and passed down explicitly."""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_DB = "letopis.db"


@dataclass(frozen=True)
class Settings:
    """Where the store lives, where the server listens, and the token that unlocks curation in it."""

    db: str = DEFAULT_DB
    host: str = "127.0.0.1"
    port: int = 8000
    curation_token: str | None = None


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Settings from LETOPIS_DB, LETOPIS_HOST, LETOPIS_PORT and LETOPIS_TOKEN, with safe defaults
    (no token: the server's curation is disabled)."""
    env = os.environ if environ is None else environ
    return Settings(
        db=env.get("LETOPIS_DB", DEFAULT_DB),
        host=env.get("LETOPIS_HOST", "127.0.0.1"),
        port=int(env.get("LETOPIS_PORT", "8000")),
        curation_token=env.get("LETOPIS_TOKEN") or None,
    )
