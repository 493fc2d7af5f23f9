"""HTML in: the main text through trafilatura, as lines for the same line rules as plain text.

trafilatura runs precision-leaning (favor_precision, no comments, no tables, no images, no links) and keeps
headings and paragraph breaks. Its title (from the page metadata) becomes the first line; the line rules
then treat it like a scraped title (a repeated h1 is dropped as `duplicate_title`). When trafilatura finds
no main text (very short or unusual pages) a plain fallback keeps the text of block elements outside
nav/header/footer/aside/script/style/form.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

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


def _fallback(raw: str) -> str:
    parser = _Fallback()
    try:
        parser.feed(raw)
        parser.close()
    except (AssertionError, ValueError):  # malformed markup: keep what was read
        pass
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
    try:
        parser.feed(raw)
        parser.close()
    except (AssertionError, ValueError):  # malformed markup: keep what was read
        pass
    parser._flush()
    return list(dict.fromkeys(parser.spans))


def extract(raw: str) -> str:
    """Title line, a blank line, then one line per paragraph or heading of the main text."""
    try:
        import trafilatura
    except ImportError:  # pragma: no cover - trafilatura is a runtime dependency
        return _fallback(raw)
    try:
        doc = trafilatura.bare_extraction(
            raw,
            favor_precision=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            include_formatting=False,
            with_metadata=True,
            deduplicate=False,
        )
    except Exception:  # trafilatura on hostile markup: fall back rather than fail the request
        doc = None
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        return _fallback(raw)
    title = getattr(doc, "title", None) or ""
    return f"{title}\n\n{text}" if title else str(text)
