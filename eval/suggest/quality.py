"""Measure the suggestion rules on a labelled set: precision and recall per kind, speaker accuracy.

    PYTHONPATH=src python eval/suggest/quality.py            # every article
    PYTHONPATH=src python eval/suggest/quality.py --split dev   # or held-out, held-out-1, held-out-2
    PYTHONPATH=src python eval/suggest/quality.py --errors   # list misses and false suggestions

The set: the bundled sample articles (``dev``: the rules were tuned on them) and articles written
for this set (``held-out``: labelled before the rules were first run on them), in two rounds
(``held-out-1``: 5 articles; ``held-out-2``: 8 articles, gold committed alone before the first run;
a gold file's ``# set:`` line names its round). ``blind.json`` keeps each held-out round's figures
from the first run of the rules on it, so the report can show them beside today's ("final"): a
held-out round stops being blind once the rules are changed after looking at its errors. Gold files
in ``gold/`` hold one item a line:

    Q | speaker[/other spelling] | exact quoted text (with its marks)
    S | exact                       a scare quote: must never be suggested as a quote
    N | exact                       neutral (slogans on banners): a quote suggestion here is not scored
    P | speaker | words inside the sentence     a policy statement (the whole sentence)
    C | words inside the sentence               a claim (the whole sentence)

Matching: a quote matches when its span and the gold span overlap by at least 80% of the longer;
a policy statement or a claim matches when it overlaps the gold sentence by at least half of the
shorter. A speaker is right when, titles and articles aside, one spelling contains the other as whole words.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SAMPLES = ROOT / "sample_articles"
ARTICLES = HERE / "articles"
GOLD = HERE / "gold"
BLIND = HERE / "blind.json"
SPLITS = ("dev", "held-out-1", "held-out-2", "held-out", "all")

TARGETS = {
    "quote_precision": 0.9,
    "quote_recall": 0.95,
    "speaker_accuracy": 0.85,
    "scare_as_quote": 0,
    "policy_recall": 0.8,
}


@dataclass
class Gold:
    kind: str
    start: int
    end: int
    speaker: list[str] = field(default_factory=list)
    text: str = ""


@dataclass
class Article:
    name: str
    split: str
    body: str
    gold: list[Gold]


def _fold(name: str) -> str:
    from nkreader.suggest.model import fold_name

    return " ".join(fold_name(name).replace("-", " ").split())


def speaker_right(predicted: str | None, gold: list[str]) -> bool:
    if not predicted:
        return False
    p = _fold(predicted)
    # whole words only: "he" must not match "the station" (it did before 2026-12-02, flattering the figures)
    return any(p and g and (f" {g} " in f" {p} " or f" {p} " in f" {g} ") for g in (_fold(x) for x in gold))


def _read_bodies(path: Path) -> list[str]:
    from nkreader.ingest import read_file

    return [d.body for d in read_file(path).drafts]


def load(split: str = "all") -> list[Article]:
    from nkreader.text.segment import sentence_at

    out: list[Article] = []
    for gold_path in sorted(GOLD.glob("*.gold")):
        stem = gold_path.stem
        part = "dev"
        source = next(SAMPLES.glob(f"{stem.split('#')[0]}.*"), None)
        if source is None:
            part = _held_out_round(gold_path)
            source = next(ARTICLES.glob(f"{stem}.*"))
        if split not in ("all", part) and not (split == "held-out" and part.startswith("held-out")):
            continue
        bodies = _read_bodies(source)
        index = int(stem.split("#")[1]) if "#" in stem else 0
        body = bodies[index]
        items: list[Gold] = []
        cursor: dict[str, int] = {}
        for number, line in enumerate(gold_path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = [p.strip() for p in line.split(" | ")]
            kind = parts[0]
            text = parts[-1].replace("\\n", "\n")
            at = body.find(text, cursor.get(text, 0))
            if at < 0:
                at = body.find(text)
            if at < 0:
                raise SystemExit(f"{gold_path.name}:{number}: text not in the article: {text!r}")
            cursor[text] = at + 1
            start, end = at, at + len(text)
            if kind in ("P", "C"):
                s0, _ = sentence_at(body, start)
                _, e1 = sentence_at(body, max(start, end - 1))
                start, end = s0, e1
            speaker = parts[1].split("/") if kind in ("Q", "P") and len(parts) == 3 else []
            items.append(Gold(kind, start, end, speaker, text))
        out.append(Article(f"{source.name}{'#' + str(index) if '#' in stem else ''}", part, body, items))
    return out


def _held_out_round(gold_path: Path) -> str:
    """The round a held-out gold file belongs to: its ``# set:`` line, else the first round."""
    for line in gold_path.read_text(encoding="utf-8").splitlines()[:5]:
        if line.startswith("# set:"):
            return line.split(":", 1)[1].split()[0]
    return "held-out-1"


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def evaluate(split: str = "all", errors: list[str] | None = None) -> dict[str, float]:
    from nkreader.suggest import suggest

    counts = {k: {"tp": 0, "fp": 0, "fn": 0} for k in ("quote", "policy", "claim")}
    speakers_right = speakers_total = scare_hits = scare_total = 0
    slowest = (0.0, "")
    articles = load(split)
    started = time.process_time()
    suggest("")  # the first call compiles the patterns: timed apart from the articles
    warmup = time.process_time() - started
    for article in articles:
        started = time.process_time()
        found = suggest(article.body)
        elapsed = time.process_time() - started
        slowest = max(slowest, (elapsed, article.name))
        for kind, letter in (("quote", "Q"), ("policy", "P"), ("claim", "C")):
            gold = [g for g in article.gold if g.kind == letter]
            mine = [s for s in found if s.kind == kind]
            matched: set[int] = set()
            for s in mine:
                hit = None
                for i, g in enumerate(gold):
                    ov = _overlap(s.start, s.end, g.start, g.end)
                    if kind == "quote":
                        ok = ov >= 0.8 * max(s.end - s.start, g.end - g.start)
                    else:
                        ok = ov >= 0.5 * min(s.end - s.start, g.end - g.start)
                    if ok and i not in matched:
                        hit = i
                        break
                if hit is None:
                    if kind == "quote":
                        if any(
                            _overlap(s.start, s.end, g.start, g.end) for g in article.gold if g.kind == "N"
                        ):
                            continue
                        if any(
                            _overlap(s.start, s.end, g.start, g.end) for g in article.gold if g.kind == "S"
                        ):
                            scare_hits += 1
                    if kind != "quote" and any(_overlap(s.start, s.end, g.start, g.end) for g in gold):
                        continue  # a second suggestion on a matched sentence: not a new claim
                    counts[kind]["fp"] += 1
                    if errors is not None:
                        errors.append(
                            f"{article.name}: false {kind} [{s.speaker}] {s.exact[:90]!r} ({s.rule})"
                        )
                    continue
                matched.add(hit)
                counts[kind]["tp"] += 1
                if kind == "quote":
                    speakers_total += 1
                    if speaker_right(s.speaker, gold[hit].speaker):
                        speakers_right += 1
                    elif errors is not None:
                        errors.append(
                            f"{article.name}: speaker {s.speaker!r}, gold {gold[hit].speaker} for {s.exact[:60]!r}"
                        )
            for i, g in enumerate(gold):
                if i not in matched:
                    counts[kind]["fn"] += 1
                    if errors is not None:
                        errors.append(f"{article.name}: missed {kind} {article.body[g.start : g.end][:90]!r}")
        scare_total += sum(1 for g in article.gold if g.kind == "S")
    result: dict[str, float] = {
        "articles": len(articles),
        "slowest_ms": round(slowest[0] * 1000, 1),
        "first_call_ms": round(warmup * 1000, 1),
    }
    for kind, c in counts.items():
        result[f"{kind}_gold"] = c["tp"] + c["fn"]
        result[f"{kind}_suggested"] = c["tp"] + c["fp"]
        result[f"{kind}_precision"] = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        result[f"{kind}_recall"] = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
    result["speaker_accuracy"] = speakers_right / speakers_total if speakers_total else 1.0
    result["speakers_scored"] = speakers_total
    result["scare_gold"] = scare_total
    result["scare_as_quote"] = scare_hits
    result["slowest_article"] = slowest[1]  # type: ignore[assignment]
    return result


