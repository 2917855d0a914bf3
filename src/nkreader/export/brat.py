"""brat standoff export: one `.txt` and one `.ann` per article, for NLP annotation tools.

The `.txt` is the article's stored text, byte for byte (UTF-8, `\\n` line ends), so the
offsets in the `.ann` — code point offsets, end exclusive, brat's own convention — are the
stored ones. Lines of the `.ann` (tab-separated, as brat writes them):

- `T1	Claim 120 180	text` — a text-bound annotation: its kind (`Claim`, `Quote`, `Policy`),
  its span and its text. A span across line breaks is written as brat writes one, as fragments
  `120 150;151 180` split at the line breaks, with their texts joined by a space;
- `A1	Status T1 corroborated` — the status of a claim (or of another kind when it was set);
  `A2	Reliability T1 B` — its source's reliability (A–F), `A3	Credibility T1 2` — its own (1–6),
  `A4	Review T1` — an update changed its words after its status was set (with a `#	Was T1	…`
  note holding the words it was made on);
- `R1	Corroborates Arg1:T1 Arg2:T2` — a link between two annotations of the same article
  (`Corroborates`, `Contradicts`, `Same-as`, `Cites`; Arg1 is the link's source);
- `#1	AnnotatorNotes T1	…` — the note (brat shows it on hover); line breaks as `\\n`,
  tabs as `\\t`, backslashes as `\\\\`;
- `#2	Speaker T1	…`, `#3	Tag T1	…` (one per tag), `#4	UUID T1	…` (nkreader's uuid, so an
  import recognises its own annotations) and `#5	Link T1	corroborates urn:uuid:…` for a link
  whose other end is in another article (brat relations stay within one document).

`annotation.conf` and `visual.conf` beside the files declare these types to brat. An orphaned
annotation (no longer in the text) or an empty one has no span and is left out (counted).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from nkreader.analysis import NO_GRADES, Grades
from nkreader.domain import AnchorState, Annotation, Article, Kind, Link, LinkType, Status
from nkreader.export.native import ArticleExport

ENTITY_TYPES = {Kind.CLAIM: "Claim", Kind.QUOTE: "Quote", Kind.POLICY: "Policy"}
RELATION_TYPES = {
    LinkType.CORROBORATES: "Corroborates",
    LinkType.CONTRADICTS: "Contradicts",
    LinkType.SAME_AS: "Same-as",
    LinkType.CITES: "Cites",
}

ANNOTATION_CONF = """\
# brat configuration for an nkreader export
[entities]
Claim
Quote
Policy

[relations]
Corroborates	Arg1:<ENTITY>, Arg2:<ENTITY>
Contradicts	Arg1:<ENTITY>, Arg2:<ENTITY>
Same-as	Arg1:<ENTITY>, Arg2:<ENTITY>
Cites	Arg1:<ENTITY>, Arg2:<ENTITY>
<OVERLAP>	Arg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>

[events]

[attributes]
Status	Arg:<ENTITY>, Value:unverified|corroborated|disputed|refuted
Reliability	Arg:<ENTITY>, Value:A|B|C|D|E|F
Credibility	Arg:<ENTITY>, Value:1|2|3|4|5|6
Review	Arg:<ENTITY>
"""

VISUAL_CONF = """\
[labels]
Claim | Claim | C
Quote | Quote | Q
Policy | Policy statement | Policy | P

