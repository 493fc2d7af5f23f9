"""Seed sentences for the model tests: real Arabic lines from the sample articles."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@pytest.fixture(scope="session")
def seed_sentences() -> list[str]:
    """Twelve real lines of a seed article, of varied lengths (a few words to a long paragraph)."""
    text = (FIXTURES / "001_41a3ad0639280a39.txt").read_text("utf-8")
    lines = [line.strip() for line in text.splitlines() if len(line.split()) >= 3]
    return lines[:12]
