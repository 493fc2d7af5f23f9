"""HTML input: trafilatura for the main text, then the same line rules. Pages are our own fixtures."""

from __future__ import annotations

import pytest
from tarjama.text import clean
from tarjama.text.clean import clean_lines
from tarjama.text.html import _fallback, extract, looks_like_html

from .conftest import html_page

CHROME = [
    "الصفحة الرئيسية",
    "اتصل بنا",
    "آخر الأخبار",
    "منتخب الشباب يتأهل",
    "dataLayer",
    "display:flex",
    "البنك المركزي يبقي",
    "أخبار ذات صلة",
    "الآراء الواردة في التعليقات",
    "كافة الحقوق محفوظة",
    "تابعوا صحيفة الوادي",
    "فيسبوك",
    "الكلمات المفتاحية",
    "اقرأ أيضاً",
    "سياسة الخصوصية",
    "نُشر في",
]


def test_economy_page_keeps_title_subheading_paragraphs_and_credit() -> None:
    a = clean(html_page("economy_news.html"))
    assert a.title == "ارتفاع أسعار القمح في الأسواق المحلية للشهر الثالث"
    assert "مخاوف على الخبز المدعوم" in a.paragraphs
    text = "\n".join(a.paragraphs)
    assert a.paragraphs[0].startswith("واصلت أسعار القمح ارتفاعها")
    assert "وقال د. سامي العبيدي" in text
    assert "العقوبات ستطال المتلاعبين. (رويترز)" in text
    assert a.paragraphs[-1].startswith("ويعد القمح من أهم السلع")
    assert len(a.paragraphs) == 6


@pytest.mark.parametrize("name", ["economy_news.html", "health_report.html", "sports_short.html"])
def test_no_chrome_survives_html_cleaning(name: str) -> None:
    a = clean(html_page(name))
    text = "\n".join([a.title, *a.paragraphs])
    for chrome in [
        *CHROME,
        "عاجل",
        "زلزال",
        "الأكثر قراءة",
        "نصائح غذائية",
        "النشرة البريدية",
        "شارك هذا",
        "تيليغرام",
        "جميع الحقوق",
        "شعار الموقع",
        "كرة القدم",
        "<",
        "function(",
    ]:
        assert chrome not in text, chrome


def test_read_also_inside_html_article_is_removed_by_the_line_rules() -> None:
    a = clean(html_page("economy_news.html"))
    assert {r.reason for r in a.removed} >= {"read_also", "duplicate_title"}


def test_health_page_keeps_quote_email_and_times() -> None:
    a = clean(html_page("health_report.html"))
    assert a.title == "وزارة الصحة تطلق حملة تطعيم وطنية ضد الحصبة"
    text = "\n".join(a.paragraphs)
    assert '"اللقاح آمن ومجاني، ونناشد الأهالي عدم التردد"' in text
    assert "info@health.example.gov" in text
    assert "فرق متنقلة" in a.paragraphs
    assert len(a.paragraphs) == 5


def test_sports_page() -> None:
    a = clean(html_page("sports_short.html"), "html")
    assert a.title == "المنتخب يفوز وديا استعدادا للتصفيات"
    assert len(a.paragraphs) == 3


def test_line_rules_clean_the_chrome_when_extraction_keeps_it() -> None:
    """The plain fallback keeps every block outside nav/header/footer/aside: the line rules do the rest."""
    a = clean_lines(_fallback(html_page("health_report.html")))
    text = "\n".join([a.title, *a.paragraphs])
    for chrome in ["عاجل", "إعلان", "شارك هذا المقال", "الأكثر قراءة", "نصائح غذائية", "كتبت: ليلى حسن"]:
        assert chrome not in text, chrome
    assert {r.reason for r in a.removed} >= {"breaking", "ad", "share", "related", "byline"}
    assert "فرق متنقلة" in a.paragraphs


def test_fallback_drops_script_style_nav_and_footer() -> None:
    text = _fallback(html_page("economy_news.html"))
    for chrome in ["dataLayer", "display:flex", "الصفحة الرئيسية", "كافة الحقوق محفوظة", "البنك المركزي"]:
        assert chrome not in text
    assert "واصلت أسعار القمح" in text


def test_page_where_trafilatura_finds_nothing_uses_the_fallback() -> None:
    html = (
        "<html><body><div><p>ارتفع سعر الذهب اليوم في الأسواق المحلية إلى مستوى قياسي جديد.</p></div>"
        "</body></html>"
    )
    assert "ارتفع سعر الذهب" in extract(html)
    a = clean(html)
    assert a.paragraphs == ["ارتفع سعر الذهب اليوم في الأسواق المحلية إلى مستوى قياسي جديد."]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<!DOCTYPE html><html><body><p>نص</p></body></html>", True),
        ("<div class='x'><p>نص</p></div>", True),
        ("قال إن النسبة < 5 بالمئة و> 2 بالمئة", False),
        ("عنوان\n\nنص عادي", False),
        ("<p>فقرة واحدة", False),
    ],
)
def test_html_auto_detection(raw: str, expected: bool) -> None:
    assert looks_like_html(raw) is expected


def test_format_text_forces_plain_text_on_markup_like_input() -> None:
    raw = "<b>عنوان</b>\nقال الوزير إن الخطة ستنفذ خلال العام المقبل بكلفة كبيرة.\n<i>ثم</i>"
    a = clean(raw, "text")
    assert "قال الوزير إن الخطة ستنفذ خلال العام المقبل بكلفة كبيرة." in a.paragraphs


def test_malformed_html_does_not_crash() -> None:
    raw = (
        "<html><body><p>نص عربي طويل بما يكفي ليكون فقرة في مقال إخباري عن الاقتصاد."
        "<div><p><<<>>></span></body>"
    )
    a = clean(raw, "html")
    assert any("نص عربي طويل" in p for p in a.paragraphs)


def test_english_html_is_not_arabic() -> None:
    from tarjama.errors import NotArabicError

    raw = "<html><body><article><h1>Markets rally</h1><p>" + "Stocks rose sharply on Monday. " * 20
    raw += "</p></article></body></html>"
    with pytest.raises(NotArabicError):
        clean(raw)


def test_site_name_in_the_html_title_does_not_reach_the_article() -> None:
    html = (
        "<html><head><title>انخفاض معدلات البطالة إلى أدنى مستوى منذ عقد | موقع المدينة</title>"
        "</head><body><nav><a>الرئيسية</a><a>اقتصاد</a></nav>"
        "<article><h1>انخفاض معدلات البطالة إلى أدنى مستوى منذ عقد</h1>"
        "<p>أعلن الجهاز المركزي للإحصاء، الخميس، أن معدل البطالة انخفض إلى 6.2 في المئة خلال الربع.</p>"
        "<p>وقال رئيس الجهاز في مؤتمر صحفي إن التحسن يعود إلى نمو قطاعي البناء والسياحة.</p>"
        "</article><footer>جميع الحقوق محفوظة</footer></body></html>"
    )
    a = clean(html)
    assert a.title == "انخفاض معدلات البطالة إلى أدنى مستوى منذ عقد"
    assert len(a.paragraphs) == 2
    assert all("موقع المدينة" not in p and "الحقوق" not in p for p in a.paragraphs)