[drawing]
Claim	bgColor:#9fc2f7
Quote	bgColor:#a5e0b8
Policy	bgColor:#f6d58e
Corroborates	color:#2e7d32
Contradicts	color:#c62828
"""

_UNSAFE_NAME = re.compile(r"[^\w.-]+")


def escape_note(text: str) -> str:
    """One line: backslashes, line breaks and tabs written as `\\\\`, `\\n`, `\\t`."""
    return text.replace("\\", "\\\\").replace("\r", "").replace("\n", "\\n").replace("\t", "\\t")


def unescape_note(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def document_name(article: Article) -> str:
    """A file stem that says which article it is: `12-hyesan-market-prices` (any script kept)."""
    slug = _UNSAFE_NAME.sub("-", article.title.lower()).strip("-.")[:60].strip("-.")
    return f"{article.id}-{slug}" if slug else f"article-{article.id}"


def fragments(body: str, start: int, end: int) -> list[tuple[int, int]]:
    """The span as brat holds one: pieces split at line breaks, without empty pieces."""
    pieces: list[tuple[int, int]] = []
    position = start
    while position < end:
        newline = body.find("\n", position, end)
        stop = end if newline == -1 else newline
        if stop > position:
            pieces.append((position, stop))
        position = stop + 1
    return pieces


@dataclass(slots=True)
class BratDocument:
    name: str
    text: str
    ann: str
    written: int
    left_out: int


@dataclass(slots=True)
class _Numbering:
    counters: dict[str, int] = field(default_factory=dict)

    def next(self, prefix: str) -> str:
        self.counters[prefix] = self.counters.get(prefix, 0) + 1
        return f"{prefix}{self.counters[prefix]}"


def placed(article: Article, annotation: Annotation) -> bool:
    """Whether the annotation has a span in the article's text that brat can show."""
    return (
        annotation.anchor_state is not AnchorState.ORPHANED
        and annotation.start < annotation.end <= len(article.body)
        and bool(fragments(article.body, annotation.start, annotation.end))
    )


def document(item: ArticleExport, links: Sequence[Link], grades: Grades = NO_GRADES) -> BratDocument:
    article = item.article
    body = article.body
    numbering = _Numbering()
    lines: list[str] = []
    ids: dict[str, str] = {}
    left_out = 0
    for annotation in sorted(item.annotations, key=lambda a: (a.start, a.end, a.uuid)):
        if not placed(article, annotation):
            left_out += 1
            continue
        pieces = fragments(body, annotation.start, annotation.end)
        tid = numbering.next("T")
        ids[annotation.uuid] = tid
        spans = ";".join(f"{s} {e}" for s, e in pieces)
        text = " ".join(body[s:e] for s, e in pieces)
        lines.append(f"{tid}\t{ENTITY_TYPES[annotation.kind]} {spans}\t{text}")
        if annotation.kind is Kind.CLAIM or annotation.status is not Status.UNVERIFIED:
            lines.append(f"{numbering.next('A')}\tStatus {tid} {annotation.status.value}")
        reliability, credibility = grades.of(annotation.speaker, annotation.uuid)
        if reliability:
            lines.append(f"{numbering.next('A')}\tReliability {tid} {reliability}")
        if credibility:
            lines.append(f"{numbering.next('A')}\tCredibility {tid} {credibility}")
        review = grades.review(annotation.uuid)
        if review is not None:
            lines.append(f"{numbering.next('A')}\tReview {tid}")
            lines.append(f"{numbering.next('#')}\tWas {tid}\t{escape_note(review.original)}")
        if annotation.note:
            lines.append(f"{numbering.next('#')}\tAnnotatorNotes {tid}\t{escape_note(annotation.note)}")
        if annotation.speaker:
            lines.append(f"{numbering.next('#')}\tSpeaker {tid}\t{_one_line(annotation.speaker)}")
        for tag in annotation.tags:
            lines.append(f"{numbering.next('#')}\tTag {tid}\t{_one_line(tag)}")
        lines.append(f"{numbering.next('#')}\tUUID {tid}\t{annotation.uuid}")
    for link in links:
        source, target = ids.get(link.source_uuid), ids.get(link.target_uuid)
        if source and target:
            lines.append(f"{numbering.next('R')}\t{RELATION_TYPES[link.type]} Arg1:{source} Arg2:{target}")
        elif source:
            lines.append(
                f"{numbering.next('#')}\tLink {source}\t{link.type.value} urn:uuid:{link.target_uuid}"
            )
    ann = "".join(line + "\n" for line in lines)
    return BratDocument(document_name(article), body, ann, len(ids), left_out)


def documents(
    items: Iterable[ArticleExport], links: Sequence[Link], grades: Grades = NO_GRADES
) -> list[BratDocument]:
    """One document per article; each link is a relation (or a `Link` note) in its source's file."""
    by_source: dict[str, list[Link]] = {}
    for link in links:
        by_source.setdefault(link.source_uuid, []).append(link)
    result = []
    for item in items:
        own = [link for a in item.annotations for link in by_source.get(a.uuid, [])]
        result.append(document(item, own, grades))
    return result
