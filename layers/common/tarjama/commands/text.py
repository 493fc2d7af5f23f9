"""`tarjama clean FILE` and `tarjama segment`: the text core on the command line.

`clean --json` prints `{"title", "paragraphs", "removed": [{"text", "reason"}]}`; without it, a readable
article and a summary of what was removed. `segment` reads stdin and prints a JSON list of sentences
(`--numbered` for a readable list instead).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from tarjama.errors import InvalidInputError, NotFoundError

MAX_INPUT_BYTES = 20_000_000  # a page bigger than this is not an article


def _read(path: str) -> str:
    if path == "-":
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    else:
        try:
            with open(path, "rb") as fh:
                data = fh.read(MAX_INPUT_BYTES + 1)
        except FileNotFoundError:
            raise NotFoundError(f"No such file: {path}") from None
        except IsADirectoryError:
            raise InvalidInputError(f"{path} is a directory, not an article file.") from None
        except PermissionError:
            raise InvalidInputError(f"Cannot read {path}: permission denied.") from None
    if len(data) > MAX_INPUT_BYTES:
        raise InvalidInputError(f"Input is larger than {MAX_INPUT_BYTES:,} bytes; not an article.")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInputError(f"Input is not UTF-8 text (byte {exc.start}); save it as UTF-8.") from None


def _print(text: str) -> None:
    try:
        print(text)
        sys.stdout.flush()
    except BrokenPipeError:  # `tarjama clean x | head`: the reader left; not an error
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps the interpreter's final flush quiet


def _clean(args: argparse.Namespace) -> int:
    from tarjama.text import clean

    article = clean(_read(args.file), args.format)
    if args.json:
        payload: dict[str, Any] = {
            "title": article.title,
            "paragraphs": article.paragraphs,
            "removed": [{"text": r.text, "reason": r.reason} for r in article.removed],
        }
        _print(json.dumps(payload, ensure_ascii=False, indent=2 if args.pretty else None))
        return 0
    out = []
    if article.title:
        out += [article.title, "=" * min(60, max(3, len(article.title))), ""]
    for paragraph in article.paragraphs:
        out += [paragraph, ""]
    if article.removed:
        out.append(f"-- removed {len(article.removed)} lines --")
        for r in article.removed:
            text = r.text if len(r.text) <= 80 else r.text[:77] + "..."
            out.append(f"[{r.reason}] {text}")
    _print("\n".join(out).rstrip())
    return 0


def _segment(args: argparse.Namespace) -> int:
    from tarjama.text import segment

    if args.max_length is not None and args.max_length < 1:
        raise InvalidInputError("--max-length must be a positive number of characters.")
    data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise InvalidInputError(f"Input is larger than {MAX_INPUT_BYTES:,} bytes.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInputError(f"Input is not UTF-8 text (byte {exc.start}).") from None
    sentences = segment(text, max_length=args.max_length)
    if args.numbered:
        lines = []
        for i, s in enumerate(sentences, 1):
            mark = f" (piece {s.piece})" if s.piece is not None else ""
            lines.append(f"{i:>3}. [p{s.paragraph}]{mark} {s.text}")
        _print("\n".join(lines))
        return 0
    if args.json:
        payload = [{"text": s.text, "paragraph": s.paragraph, "piece": s.piece} for s in sentences]
        _print(json.dumps(payload, ensure_ascii=False))
        return 0
    _print(json.dumps([s.text for s in sentences], ensure_ascii=False))
    return 0


def register(sub: Any) -> None:
    """Adds `clean` and `segment` to the `tarjama` command."""
    p = sub.add_parser("clean", help="clean a scraped article (text or HTML)", description=_clean.__doc__)
    p.add_argument("file", metavar="FILE", help="article file (text or HTML); - for stdin")
    p.add_argument("--json", action="store_true", help='JSON: {"title", "paragraphs", "removed"}')
    p.add_argument("--pretty", action="store_true", help="indent the JSON")
    p.add_argument("--format", choices=("auto", "text", "html"), default="auto", help="input format")
    p.set_defaults(func=_clean)

    s = sub.add_parser("segment", help="split text on stdin into sentences (JSON list)")
    s.add_argument(
        "--max-length",
        type=int,
        default=None,
        metavar="N",
        help="cut sentences longer than N characters at ؛ then ، then between words",
    )
    s.add_argument(
        "--json", action="store_true", help="objects with paragraph and piece instead of plain strings"
    )
    s.add_argument("--numbered", action="store_true", help="a readable numbered list instead of JSON")
    s.set_defaults(func=_segment)
