"""The command line prints for people: a progress bar and a summary, no JSON log or metric line per article
(those come with --verbose or LOG_LEVEL); checked by capture, and in a pseudo-terminal for `digest`."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from tests.plugins.bulk import seed_sentences

TARJAMA = Path(sys.executable).with_name("tarjama")


def structured_lines(text: str) -> list[str]:
    """Lines that are JSON objects (Powertools log records, EMF metric lines)."""
    out = []
    for line in text.replace("\r", "\n").splitlines():
        try:
            if isinstance(json.loads(line), dict):
                out.append(line)
        except ValueError:
            continue
    return out


@pytest.fixture
def env(tiny_model_dir: Path) -> dict[str, str]:
    """Tiny models; no endpoint, so `tarjama bulk` starts its own moto server."""
    drop = {"AWS_ENDPOINT_URL", "LOG_LEVEL"}
    base = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("TARJAMA_")}
    models = {"TARJAMA_MODEL_DIR": str(tiny_model_dir), "TARJAMA_MODELS": "tiny", "TARJAMA_THREADS": "1"}
    return {**base, **models}


@pytest.fixture
def bulk_file(tmp_path: Path) -> Path:
    sentences = seed_sentences(4)
    lines = [json.dumps({"id": f"c{i}", "text": s}, ensure_ascii=False) for i, s in enumerate(sentences)]
    lines.append(json.dumps({"id": "en", "text": "The minister said talks would resume next week."}))
    path = tmp_path / "news.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run_bulk(bulk_file: Path, env: dict[str, str], *extra: str) -> subprocess.CompletedProcess[str]:
    out = bulk_file.parent / f"out-{time.monotonic_ns()}"
    return subprocess.run(
        [str(TARJAMA), "bulk", str(bulk_file), "--out", str(out), *extra],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def test_bulk_shows_progress_and_a_summary_and_no_log_lines(bulk_file: Path, env: dict[str, str]) -> None:
    run = run_bulk(bulk_file, env)
    assert run.returncode == 1, run.stderr[-2000:]  # one article failed
    assert run.stdout.startswith("4 of 5 articles digested, 1 failed;"), run.stdout
    assert "[not_arabic]" in run.stdout
    assert "5/5" in run.stderr and "ok=4" in run.stderr and "failed=1" in run.stderr  # the bar, at its end
    assert structured_lines(run.stdout + run.stderr) == []


@pytest.mark.parametrize("how", ["--verbose", "LOG_LEVEL=INFO"])
def test_bulk_verbose_or_log_level_brings_the_structured_lines_back(
    bulk_file: Path, env: dict[str, str], how: str
) -> None:
    if how.startswith("LOG_LEVEL"):
        run = run_bulk(bulk_file, {**env, "LOG_LEVEL": "INFO"})
    else:
        run = run_bulk(bulk_file, env, how)
    lines = [json.loads(line) for line in structured_lines(run.stderr)]
    assert sum(1 for line in lines if line.get("message") == "article done") == 5
    assert any("_aws" in line for line in lines)  # EMF metric lines too
    assert structured_lines(run.stdout) == []  # stdout stays the summary


def test_digest_in_a_terminal_prints_the_result_and_a_summary(tmp_path: Path, env: dict[str, str]) -> None:
    article = tmp_path / "a.txt"
    article.write_text(" ".join(seed_sentences(3)), encoding="utf-8")
    primary, secondary = pty.openpty()
    # A terminal of 40 x 100 (a fresh pseudo-terminal has no size, and a bar then has no room to draw)
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    proc = subprocess.Popen(
        [str(TARJAMA), "digest", str(article), "--summary", "extractive"],
        env={**env, "TERM": "xterm"}, stdin=subprocess.DEVNULL,
        stdout=secondary, stderr=secondary,
    )  # fmt: skip
    os.close(secondary)
    chunks: list[bytes] = []
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            data = os.read(primary, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(primary)
    assert proc.wait(timeout=60) == 0
    screen = b"".join(chunks).decode("utf-8", errors="replace")
    # tqdm drew its bar on the terminal (it clears it when done, so its last count may never be drawn)
    assert re.search(r"digest:\s+\d+%\|", screen)
    assert "digested 1 article:" in screen and "## Summary [extractive]" in screen
    assert structured_lines(screen) == []


def test_quiet_for_people_lasts_for_the_command_only(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tarjama import observability

    monkeypatch.delenv("LOG_LEVEL", raising=False)
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME", raising=False)
    before = observability.logger.log_level
    with observability.quiet_for_people():
        assert observability.logger.log_level == 30  # WARNING
        observability.emit_metric("QuietProbe")
    assert observability.metric_counts["QuietProbe"] >= 1  # still counted in-process
    assert "QuietProbe" not in capsys.readouterr().err  # but not written
    assert observability.logger.log_level == before
