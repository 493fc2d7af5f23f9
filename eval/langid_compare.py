"""Compare language identifiers on Arabic vs the other Arabic-script languages (eval/langid/*.txt + the seed
articles): accuracy, latency, load time and memory. Candidates that are not installed are skipped.

    python -m eval.langid_compare            # candidates installed in the environment
    PYTHONPATH=/tmp/langcands:$PYTHONPATH python -m eval.langid_compare   # with a --target install of others

The figures go into docs/cleaning.md by hand (the candidates are not all project dependencies).
"""

from __future__ import annotations

import importlib
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

import psutil

from eval.langid_data import Sample, samples

Detect = Callable[[str], tuple[str, float]]
ARABIC_SCRIPT = ("ar", "fa", "ur", "ps", "ku", "ckb", "ug", "sd")


def _py3langid() -> Detect:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(["ar", "fa", "ur", "ps", "ku", "ug", "en"])

    def detect(text: str) -> tuple[str, float]:
        lang, prob = ident.classify(text)
        return str(lang), float(prob)

    return detect


def _pycld2() -> Detect:
    import pycld2

    def detect(text: str) -> tuple[str, float]:
        _, _, details = pycld2.detect(text)
        _name, code, percent, _ = details[0]
        return str(code), percent / 100

    return detect


def _cld3() -> Detect:
    import gcld3

    ident = gcld3.NNetLanguageIdentifier(min_num_bytes=0, max_num_bytes=2000)

    def detect(text: str) -> tuple[str, float]:
        r = ident.FindLanguage(text=text)
        return str(r.language), float(r.probability)

    return detect


def _lingua() -> Detect:
    from lingua import Language, LanguageDetectorBuilder

    det = LanguageDetectorBuilder.from_languages(
        Language.ARABIC, Language.PERSIAN, Language.URDU, Language.ENGLISH
    ).build()

    def detect(text: str) -> tuple[str, float]:
        values = det.compute_language_confidence_values(text)
        top = values[0]
        return top.language.iso_code_639_1.name.lower(), float(top.value)

    return detect


def _tarjama() -> Detect:
    """What the service does: CLD2 on the Arabic-script words, refusing only a sure answer."""
    from tarjama.langid import detector
    from tarjama.text.language import refuses, script_text

    det = detector()

    def detect(text: str) -> tuple[str, float]:
        guess = det(script_text(text))
        return (guess.language if refuses(guess) else "ar"), guess.confidence

    return detect


CANDIDATES: dict[str, tuple[str, Callable[[], Detect]]] = {
    "tarjama (pycld2, Arabic-script words, refuse only a sure answer)": ("pycld2", _tarjama),
    "py3langid": ("py3langid", _py3langid),
    "pycld2": ("pycld2", _pycld2),
    "cld3-py (gcld3)": ("gcld3", _cld3),
    "lingua-language-detector": ("lingua", _lingua),
}


def _rss() -> float:
    return float(psutil.Process(os.getpid()).memory_info().rss) / 2**20


def run(name: str, module: str, build: Callable[[], Detect], data: list[Sample]) -> None:
    try:
        before = _rss()
        t0 = time.perf_counter()
        importlib.import_module(module)
        detect = build()
        detect("تجربة")
        load = time.perf_counter() - t0
        mem = _rss() - before
    except ImportError:
        print(f"{name}: not installed")
        return
    by_kind: dict[str, list[bool]] = {}
    wrong: list[str] = []
    times: list[float] = []
    for s in data:
        t = time.perf_counter()
        lang, conf = detect(s.text)
        times.append(time.perf_counter() - t)
        ok = (lang == "ar") == (s.lang == "ar")
        by_kind.setdefault(f"{s.lang}/{s.kind}", []).append(ok)
        if not ok:
            wrong.append(f"    {s.lang}/{s.kind} -> {lang} {conf:.2f}: {s.text[:60]}")
    ar = [ok for k, v in by_kind.items() if k.startswith("ar/") for ok in v]
    other = [ok for k, v in by_kind.items() if not k.startswith("ar/") for ok in v]
    print(
        f"{name}: load {load * 1000:.0f} ms, +{mem:.0f} MiB RSS,"
        f" median {statistics.median(times) * 1e6:.0f} us/text;"
        f" Arabic accepted {sum(ar)}/{len(ar)}, others refused {sum(other)}/{len(other)}"
    )
    for k in sorted(by_kind):
        print(f"  {k}: {sum(by_kind[k])}/{len(by_kind[k])}")
    print("\n".join(wrong[:40]))


def main() -> None:
    """One candidate per process (load time and memory are measured from a cold import)."""
    if len(sys.argv) == 2:
        module, build = CANDIDATES[sys.argv[1]]
        run(sys.argv[1], module, build, samples())
        return
    for name in sys.argv[1:] or list(CANDIDATES):
        subprocess.run([sys.executable, "-m", "eval.langid_compare", name], check=False, timeout=600)


if __name__ == "__main__":
    main()
