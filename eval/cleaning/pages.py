"""Build the evaluation pages: each story in the page structure of a major Arabic news site (head metadata,
JSON-LD, headline markup, standfirst, body, related and most-read blocks, tickers, comment sections, cookie
banners, newsletter boxes, app promotions, AMP), with its gold: the headline, the snippets to keep and the
snippets to drop. Deterministic (a seeded Random per page); no page is a copy of any real page."""

from __future__ import annotations

import html
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from eval.cleaning.articles import STORIES, Story
from eval.cleaning.chrome import HELD, OTHER_HEADLINES, TUNE


@dataclass
class Page:
    name: str
    half: str  # tune | held
    kind: str  # html | text
    raw: str
    headline: str
    keep: list[str]
    drop: list[str] = field(default_factory=list)


class Build:
    """One page being assembled: escapes text, records gold drop snippets, picks class names."""

    def __init__(self, story: Story, pool: dict[str, tuple[str, ...]], rng: random.Random) -> None:
        self.story, self.pool, self.rng = story, pool, rng
        self.drop: list[str] = []

    def pick(self, key: str) -> str:
        return self.rng.choice(self.pool[key])

    def chrome(self, text: str) -> str:
        self.drop.append(text)
        return html.escape(text)

    def cls(self, *names: str) -> str:
        return self.rng.choice(names)

    def others(self, n: int) -> list[str]:
        return self.rng.sample(OTHER_HEADLINES, n)

    def link_list(self, head_key: str, n: int, wrap: str = "section") -> str:
        items = "".join(
            f'<li><a href="/news/{self.rng.randint(1000, 9999)}">{self.chrome(h)}</a></li>'
            for h in self.others(n)
        )
        head = self.chrome(self.pick(head_key))
        c = self.cls("related", "more-news", "related-articles", "most-read", "c-list", "widget-list")
        return f'<{wrap} class="{c}"><h3>{head}</h3><ul>{items}</ul></{wrap}>'

    def ticker(self) -> str:
        items = " ".join(f"<li>{self.chrome(h)}</li>" for h in self.others(4))
        c = self.cls("breaking-news", "ticker", "news-bar", "urgent")
        return f'<div class="{c}"><span>{self.chrome(self.pick("ticker_head"))}</span><ul>{items}</ul></div>'

    def menu(self) -> str:
        items = "".join(
            f'<li><a href="/s/{i}">{self.chrome(m)}</a></li>' for i, m in enumerate(self.pool["menu"])
        )
        return f'<nav class="{self.cls("main-nav", "menu", "navbar")}"><ul>{items}</ul></nav>'

    def comments(self, policy: bool = True) -> str:
        count = self.chrome(self.pick("comments"))
        add = self.chrome(
            self.rng.choice([c for c in self.pool["comments"] if not any(ch.isdigit() for ch in c)])
        )
        pol = f"<p>{self.chrome(self.pick('comment_policy'))}</p>" if policy else ""
        c = self.cls("comments", "comments-section", "article-comments", "c-comments")
        return f'<div id="comments" class="{c}"><h3>{count}</h3>{pol}<form><textarea></textarea><button>{add}</button></form></div>'

    def promo(self) -> str:
        c = self.cls("app-banner", "download-app", "promo-box", "app-promo")
        return f'<div class="{c}"><p>{self.chrome(self.pick("app_promo"))}</p></div>'

    def newsletter(self) -> str:
        c = self.cls("newsletter", "subscribe-box", "nl-signup")
        return f'<div class="{c}"><p>{self.chrome(self.pick("newsletter"))}</p><form><input type="email"><button>اشترك</button></form></div>'

    def cookies(self) -> str:
        c = self.cls("cookie-consent", "cookies-banner", "gdpr")
        return f'<div class="{c}"><p>{self.chrome(self.pick("cookies"))}</p><button>موافق</button></div>'

    def share(self) -> str:
        return f'<div class="{self.cls("share", "social-share", "share-bar")}"><span>{self.chrome(self.pick("share"))}</span></div>'

    def tags(self) -> str:
        return f'<div class="{self.cls("tags", "article-tags", "keywords")}">{self.chrome(self.pick("tags"))}</div>'

    def crumbs(self) -> str:
        return f'<div class="{self.cls("breadcrumb", "crumbs", "path")}">{self.chrome(self.pick("breadcrumb"))}</div>'

    def byline(self) -> str:
        return (
            f'<div class="{self.cls("byline", "author", "meta")}"><span>{self.chrome(self.pick("byline"))}</span>'
            f" <time>{self.chrome(self.pick('date'))}</time></div>"
        )

    def footer(self) -> str:
        return f"<footer><p>{self.chrome(self.pick('copyright'))}</p></footer>"

    def body(self, p_class: str = "", inline_related: bool = False) -> str:
        s = self.story
        attr = f' class="{p_class}"' if p_class else ""
        parts = [f"<p{attr}>{html.escape(p)}</p>" for p in s.body]
        if s.subheading:
            parts.insert(2, f"<h2>{html.escape(s.subheading)}</h2>")
        if inline_related:
            other = self.others(1)[0]
            head = self.pick("read_also_inline")
            self.drop.append(other)
            parts.insert(
                3,
                f'<p class="read-also"><strong>{html.escape(head)}</strong> <a href="/x">{html.escape(other)}</a></p>',
            )
        return "".join(parts)


