"""Apply the shipped Alembic migrations when the library is opened.

A database whose schema revision this version does not know was written by a
newer nkreader: it is refused, never "upgraded" into something else.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from nkreader.store.engine import WRITE_OPTION
from nkreader.store.errors import StoreTooNew

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", "nkreader.store:migrations")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def check_not_newer(revision: str | None) -> None:
    if revision is None:
        return
    scripts = ScriptDirectory.from_config(alembic_config())
    known = {script.revision for script in scripts.walk_revisions()}
    if revision not in known:
        raise StoreTooNew(
            f"this library was written by a newer nkreader (schema {revision}, this version knows "
            f"up to {head_revision()}); upgrade nkreader to open it"
        )


def upgrade(engine: Engine, revision: str = "head") -> None:
    with engine.execution_options(**{WRITE_OPTION: True}).begin() as connection:
        command.upgrade(alembic_config(connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    with engine.execution_options(**{WRITE_OPTION: True}).begin() as connection:
        command.downgrade(alembic_config(connection), revision)


def check_drift(engine: Engine) -> None:
    """Raise if the models and the migrations disagree (`alembic check`)."""
    with engine.connect() as connection:
        command.check(alembic_config(connection))
