"""What an HTML page says about its own article, read from its markup: the headline candidates by source,
the site's names, and the standfirst (lead) when the page marks one.

lxml (trafilatura's own parser, already a runtime dependency) is imported at the first call. Every read is
defensive: hostile or broken markup yields an empty `PageMeta`, never an error, and the cleaner then keeps
its plain rules.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

# Class or id words of a standfirst: the lead paragraph that sites style apart from the body.
_LEAD = re.compile(
    r"(?:^|[\s_-])(?:lead|standfirst|subhead|sub-?title|summary|brief|excerpt|intro|chapo|sapo|bref|announce"
    r"|abstract|teaser|dek|deck|article-?desc\w*|description)(?:$|[\s_-])",
    re.IGNORECASE,
)
# Containers whose text is never the article's lead nor a body block.
_NOT_LEAD = (
    "nav",
    "aside",
    "footer",
    "li",
    "ul",
    "ol",
    "form",
    "button",
    "a",
    "figcaption",
    "script",
    "style",
)
_BLOCK_TAGS = ("p", "div", "h2", "h3", "h4", "span", "strong", "b", "em", "section")
# Body blocks (p, h2-h4, a div without child elements) and any block-ish element with a class or id (a lead?).
_BLOCK_XPATH = (
    "//*[self::p or self::h2 or self::h3 or self::h4 or (self::div and not(*)) or (("
    + " or ".join(f"self::{t}" for t in _BLOCK_TAGS)
    + ") and (@class or @id))][not("
    + " or ".join(f"ancestor::{t}" for t in _NOT_LEAD)
    + ")]"
)
_ARTICLE_TYPES = ("article", "report", "posting", "newsarticle")
MAX_JSONLD = 200_000
# lxml refuses a str that declares its encoding (XHTML pages): the declaration goes, the text is decoded.
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")


@dataclass
class PageMeta:
    candidates: dict[str, list[str]] = field(default_factory=dict)  # source -> headline texts
    sites: list[str] = field(default_factory=list)
    leads: list[tuple[int, str]] = field(default_factory=list)  # (document position, text) of lead blocks
    descriptions: list[str] = field(default_factory=list)
    blocks: list[tuple[int, str]] = field(default_factory=list)  # (position, text) of body blocks
    headings: set[int] = field(default_factory=set)  # positions of the blocks that are h2-h4 headings

    def index(self) -> dict[str, int]:
        """Block text -> its first position (built once)."""
        if self._index is None:
            self._index = {}
            for pos, text in self.blocks:
                self._index.setdefault(text, pos)
        return self._index

    _index: dict[str, int] | None = None


def _text(el: Any) -> str:
    return " ".join(str(el.text_content()).split())


def _walk_ld(node: Any, meta: PageMeta, depth: int = 0) -> None:
    if depth > 8:
        return
    if isinstance(node, list):
        for item in node[:50]:
            _walk_ld(item, meta, depth + 1)
        return
    if not isinstance(node, dict):
        return
    kind = node.get("@type")
    kinds = [str(k).lower() for k in (kind if isinstance(kind, list) else [kind]) if k]
    headline = node.get("headline")
    if isinstance(headline, str) and (not kinds or any(t in k for k in kinds for t in _ARTICLE_TYPES)):
        meta.candidates.setdefault("jsonld", []).append(headline)
    publisher = node.get("publisher")
    for pub in publisher if isinstance(publisher, list) else [publisher]:
        if isinstance(pub, dict) and isinstance(pub.get("name"), str):
            meta.sites.append(pub["name"])
    if isinstance(node.get("description"), str) and any(t in k for k in kinds for t in _ARTICLE_TYPES):
        meta.descriptions.append(node["description"])
    for key in ("@graph", "mainEntity", "itemListElement"):
        if key in node:
            _walk_ld(node[key], meta, depth + 1)


def read(raw: str) -> PageMeta:
    meta = PageMeta()
    try:
        import lxml.html

        root = lxml.html.fromstring(_XML_DECLARATION.sub("", raw, count=1))
    except Exception:  # not parseable as HTML: no metadata, the plain rules apply
        return meta
    try:
        _read(root, meta)
    except Exception:  # pragma: no cover - defensive: metadata is an extra, never a failure
        return PageMeta()
    return meta


def _meta(root: Any, *names: str) -> list[str]:
    out: list[str] = []
    for el in root.iter("meta"):
        key = (el.get("property") or el.get("name") or "").strip().lower()
        if key in names and el.get("content"):
            out.append(str(el.get("content")))
    return out


def _read(root: Any, meta: PageMeta) -> None:
    meta.candidates["og"] = _meta(root, "og:title")
    meta.candidates["twitter"] = _meta(root, "twitter:title")
    meta.sites += _meta(root, "og:site_name", "application-name", "apple-mobile-web-app-title")
    meta.descriptions += _meta(root, "og:description", "description", "twitter:description")
    titles = [_text(t) for t in root.iter("title")][:1]
    meta.candidates["title"] = titles
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() == "application/ld+json" and script.text:
            try:
                _walk_ld(json.loads(script.text[:MAX_JSONLD], strict=False), meta)
            except ValueError:
                continue
    for el in root.xpath("//*[@itemprop]"):  # microdata: itemprop="headline" (text, or a meta's content)
        if (el.get("itemprop") or "").strip().lower() == "headline":
            text = el.get("content") if el.tag == "meta" else _text(el)
            if text:
                meta.candidates.setdefault("jsonld", []).append(str(text))
    h1s = list(root.iter("h1"))
    inside = root.xpath("//h1[ancestor::article or ancestor::main]")
    meta.candidates["h1"] = [_text(h) for h in (inside or h1s)[:3]]
    # Candidate blocks in document order, outside lists, navigation and the like (selected by XPath, in C:
    # a Python walk up every element's ancestors is quadratic on deep pages).
    for pos, el in enumerate(root.xpath(_BLOCK_XPATH)):
        tag = el.tag
        attrs = " ".join(filter(None, [el.get("class"), el.get("id")]))
        lead = bool(attrs) and _LEAD.search(attrs) is not None
        block = tag in ("p", "h2", "h3", "h4") or (tag == "div" and len(el) == 0)
        if not (block or lead):
            continue
        text = _text(el)
        if not text:
            continue
        if block:
            meta.blocks.append((pos, text))
            if tag in ("h2", "h3", "h4"):
                meta.headings.add(pos)
        if lead and len(text.split()) >= 8:
            meta.leads.append((pos, text))
