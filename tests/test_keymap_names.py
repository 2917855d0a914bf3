"""Key names in config.toml are checked like binding ids: a name Textual cannot deliver is reported and the
binding keeps its default keys (before, ``ctrl+shift+wibble`` was accepted and the action lost its key)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SAMPLES
from nkreader.services.exporting import native_document
from nkreader.services.importing import import_paths
from nkreader.services.library import Library
from nkreader.tui.app import create_app
from nkreader.tui.keymap import invalid_key, load_keymap


@pytest.mark.parametrize("key", ["c", "ctrl+s", "question_mark", "f5", "pagedown", "shift+tab", "alt+left", "+"])
def test_real_keys_are_accepted(key: str) -> None:
    assert invalid_key(key) is None


@pytest.mark.parametrize("key", ["ctrl+shift+wibble", "wibble", "PgDn", "ctlr+s", "ctrl++"])
def test_bad_key_names_are_named(key: str) -> None:
    reason = invalid_key(key)
    assert reason is not None and repr(key) in reason


def test_bad_key_name_skips_that_entry_only(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[keymap]\n"annotate.claim" = "ctrl+shift+wibble"\n"annotate.quote" = "Q"\n', encoding="utf-8")
    keymap, warnings = load_keymap(path)
    assert keymap == {"annotate.quote": "Q"}
    assert len(warnings) == 1
    assert "annotate.claim" in warnings[0] and "'wibble' is not a key name" in warnings[0]


async def test_app_reports_bad_key_and_default_key_still_marks(library: Library, tmp_path: Path) -> None:
    import_paths(library, [SAMPLES / "hyesan-market-prices.txt"])
    config = tmp_path / "config.toml"
    config.write_text('[keymap]\n"annotate.claim" = "ctrl+shift+wibble"\n', encoding="utf-8")
    app = create_app(library, keymap_path=config)
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause()
        assert any("ctrl+shift+wibble" in str(n.message) for n in app._notifications)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
    kinds = [a["kind"] for art in native_document(library)["articles"] for a in art["annotations"]]
    assert kinds == ["claim"]
