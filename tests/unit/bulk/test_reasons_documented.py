"""Every reason code a bulk report or a failed job can carry is documented in docs/bulk.md.

The codes are a contract with whoever reads the reports; `tarjama.bulk.limits` holds them all, and a code
added there without a line in the docs fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

from tarjama.bulk import limits

DOC = Path(__file__).resolve().parents[3] / "docs" / "bulk.md"


def reason_codes() -> dict[str, str]:
    return {
        name: value
        for name, value in vars(limits).items()
        if name.isupper() and isinstance(value, str) and re.fullmatch(r"[a-z]+(_[a-z]+)+", value)
    }


def test_the_reason_codes_are_found() -> None:
    codes = reason_codes()
    # the ones every reader of a report meets, so the collection above cannot silently come back empty
    assert {"malformed_json", "dead_letter", "finalize_failed", "split_failed"} <= set(codes.values())
    assert len(set(codes.values())) == len(codes)  # one constant a code


def test_every_reason_code_is_documented() -> None:
    documented = set(re.findall(r"`([a-z_]+)`", DOC.read_text(encoding="utf-8")))
    missing = sorted(set(reason_codes().values()) - documented)
    assert missing == []
