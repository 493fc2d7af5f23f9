"""The bare headline of an HTML page from its own metadata and markup: each source, each affix form, the
vote between sources; and the standfirst the extractor drops. Pages are written for these tests."""

from __future__ import annotations

import json

import pytest
from tarjama.text import clean
from tarjama.text.headline import choose, strip_affixes
from tarjama.text.html import extract_page
from tarjama.text.page_meta import read

H = "الحكومة تقر زيادة الحد الأدنى للأجور اعتبارا من يوليو"
LEAD = (
    "تشمل الزيادة العاملين في القطاعين العام والخاص، وتأتي استجابة لارتفاع تكاليف المعيشة"
    " خلال العامين الماضيين."
)
BODY = [
    "وافق مجلس الوزراء في جلسته الأسبوعية على رفع الحد الأدنى للأجور بنسبة 15%، على أن يبدأ التطبيق"
    " مع رواتب شهر يوليو.",
    "وقال المتحدث باسم الحكومة إن القرار سيستفيد منه نحو أربعة ملايين عامل، وإن كلفته تقدر"
    " بنحو ملياري دولار سنويا.",
    "ورحبت النقابات العمالية بالقرار، لكنها طالبت بربط الأجور بمعدلات التضخم بشكل دوري لضمان عدم تآكلها.",
]


def page(head: str = "", top: str = "", lead: str = "") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in BODY)
    return (
        f'<html lang="ar"><head><meta charset="utf-8">{head}</head><body><nav><a href="/">الرئيسية</a></nav>'
        f"<article>{top}{lead}<div class='content'>{paragraphs}</div></article></body></html>"
    )


def meta(prop: str, content: str) -> str:
    attr = "property" if prop.startswith("og:") else "name"
    return f'<meta {attr}="{prop}" content="{content}">'


def ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'


# --- each source alone --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "head,top",
    [
        (meta("og:title", H), ""),
        (meta("twitter:title", H), ""),
        (ld({"@context": "https://schema.org", "@type": "NewsArticle", "headline": H}), ""),
        (ld({"@graph": [{"@type": "WebPage", "name": "x"}, {"@type": "NewsArticle", "headline": H}]}), ""),
        (ld([{"@type": "BreadcrumbList"}, {"@type": ["NewsArticle"], "headline": H}]), ""),
        ("", f"<h1>{H}</h1>"),
        (f"<title>{H}</title>", ""),
    ],
    ids=["og", "twitter", "jsonld", "jsonld-graph", "jsonld-list", "h1", "title"],
)
def test_each_source_alone_gives_the_headline(head: str, top: str) -> None:
    assert clean(page(head, top)).title == H


def test_jsonld_of_a_non_article_type_is_not_a_headline() -> None:
    meta_ = read(page(ld({"@type": "Product", "headline": "منتج للبيع بسعر مخفض اليوم فقط"})))
    assert "jsonld" not in meta_.candidates


# --- affixes ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title,site",
    [
        (f"{H} - اليوم السابع", "اليوم السابع"),
        (f"{H} | الجزيرة نت", "الجزيرة نت"),
        (f"{H} – سكاي نيوز عربية", "سكاي نيوز عربية"),
        (f"{H} — RT Arabic", "RT Arabic"),
        (f"بوابة الأهرام : {H}", "بوابة الأهرام"),
        (f"العربية.نت | {H}", "العربية.نت"),
        (f"{H} · مصراوي", "مصراوي"),
        (f"{H} « هسبريس", "هسبريس"),
        (f"هسبريس » {H}", "هسبريس - Hespress"),
    ],
    ids=[
        "dash",
        "pipe",
        "en-dash",
        "em-dash",
        "colon-prefix",
        "pipe-prefix",
        "middle-dot",
        "guillemet",
        "guillemet-prefix",
    ],
)
def test_site_name_affix_is_stripped_by_the_site_name(title: str, site: str) -> None:
    assert strip_affixes(title, [site]) == H


def test_affix_is_the_difference_between_two_variants() -> None:
    # no site name anywhere: the h1 shows what the <title> adds
    assert choose({"title": [f"{H} - قناة الخبر"], "h1": [H]}, []) == H


def test_affix_repeated_across_variants_is_stripped() -> None:
    short = "زيادة الحد الأدنى للأجور من يوليو المقبل"
    got = choose({"title": [f"{H} | موقع المدينة"], "og": [f"{short} | موقع المدينة"]}, [])
    assert got in (H, short)


def test_end_part_made_of_site_words_is_stripped_without_other_evidence() -> None:
    assert choose({"title": [f"المدينة نيوز - {H}"]}, []) == H
    assert choose({"title": [f"{H} - قناة صدى البلد"]}, []) == H


def test_unspaced_colon_belongs_to_the_headline() -> None:
    h = "وزير المالية: خطة لخفض العجز خلال ثلاث سنوات"
    assert choose({"title": [f"{h} - الشرق"], "og": [h]}, ["الشرق"]) == h
    assert strip_affixes(h, ["وزير"]) == h


def test_inner_separator_of_the_headline_is_kept() -> None:
    h = "مصر - السودان: اتفاق جديد لتقاسم مياه النهر"
    assert choose({"title": [f"{h} | بوابة الأخبار"], "h1": [h]}, []) == h


# --- the vote -------------------------------------------------------------------------------------------


def test_sources_that_agree_win_over_the_visible_one() -> None:
    seo = "زيادة الأجور 15% من يوليو.. تفاصيل القرار"
    assert choose({"h1": [H], "og": [seo], "jsonld": [seo], "twitter": [seo]}, []) == seo


