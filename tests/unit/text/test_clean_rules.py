"""The line rules on synthetic pages whose chrome is worded differently from the seeds."""

from __future__ import annotations

import pytest
from tarjama.errors import EmptyAfterCleaningError, InvalidInputError, NotArabicError
from tarjama.text import Article, clean, normalize

from .pages import PAGES, Page

TITLE = "الحكومة تعلن خطة جديدة لتطوير شبكة النقل العام في العاصمة"
P1 = "أعلنت الحكومة، الأحد، خطة جديدة لتطوير شبكة النقل العام في العاصمة بكلفة تقدر بنحو 2.5 مليار دولار."
P2 = "وقال وزير النقل في مؤتمر صحفي إن «المشروع سيخفف الازدحام ويوفر آلاف فرص العمل خلال السنوات المقبلة»."
P3 = "ومن المتوقع أن تبدأ أعمال التنفيذ مطلع العام المقبل، على أن تنجز المرحلة الأولى خلال ثلاث سنوات."


def page(top: list[str] = (), middle: list[str] = (), bottom: list[str] = ()) -> str:  # type: ignore[assignment]
    return "\n".join([*top, TITLE, P1, *middle, P2, P3, *bottom])


def reasons(article: Article) -> dict[str, str]:
    """Removed line -> reason, keyed by the line as written in the test (removed text is normalized)."""
    return {r.text: r.reason for r in article.removed}


def reason_of(article: Article, line: str) -> str | None:
    return reasons(article).get(normalize(line))


def assert_article_intact(a: Article, *extra: str) -> None:
    assert a.title == TITLE
    for p in (P1, P2, P3, *extra):
        assert p in a.paragraphs


@pytest.mark.parametrize("pg", PAGES, ids=lambda p: p.name)
def test_synthetic_page(pg: Page) -> None:
    a = clean(pg.text)
    assert a.title == pg.title
    body = "\n".join(a.paragraphs)
    for fragment in pg.keep:
        assert fragment in body, fragment
    got = reasons(a)
    for line, reason in pg.drop.items():
        assert got.get(line) == reason, (line, got.get(line))
        assert line not in a.paragraphs


# --- each kind of chrome, in several wordings, at the place where pages put it -----------------------------


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("شارك", "share"),
        ("شارك المقال عبر", "share"),
        ("مشاركة الخبر على فيسبوك", "share"),
        ("Facebook Twitter WhatsApp", "share"),
        ("طباعة", "share"),
        ("نسخ الرابط", "share"),
        ("الرابط المختصر: https://t.co/abc", "share"),
        ("2.4K", "share"),
        ("15 مشاركة", "share"),
        ("1500 مشاهدة", "views"),
        ("تابعنا على تويتر", "follow"),
        ("تابعوا آخر الأخبار عبر قناتنا على تيليجرام", "follow"),
        ("انضموا إلى قناتنا على واتساب", "follow"),
        ("Follow us on Facebook", "follow"),
        ("© الجزيرة 2024", "copyright"),
        ("جميع الحقوق محفوظة لموقع النهار 2024", "copyright"),
        ("كافة الحقوق محفوظة", "copyright"),
        ("All rights reserved 2024", "copyright"),
        ("يمنع نسخ أو إعادة نشر المواد دون إذن مسبق", "copyright"),
        ("الكلمات المفتاحية: النقل، العاصمة، الحكومة", "tags"),
        ("#النقل #العاصمة", "tags"),
        ("إعلان", "ad"),
        ("Advertisement", "ad"),
        ("مساحة إعلانية", "ad"),
        ("شعار الموقع", "logo"),
        ("الأكثر قراءة", "related"),
        ("قد يعجبك أيضا", "related"),
        ("أضف تعليقك", "comments"),
        ("التعليقات المنشورة تعبر عن آراء أصحابها وليس عن رأي الموقع", "comment_policy"),
        ("العودة إلى الأعلى", "menu"),
        ("المقال التالي", "menu"),
        ("سياسة الخصوصية", "menu"),
        ("***", "noise"),
        ("هذا المقال يعبر عن رأي كاتبه ولا يعبر بالضرورة عن رأي الموقع.", "disclaimer"),
        ("يستخدم هذا الموقع ملفات تعريف الارتباط لتحسين تجربتك. موافق", "cookies"),
        ("اشترك في النشرة البريدية ليصلك أهم الأخبار", "promotion"),
        ("حمل تطبيقنا على هاتفك", "promotion"),
        ("الآراء الواردة في التعليقات تعبر عن أصحابها ولا تعكس رأي الجريدة.", "comment_policy"),
    ],
)
def test_chrome_below_the_article_goes(line: str, reason: str) -> None:
    a = clean(page(bottom=[line]))
    assert reason_of(a, line) == reason
    assert_article_intact(a)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("عاجل: انفجار يهز ميناء المدينة", "breaking"),
        ("أخبار عاجلة | ارتفاع عدد الضحايا", "breaking"),
        ("الرئيسية > أخبار > اقتصاد", "breadcrumb"),
        ("الرئيسية / محليات / النقل", "breadcrumb"),
        ("Home | News | Local | Sports", "breadcrumb"),
        ("أخبار | سياسة | اقتصاد | رياضة | ثقافة", "menu"),
        ("حريق في مستودع للوقود • ارتفاع أسعار الذهب • وفاة فنان شهير", "ticker"),
        ("تراجع البورصة   فوز المنتخب الوطني   تعطل حركة الملاحة في المطار", "ticker"),
        ("22/05/2024", "date"),
        ("2024-05-22 10:15", "date"),
        ("الأحد، 22 مايو 2024", "date"),
        ("الأحد 14 شوال 1445 هـ", "date"),
        ("السبت 15 حزيران 2024 - 10:30 ص", "date"),
        ("آخر تحديث: الاثنين 3 يونيو 2024", "date"),
        ("تاريخ النشر: 03.06.2024", "date"),
        ("نشر في 22 مارس 2023 الساعة 08:15 بتوقيت غرينتش", "date"),
        ("منذ 5 دقائق", "date"),
        ("Updated: 3 June 2024", "date"),
        ("كتب: محمد علي", "byline"),
        ("مدة القراءة: 3 دقائق", "reading_time"),
        ("تصوير: أحمد جلال", "caption"),
        ("LOGO", "logo"),
    ],
)
def test_chrome_above_the_article_goes(line: str, reason: str) -> None:
    a = clean(page(top=[line]))
    assert reason_of(a, line) == reason
    assert_article_intact(a)


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        (["اقرأ أيضا: الحكومة ترفع أسعار تذاكر القطارات"], "read_also"),
        (["إقرأ أيضاً", "الحكومة ترفع أسعار تذاكر القطارات"], "read_also"),
        (["للمزيد: انطلاق أعمال توسعة الطريق الدائري"], "read_also"),
        (
            ["مواضيع ذات صلة", "افتتاح محطة قطار جديدة", "تأجيل مشروع الجسر المعلق", "ارتفاع أسعار الوقود"],
            "related",
        ),
        (["- إعلان -"], "ad"),
        (["فيديو"], "menu"),
        (["الصورة: رويترز"], "caption"),
    ],
)
def test_chrome_inside_the_body_goes(lines: list[str], reason: str) -> None:
    a = clean(page(middle=lines))
    got = reasons(a)
    for line in lines:
        assert got.get(normalize(line)) == reason
    assert_article_intact(a)


