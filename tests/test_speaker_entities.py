"""Speaker aliases are entity spellings (issue 17): one store for both. A speaker is an entity
(a person unless said otherwise); `speakers --alias` and `entity variant` add to the same
spellings; `speaker:` search, the browser's speaker filter, the suggestions' speaker
resolution and the speakers screen read them; merging two person entities merges the speakers.
Migration 0014 moves the old `speakers` / `speaker_aliases` rows into the entities, on SQLite
and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import inspect, text

from conftest import SAMPLES
from nkreader.cli import main
from nkreader.domain import ArticleDraft, BrowseFilter, Kind
from nkreader.services import entities, sources
from nkreader.services.browse import browse
from nkreader.services.library import Library, content_hash
from nkreader.services.speakers import add_alias, canonical, merge, speakers
from nkreader.services.suggestions import speaker_book
from nkreader.store import migrate
from nkreader.store.articles import add_article
from nkreader.store.database import Database
from nkreader.tui.app import create_app
from nkreader.tui.speakers_screen import SpeakersScreen

BODY = "Kim Jong Un spoke. 김정은 said more. Kim Jong-un left. A source said prices rose. Pyongyang waited."


def run(db: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--db", db, *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def spoken(library: Library) -> int:
    with library.database.writing() as session:
        article = add_article(session, ArticleDraft(title="Speech", body=BODY), content_hash(BODY))
    assert article.id is not None
    for exact, speaker in (("Kim Jong Un spoke.", "Kim Jong Un"), ("김정은 said more.", "김정은"),
                           ("Kim Jong-un left.", "Kim Jong-un"), ("A source said", "a source")):
        start = BODY.index(exact)
        library.annotate(article.id, Kind.QUOTE, start, start + len(exact), speaker=speaker)
    return article.id


def test_an_alias_is_a_spelling_of_a_person_entity(any_library: Library) -> None:
    spoken(any_library)
    add_alias(any_library, "Kim Jong Un", "Kim Jong-un")
    found = entities.find(any_library, "Kim Jong-un")
    assert found is not None and (found.name, found.kind.value) == ("Kim Jong Un", "person")
    assert found.variants == ["Kim Jong Un", "Kim Jong-un"]
    # a spelling added to the entity is a speaker alias: one store
    entities.add_variants(any_library, "Kim Jong Un", ["김정은"])
    assert canonical(any_library, "김정은") == "Kim Jong Un"
    by_name = {s.name: (s.aliases, s.total) for s in speakers(any_library)}
    assert by_name["Kim Jong Un"] == (["Kim Jong-un", "김정은"], 3)
    assert "김정은" not in by_name
    rows, total = browse(any_library, BrowseFilter(speaker="김정은"))
    assert total == 3
    # the suggestion rules resolve any spelling to the canonical name
    assert speaker_book(any_library).resolve("김정은") == "Kim Jong Un"
    # a spelling of a place is not taken as a speaker alias of someone else
    entities.add(any_library, "Pyongyang", "place", ["평양"])
    try:
        add_alias(any_library, "Kim Jong Un", "평양")
    except ValueError as exc:
        assert "Pyongyang" in str(exc)
    else:
        raise AssertionError("a place's spelling became a speaker alias")


def test_speaker_search_and_cli_read_the_entity(tmp_path: Path) -> None:
    db = str(tmp_path / "lib.db")
    library = Library.open(db)
    try:
        spoken(library)
    finally:
        library.close()
    code, out, err = run(db, "search", 'speaker:"Kim Jong Un"')
    assert code == 0 and "Kim Jong Un spoke" in out and "김정은 said more" not in out, err
    assert run(db, "entity", "add", "Kim Jong Un", "--kind", "person", "--variant", "김정은")[0] == 0
    code, out, err = run(db, "search", 'speaker:"Kim Jong Un"')
    assert code == 0, err
    assert "Kim Jong Un spoke" in out and "김정은 said more" in out
    code, out, _ = run(db, "speakers", "--alias", "Kim Jong Un", "Kim Jong-un")
    assert code == 0
    listed = json.loads(run(db, "entity", "list", "--json")[1])
    assert listed == [{"name": "Kim Jong Un", "kind": "person", "variants": ["Kim Jong Un", "김정은", "Kim Jong-un"]}]
    code, out, _ = run(db, "search", 'speaker:김정은')
    assert "Kim Jong-un left" in out and "Kim Jong Un spoke" in out and "김정은 said more" in out


def test_merging_two_person_entities_merges_the_speakers(any_library: Library) -> None:
    article = spoken(any_library)
    entities.add(any_library, "Kim Jong Un", "person")
    entities.add(any_library, "김정은", "person", ["Kim Jong-un"])
    sources.grade(any_library, "김정은", "C", note="state media")
    merged = entities.merge(any_library, "Kim Jong Un", "김정은")
    assert merged.variants == ["Kim Jong Un", "김정은", "Kim Jong-un"]
    spelled = sorted(a.speaker or "" for a in any_library.annotations(article))
    assert spelled == ["Kim Jong Un", "Kim Jong Un", "Kim Jong Un", "a source"]
    entry = next(e for e in sources.register(any_library) if e.name == "Kim Jong Un")
    assert entry.reliability == "C" and entry.quotes == 3
    assert [s.name for s in speakers(any_library)] == ["Kim Jong Un", "a source"]
    # and a speaker merge is an entity merge: one entity left
    merge(any_library, "Kim Jong Un", "a source")
    assert [e.name for e in entities.entities(any_library)] == ["Kim Jong Un"]


def test_migration_moves_speakers_into_entities(db_url: str) -> None:
    Library.open(db_url).close()
    database = Database.open(db_url)
    try:
        migrate.downgrade(database.engine, "0013")
        with database.engine.begin() as connection:
            assert {"speakers", "speaker_aliases"} <= set(inspect(connection).get_table_names())
            rows = [
                "INSERT INTO speakers (id, name) VALUES (1, 'Kim Jong Un'), (2, 'KCNA'), (3, 'Kim Yo Jong')",
                "INSERT INTO speaker_aliases (speaker_id, alias) VALUES (1, 'Kim Jong-un'), (1, '김정은'), "
                "(2, 'Korean Central News Agency'), (3, 'Kim Yo-jong'), (3, 'kcna')",
                "INSERT INTO entities (name, kind, created_at) VALUES ('KCNA', 'org', '2026-12-01 00:00:00.000000')",
                "INSERT INTO entity_variants (entity_id, variant, folded) "
                "SELECT id, 'KCNA', 'kcna' FROM entities WHERE name = 'KCNA'",
            ]
            for statement in rows:
                connection.execute(text(statement))
        migrate.upgrade(database.engine)
        with database.engine.connect() as connection:
            assert not {"speakers", "speaker_aliases"} & set(inspect(connection).get_table_names())
    finally:
        database.close()
    library = Library.open(db_url)
    try:
        found = {e.name: (e.kind.value, e.variants) for e in entities.entities(library)}
        assert found == {
            "Kim Jong Un": ("person", ["Kim Jong Un", "Kim Jong-un", "김정은"]),
            "KCNA": ("org", ["KCNA", "Korean Central News Agency"]),  # joined the organisation
            "Kim Yo Jong": ("person", ["Kim Yo Jong", "Kim Yo-jong"]),  # 'kcna' stays KCNA's
        }
        assert canonical(library, "김정은") == "Kim Jong Un"
        assert canonical(library, "Korean Central News Agency") == "KCNA"
    finally:
        library.close()
    database = Database.open(db_url)
    try:  # and back: the people and organisations with other spellings are speakers again
        migrate.downgrade(database.engine, "0013")
        with database.engine.connect() as connection:
            aliases = connection.execute(
                text("SELECT s.name, a.alias FROM speakers s JOIN speaker_aliases a ON a.speaker_id = s.id "
                     "ORDER BY s.name, a.id")
            ).all()
        assert [tuple(r) for r in aliases] == [
            ("KCNA", "Korean Central News Agency"),
            ("Kim Jong Un", "Kim Jong-un"),
            ("Kim Jong Un", "김정은"),
            ("Kim Yo Jong", "Kim Yo-jong"),
        ]
        migrate.upgrade(database.engine)
    finally:
        database.close()


async def test_the_speakers_screen_shows_an_entity_spelling_as_an_alias(
    library: Library, tmp_path: Path
) -> None:
    spoken(library)
    entities.add(library, "Kim Jong Un", "person", ["김정은", "Kim Jong-un"])
    app = create_app(library, keymap_path=tmp_path / "config.toml", samples=SAMPLES)
    async with app.run_test(size=(160, 50)) as pilot:
        app.action_speakers()
        for _ in range(200):
            await pilot.pause(0.02)
            if isinstance(app.screen, SpeakersScreen) and app.screen.loads:
                break
        screen = app.screen
        assert isinstance(screen, SpeakersScreen)
        first = [str(c) for c in screen.table.get_row_at(0)]
        assert "Kim Jong Un" in first and any("김정은" in c and "Kim Jong-un" in c for c in first), first
        assert "3" in first
