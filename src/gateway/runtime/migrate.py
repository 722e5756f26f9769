"""Run the Alembic migrations programmatically (``gateway migrate``, start-up, tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

import gateway


def _script_location() -> Path:
    # Installed wheels carry the migrations inside the package; a checkout has them at the root.
    packaged = Path(gateway.__file__).parent / "_migrations"
    if packaged.is_dir():
        return packaged
    return Path(gateway.__file__).resolve().parents[2] / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_script_location()))
    config.set_main_option("path_separator", "os")
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the database to ``revision``. Runs its own event loop: call it from a thread
    (``asyncio.to_thread``) when one is already running."""
    command.upgrade(alembic_config(database_url), revision)