def test_list_of_headlines_below_the_article_is_related_even_without_a_heading() -> None:
    related = [
        "افتتاح محطة قطار جديدة في الشمال",
        "تأجيل مشروع الجسر المعلق مجددا",
        "ارتفاع أسعار الوقود للمرة الثالثة",
    ]
    a = clean(page(bottom=related))
    assert all(reasons(a).get(r) == "related" for r in related)


# --- content that must stay ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "مرحلة أولى",  # short subheading
        "ماذا بعد؟",  # question subheading
        "ردود فعل دولية واسعة على القرار",  # longer subheading
        "شارك آلاف المواطنين في الاحتفال بافتتاح الخط الأول.",  # starts with "شارك", is prose
        "وتابع الوزير: «لن نتراجع عن هذه الخطة مهما كانت الضغوط».",  # a quote
        "1. تحديث الحافلات",  # a numbered point
        "المزيد من الحافلات",  # starts like a "more from" heading, is a subheading
        "للمزيد من التفاصيل حول الخطة يمكن مراجعة موقع الوزارة الرسمي",  # starts like "for more:"
        "وانتقد الوزير التعليقات المسيئة على مواقع التواصل.",  # comments, but news
        "وتعليقا على ذلك، قال الخبير إن سياسة الحكومة صائبة.",  # "comment" and "policy", but news
        "انضم اللاعب إلى النادي الأهلي في صفقة قياسية.",  # "join" is not "join our channel"
        "عاجل وضروري",  # a subheading that starts with a breaking word
    ],
)
def test_content_inside_the_body_stays(line: str) -> None:
    a = clean(page(middle=[line]))
    assert line in a.paragraphs
    assert_article_intact(a, line)


@pytest.mark.parametrize(
    "line",
    ["(رويترز)", "المصدر: وكالات", "بقلم: سامر يوسف"],
)
def test_credit_below_the_article_stays(line: str) -> None:
    a = clean(page(bottom=[line]))
    assert a.paragraphs[-1] == line


def test_agency_credit_at_the_end_of_a_paragraph_stays() -> None:
    p = "وقتل شخصان في الحادث بحسب الشرطة. (أ.ف.ب)"
    a = clean(page(bottom=[p]))
    assert a.paragraphs[-1] == p


def test_subtitle_under_the_title_stays() -> None:
    sub = "المشروع يشمل ثلاثة خطوط جديدة للقطارات وخمسين حافلة كهربائية"
    a = clean("\n".join([TITLE, sub, P1, P2, P3]))
    assert a.title == TITLE
    assert a.paragraphs[0] == sub


