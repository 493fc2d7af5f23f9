"""Do-not-translate marks in HTML input: collected before extraction, carried on the article."""

from __future__ import annotations

from tarjama.text import clean
from tarjama.text.html import no_translate_spans

PARAGRAPH = "قال وزير الخارجية إن المحادثات مع الوفد ستستأنف الأسبوع المقبل في القاهرة بحضور الوسطاء."

PAGE = f"""<!doctype html><html><head><title>المحادثات تستأنف</title></head><body>
<nav><a href="/">الرئيسية</a></nav>
<article><h1>المحادثات تستأنف</h1>
<p>{PARAGRAPH}</p>
<p>وأكد المتحدث باسم <span translate="no">Hamas  Political Bureau</span> أن الوفد سيصل غدا إلى القاهرة.</p>
<p>ونقلت وكالة <b class="brand notranslate">رويترز</b> عن مصادر أن الجولة ستكون حاسمة للطرفين.</p>
<p>وقال مسؤول مصري إن <i translate="yes">الوسطاء</i> متفائلون بنتائج الجولة المقبلة من المحادثات.</p>
</article></body></html>"""


def test_spans_marked_translate_no_or_notranslate() -> None:
    assert no_translate_spans(PAGE) == ["Hamas Political Bureau", "رويترز"]


def test_nested_marks_and_block_children_give_separate_spans() -> None:
    html = '<div translate="no"><p>أولا <b>ثانيا</b></p><p>ثالثا</p></div><p>رابعا</p>'
    assert no_translate_spans(html) == ["أولا ثانيا", "ثالثا"]


def test_unclosed_marked_element_does_not_swallow_the_page() -> None:
    html = '<p><span translate="no">اسم</p><p>نص عادي</p>'
    assert no_translate_spans(html) == ["اسم"]


def test_page_without_marks() -> None:
    assert no_translate_spans("<p>نص</p>") == []


def test_clean_carries_the_spans_on_the_article() -> None:
    article = clean(PAGE, "html")
    assert article.keep == ("Hamas Political Bureau", "رويترز")
    assert any("Hamas Political Bureau" in p for p in article.paragraphs)


def test_plain_text_has_no_spans() -> None:
    assert clean(PARAGRAPH, "text").keep == ()
