"""Tags with spaces and previews of passages are shown so they cannot be misread (issue 12, item 4)."""

from __future__ import annotations

from nkreader.domain import Annotation, Kind, Link, LinkType, LinkView, new_uuid, utcnow
from nkreader.tui.annotation_list import annotation_prompt, link_prompt
from nkreader.tui.cues import passage_preview, tag_label, tags_label


def make(exact: str, **fields: object) -> Annotation:
    now = utcnow()
    return Annotation(
        id=1, uuid=new_uuid(), article_id=1, kind=Kind.QUOTE, start=0, end=len(exact), exact=exact,
        prefix="", suffix="", created_at=now, updated_at=now, **fields,  # type: ignore[arg-type]
    )


def test_a_tag_with_a_space_reads_as_one_tag() -> None:
    assert tag_label("market") == "#market"
    assert tag_label("foreign phones") == "#[foreign phones]"
    assert tags_label(["foreign phones", "usim", " "]) == "#[foreign phones] #usim"
    prompt = annotation_prompt(make("Phones were seized.", tags=["foreign phones", "usim"])).plain
    assert "#[foreign phones] #usim" in prompt and "#foreign phones" not in prompt


def test_preview_keeps_the_texts_own_quotation_marks_visible() -> None:
    assert passage_preview("“People used to switch to corn,” she said.", 60).startswith("‹“People")
    assert passage_preview("", 10) == "‹…›"


def test_link_preview_of_a_quote_is_not_doubly_quoted() -> None:
    other = make("“We will not back down,” the official said.")
    link = Link(id=1, uuid=new_uuid(), source_uuid=new_uuid(), target_uuid=other.uuid, type=LinkType.CORROBORATES)
    plain = link_prompt(LinkView(link=link, direction="out", other=other, other_article_title="NK Daily")).plain
    assert "‹“We will not back down" in plain and "““" not in plain