def jsonld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'


def article_ld(headline: str, site: str, kind: str = "NewsArticle") -> dict[str, object]:
    return {
        "@context": "https://schema.org",
        "@type": kind,
        "headline": headline,
        "datePublished": "2024-05-12T10:30:00+03:00",
        "publisher": {
            "@type": "Organization",
            "name": site,
            "logo": {"@type": "ImageObject", "url": "/logo.png"},
        },
    }


def head(title: str | None, metas: dict[str, str], extra: str = "") -> str:
    t = f"<title>{html.escape(title)}</title>" if title is not None else ""
    m = "".join(
        f'<meta {"property" if k.startswith("og:") else "name"}="{k}" content="{html.escape(v, quote=True)}">'
        for k, v in metas.items()
    )
    return f'<head><meta charset="utf-8">{t}{m}{extra}</head>'


def doc(headpart: str, body: str, amp: bool = False) -> str:
    return f'<!DOCTYPE html><html {"amp " if amp else ""}lang="ar" dir="rtl">{headpart}<body>{body}</body></html>'


# --- layouts, after the structures of major Arabic news sites ---------------------------------------------


def aljazeera(b: Build) -> str:
    s, site = b.story, "الجزيرة نت"
    ld = {
        "@context": "https://schema.org",
        "@graph": [{"@type": "WebPage", "name": s.headline}, article_ld(s.headline, site)],
    }
    h = head(
        f"{s.headline} | {site}",
        {"og:title": s.headline, "og:site_name": site, "og:description": s.lead},
        jsonld(ld),
    )
    body = (
        f'{b.menu()}{b.ticker()}<main><article><header class="article-header">{b.crumbs()}<h1>{html.escape(s.headline)}</h1>'
        f'<p class="{b.cls("article__subhead", "article-subhead", "standfirst")}"><em>{html.escape(s.lead)}</em></p>{b.byline()}</header>'
        f'<div class="wysiwyg">{b.body()}</div>{b.share()}{b.tags()}</article>'
        f"{b.comments()}{b.link_list('related_head', 4)}</main>{b.footer()}"
    )
    return doc(h, body)


