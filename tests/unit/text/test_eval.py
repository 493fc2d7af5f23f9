"""The cleaning evaluation (eval/cleaning: pages in the structures of major Arabic news sites, with gold
headline, snippets to keep and to drop) holds its targets, ahead of plain trafilatura on every figure.
All halves together (docs/cleaning.md reports the tuning, held-out and blind halves apart)."""

from __future__ import annotations

import pytest

from eval.cleaning.score import Tally, run


@pytest.fixture(scope="module")
def tallies() -> dict[tuple[str, str, str], Tally]:
    return run()


def combined(tallies: dict[tuple[str, str, str], Tally], system: str, kind: str) -> Tally:
    out = Tally()
    for (sys_, _, kind_), t in tallies.items():
        if (sys_, kind_) == (system, kind):
            out.pages += t.pages
            out.keep += t.keep
            out.keep_total += t.keep_total
            out.dropped += t.dropped
            out.drop_total += t.drop_total
            out.headlines += t.headlines
    return out


@pytest.mark.parametrize("kind", ["html", "text"])
def test_cleaner_meets_the_targets(tallies: dict[tuple[str, str, str], Tally], kind: str) -> None:
    t = combined(tallies, "tarjama", kind)
    keep, dropped, headline = t.figures()
    assert t.pages >= 10 and t.keep_total >= 50 and t.drop_total >= 90
    assert keep >= 99.0, t
    assert dropped >= 98.0, t
    assert headline >= 90.0, t


@pytest.mark.parametrize("half", ["tune", "held", "blind"])
def test_cleaner_is_ahead_of_plain_trafilatura_on_every_figure(
    tallies: dict[tuple[str, str, str], Tally], half: str
) -> None:
    ours = tallies[("tarjama", half, "html")].figures()
    theirs = tallies[("trafilatura", half, "html")].figures()
    assert all(a > b for a, b in zip(ours, theirs, strict=True)), (ours, theirs)
