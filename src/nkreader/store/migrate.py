"""Apply the shipped Alembic migrations when the library is opened.

A database whose schema revision this version does not know was written by a
newer nkreader: it is refused, never "upgraded" into something else.

Alembic costs ~150 ms to import, more than a bare Textual app takes to start, so
it is imported only when a migration must actually run. Knowing the revisions
needs no Alembic: each migration file is named after its revision (`0002_….py`),
and a test checks that the names and Alembic's own revision graph agree.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from nkreader.store.engine import WRITE_OPTION
from nkreader.store.errors import StoreTooNew

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Connection, Engine

VERSIONS = Path(__file__).with_name("migrations") / "versions"
_REVISION_FILE = re.compile(r"^(\d{4})_\w+\.py$")


def known_revisions() -> list[str]:
    """Revisions this version ships, oldest first, read from the migration file names."""
    found = (_REVISION_FILE.match(p.name) for p in VERSIONS.iterdir())
    return sorted(m.group(1) for m in found if m)


def head_revision() -> str:
    return known_revisions()[-1]


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "nkreader.store:migrations")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def current_revision(engine: Engine) -> str | None:
    """The schema revision stored in the database; None for a new, empty one."""
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError, ProgrammingError

    with engine.connect() as connection:
        try:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except (OperationalError, ProgrammingError) as exc:
            if "alembic_version" in str(exc.orig).lower():
                return None  # no such table yet: a new library
            raise


def check_not_newer(revision: str | None) -> None:
    if revision is None or revision in known_revisions():
        return
    raise StoreTooNew(
        f"this library was written by a newer nkreader (schema {revision}, this version knows "
        f"up to {head_revision()}); upgrade nkreader to open it"
    )


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    with engine.execution_options(**{WRITE_OPTION: True}).begin() as connection:
        command.upgrade(alembic_config(connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    with engine.execution_options(**{WRITE_OPTION: True}).begin() as connection:
        command.downgrade(alembic_config(connection), revision)


def check_drift(engine: Engine) -> None:
    """Raise if the models and the migrations disagree (`alembic check`)."""
    from alembic import command

    with engine.connect() as connection:
        command.check(alembic_config(connection))