def test_on_a_tie_the_visible_headline_wins() -> None:
    other = "تفاصيل قرار زيادة الحد الأدنى للأجور"
    assert choose({"og": [other], "h1": [H]}, []) == H


def test_a_site_logo_in_an_h1_is_not_the_headline() -> None:
    html = page(meta("og:site_name", "الشرق"), f"<h1>الشرق</h1><h1>{H}</h1>")
    assert clean(html).title == H


def test_no_usable_candidate_keeps_the_line_rules() -> None:
    assert choose({"title": ["الرئيسية"], "og": ["English title only"]}, []) is None


def test_the_headline_repeated_in_the_body_is_dropped_as_duplicate_title() -> None:
    a = clean(page(meta("og:title", f"{H} - الموقع") + meta("og:site_name", "الموقع"), f"<h1>{H}</h1>"))
    assert a.title == H and H not in a.paragraphs


# --- the standfirst -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lead",
    [
        f'<div class="article-lead"><p>{LEAD}</p></div>',
        f'<p class="standfirst"><em>{LEAD}</em></p>',
        f'<h2 class="sub-title">{LEAD}</h2>',
        f'<div class="summary">{LEAD}</div>',
    ],
    ids=["lead-div", "standfirst", "subtitle-h2", "summary"],
)
def test_a_styled_standfirst_above_the_body_is_kept(lead: str) -> None:
    a = clean(page(meta("og:title", H), f"<h1>{H}</h1>", lead))
    assert a.paragraphs[0] == LEAD
    assert a.paragraphs[1:] == BODY


def test_a_block_equal_to_the_description_above_the_body_is_the_lead() -> None:
    html = page(
        meta("og:title", H) + meta("og:description", LEAD), f"<h1>{H}</h1>", f"<div><span>{LEAD}</span></div>"
    )
    assert clean(html).paragraphs[0] == LEAD


def test_a_teaser_in_a_related_list_is_not_a_lead() -> None:
    teaser = "نص تعريفي بخبر آخر منشور في الموقع عن موضوع مختلف تماما عن هذا الخبر"
    related = f'<ul class="related"><li><p class="summary">{teaser}</p></li></ul>'
    a = clean(page(meta("og:title", H), f"<h1>{H}</h1>{related}"))
    assert teaser not in a.paragraphs


def test_the_lead_is_not_added_twice_when_the_extractor_kept_it() -> None:
    page_ = extract_page(page(meta("og:title", H), f"<h1>{H}</h1>", f"<p>{LEAD}</p>"))
    assert page_.lead is None and LEAD in page_.body


# --- subheadings the extractor drops --------------------------------------------------------------------


def test_a_subheading_the_extractor_drops_inside_the_body_is_put_back_in_place() -> None:
    # a page in the evaluation's Masrawy-like layout: a subheading right before a "read also" insert
    import random

    from tarjama.text.html import _main_text

    from eval.cleaning.articles import STORIES
    from eval.cleaning.chrome import TUNE
    from eval.cleaning.pages import Build, masrawy

    story = STORIES[0]
    html = masrawy(Build(story, TUNE, random.Random("subheading")))
    assert story.subheading not in _main_text(html)[1]  # trafilatura alone loses it here
    paragraphs = clean(html).paragraphs
    assert paragraphs[paragraphs.index(story.subheading) + 1] == story.body[2]  # back in its place
    assert paragraphs.index(story.subheading) == paragraphs.index(story.body[1]) + 1


def test_headings_outside_the_body_are_not_brought_in() -> None:
    html = page(meta("og:title", H), f"<h1>{H}</h1>").replace(
        "</article>", "</article><h2>الأكثر قراءة اليوم</h2>"
    )
    assert "الأكثر قراءة اليوم" not in clean(html).paragraphs


def test_a_site_logo_as_the_only_h1_is_not_the_headline_nor_cuts_it() -> None:
    # no og:site_name: the logo's text is known only as the end part of the <title>
    got = choose(
        {"h1": ["اليوم السابع"], "og": [f"{H} - اليوم السابع"], "title": [f"{H} - اليوم السابع"]}, []
    )
    assert got == H


def test_a_short_headline_in_the_h1_still_cuts_a_longer_affix() -> None:
    short = "زلزال يضرب الساحل"
    assert choose({"h1": [short], "title": [f"{short} - موقع أخبار المدينة الأول"]}, []) == short


def test_microdata_headline_is_structured_data_like_jsonld() -> None:
    html = page(f'<meta itemprop="headline" content="{H}"><title>{H} | الموقع</title>')
    assert read(html).candidates["jsonld"] == [H]
    assert clean(html).title == H


def test_an_xhtml_page_with_an_encoding_declaration_is_read() -> None:
    html = '<?xml version="1.0" encoding="utf-8"?>\n' + page(
        meta("og:title", f"{H} - الموقع"), f"<h1>{H}</h1>"
    )
    assert read(html).candidates["og"] == [f"{H} - الموقع"]
    assert clean(html).title == H


def test_an_h1_written_a_little_differently_from_the_chosen_headline_is_not_a_paragraph() -> None:
    # og:title and JSON-LD agree on the headline; the h1 on the page adds a tail and other punctuation
    h1 = f"{H}.. بالتفاصيل"
    head = meta("og:title", H) + ld({"@type": "NewsArticle", "headline": H})
    a = clean(page(head, f"<h1>{h1}</h1>"))
    assert a.title == H
    assert a.paragraphs == BODY
    assert ("الحكومة تقر زيادة الحد الأدنى للأجور اعتبارا من يوليو.. بالتفاصيل", "duplicate_title") in [
        (r.text, r.reason) for r in a.removed
    ]
