"""The chrome classes added for real pages: comment sections (heads and counters), comment policies and
app/newsletter promotions, each with its reason; and the news lines that look like them but stay."""

from __future__ import annotations

import pytest
from tarjama.text import clean

from .test_clean_rules import P1, P2, P3, assert_article_intact, page, reason_of

COMMENT = "أتمنى أن تنجح الحكومة في تنفيذ هذه الخطة في موعدها، فالمواصلات في العاصمة أصبحت معاناة يومية."


@pytest.mark.parametrize(
    "head", ["التعليقات (0)", "عدد التعليقات: 3", "التعليقات 12", "لا توجد تعليقات حتى الآن"]
)
def test_a_comment_section_head_takes_the_comments_under_it(head: str) -> None:
    a = clean(page(bottom=[head, COMMENT]))
    assert_article_intact(a)
    assert reason_of(a, head) == "comments"
    assert reason_of(a, COMMENT) == "comments"  # a reader's comment is prose, and still not the article


def test_a_comment_counter_in_the_header_does_not_take_the_article() -> None:
    a = clean(page(top=["التعليقات (4)"]))
    assert_article_intact(a)
    assert reason_of(a, "التعليقات (4)") == "comments"


@pytest.mark.parametrize(
    "line",
    [
        "ترحب شبكة الأخبار بالنقاش الحيوي والمفيد، ويرجى الالتزام بقواعد التعليق.",
        "الآراء الواردة أدناه لا تعبر عن رأي الموقع وإنما عن آراء أصحابها.",
        "نرجو من القراء الالتزام بآداب الحوار، ويحتفظ الموقع بحق حذف التعليقات المسيئة.",
    ],
)
def test_comment_policies_are_chrome(line: str) -> None:
    a = clean(page(bottom=[line]))
    assert_article_intact(a)
    assert reason_of(a, line) == "comment_policy"


@pytest.mark.parametrize(
    "line",
    [
        "للمزيد من الأخبار حمّل تطبيقنا على الهاتف",
        "حمل تطبيق الموقع الآن من متجر جوجل بلاي",
        "اشترك في النشرة البريدية لتصلك أهم الأخبار يوميا",
        "سجل بريدك الإلكتروني واحصل على النشرة الصباحية",
        "Subscribe to our newsletter",
    ],
)
def test_app_and_newsletter_promotions_are_chrome(line: str) -> None:
    a = clean(page(bottom=[line]))
    assert_article_intact(a)
    assert reason_of(a, line) == "promotion"


@pytest.mark.parametrize(
    "line",
    [
        "وأطلقت الوزارة تطبيقا جديدا متاحا على متجر جوجل بلاي لحجز مواعيد الفحص، وفق بيان رسمي.",
        "ورحب الوزير بالنقاش الدائر حول القانون، مؤكدا أن الحكومة ستأخذ آراء النواب بعين الاعتبار.",
        "وقال المتحدث إن هذه التصريحات لا تعبر عن رأي الحكومة الرسمي في القضية.",
    ],
)
def test_news_lines_that_mention_apps_discussion_or_opinions_stay(line: str) -> None:
    a = clean(page(middle=[line]))
    assert_article_intact(a, line)


def test_the_body_ends_before_a_comment_policy_so_the_lists_below_it_are_chrome() -> None:
    related = [
        "ارتفاع أسعار الذهب في السوق المحلية اليوم",
        "مجلس النواب يناقش قانون الإيجارات غدا",
        "انقطاع الكهرباء عن أحياء في العاصمة",
    ]
    policy = "الآراء الواردة أدناه لا تعبر عن رأي الموقع وإنما عن آراء أصحابها."
    a = clean(page(bottom=[*related, policy]))
    assert a.paragraphs == [P1, P2, P3]
    assert all(reason_of(a, r) == "related" for r in related)