def test_breaking_marker_above_the_only_headline_leaves_the_title() -> None:
    a = clean("\n".join(["عاجل", TITLE, P1, P2]))
    assert a.title == TITLE
    assert reasons(a) == {"عاجل": "breaking"}


def test_breaking_marker_above_title_and_subtitle_leaves_both() -> None:
    sub = "المشروع يشمل ثلاثة خطوط جديدة للقطارات وخمسين حافلة كهربائية"
    a = clean("\n".join(["عاجل", TITLE, sub, P1, P2]))
    assert a.title == TITLE
    assert a.paragraphs[0] == sub


def test_repeated_headline_is_the_title_and_headlines_above_it_go() -> None:
    other = "منتخب الناشئين يتأهل إلى نهائي البطولة العربية"
    a = clean("\n".join([other, TITLE, TITLE, P1, P2]))
    assert a.title == TITLE
    assert reasons(a) == {other: "ticker", TITLE: "duplicate_title"}


def test_repeated_paragraph_goes_once() -> None:
    a = clean(page(bottom=[P1]))
    assert a.paragraphs.count(P1) == 1
    assert reasons(a)[P1] == "duplicate"


def test_latin_line_around_the_article_goes_but_not_inside_it() -> None:
    quote = "The plan is ambitious but achievable"
    a = clean(
        "\n".join(["Powered by WordPress theme", TITLE, P1, quote, P2, P3, "Privacy Terms Contact settings"])
    )
    assert quote in a.paragraphs
    assert reasons(a)["Powered by WordPress theme"] == "non_arabic"
    assert reasons(a)["Privacy Terms Contact settings"] == "non_arabic"


def test_plain_text_without_title_keeps_every_line() -> None:
    a = clean(f"{P1}\n{P2}")
    assert a.title == ""
    assert a.paragraphs == [P1, P2]


def test_single_headline_only_becomes_the_paragraph() -> None:
    a = clean(TITLE)
    assert a.title == ""
    assert a.paragraphs == [TITLE]


def test_removed_lines_are_reported_in_page_order() -> None:
    a = clean(page(top=["عاجل: انفجار يهز ميناء المدينة", "22/05/2024"], bottom=["© 2024"]))
    assert [r.reason for r in a.removed] == ["breaking", "date", "copyright"]


# --- errors ---------------------------------------------------------------------------------------------


def test_english_article_is_not_arabic() -> None:
    text = "Government announces a new transport plan.\nThe minister said the plan would ease traffic."
    with pytest.raises(NotArabicError) as info:
        clean(text)
    assert info.value.code == "not_arabic"
    assert "Arabic" in info.value.message


def test_mostly_latin_with_some_arabic_is_not_arabic() -> None:
    with pytest.raises(NotArabicError):
        clean("مرحبا\n" + "This is an English article about the economy and trade. " * 5)


@pytest.mark.parametrize("text", ["", "   \n\t\u200f\n", "\u0640\u0640"])
def test_empty_input_is_empty_after_cleaning(text: str) -> None:
    with pytest.raises(EmptyAfterCleaningError) as info:
        clean(text)
    assert info.value.code == "empty_after_cleaning"


def test_page_of_only_chrome_is_empty_after_cleaning() -> None:
    with pytest.raises(EmptyAfterCleaningError) as info:
        clean("الرئيسية\nشارك\n© 2024 جميع الحقوق محفوظة\nتابعونا على\n12")
    assert "chrome" in info.value.message


def test_unknown_format_is_invalid_input() -> None:
    with pytest.raises(InvalidInputError):
        clean("نص", "pdf")  # type: ignore[arg-type]


def test_question_headline_is_the_title() -> None:
    title = "هل تنجح الخطة الجديدة في حل أزمة النقل؟"
    a = clean("\n".join([title, P1, P2, P3]))
    assert a.title == title
    assert a.paragraphs == [P1, P2, P3]


def test_short_last_sentence_with_its_stop_stays() -> None:
    a = clean(page(bottom=["وانتهى الاجتماع."]))
    assert a.paragraphs[-1] == "وانتهى الاجتماع."


def test_bulleted_list_at_the_end_of_the_article_stays() -> None:
    items = ["- وقف إطلاق النار", "- تبادل الأسرى خلال أسبوع", "- إعادة الإعمار", "- فتح المعابر"]
    a = clean(page(bottom=["وتضمن الاتفاق عدة بنود أبرزها ما يلي:", *items]))
    assert a.paragraphs[-4:] == items


def test_list_introduced_by_a_colon_at_the_end_stays() -> None:
    items = ["وقف إطلاق النار في كل الجبهات", "تبادل الأسرى خلال أسبوع واحد", "إعادة إعمار المدن المتضررة"]
    a = clean(page(bottom=["وتضمن الاتفاق عدة بنود أبرزها ما يلي:", *items]))
    assert a.paragraphs[-3:] == items
