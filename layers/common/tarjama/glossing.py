"""A request's glossary, resolved and applied: between the digest options and the enforcer.

`resolve` turns `options.glossary` (a stored glossary, through `GlossaryPort`), `options.terms` (inline),
`options.keep` and the page's do-not-translate marks into one `RequestTerms`, or None when there is none,
in which case the pipeline runs exactly as it always did. `translate` enforces the terms through the
translation memory: a sentence holding a term is remembered under a key that includes its terms, every
other sentence under its plain key, shared with requests without a glossary.

Inline terms take precedence over a stored glossary's terms that match the same words.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from threading import Lock
from typing import Any

from tarjama.errors import GlossaryNotFoundError
from tarjama.nlp.base import FLAG_MODEL_ERROR, TranslateOptions, Translation, Translator
from tarjama.nlp.terms import Hit, TermSet, finish, hits_key, translate_with_terms
from tarjama.ports import GlossaryPort, MemoryPort
from tarjama.result import DigestOptions, GlossaryUse, TermUse
from tarjama.text.glossary import Term
from tarjama.text.glossary_file import Glossary, inline, terms_version


@dataclass(frozen=True)
class RequestTerms:
    """Everything of one request that the glossary step needs; `key` goes into the cache keys."""

    name: str | None
    version: str | None
    inline_version: str | None
    keep: tuple[str, ...]
    termset: TermSet

    def key(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "inline": self.inline_version,
            "keep": sorted(self.keep),
        }


_TERMSETS: OrderedDict[str, TermSet] = OrderedDict()
_TERMSETS_LOCK = Lock()
_TERMSETS_MAX = 16  # a warm process keeps the matchers of its recent glossaries (10,000 terms: ~20 ms)


def _termset(terms: Sequence[Term], keep: Sequence[str]) -> TermSet:
    cache_key = _digest({"t": [[t.ar, t.en] for t in terms], "k": list(keep)})
    with _TERMSETS_LOCK:
        if cache_key in _TERMSETS:
            _TERMSETS.move_to_end(cache_key)
            return _TERMSETS[cache_key]
    built = TermSet(terms, keep)
    with _TERMSETS_LOCK:
        _TERMSETS[cache_key] = built
        while len(_TERMSETS) > _TERMSETS_MAX:
            _TERMSETS.popitem(last=False)
    return built


def resolve(
    options: DigestOptions,
    *,
    glossaries: GlossaryPort | None = None,
    glossary: Glossary | None = None,
    page_keep: Sequence[str] = (),
) -> RequestTerms | None:
    """The request's terms. `glossary` is one already loaded (the CLI's `--glossary FILE`); a name in the
    options is read through `glossaries` (404 `glossary_not_found` when unknown or there is no store)."""
    named = glossary
    if options.glossary is not None and (named is None or named.name != options.glossary):
        if glossaries is None:
            raise GlossaryNotFoundError(
                f"No glossary named {options.glossary!r}: this deployment has no glossary store.",
                details={"name": options.glossary},
            )
        named = glossaries.get(options.glossary)
    extra = inline(options.terms) if options.terms else ()
    keep = tuple(dict.fromkeys([*(options.keep or ()), *page_keep]))
    if named is None and not extra and not keep:
        return None
    terms = [*extra, *(named.terms if named else ())]  # inline first: it wins a clash
    return RequestTerms(
        name=named.name if named else None,
        version=named.version if named else None,
        inline_version=terms_version(extra) if extra else None,
        keep=keep,
        termset=_termset(terms, keep),
    )


def _digest(payload: Any) -> str:
    blob = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def article_key(base: str, terms: RequestTerms | None) -> str:
    """The result-cache key: the plain one when there are no terms, else derived from it and the terms."""
    if terms is None:
        return base
    return "a_" + _digest({"base": base, "glossary": terms.key()})[:40]


def sentence_key(base: str, hits: Sequence[Hit]) -> str:
    """A sentence's memory key: the plain one without hits (shared), else derived from it and its hits."""
    if not hits:
        return base
    return "s_" + _digest({"base": base, "terms": hits_key(hits)})[:40]


def translate(
    translator: Translator,
    texts: list[str],
    options: TranslateOptions,
    terms: RequestTerms,
    *,
    memory: MemoryPort | None = None,
    plain_key: Callable[[str], str] | None = None,
) -> tuple[list[Translation], set[int], list[list[Hit]]]:
    """Translations (input order), the indices served by the memory, and each text's hits."""
    hits = [terms.termset.hits(t) for t in texts]
    if memory is None or plain_key is None:
        return translate_with_terms(translator, texts, hits, options), set(), hits
    keys = [sentence_key(plain_key(t), h) for t, h in zip(texts, hits, strict=True)]
    known = memory.lookup(sorted(set(keys)))
    first: dict[str, int] = {}
    for i, k in enumerate(keys):
        if k not in known:
            first.setdefault(k, i)
    missing = sorted(first.values(), key=lambda i: texts[i])  # each distinct sentence once
    fresh_list = translate_with_terms(
        translator, [texts[i] for i in missing], [hits[i] for i in missing], options
    )
    fresh = {keys[i]: tr for i, tr in zip(missing, fresh_list, strict=True)}
    keep = {k: (tr.text, tr.flags) for k, tr in fresh.items() if FLAG_MODEL_ERROR not in tr.flags}
    if keep:
        memory.store(keep)
    out: list[Translation] = []
    from_memory: set[int] = set()
    for i, (text, key) in enumerate(zip(texts, keys, strict=True)):
        if key in fresh:
            out.append(fresh[key])
            continue
        en, flags = known[key]
        remembered = Translation(source=text, text=en, flags=list(flags))
        out.append(finish(remembered, hits[i])[0] if hits[i] else remembered)
        from_memory.add(i)
    return out, from_memory, hits


def report(
    terms: RequestTerms, translations: Sequence[Translation], hits: Sequence[Sequence[Hit]]
) -> tuple[list[list[TermUse]], GlossaryUse]:
    """Each sentence's term uses (checked against its final English) and the result's summary of them."""
    per_sentence: list[list[TermUse]] = []
    applied = missed = 0
    for translation, found in zip(translations, hits, strict=True):
        uses = [
            TermUse(ar=u.ar, en=u.en, found=u.found, applied=u.applied, keep=u.keep)
            for u in finish(translation, found)[1]
        ]
        applied += sum(u.applied for u in uses)
        missed += sum(not u.applied for u in uses)
        per_sentence.append(uses)
    view = GlossaryUse(
        name=terms.name,
        version=terms.version,
        inline_version=terms.inline_version,
        applied=applied,
        missed=missed,
    )
    return per_sentence, view
