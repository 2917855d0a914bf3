"""Issue 16, search as users write it (item 17), speaker merges (16), the W3C export embedded in
HTML (15, the `</script>` part)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from nkreader.cli import main
from nkreader.domain import Annotation, ArticleDraft, Kind, new_uuid
from nkreader.services import speakers as speaker_service
from nkreader.services.exporting import render
from nkreader.services.library import Library, content_hash
from nkreader.store.annotations import add_annotation
from nkreader.store.articles import add_article


def run(db: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def article(library: Library, body: str, marks: list[tuple[str, str | None, list[str]]] = ()) -> int:
    with library.database.writing() as session:
        stored = add_article(session, ArticleDraft(title=body[:20], body=body), content_hash(body))
        assert stored.id is not None
        for exact, speaker, tags in marks:
            start = body.index(exact)
            add_annotation(
                session,
                Annotation(
                    None,
                    new_uuid(),
                    stored.id,
                    Kind.QUOTE,
                    start,
                    start + len(exact),
                    exact,
                    speaker=speaker,
                    tags=tags,
                    note="a note",
                ),
            )
        return stored.id


@pytest.fixture
def searchable(library: Library, db_path: Path) -> Path:
    article(library, "Samsung shipped phones to Pyongyang last year.")
    article(library, "Samsung and Huawei both sold phones in the border towns.")
    article(
        library,
        "The leader said the harvest was good. Officials praised the USIM cards.",
        [("the harvest was good", "김정은", ["USIM"]), ("praised", "Kim Jong Un", [])],
    )
    speaker_service.add_alias(library, "Kim Jong Un", "김정은")
    return db_path


def titles(out: str) -> list[str]:
    return [line.split("  ")[0] for line in out.splitlines() if not line.startswith("  ")]


@pytest.mark.parametrize(
    "query", ["Samsung AND NOT Huawei", "Samsung and not Huawei", "Samsung -Huawei", "Samsung NOT Huawei"]
)
def test_excluding_a_word_as_users_write_it(searchable: Path, query: str) -> None:
    code, out, err = run(searchable, "search", "--in", "articles", query)
    assert code == 0, err
    assert len(titles(out)) == 1 and "Huawei" not in out and "Pyongyang" in out


def test_lowercase_or(searchable: Path) -> None:
    code, out, _ = run(searchable, "search", "--in", "articles", "pyongyang or huawei")
    assert code == 0 and len(titles(out)) == 2


def test_tag_filter_and_unknown_fields(searchable: Path) -> None:
    code, out, err = run(searchable, "search", "tag:USIM")
    assert code == 0, err
    assert "@16" in out and "@48" not in out  # the quote tagged USIM ("the harvest was good")
    code, _, err = run(searchable, "search", "colour:red")
    assert code == 2 and "unknown field 'colour'" in err and "no such column" not in err


def test_a_lone_not_is_explained(searchable: Path) -> None:
    code, _, err = run(searchable, "search", "NOT Huawei")
    assert code == 2 and "needs something before it" in err


def test_speaker_filter_finds_every_spelling(searchable: Path) -> None:
    code, out, err = run(searchable, "search", 'speaker:"Kim Jong Un"')
    assert code == 0, err
    assert "@16" in out and "@48" in out  # "the harvest" by 김정은, an alias of Kim Jong Un; "praised"


def test_merging_into_an_alias_makes_it_the_name(library: Library, db_path: Path) -> None:
    article(library, "Kim spoke. Then he spoke again.", [("Kim spoke.", "Kim Jong Un", [])])
    speaker_service.add_alias(library, "Kim Jong Un", "Kim Jong-un")
    code, out, err = run(db_path, "speakers", "--merge", "Kim Jong-un", "Kim Jong Un")
    assert code == 0, err
    rows = {row.name: row.aliases for row in speaker_service.speakers(library)}
    assert rows == {"Kim Jong-un": ["Kim Jong Un"]}, (rows, out)
    assert [a.speaker for a in library.annotations(1)] == ["Kim Jong-un"]
    assert "1 annotations changed" in out


def test_w3c_export_cannot_close_a_script_element(library: Library) -> None:
    article(library, "He wrote </script><script>alert(1)</script> in the note.", [])
    with library.database.writing() as session:
        body = library.article(1).body
        start = body.index("</script>")
        add_annotation(
            session,
            Annotation(
                None, new_uuid(), 1, Kind.CLAIM, start, start + 9, "</script>", note="<!-- & </script>"
            ),
        )
    text = render(library, "w3c").text
    assert "</script" not in text.lower() and "<!--" not in text
    document = json.loads(text)
    assert "</script>" in json.dumps(document, ensure_ascii=False)  # the data is intact
