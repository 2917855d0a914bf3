"""Saved pages are handed to trafilatura only up to `MAX_ELEMENTS` elements (its time grows with them)."""

from __future__ import annotations

import time

import pytest

from nkreader.ingest import webpage
from nkreader.ingest.base import IngestError
from nkreader.ingest.webpage import MAX_ELEMENTS, read_html

ARTICLE = (
    "<article><h1>Rice prices</h1>"
    + "<p>Rice rose to 6,200 won in Hyesan, traders said.</p>" * 8
    + "</article>"
)


def page(body: str) -> bytes:
    return f"<html><head><title>Rice prices</title></head><body>{body}</body></html>".encode()


def test_dense_markup_is_refused_quickly_with_one_line() -> None:
    data = page(ARTICLE + "<p>" + "<b>x</b>" * 300_000 + "</p>")  # 2.4 MB
    started = time.monotonic()
    with pytest.raises(IngestError) as refused:
        read_html(data, "dense.html", "dense")
    assert time.monotonic() - started < 2
    message = str(refused.value)
    assert "\n" not in message and "too much markup" in message and f"{MAX_ELEMENTS:,}" in message


def test_elements_that_are_never_text_do_not_count() -> None:
    icons = "<svg>" + "<path d='M0 0'/>" * (MAX_ELEMENTS + 1000) + "</svg>"
    countries = "<select>" + "<option>Country</option>" * 5_000 + "</select>"
    draft = read_html(page(icons + countries + ARTICLE), "icons.html", "icons")
    assert draft.body.startswith("Rice rose to 6,200 won")
    assert "Country" not in draft.body


def test_a_page_at_the_limit_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(webpage, "MAX_ELEMENTS", 40)
    data = page(ARTICLE)  # html, head, title, body, article, h1 and 8 paragraphs: 14 elements
    assert read_html(data, "a.html", "a").title == "Rice prices"
    with pytest.raises(IngestError, match="too much markup"):
        read_html(page(ARTICLE + "<div><span>x</span></div>" * 20), "b.html", "b")
