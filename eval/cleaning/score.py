"""Score the cleaner against plain trafilatura (default settings) on the evaluation pages, by half.

    python -m eval.cleaning.score            # print the table
    python -m eval.cleaning.score --write docs/cleaning.md   # and replace the figures between the markers

Figures: keep % (gold article snippets found in the output), chrome dropped % (gold chrome snippets absent
from it), headline % (the output's title is exactly the bare headline). Plain-text pages are scored for
the cleaner only (trafilatura reads HTML).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tarjama.errors import TarjamaError
from tarjama.text import clean
from tarjama.text.normalize import normalize

from eval.cleaning.pages import Page, pages

START, END = "<!-- eval:start -->", "<!-- eval:end -->"
Output = tuple[str, list[str]]  # title, lines


def _norm(text: str) -> str:
    return " ".join(normalize(text).split())


def ours(page: Page) -> Output:
    try:
        article = clean(page.raw, "html" if page.kind == "html" else "text")
    except TarjamaError:
        return "", []
    return article.title, list(article.paragraphs)


def trafilatura_plain(page: Page) -> Output:
    import trafilatura

    doc = trafilatura.bare_extraction(page.raw, with_metadata=True)
    if doc is None:
        return "", []
    title, text = getattr(doc, "title", None), getattr(doc, "text", None)
    return str(title or ""), str(text or "").split("\n")


@dataclass
class Tally:
    pages: int = 0
    keep: int = 0
    keep_total: int = 0
    dropped: int = 0
    drop_total: int = 0
    headlines: int = 0

    def add(self, page: Page, out: Output) -> list[str]:
        title, lines = out
        lines = [_norm(x) for x in [title, *lines] if x.strip()]
        joined = " ".join(lines)
        misses: list[str] = []
        self.pages += 1
        for snippet in page.keep:
            self.keep_total += 1
            if _norm(snippet) in joined:
                self.keep += 1
            else:
                misses.append(f"lost: {snippet[:50]}")
        for snippet in page.drop:
            self.drop_total += 1
            s = _norm(snippet)
            short = len(s.split()) < 3
            if any((line == s) if short else (s in line) for line in lines):
                misses.append(f"kept chrome: {snippet[:50]}")
            else:
                self.dropped += 1
        if _norm(title) == _norm(page.headline):
            self.headlines += 1
        else:
            misses.append(f"headline: {title[:60]!r}")
        return misses

    def figures(self) -> tuple[float, float, float]:
        return (
            100 * self.keep / max(1, self.keep_total),
            100 * self.dropped / max(1, self.drop_total),
            100 * self.headlines / max(1, self.pages),
        )


Systems = dict[str, Callable[[Page], Output]]
SYSTEMS: Systems = {"tarjama": ours, "trafilatura": trafilatura_plain}


def run(half: str | None = None, verbose: bool = False) -> dict[tuple[str, str, str], Tally]:
    """(system, half, kind) -> tally. `half` limits the pages scored (tune | held)."""
    tallies: dict[tuple[str, str, str], Tally] = {}
    for page in pages():
        if half is not None and page.half != half:
            continue
        for system, fn in SYSTEMS.items():
            if page.kind != "html" and system != "tarjama":
                continue
            misses = tallies.setdefault((system, page.half, page.kind), Tally()).add(page, fn(page))
            if verbose and misses and system == "tarjama":
                print(f"[{page.name}]", *misses, sep="\n  ")
    return tallies


def table(tallies: dict[tuple[str, str, str], Tally]) -> str:
    rows = [
        "| input | half | system | pages | keep % | chrome dropped % | bare headline % |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for (system, half, kind), t in sorted(tallies.items(), key=lambda kv: (kv[0][2], kv[0][1], kv[0][0])):
        keep, dropped, head = t.figures()
        rows.append(
            f"| {kind} | {half} | {system} | {t.pages} | {keep:.1f} ({t.keep}/{t.keep_total}) | "
            f"{dropped:.1f} ({t.dropped}/{t.drop_total}) | {head:.1f} ({t.headlines}/{t.pages}) |"
        )
    return "\n".join(rows)


def write(path: Path, text: str) -> None:
    doc = path.read_text(encoding="utf-8")
    if START not in doc:
        raise SystemExit(f"{path}: no {START} marker")
    doc = re.sub(re.escape(START) + ".*?" + re.escape(END), f"{START}\n{text}\n{END}", doc, flags=re.S)
    path.write_text(doc, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--write", type=Path, help="replace the figures in this markdown file")
    parser.add_argument("--half", choices=["tune", "held"], help="score only this half")
    parser.add_argument("-v", "--verbose", action="store_true", help="print the cleaner's misses per page")
    args = parser.parse_args(argv)
    result = table(run(args.half, args.verbose))
    print(result)
    if args.write:
        write(args.write, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
