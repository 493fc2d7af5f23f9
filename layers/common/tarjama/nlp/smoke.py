"""The smoke translation `fetch` and `convert` end with: a model that fails it is refused, not installed.

Some opus-mt-tc-big checkpoints on the hub load as gibberish with newer transformers (transformers issues
#26271/#26216), without any error. Shapes and ids can all be right and the output still be noise, so the
last step of getting a model is translating the model card's own example and checking the answer. Each
manifest entry says what its check is (`smoke`): the card's exact output where one is published
(`expected`), the words it must contain (`expected_words`), or, for English->Arabic, Arabic-script output
(`expected_script`).
"""

from __future__ import annotations

import re

from tarjama.errors import ModelError
from tarjama.nlp.base import TranslateOptions, Translator
from tarjama.nlp.manifest import ModelSpec

_ARABIC = re.compile(r"[\u0600-\u06FF]")
_LETTER = re.compile(r"[^\W\d_]")


def smoke_failure(spec: ModelSpec, output: str) -> str | None:
    """Why `output` fails the model's smoke check, or None when it passes."""
    check = spec.smoke
    text = " ".join(output.split())
    if "expected" in check and text != check["expected"]:
        return f"expected {check['expected']!r}"
    words = check.get("expected_words", "").split()
    lowered = text.lower()
    if any(word not in lowered for word in words):
        return f"expected the words {words}"
    if check.get("expected_script") == "arabic":
        letters = _LETTER.findall(text)
        if not letters or sum(1 for c in letters if _ARABIC.match(c)) * 2 < len(letters):
            return "expected Arabic-script output"
    return None


def smoke_check(spec: ModelSpec, translator: Translator) -> str:
    """Translates the card's example (beam 4, the service's defaults); raises `ModelError` if it fails."""
    if not spec.smoke:
        return ""
    out = translator.translate([spec.smoke["source"]], TranslateOptions())[0].text
    reason = smoke_failure(spec, out)
    if reason is not None:
        raise ModelError(
            f"{spec.hub_id} failed its smoke translation: {spec.smoke['source']!r} gave {out[:120]!r}, "
            f"{reason}. The model is refused (a checkpoint that loads as gibberish, or the wrong revision).",
            details={"model": spec.name, "output": out[:200], "reason": reason},
        )
    return out
