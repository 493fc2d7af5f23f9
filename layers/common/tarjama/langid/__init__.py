"""The language identifier behind `tarjama.text.language`: CLD2 (pycld2, Apache-2.0).

Chosen on docs/cleaning.md's comparison: it tells Arabic from Persian, Urdu, Pashto, Central Kurdish, Uyghur
and Sindhi on paragraphs and on short headlines, its model is compiled into its wheel (10 MB, nothing is
downloaded at run time), it loads in about a millisecond with ~3 MiB and answers in tens of microseconds.
It is a C extension, not an ML framework: the text core imports this package only inside `clean`, at the
first article (tests/unit/test_imports.py-style rules: no module-level import of it in tarjama.text).
"""

from __future__ import annotations

from functools import cache

from tarjama.text.language import UNKNOWN, Detector, Guess

_UNKNOWN = Guess(UNKNOWN, "Unknown", 0.0, False)


@cache
def detector() -> Detector:
    """CLD2 as a `Detector` (imported at the first call, once per process)."""
    import pycld2

    def detect(text: str) -> Guess:
        if not text.strip():
            return _UNKNOWN
        try:
            reliable, _, details = pycld2.detect(text.encode("utf-8", "replace").decode("utf-8"))
        except pycld2.error:  # input CLD2 cannot read (e.g. stray control bytes): no opinion
            return _UNKNOWN
        name, code, percent, _ = details[0]
        if code == UNKNOWN:
            return _UNKNOWN
        return Guess(str(code), str(name).title(), percent / 100, bool(reliable))

    return detect
