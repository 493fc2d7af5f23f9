"""The five real scraped articles: what must stay and what must go (with its reason)."""

from __future__ import annotations

import pytest
from tarjama.text import Article, clean

from .conftest import seed


def reasons(article: Article) -> dict[str, str]:
    return {r.text: r.reason for r in article.removed}


def joined(article: Article) -> str:
    return "\n".join(article.paragraphs)


def test_000_ticker_and_section_label_go_title_and_every_paragraph_stay() -> None:
    a = clean(seed("000"))
    assert a.title == "مصدر أمني: ميليشيات تعتزم استهداف القوات الأمريكية في العراق"
    assert len(a.paragraphs) == 7
    assert a.paragraphs[0].startswith("كشف مصدر أمني عن نية ميليشيات مسلحة")
    assert a.paragraphs[-1].endswith("الخارجة عن القانون».")
    got = reasons(a)
    (ticker,) = [t for t, r in got.items() if r == "ticker"]
    assert "نيمار قد يلعب إلى جانب رونالدو في يوفنتوس" in ticker
    assert got["أخبار المحافظات"] == "section"
    assert "نيمار" not in joined(a)


def test_001_share_counters_and_site_name_go() -> None:
    a = clean(seed("001"))
    assert a.title.startswith("تحركات عسكرية أمريكية في العراق وتحذيرات من جر المنطقة لكارثة")
    assert len(a.paragraphs) == 13
    assert reasons(a) == {"0": "share", "83": "share", "موقع رأي اليوم": "footer"}
    assert a.paragraphs[-1].endswith("إيران ستدفع ثمنا باهظا للغاية”.")


def test_002_breaking_banner_logo_section_duplicate_date_follow_copyright_go() -> None:
    a = clean(seed("002"))
    assert a.title == 'مصدر ل"إرم نيوز": قادة ميليشيات يغادرون العراق تجنبا لاستهدافهم'
    assert len(a.paragraphs) == 10
    got = reasons(a)
    assert got["عاجل"] == "breaking"
    assert got["البيت الأبيض: إسرائيل عثرت على 6 جثث لرهائن لدى حماس بينهم مواطن أمريكي"] == "breaking"
    assert got["logo"] == "logo"
    assert got["العالم العربي"] == "section"
    assert got[a.title] == "duplicate_title"
    assert got["22 يناير 2024، 6:26 م"] == "date"
    assert got["تابعونا على"] == "follow"
    assert got["جميع الحقوق محفوظة © 2024 شركة إرم ميديا - Erem Media FZ LLC"] == "copyright"
    assert a.paragraphs[-1].startswith("ومنذ منتصف تشرين الأول/أكتوبر")


def test_003_subheadings_stay_back_to_top_goes() -> None:
    a = clean(seed("003"))
    assert a.title == "أميركا: العراق شهد تدفقاً كبيراً بالأسلحة الإيرانية مؤخراً"
    assert "خطة أكبر" in a.paragraphs
    assert "ضبط الحدود بوابة الاستقرار" in a.paragraphs
    # the subheadings sit between the paragraphs they head
    i = a.paragraphs.index("خطة أكبر")
    assert a.paragraphs[i + 1].startswith("إلى ذلك، أشارت إلى أن هذه المساهمة")
    assert len(a.paragraphs) == 13
    assert reasons(a) == {"أعلى": "menu"}


def test_004_breadcrumb_and_comments_go_subtitle_and_agency_credit_stay() -> None:
    a = clean(seed("004"))
    assert a.title == "الكاظمي يرفع التأهب الأمني في البلاد"
    assert a.paragraphs[0] == "العراق يستنفر مجدداً للقضاء على “داعش” وتجفيف منابعه"
    assert a.paragraphs[-1].endswith("منتشرين في العراق. ا.ف.ب + وكالات")
    assert len(a.paragraphs) == 20
    got = reasons(a)
    assert got["الرئيسية دولي"] == "breadcrumb"
    assert got["تعليقات الموقع"] == "comments"
    (policy,) = [t for t, r in got.items() if r == "comment_policy"]
    assert policy.startswith("نسعد بمشاركتك لنا بتعليقاتك")


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_output_is_normalized(prefix: str) -> None:
    a = clean(seed(prefix))
    for p in [a.title, *a.paragraphs]:
        assert "\u0640" not in p and "\u00a0" not in p and "  " not in p and p == p.strip()
