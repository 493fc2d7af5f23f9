"""`tarjama digest FILE`: one article through the whole path, as the API would return it.

Uses the same composition root as the Lambda handlers (`tarjama.service.build_digester`), so what runs here
is what runs there, cache included when TARJAMA_TABLE is set.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from tarjama.config import MODEL_TYPES
from tarjama.errors import InvalidInputError
from tarjama.result import DigestOptions, DigestResult


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    file = Path(path)
    if not file.is_file():
        raise InvalidInputError(f"No such file: {path}")
    try:
        return file.read_text("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInputError(f"{path} is not UTF-8 text ({exc.reason}).") from exc


def render(result: DigestResult) -> str:
    """Readable output: title, translation, summary, what it cost and which models ran."""
    lines = [f"# {result.translation.title or result.source.title}", "", result.translation.text, ""]
    if result.summary is not None:
        s = result.summary
        note = f" (fallback from {s.requested}: {s.fallback_reason})" if s.method != s.requested else ""
        lines += [f"## Summary [{s.method}]{note}", "", s.en, "", s.ar, ""]
    flagged = [(i, p.flags) for i, p in enumerate(result.translation.sentences) if p.flags]
    if flagged:
        lines.append(f"## Flags ({len(flagged)} of {len(result.translation.sentences)} sentences)")
        lines += [f"  {i + 1}: {', '.join(flags)}" for i, flags in flagged[:20]]
        lines.append("")
    u = result.usage
    lines.append(
        f"usage: {u.source_chars} chars translated ({u.input_chars} received), {u.sentences} sentences, "
        f"{u.tokens_in} tokens in, "
        f"{u.tokens_out} tokens out, {u.sentences_from_memory} from memory; cached={result.cached}"
    )
    lines.append("timings ms: " + ", ".join(f"{k}={v:g}" for k, v in result.timings_ms.items()))
    lines.append(f"model type: {result.model_type}")
    for role, ref in result.models.items():
        lines.append(
            f"model {role}: {ref.hub_id}@{ref.revision} [{ref.kind}] on {ref.backend}/{ref.quantization}"
        )
    return "\n".join(lines)


def cmd_digest(args: argparse.Namespace) -> int:
    from tarjama.config import get_settings
    from tarjama.service import build_digester

    settings = get_settings()
    if args.backend:
        settings = settings.model_copy(update={"backend": args.backend})
    raw = _read(args.file)
    # Only what the command line sets: the digester takes the rest from the settings.
    chosen = {
        "summary": args.summary,
        "summary_sentences": args.sentences,
        "beam_size": args.beam,
        "model_type": args.model_type,
    }
    options = DigestOptions.model_validate({k: v for k, v in chosen.items() if v is not None})
    from tarjama.commands.glossary_arg import load

    glossary = load(args.glossary)
    from tqdm import tqdm

    # A bar for a person at a terminal (tqdm leaves it out when stderr is not one), then the summary.
    with tqdm(total=1, desc="digest", unit=" article", file=sys.stderr, disable=None, leave=False) as bar:
        result = build_digester(settings).digest(raw, fmt=args.format, options=options, glossary=glossary)
        bar.update(1)
        bar.refresh()  # drawn complete even when the digest took less than tqdm's redraw interval
    u = result.usage
    print(
        f"digested 1 article: {u.sentences} sentences, {u.tokens_in} tokens in, "
        f"{result.timings_ms.get('total', 0):g} ms{' (from the cache)' if result.cached else ''}",
        file=sys.stderr,
    )
    if args.json:
        print(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2))
    else:
        print(render(result))
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("digest", help="Clean, translate and summarize one article (FILE or - for stdin).")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--json", action="store_true", help="Print the result as JSON (the API's shape).")
    p.add_argument(
        "--summary", choices=["abstractive", "extractive", "none"], help="Default: TARJAMA_SUMMARY."
    )
    p.add_argument("--sentences", type=int, choices=range(1, 11), metavar="N", help="Summary length.")
    p.add_argument(
        "--beam", type=int, choices=range(1, 9), metavar="N", help="Beam size. Default: TARJAMA_BEAM_SIZE."
    )
    p.add_argument("--backend", choices=["ctranslate2", "transformers"], help="Default: TARJAMA_BACKEND.")
    p.add_argument("--model-type", choices=MODEL_TYPES, help="Model tier (default: TARJAMA_MODEL_TYPE).")
    p.add_argument("--format", choices=["auto", "text", "html"], default="auto")
    p.add_argument(
        "--verbose", "-v", action="store_true", default=argparse.SUPPRESS,
        help="structured logs (INFO) and metric lines on stderr",
    )  # fmt: skip
    from tarjama.commands.glossary_arg import add_argument

    add_argument(p)
    p.set_defaults(func=cmd_digest)
