"""The README is the first thing a user reads: its commands and its configuration table must stay true."""

from __future__ import annotations

import re
from pathlib import Path

from tarjama.config import ENV_PREFIX, Settings

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_the_two_commands() -> None:
    first_block = README.split("```sh", 1)[1].split("```", 1)[0]
    assert [line.split()[:2] for line in first_block.strip().splitlines()] == [
        ["make", "run"],
        ["make", "test"],
    ]


def test_every_setting_is_in_the_configuration_table_with_its_default() -> None:
    rows = dict(re.findall(r"^\| `(TARJAMA_[A-Z_]+)` \| ([^|]+) \|", README, flags=re.MULTILINE))
    expected = {ENV_PREFIX + name.upper(): field.default for name, field in Settings.model_fields.items()}
    assert set(rows) == set(expected)
    for var, default in expected.items():
        shown = rows[var].strip()
        assert shown == ("unset" if default is None else f"`{default}`"), var


def test_make_targets_named_in_the_readme_exist() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in set(re.findall(r"`make ([a-z-]+)", README)):
        assert re.search(rf"^{target}:", makefile, flags=re.MULTILINE), target