def report(result: dict[str, float]) -> str:
    lines = [
        f"{int(result['articles'])} articles; slowest {result['slowest_article']} {result['slowest_ms']} ms"
    ]
    lines.extend(_figure_lines(result))
    return "\n".join(lines)


def _figure_lines(result: dict[str, float], indent: str = "") -> list[str]:
    """One line per kind with its item counts, the speaker and the scare-quote lines."""
    lines = []
    for kind in ("quote", "policy", "claim"):
        lines.append(
            f"{indent}{kind:7} gold {int(result[f'{kind}_gold']):4}  suggested {int(result[f'{kind}_suggested']):4}  "
            f"P {result[f'{kind}_precision']:.3f}  R {result[f'{kind}_recall']:.3f}"
        )
    lines.append(
        f"{indent}speaker accuracy {result['speaker_accuracy']:.3f} on {int(result['speakers_scored'])} matched quotes"
    )
    lines.append(
        f"{indent}scare quotes suggested as quotes: {int(result['scare_as_quote'])} of {int(result['scare_gold'])}"
    )
    return lines


def blind_figures() -> dict[str, dict]:
    """The saved first-run figures per held-out round (``blind.json``); empty when none is saved."""
    import json

    if not BLIND.exists():
        return {}
    data: dict[str, dict] = json.loads(BLIND.read_text(encoding="utf-8"))
    return data


