"""HTML in: the main text through trafilatura, as lines for the same line rules as plain text.

trafilatura runs precision-leaning (favor_precision, no comments, no tables, no images, no links) and keeps
headings and paragraph breaks; a recall-leaning run gives back what precision dropped between its own first
and last line. What the page's markup says about itself (`page_meta`) adds three things the extractor
misses: the bare headline (`headline.choose`: it becomes the article's title, and a repeated h1 in the body
is dropped as `duplicate_title`), the standfirst styled apart above the body, and body subheadings. Without
a usable headline in the markup, trafilatura's title is the first line and the line rules treat it like a
scraped title. When trafilatura finds no main text (very short or unusual pages) a plain fallback keeps
the text of block elements outside nav/header/footer/aside/script/style/form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from tarjama.text import headline, page_meta
from tarjama.text.page_meta import PageMeta

_HTML_SNIFF = re.compile(
    r"<(?:!doctype\s+html|html|head|body|article|main|section|div|p|h[1-6]|br|span|meta|title|ul|li|a)\b[^<>]{0,500}>",
    re.IGNORECASE,
)
_SKIP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "template",
        "svg",
        "iframe",
        "button",
        "select",
        "head",
    }
)
_BLOCK = frozenset(
    {
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "br",
        "tr",
        "section",
        "article",
        "blockquote",
        "main",
        "figcaption",
        "dd",
        "dt",
        "pre",
        "title",
    }
)
_VOID = frozenset(
    {
        "br",
        "img",
        "meta",
        "link",
        "input",
        "hr",
        "source",
        "wbr",
        "area",
        "base",
        "col",
        "embed",
        "param",
        "track",
    }
)


def looks_like_html(raw: str) -> bool:
    """Auto-detection: at least two HTML tags in the first 5,000 characters (one `<` in prose is not HTML)."""
    head = raw[:5000]
    if "<" not in head:
        return False
    return len(_HTML_SNIFF.findall(head)) >= 2


class _Fallback(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            if tag == "br":
                self.parts.append("\n")
            return
        if tag in _SKIP:
            self.skip += 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def _read(parser: HTMLParser, raw: str) -> None:
    """Feed the whole page to `parser`; malformed markup stops it, and what it read up to there stands."""
    try:
        parser.feed(raw)
        parser.close()
    except (AssertionError, ValueError):
        pass


def _fallback(raw: str) -> str:
    parser = _Fallback()
    _read(parser, raw)
    return "".join(parser.parts)


class _NoTranslate(HTMLParser):
    """Texts of the elements marked do-not-translate: `translate="no"` or class `notranslate`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # open elements: (tag, marked)
        self.marked = 0
        self.current: list[str] = []
        self.spans: list[str] = []

    def _flush(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.spans.append(text)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        values = dict(attrs)
        marked = (values.get("translate") or "").strip().lower() == "no" or "notranslate" in (
            values.get("class") or ""
        ).split()
        if self.marked and tag in _BLOCK:
            self._flush()
        self.stack.append((tag, marked))
        self.marked += marked

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, -1, -1):  # close up to the matching tag (sloppy markup)
            if self.stack[depth][0] == tag:
                for _, marked in self.stack[depth:]:
                    self.marked -= marked
                del self.stack[depth:]
                if self.marked == 0 or tag in _BLOCK:
                    self._flush()
                return

    def handle_data(self, data: str) -> None:
        if self.marked:
            self.current.append(data)


def no_translate_spans(raw: str) -> list[str]:
    """The texts to keep verbatim in the English (Amazon Translate's and DeepL's markup), in page order.

    Read before trafilatura runs, which drops attributes; the cleaner's text is matched against them.
    """
    if "notranslate" not in raw and "translate" not in raw:
        return []
    parser = _NoTranslate()
    _read(parser, raw)
    parser._flush()
    return list(dict.fromkeys(parser.spans))


@dataclass(frozen=True)
class Extracted:
    """The main text of a page and what its markup says about it."""

    title: str  # the extractor's title ("" when none)
    body: str  # one line per paragraph or heading of the main text
    headline: str | None = None  # the bare headline from the page's metadata and markup (headline.py)
    lead: str | None = None  # the standfirst, when the page marks one and the extractor dropped it


def _trafilatura(raw: str, *, precision: bool) -> Any:
    import trafilatura

    try:
        return trafilatura.bare_extraction(
            raw,
            favor_precision=precision,
            favor_recall=not precision,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            include_formatting=False,
            with_metadata=True,
            deduplicate=False,
        )
    except Exception:  # trafilatura on hostile markup: fall back rather than fail the request
        return None