def alarabiya(b: Build) -> str:
    s, site = b.story, "العربية.نت"
    ld = [article_ld(s.headline, site), {"@type": "BreadcrumbList", "itemListElement": []}]
    h = head(
        f"{site} | {s.headline}", {"og:title": f"{site} | {s.headline}", "og:site_name": site}, jsonld(ld)
    )
    body = (
        f'{b.cookies()}{b.menu()}<div class="page">{b.crumbs()}<h1 class="{b.cls("headingInfo_title", "article-title")}">{html.escape(s.headline)}</h1>'
        f'{b.byline()}<div class="{b.cls("article-lead", "lead", "intro")}"><p>{html.escape(s.lead)}</p></div>'
        f'<div class="article-body">{b.body(inline_related=True)}</div>{b.share()}'
        f"{b.link_list('mostread_head', 5, 'aside')}{b.newsletter()}</div>{b.footer()}"
    )
    return doc(h, body)


def bbc(b: Build) -> str:
    s, site = b.story, "BBC News عربي"
    h = head(
        f"{s.headline} - {site}",
        {
            "og:title": f"{s.headline} - {site}",
            "og:site_name": site,
            "twitter:title": f"{s.headline} - {site}",
        },
        jsonld(article_ld(s.headline, site, "ReportageNewsArticle")),
    )
    body = (
        f'{b.menu()}<main role="main"><article><header><h1 id="content">{html.escape(s.headline)}</h1></header>'
        f'<div class="byline">{b.chrome(b.pick("date"))}</div>'
        f"<p><b>{html.escape(s.lead)}</b></p>{b.body()}"
        f'<section class="{b.cls("related-topics", "topics")}"><h2>{b.chrome("مواضيع ذات صلة")}</h2></section></article>'
        f"{b.link_list('mostread_head', 5)}</main>{b.footer()}"
    )
    return doc(h, body)


def skynews(b: Build) -> str:
    s, site = b.story, "سكاي نيوز عربية"
    h = head(
        f"{s.headline} | {site}",
        {"twitter:title": s.headline, "og:site_name": site},
        jsonld(article_ld(s.headline, site)),
    )
    body = (
        f'{b.ticker()}{b.menu()}<div class="article-wrapper"><h1 class="{b.cls("article-title", "story-headline")}">{html.escape(s.headline)}</h1>'
        f'<div class="{b.cls("article-summary", "summary", "article-brief")}">{html.escape(s.lead)}</div>{b.byline()}'
        f'<div class="article-body">{b.body()}</div>{b.promo()}{b.tags()}'
        f"{b.link_list('related_head', 4, 'div')}</div>{b.footer()}"
    )
    return doc(h, body)


def aawsat(b: Build) -> str:
    s, site = b.story, "الشرق الأوسط"
    h = head(
        f"{s.headline} | {site}",
        {"og:title": f"{s.headline} | {site}", "og:site_name": site, "description": s.lead},
    )
    body = (
        f'{b.menu()}<div class="node-article">{b.crumbs()}<h1>{html.escape(s.headline)}</h1>'
        f'<h2 class="{b.cls("sub-title", "subtitle", "field-subtitle")}">{html.escape(s.lead)}</h2>{b.byline()}'
        f'<div class="field-items">{b.body()}</div>{b.share()}</div>'
        f"{b.link_list('mostread_head', 5)}{b.newsletter()}{b.footer()}"
    )
    return doc(h, body)


def youm7(b: Build) -> str:
    s, site = b.story, "اليوم السابع"
    h = head(f"{s.headline} - {site}", {"og:title": f"{s.headline} - {site}", "description": s.lead})
    body = (
        f'{b.ticker()}{b.menu()}<div class="newsStory"><h1>{html.escape(s.headline)}</h1>'
        f'<div class="writeBy">{b.chrome(b.pick("byline"))}</div><div class="newsDate">{b.chrome(b.pick("date"))}</div>'
        f'<div id="articleBody"><p><strong>{html.escape(s.lead)}</strong></p>{b.body(inline_related=True)}</div>'
        f"{b.share()}{b.tags()}</div>{b.link_list('related_head', 5)}{b.comments(policy=False)}{b.footer()}"
    )
    return doc(h, body)