def held_out_report(final: dict[str, dict[str, float]]) -> str:
    """Each held-out round as "blind" (its saved first run) and "final" (the rules of today)."""
    lines = []
    saved = blind_figures()
    for split in ("held-out-1", "held-out-2"):
        lines.append(f"== {split}: blind vs final")
        blind = saved.get(split)
        if blind is None:
            lines.append("  blind: no first-run figures saved")
        else:
            lines.append(f"  blind ({blind.get('when', '?')}; {blind.get('note', '')})")
            lines.extend(_figure_lines(blind["figures"], "    "))
            if "rescored" in blind:  # the same first run, measured the way "final" is measured
                lines.append(f"  blind, rescored ({blind['rescored']['note']})")
                lines.extend(_figure_lines(blind["rescored"]["figures"], "    "))
        lines.append("  final")
        lines.extend(_figure_lines(final[split], "    "))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=SPLITS, default=None)
    parser.add_argument("--errors", action="store_true")
    parser.add_argument(
        "--save-blind",
        metavar="ROUND",
        choices=["held-out-1", "held-out-2"],
        help="store this round's figures as its blind first run in blind.json (once, before any fix)",
    )
    args = parser.parse_args(argv)
    splits = [args.split] if args.split else list(SPLITS)
    results: dict[str, dict[str, float]] = {}
    for split in splits:
        errors: list[str] | None = [] if args.errors else None
        result = evaluate(split, errors)
        results[split] = result
        print(f"== {split}")
        print(report(result))
        for line in errors or []:
            print("  " + line)
    if args.save_blind:
        import json

        saved = blind_figures()
        if args.save_blind in saved:
            print(f"{args.save_blind} already has blind figures in {BLIND.name}: not overwritten")
            return 1
        saved[args.save_blind] = {
            "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "note": "first run of the rules on this round, before any change made after seeing it",
            "figures": results.get(args.save_blind) or evaluate(args.save_blind),
        }
        BLIND.write_text(json.dumps(saved, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if not args.split:
        print(held_out_report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
