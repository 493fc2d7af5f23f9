"""`tarjama clean` and `tarjama segment`, through cli.main and once as a real process."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from tarjama.cli import main

from .conftest import FIXTURES

SEED = next(FIXTURES.glob("002_*.txt"))


class _Stdin:
    """A stdin with a binary buffer, like the real one."""

    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def run(
    argv: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    stdin: bytes | None = None,
) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", _Stdin(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_json_has_the_contract_shape(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(["clean", str(SEED), "--json"], capsys, monkeypatch)
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"title", "paragraphs", "removed"}
    assert data["title"].endswith("قادة ميليشيات يغادرون العراق تجنبا لاستهدافهم")
    assert len(data["paragraphs"]) == 10
    assert {"text": "تابعونا على", "reason": "follow"} in data["removed"]
    assert all(set(r) == {"text", "reason"} for r in data["removed"])


def test_clean_readable_output(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run(["clean", str(SEED)], capsys, monkeypatch)
    assert code == 0
    assert out.splitlines()[0].endswith("تجنبا لاستهدافهم")
    assert "[copyright] جميع الحقوق محفوظة" in out
    assert not out.lstrip().startswith("{")


def test_clean_reads_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run(["clean", "-", "--json"], capsys, monkeypatch, stdin=SEED.read_bytes())
    assert code == 0
    assert len(json.loads(out)["paragraphs"]) == 10


def test_clean_html_file_with_format(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    page = FIXTURES / "html" / "sports_short.html"
    code, out, _ = run(["clean", str(page), "--json", "--format", "html"], capsys, monkeypatch)
    assert code == 0
    assert json.loads(out)["title"] == "المنتخب يفوز وديا استعدادا للتصفيات"


@pytest.mark.parametrize(
    ("content", "code_name"),
    [
        (b"The minister said the plan would ease traffic in the capital.", "not_arabic"),
        (b"  \n\n ", "empty_after_cleaning"),
        (b"\xff\xfe\x00bad", "invalid_input"),
    ],
)
def test_clean_errors_are_one_line_and_non_zero(
    content: bytes,
    code_name: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    f = tmp_path / "a.txt"
    f.write_bytes(content)
    code, out, err = run(["clean", str(f)], capsys, monkeypatch)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and f"[{code_name}]" in err and "Traceback" not in err


def test_clean_missing_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    code, _, err = run(["clean", str(tmp_path / "nope.txt"), "--json"], capsys, monkeypatch)
    assert code == 2
    assert json.loads(err)["error"]["code"] == "not_found"


def test_segment_prints_a_json_list_of_strings(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "قال د. أحمد إن النمو بلغ 1.35 بالمئة. هل انتهى؟ «نعم.» (ا.ف.ب)\n\nفقرة ثانية"
    code, out, _ = run(["segment"], capsys, monkeypatch, stdin=text.encode())
    assert code == 0
    assert json.loads(out) == [
        "قال د. أحمد إن النمو بلغ 1.35 بالمئة.",
        "هل انتهى؟",
        "«نعم.»",
        "(ا.ف.ب)",
        "فقرة ثانية",
    ]


def test_segment_max_length_and_json_objects(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "ارتفعت الأسعار في الأسواق المحلية؛ لذلك تدخلت الحكومة بسرعة."
    code, out, _ = run(["segment", "--max-length", "40", "--json"], capsys, monkeypatch, stdin=text.encode())
    assert code == 0
    assert json.loads(out) == [
        {"text": "ارتفعت الأسعار في الأسواق المحلية؛", "paragraph": 0, "piece": 0},
        {"text": "لذلك تدخلت الحكومة بسرعة.", "paragraph": 0, "piece": 1},
    ]


def test_segment_numbered(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run(["segment", "--numbered"], capsys, monkeypatch, stdin="أولى. ثانية.".encode())
    assert code == 0
    assert out.splitlines() == ["  1. [p0] أولى.", "  2. [p0] ثانية."]


def test_segment_empty_stdin_is_an_empty_list(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(["segment"], capsys, monkeypatch, stdin=b"")
    assert (code, json.loads(out)) == (0, [])


def test_segment_rejects_a_non_positive_budget(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run(["segment", "--max-length", "0"], capsys, monkeypatch, stdin=b"x")
    assert code == 2 and "[invalid_input]" in err


def test_real_process_clean_and_segment() -> None:
    cmd = [sys.executable, "-m", "tarjama.cli"]
    done = subprocess.run([*cmd, "clean", str(SEED), "--json"], capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr.decode()
    article = json.loads(done.stdout.decode("utf-8"))
    assert len(article["paragraphs"]) == 10
    seg = subprocess.run(
        [*cmd, "segment"],
        input="\n\n".join(article["paragraphs"]).encode("utf-8"),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert seg.returncode == 0, seg.stderr.decode()
    sentences = json.loads(seg.stdout.decode("utf-8"))
    assert len(sentences) >= 10 and all(isinstance(s, str) for s in sentences)
    bad = subprocess.run(
        [*cmd, "clean", "/nonexistent/file.txt"], capture_output=True, timeout=120, check=False
    )
    assert bad.returncode == 2
    assert bad.stderr.decode().startswith("tarjama: error [not_found]") and b"Traceback" not in bad.stderr