def hespress(b: Build) -> str:
    s, site = b.story, "هسبريس"
    ld = article_ld(s.headline, site)
    h = head(
        f"{s.headline} - {site}", {"og:title": s.headline, "og:site_name": f"{site} - Hespress"}, jsonld(ld)
    )
    body = (
        f'{b.cookies()}{b.menu()}<article class="post"><h1 class="post-title">{html.escape(s.headline)}</h1>{b.byline()}'
        f'<div class="article-content"><p class="{b.cls("lead", "chapo", "excerpt")}">{html.escape(s.lead)}</p>{b.body()}</div>'
        f"{b.tags()}</article>{b.comments()}{b.link_list('related_head', 4)}{b.footer()}"
    )
    return doc(h, body)


def masrawy(b: Build) -> str:
    s, site = b.story, "مصراوي"
    # no <title>: the headline is only in og:title and the h1
    h = head(None, {"og:title": s.headline, "og:site_name": site})
    body = (
        f'{b.menu()}{b.crumbs()}<div class="ArticleDetails"><h1>{html.escape(s.headline)}</h1>{b.byline()}'
        f'<div class="{b.cls("ArticleDetails-lead", "brief", "news-brief")}"><span>{html.escape(s.lead)}</span></div>'
        f'<div class="ArticleDetails-body">{b.body(inline_related=True)}</div></div>{b.promo()}'
        f"{b.link_list('mostread_head', 5)}{b.footer()}"
    )
    return doc(h, body)


def ahram(b: Build) -> str:
    s, site = b.story, "بوابة الأهرام"
    h = head(f"{site} : {s.headline}", {"og:title": s.headline, "description": s.lead[:80] + "..."})
    body = (
        f'{b.menu()}{b.ticker()}<div id="ContentPlaceHolder1_divContent"><div class="{b.cls("bref", "sapo")}">{html.escape(s.lead)}</div>'
        f'<h1 class="title">{html.escape(s.headline)}</h1>{b.byline()}<div id="bodyText">{b.body()}</div></div>'
        f"{b.share()}{b.link_list('mostread_head', 5)}{b.link_list('related_head', 3)}{b.footer()}"
    )
    return doc(h, body)


def rt(b: Build) -> str:
    s, site = b.story, "RT Arabic"
    ld = {"@context": "https://schema.org", "@graph": [article_ld(s.headline, "RT عربي")]}
    h = head(
        f"{s.headline} — {site}",
        {"og:title": s.headline, "og:site_name": site, "twitter:title": s.headline},
        jsonld(ld),
    )
    body = (
        f'{b.menu()}<div class="article"><h1 class="heading">{html.escape(s.headline)}</h1>{b.byline()}'
        f'<div class="{b.cls("article__summary", "summary", "announce")}">{html.escape(s.lead)}</div>'
        f'<div class="article__text">{b.body()}</div>{b.tags()}{b.newsletter()}</div>'
        f"{b.link_list('related_head', 4)}{b.comments()}{b.footer()}"
    )
    return doc(h, body)


def amp(b: Build) -> str:
    s, site = b.story, b.rng.choice(["سكاي نيوز عربية", "الجزيرة نت", "مصراوي"])
    ld = article_ld(s.headline, site)
    h = head(
        f"{s.headline} | {site}", {"og:site_name": site}, jsonld(ld) + '<link rel="canonical" href="/a">'
    )
    body = (
        f'<header class="amp-header">{b.menu()}</header><article><h1 class="amp-title">{html.escape(s.headline)}</h1>'
        f'<amp-img src="/a.jpg" width="600" height="400"></amp-img><p class="amp-lead">{html.escape(s.lead)}</p>'
        f'<div class="amp-article-content">{b.body()}</div>'
        f'<amp-social-share type="facebook"></amp-social-share>{b.share()}</article>'
        f"{b.link_list('related_head', 4)}{b.promo()}{b.footer()}"
    )
    return doc(h, body, amp=True)


