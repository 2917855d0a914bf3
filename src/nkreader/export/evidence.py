"""What reports say around a passage: the passages linked to it, and how to cite it.

Pure data and text: the store read that fills `LinkedPassage`s is `services.reporting`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import quote, urlsplit

from nkreader.domain import Article, Kind, LinkType

_LABELS = {
    (LinkType.CORROBORATES, "out"): "Corroborates",
    (LinkType.CORROBORATES, "in"): "Corroborated by",
    (LinkType.CONTRADICTS, "out"): "Contradicts",
    (LinkType.CONTRADICTS, "in"): "Contradicted by",
    (LinkType.SAME_AS, "out"): "Same as",
    (LinkType.SAME_AS, "in"): "Same as",
    (LinkType.CITES, "out"): "Cites",
    (LinkType.CITES, "in"): "Cited by",
}
_MACHINE = {
    (LinkType.CORROBORATES, "in"): "corroborated-by",
    (LinkType.CONTRADICTS, "in"): "contradicted-by",
    (LinkType.SAME_AS, "in"): "same-as",
    (LinkType.CITES, "in"): "cited-by",
}

WEB_SCHEMES = ("http", "https")


@dataclass(slots=True, frozen=True)
class LinkedPassage:
    """The other end of a link, seen from one passage."""

    type: LinkType
    direction: str
    """"out": this passage is the link's source (it corroborates the other); "in": the target."""
    uuid: str
    kind: Kind
    exact: str
    article_id: int
    article_title: str
    article_source: str | None
    article_published: date | None
    article_url: str | None = None

    @property
    def label(self) -> str:
        """How a reader says it: "Corroborated by", "Contradicts" …"""
        return _LABELS[(self.type, self.direction)]

    @property
    def relation(self) -> str:
        """How a program says it: `corroborates`, `corroborated-by`, `contradicts` …"""
        return _MACHINE.get((self.type, self.direction), self.type.value)


def date_text(published: date | None) -> str:
    """An article's date as reports show it: an undated article says so, never its import date."""
    return published.isoformat() if published else "no date"


def is_web_url(url: str | None) -> bool:
    if not url:
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.netloc)


def _fragment_part(text: str) -> str:
    # `-`, `,` and `&` mean something inside a text directive; everything not unreserved is encoded
    return quote(text, safe="").replace("-", "%2D")


def text_fragment_url(url: str, exact: str, *, words: int = 5) -> str:
    """`url` with a `#:~:text=` directive that makes a browser scroll to and highlight `exact`.

    Short passages are quoted whole; longer ones by their first and last `words` words
    (`textStart,textEnd`), which keeps the link short and survives small edits in between.
    """
    spoken = exact.split()
    if not spoken:
        return url
    if len(spoken) <= 2 * words:
        directive = _fragment_part(" ".join(spoken))
    else:
        directive = _fragment_part(" ".join(spoken[:words])) + "," + _fragment_part(" ".join(spoken[-words:]))
    base, hash_mark, fragment = url.partition("#")
    fragment = fragment.split(":~:", 1)[0] if hash_mark else ""
    return f"{base}#{fragment}:~:text={directive}"


def citation_parts(article: Article) -> list[str]:
    """Title, outlet, date: the plain words of a citation (the caller adds the link)."""
    parts = [f"“{article.title}”"]
    if article.source:
        parts.append(article.source)
    parts.append(date_text(article.published))
    return parts
