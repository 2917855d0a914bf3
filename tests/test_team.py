"""A team on one library (issue 11): who marked what, agreement from the CLI, changes seen by
other processes, backups a user can restore. Runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from nkreader.cli import main
from nkreader.domain import Kind
from nkreader.services.annotators import resolve_annotator
from nkreader.services.importing import import_paths
from nkreader.services.library import Library


def cli(db: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--db", db, *args])
    return result.exit_code, result.output


@pytest.fixture
def marked(db_url: str) -> tuple[str, int]:
    """The samples, with ana and ben each marking the rice article (one claim the same, one quote
    with other ends, one claim each alone)."""
    setup = Library.open(db_url)
    import_paths(setup, [SAMPLES])
    article = next(s.id for s in setup.summaries() if s.title.startswith("Rice tops"))
    setup.close()
    for who, spans in (
        ("ana", [(0, 40, Kind.CLAIM), (100, 160, Kind.QUOTE), (300, 340, Kind.CLAIM)]),
        ("ben", [(0, 40, Kind.CLAIM), (105, 160, Kind.QUOTE), (500, 540, Kind.CLAIM)]),
    ):
        library = Library.open(db_url, annotator=who)
        for start, end, kind in spans:
            library.annotate(article, kind, start, end)
        library.close()
    return db_url, article


def test_agreement_table_and_json(marked: tuple[str, int]) -> None:
    db, article = marked
    code, output = cli(db, "agreement", "--between", "ana", "ben", "--json")
    assert code == 0, output
    rows = {r["kind"]: r for r in map(json.loads, output.splitlines())}
    claim, quote = rows["claim"], rows["quote"]
    assert (claim["a"], claim["b"], claim["a_marks"], claim["b_marks"]) == ("ana", "ben", 2, 2)
    assert claim["exact"]["precision"] == 0.5 and claim["exact"]["f1"] == 0.5
    assert quote["exact"]["matched"] == 0 and quote["overlap"]["matched"] == 1
    assert 0 < claim["kappa"] < 1 and 0.9 < quote["kappa"] < 1
    code, table = cli(db, "agreement", "--article", str(article))
    assert code == 0, table
    assert "ana / ben" in table and "kappa" in table and "0.50 0.50 0.50" in table


def test_agreement_refuses_what_it_cannot_compare(marked: tuple[str, int]) -> None:
    db, _ = marked
    code, output = cli(db, "agreement", "--between", "ana", "zed")
    assert code == 2 and "'zed' made no marks here (annotators: ana, ben)" in output
    code, output = cli(db, "agreement", "--article", "9999")
    assert code != 0 and "no article 9999" in output and "Traceback" not in output


def test_marks_record_who_made_them_and_exports_carry_it(marked: tuple[str, int], tmp_path: Path) -> None:
    db, article = marked
    target = tmp_path / "w3c.json"
    code, output = cli(db, "export", "-f", "w3c", "-o", str(target))
    assert code == 0, output
    document = json.loads(target.read_text(encoding="utf-8"))
    items = document.get("first", {}).get("items") or document.get("items") or []
    creators = sorted(item["creator"]["name"] for item in items)
    assert creators == ["ana"] * 3 + ["ben"] * 3


def test_who_is_marking(monkeypatch: pytest.MonkeyPatch, isolated_environment: Path) -> None:
    import getpass

    monkeypatch.setattr(getpass, "getuser", lambda: "osuser")
    assert resolve_annotator(None) == "osuser"
    config = isolated_environment / "config" / "nkreader" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('annotator = "Ana Kim"\n', encoding="utf-8")
    assert resolve_annotator(None) == "Ana Kim"
    assert resolve_annotator("ben") == "ben"
    assert resolve_annotator("  ben\x1b[31m  ") == "ben[31m"  # never an escape sequence
    config.write_text("annotator = [broken\n", encoding="utf-8")
    assert resolve_annotator(None) == "osuser"


def test_another_process_change_is_seen(any_library: Library, db_url: str) -> None:
    import_paths(any_library, [SAMPLES])
    article = any_library.summaries()[0].id
    before = any_library.database.data_version()
    other = Library.open(db_url, annotator="ben")
    try:
        other.annotate(article, Kind.CLAIM, 0, 10)
    finally:
        other.close()
    deadline = time.monotonic() + 5
    while any_library.database.data_version() == before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert any_library.database.data_version() != before


def test_a_grade_or_an_entity_from_another_process_is_seen(any_library: Library, db_url: str) -> None:
    """Grades, sources and entities live in their own tables: their changes reach other apps too
    (on PostgreSQL those tables NOTIFY, migration 0015)."""
    from nkreader.services import entities, sources

    import_paths(any_library, [SAMPLES])
    article = any_library.summaries()[0].id
    claim = any_library.annotate(article, Kind.CLAIM, 0, 10, speaker="a source in Hyesan")

    def seen_after(change) -> bool:
        before = any_library.database.data_version()
        other = Library.open(db_url, annotator="ben")
        try:
            change(other)
        finally:
            other.close()
        deadline = time.monotonic() + 5
        while any_library.database.data_version() == before and time.monotonic() < deadline:
            time.sleep(0.05)
        return any_library.database.data_version() != before

    assert seen_after(lambda lib: sources.set_credibility(lib, claim.uuid, 2))
    assert seen_after(lambda lib: sources.grade(lib, "a source in Hyesan", "B"))
    assert seen_after(lambda lib: entities.add(lib, "Kaecheon", kind="place", variants=["Kaechon"]))


def test_backup_is_a_library_that_restores(marked: tuple[str, int], tmp_path: Path, new_postgres_url) -> None:
    db, _ = marked
    postgres_url = new_postgres_url()
    copy = tmp_path / "copy.db"
    code, output = cli(db, "db", "backup", str(copy))
    assert code == 0, output
    code, original = cli(db, "agreement", "--json")
    assert code == 0
    assert cli(str(copy), "agreement", "--json") == (0, original)
    # restore into an empty server library: the same marks, the same search, new marks get new ids
    code, output = cli(postgres_url, "db", "restore", str(copy))
    assert code == 0, output
    assert "restored 11 articles, 6 annotations" in output
    assert cli(postgres_url, "agreement", "--json") == (0, original)
    assert cli(postgres_url, "search", "쌀값")[1] == cli(db, "search", "쌀값")[1]
    restored = Library.open(postgres_url, annotator="cat")
    try:
        article = restored.summaries()[0].id
        restored.annotate(article, Kind.POLICY, 0, 5)
    finally:
        restored.close()
    code, output = cli(postgres_url, "db", "restore", str(copy))
    assert code != 0 and "already holds a library" in output


async def test_two_analysts_see_each_others_marks_in_the_app(db_url: str, tmp_path: Path) -> None:
    """ana's app is open; ben marks in another process: his claim shows up in her app, with his
    name, without a key pressed (the app's 2 s poll: LISTEN/NOTIFY on PostgreSQL)."""
    from nkreader.tui.annotation_list import AnnotationList
    from nkreader.tui.app import create_app
    from nkreader.tui.reader import ReaderView

    ana = Library.open(db_url, annotator="ana")
    import_paths(ana, [SAMPLES / "hyesan-market-prices.txt"])
    article = ana.summaries()[0].id
    ben = Library.open(db_url, annotator="ben")
    app = create_app(ana, keymap_path=tmp_path / "config.toml", samples=SAMPLES)
    try:
        async with app.run_test(size=(160, 50)) as pilot:
            await pilot.press("enter")
            await pilot.pause()
            reader = pilot.app.screen.query_one(ReaderView)
            await pilot.press("c")  # ana's own claim on the first sentence
            await pilot.pause()
            body = ben.article(article).body
            start = body.index("Corn, the staple")
            ben.annotate(article, Kind.CLAIM, start, body.index(".", start) + 1)
            deadline = time.monotonic() + 10
            while len(reader.highlights) < 2 and time.monotonic() < deadline:
                await pilot.pause(0.1)
            assert len(reader.highlights) == 2
            listing = pilot.app.screen.query_one(AnnotationList)
            prompts = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
            assert any("ben" in p for p in prompts) and any("ana" in p for p in prompts)
    finally:
        ben.close()
    assert sorted(a.author for a in ana.annotations(article)) == ["ana", "ben"]
    ana.close()


def test_an_unreachable_server_is_one_line_and_exit_4() -> None:
    """README: 4 = the library is unavailable. A server that refuses connections (nothing listens on
    the port) says so in one line, without the password, for a command and for the app alike."""
    import socket

    pytest.importorskip("psycopg")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # free once closed: nothing listens there
    url = f"postgresql://ana:secret@127.0.0.1:{port}/team"
    for args in (["list"], []):  # a command, and the app (no command)
        result = CliRunner().invoke(main, ["--db", url, *args])
        assert result.exit_code == 4, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and "cannot be reached" in lines[0] and "Connection refused" in lines[0]
        assert "secret" not in result.output and "Traceback" not in result.output


async def test_tags_in_the_app_on_both_backends(db_url: str, tmp_path: Path) -> None:
    """`t` reads the library's tags for completion (PostgreSQL's json has no <>: this once crashed
    the app there) and stores the ones typed."""
    from nkreader.tui.app import create_app

    library = Library.open(db_url, annotator="ana")
    import_paths(library, [SAMPLES / "hyesan-market-prices.txt"])
    article = library.summaries()[0].id
    library.annotate(article, Kind.QUOTE, 300, 340, tags=["prices"])
    assert library.known_tags() == ["prices"]
    app = create_app(library, keymap_path=tmp_path / "config.toml", samples=SAMPLES)
    try:
        async with app.run_test(size=(160, 50)) as pilot:
            await pilot.press("enter")
            await pilot.pause()
            await pilot.press("c")
            await pilot.pause()
            await pilot.press("t")
            await pilot.pause()
            await pilot.press(*"rice", "enter")
            await pilot.pause()
        tags = sorted(tuple(a.tags) for a in library.annotations(article))
        assert tags == [("prices",), ("rice",)]
    finally:
        library.close()


def test_a_server_library_is_shared(any_library: Library, backend: str) -> None:
    """The app polls a server library every second (its colleagues' marks within 2 s), a file every 2 s."""
    assert any_library.shared is (backend == "postgres")


def test_a_server_gone_while_listening_is_a_store_error(postgres_url: str) -> None:
    """The app's poll reads notifications on a raw psycopg connection: when the server goes away
    its error must be a StoreError (the poll catches those and the app stays open), not a crash."""
    import psycopg

    from nkreader.store.errors import StoreError

    library = Library.open(postgres_url)
    try:
        library.change_token()  # LISTEN on its own connection
        database = library.database
        raw = database._version_connection.driver_connection  # type: ignore[union-attr]
        pid = raw.info.backend_pid
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        with pytest.raises(StoreError):
            library.change_token()
        assert library.change_token() is not None  # and the next poll listens again
    finally:
        library.close()