def _within(precise: list[str], recall: list[str]) -> list[str]:
    """The recall run's lines from the precision run's first line to its last: what precision dropped
    inside the body (subheadings, short paragraphs) comes back; nothing outside it does. When the two runs
    do not line up, the precision run stands."""
    if not precise:
        return precise
    try:
        i = recall.index(precise[0])
        j = len(recall) - 1 - recall[::-1].index(precise[-1])
    except ValueError:
        return precise
    inner = recall[i : j + 1]
    if len(inner) > 2 * len(precise) + 10 or not set(precise) <= set(inner):
        return precise
    return inner


def _main_text(raw: str) -> tuple[str, str]:
    """(title, body) from trafilatura precision-leaning, with the body lines it dropped between its own
    first and last line put back from a recall-leaning run; the plain fallback when it finds nothing."""
    try:
        import trafilatura  # noqa: F401
    except ImportError:  # pragma: no cover - trafilatura is a runtime dependency
        return "", _fallback(raw)
    doc = _trafilatura(raw, precision=True)
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        return "", _fallback(raw)
    title = str(getattr(doc, "title", None) or "")
    wide = _trafilatura(raw, precision=False)
    wide_text = getattr(wide, "text", None) if wide is not None else None
    if wide_text:
        lines = _within(str(text).split("\n"), str(wide_text).split("\n"))
        return title, "\n".join(lines)
    return title, str(text)


def _key(text: str) -> str:
    return " ".join(text.split())


def _lead(meta: PageMeta, body: str) -> str | None:
    """The standfirst above the body that the extractor left out: a block the page styles as a lead
    (class/id lead, standfirst, summary, brief ...) or whose text is the page's description, placed
    before the first line of the extracted body, 8 words or more, and not already in the body."""
    lines = [_key(x) for x in body.split("\n") if x.strip()]
    if not lines:
        return None
    start = _position(meta, lines[0])
    if start is None:
        return None
    descriptions = {_key(d) for d in meta.descriptions}
    found = [(pos, text) for pos, text in meta.leads if pos < start]
    found += [(pos, text) for pos, text in meta.blocks if pos < start and text in descriptions]
    if not found:
        return None
    text = max(found)[1]
    joined = " ".join(lines)
    if len(text.split()) < 8 or text in joined:
        return None
    return text


def _position(meta: PageMeta, line: str) -> int | None:
    """Where a body line stands in the page: the block with its text (or, for a long line, its start)."""
    exact = meta.index().get(line)
    if exact is not None or len(line) <= 30:
        return exact
    return next((pos for pos, text in meta.blocks if line[:30] in text), None)


# Pages longer than this (in body lines) keep the extractor's body as it is: the lookup stays cheap.
MAX_BODY_LINES = 400


def _subheadings(meta: PageMeta, body: str) -> str:
    """The body with the subheadings (h2-h4) the extractor dropped between two of its lines put back, each
    before the first body line that follows it in the page."""
    lines = [x for x in body.split("\n") if x.strip()]
    if len(lines) > MAX_BODY_LINES or not meta.headings:
        return body
    positions = [_position(meta, _key(x)) for x in lines]
    known = [p for p in positions if p is not None]
    if len(known) < 2 or not meta.headings:
        return body
    first, last = min(known), max(known)
    have = {_key(x) for x in lines}
    missing = sorted(
        (pos, text)
        for pos, text in meta.blocks
        if pos in meta.headings and first < pos < last and text not in have and len(text.split()) <= 15
    )
    if not missing:
        return body
    out: list[str] = []
    queue = list(missing)
    for line, pos in zip(lines, positions, strict=True):
        while queue and pos is not None and queue[0][0] < pos:
            out.append(queue.pop(0)[1])
        out.append(line)
    return "\n".join(out)


def extract_page(raw: str) -> Extracted:
    """The main text (trafilatura, or the plain fallback), the headline and the lost standfirst."""
    title, body = _main_text(raw)
    meta = page_meta.read(raw)
    body = _subheadings(meta, body)
    return Extracted(title, body, headline.choose(meta.candidates, meta.sites), _lead(meta, body))


def extract(raw: str) -> str:
    """Title line, a blank line, then one line per paragraph or heading of the main text."""
    page = extract_page(raw)
    title = page.headline or page.title
    lead = f"{page.lead}\n" if page.lead else ""
    return f"{title}\n\n{lead}{page.body}" if title else f"{lead}{page.body}"