LAYOUTS: dict[str, Callable[[Build], str]] = {
    "aljazeera": aljazeera,
    "alarabiya": alarabiya,
    "bbc": bbc,
    "skynews": skynews,
    "aawsat": aawsat,
    "youm7": youm7,
    "hespress": hespress,
    "masrawy": masrawy,
    "ahram": ahram,
    "rt": rt,
    "amp": amp,
}


def text_page(b: Build) -> str:
    """A scraped plain-text page: what a crawler saved of the page, line by line."""
    s = b.story
    lines = [
        "   ".join(b.chrome(h) for h in b.others(4)),
        b.chrome(b.pick("breadcrumb")),
        s.headline,
        b.chrome(b.pick("byline")),
        b.chrome(b.pick("date")),
        s.lead,
        *s.body[:2],
        *([s.subheading] if s.subheading else []),
        *s.body[2:],
        b.chrome(b.pick("share")),
        b.chrome(b.pick("tags")),
        b.chrome(b.pick("app_promo")),
        b.chrome(b.pick("related_head")),
        *(b.chrome(h) for h in b.others(4)),
        b.chrome(b.pick("comments")),
        b.chrome(b.pick("comment_policy")),
        b.chrome(b.pick("newsletter")),
        b.chrome(b.pick("copyright")),
    ]
    return "\n".join(html.unescape(x) for x in lines)


PAGES_PER_LAYOUT = 4
TEXT_PAGES = 10


def page(
    name: str,
    story: Story,
    render: Callable[[Build], str],
    pool: dict[str, tuple[str, ...]],
    *,
    half: str,
    kind: str,
) -> Page:
    """`story` rendered by `render` with chrome wordings from `pool`, seeded by the page's name, and its gold:
    the headline, the story's own text to keep and every chrome snippet the page was given to drop."""
    b = Build(story, pool, random.Random(name))
    raw = render(b)
    keep = [story.lead, *story.body, *([story.subheading] if story.subheading else [])]
    return Page(name, half, kind, raw, story.headline, keep, [html.unescape(d) for d in b.drop])


def pages() -> list[Page]:
    out: list[Page] = []
    n = 0
    for li, (name, layout) in enumerate(LAYOUTS.items()):
        for k in range(PAGES_PER_LAYOUT):
            story = STORIES[(li * PAGES_PER_LAYOUT + k) % len(STORIES)]
            half = "tune" if n % 2 == 0 else "held"
            out.append(
                page(f"{name}-{k}", story, layout, TUNE if half == "tune" else HELD, half=half, kind="html")
            )
            n += 1
    for k in range(TEXT_PAGES):
        story = STORIES[(k * 3 + 1) % len(STORIES)]
        half = "tune" if k % 2 == 0 else "held"
        out.append(
            page(f"text-{k}", story, text_page, TUNE if half == "tune" else HELD, half=half, kind="text")
        )
    out += blind_pages()
    return out


BLIND_PAGES_PER_LAYOUT = 3
BLIND_TEXT_PAGES = 4


def blind_pages() -> list[Page]:
    """The blind half (eval/cleaning/blind.py): its own stories, wordings and layouts, plus four of the
    layouts above and scraped plain text."""
    from eval.cleaning import blind

    layouts = [*blind.LAYOUTS.items()] * BLIND_PAGES_PER_LAYOUT + [
        (name, LAYOUTS[name]) for name in ("bbc", "youm7", "hespress", "amp")
    ]
    out = [
        page(
            f"blind-{name}-{k}",
            blind.STORIES[k % len(blind.STORIES)],
            layout,
            blind.POOL,
            half="blind",
            kind="html",
        )
        for k, (name, layout) in enumerate(layouts)
    ]
    for k in range(BLIND_TEXT_PAGES):
        story = blind.STORIES[(k * 2 + 1) % len(blind.STORIES)]
        out.append(page(f"blind-text-{k}", story, text_page, blind.POOL, half="blind", kind="text"))
    return out
