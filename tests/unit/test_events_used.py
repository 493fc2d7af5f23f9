"""Every sample event in events/ is used by a test: an event no test reads can drift from what its
handler accepts without anyone noticing (the S3 and SQS samples once did)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EVENTS = ROOT / "events"


def test_every_event_file_is_named_by_a_test() -> None:
    here = Path(__file__).resolve()
    sources = "\n".join(
        p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("*.py") if p.resolve() != here
    )
    files = sorted(p.relative_to(EVENTS).as_posix() for p in EVENTS.rglob("*.json"))
    assert len(files) > 40 and "sam/s3_put.json" in files
    unused = [name for name in files if f'"{name}"' not in sources]
    assert not unused, f"events no test uses: {unused}"
