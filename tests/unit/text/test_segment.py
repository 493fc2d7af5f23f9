"""One test per segmentation rule (docs/cleaning.md, "Segmentation")."""

from __future__ import annotations

from tarjama.text import Article, Sentence, segment, segment_article


def texts(text: str, **kw: object) -> list[str]:
    return [s.text for s in segment(text, **kw)]  # type: ignore[arg-type]


# --- boundaries ---------------------------------------------------------------------------------------


def test_full_stop_is_a_boundary() -> None:
    assert texts("وصل الوفد. بدأت المحادثات.") == ["وصل الوفد.", "بدأت المحادثات."]


def test_exclamation_mark_is_a_boundary() -> None:
    assert texts("يا له من فوز! احتفل الجمهور.") == ["يا له من فوز!", "احتفل الجمهور."]


def test_latin_question_mark_is_a_boundary() -> None:
    assert texts("هل تنجح الخطة? لا أحد يعرف.") == ["هل تنجح الخطة?", "لا أحد يعرف."]


def test_arabic_question_mark_is_a_boundary() -> None:
    assert texts("هل تنجح الخطة؟ لا أحد يعرف.") == ["هل تنجح الخطة؟", "لا أحد يعرف."]


def test_ellipsis_character_is_a_boundary() -> None:
    assert texts("وانتظر الجميع… ثم جاء القرار.") == ["وانتظر الجميع...", "ثم جاء القرار."]


def test_run_of_stops_stays_together() -> None:
    assert texts("حقا؟! لم أصدق.. ثم صدقت.") == ["حقا؟!", "لم أصدق..", "ثم صدقت."]


def test_line_end_is_a_boundary_even_without_punctuation() -> None:
    assert texts("عنوان بلا نقطة\nجملة ثانية") == ["عنوان بلا نقطة", "جملة ثانية"]


def test_missing_space_between_two_arabic_words_still_splits() -> None:
    assert texts("انتهى الاجتماع.وقال الوزير إن") == ["انتهى الاجتماع.", "وقال الوزير إن"]


# --- not boundaries -----------------------------------------------------------------------------------


def test_arabic_comma_is_never_a_boundary() -> None:
    assert texts("قال الوزير، في بيان، إن الوضع مستقر") == ["قال الوزير، في بيان، إن الوضع مستقر"]


def test_arabic_semicolon_is_not_a_boundary_without_a_budget() -> None:
    assert texts("ارتفعت الأسعار؛ لذلك تدخلت الحكومة.") == ["ارتفعت الأسعار؛ لذلك تدخلت الحكومة."]


def test_colon_is_not_a_boundary() -> None:
    assert texts("وقال: سنواصل العمل.") == ["وقال: سنواصل العمل."]


def test_dotted_acronyms_are_not_cut() -> None:
    for acronym in ("ا.ف.ب", "أ.ف.ب", "و.ا.س", "د.ب.أ"):
        assert texts(f"ذكرت {acronym} أن الهجوم وقع ليلا. ثم انسحبوا.") == [
            f"ذكرت {acronym} أن الهجوم وقع ليلا.",
            "ثم انسحبوا.",
        ]


def test_dotted_acronym_with_final_dot_is_not_cut() -> None:
    assert texts("نقلت أ.ف.ب. عن مصدر أن الاجتماع انتهى.") == ["نقلت أ.ف.ب. عن مصدر أن الاجتماع انتهى."]


def test_agency_credit_at_end_of_paragraph_stays_with_it() -> None:
    assert texts("قتل ثلاثة أشخاص في الهجوم. ا.ف.ب + وكالات") == [
        "قتل ثلاثة أشخاص في الهجوم.",
        "ا.ف.ب + وكالات",
    ]


def test_title_abbreviations_are_not_cut() -> None:
    assert texts("التقى د. أحمد علي مع م. سامر و أ. ليلى اليوم.") == [
        "التقى د. أحمد علي مع م. سامر و أ. ليلى اليوم."
    ]


def test_latin_title_abbreviation_is_not_cut() -> None:
    assert texts("التقى Dr. Smith بالوفد.") == ["التقى Dr. Smith بالوفد."]


def test_decimals_are_not_cut() -> None:
    assert texts("بلغ النمو 1.35 في المئة هذا العام.") == ["بلغ النمو 1.35 في المئة هذا العام."]


def test_times_are_not_cut() -> None:
    assert texts("يبدأ الاجتماع عند 10:30 صباحا. ثم الغداء.") == [
        "يبدأ الاجتماع عند 10:30 صباحا.",
        "ثم الغداء.",
    ]


def test_urls_are_not_cut() -> None:
    assert texts("راجعوا https://example.com/a.b?c=1 للتفاصيل. ثم عودوا.") == [
        "راجعوا https://example.com/a.b?c=1 للتفاصيل.",
        "ثم عودوا.",
    ]


def test_url_at_the_end_of_a_sentence_keeps_its_stop() -> None:
    assert texts("زوروا www.example.org. وشكرا.") == ["زوروا www.example.org.", "وشكرا."]


def test_emails_are_not_cut() -> None:
    assert texts("راسلوا info@news.example.com. للاستفسار اتصلوا.") == [
        "راسلوا info@news.example.com.",
        "للاستفسار اتصلوا.",
    ]


def test_enumeration_label_is_not_a_sentence() -> None:
    assert texts("1. الإصلاح الاقتصادي") == ["1. الإصلاح الاقتصادي"]


def test_short_bracketed_aside_is_not_cut() -> None:
    assert texts("قال المصدر (وهو مسؤول. طلب عدم ذكر اسمه) إن الوضع هادئ.") == [
        "قال المصدر (وهو مسؤول. طلب عدم ذكر اسمه) إن الوضع هادئ."
    ]


# --- quotes ---------------------------------------------------------------------------------------------


def test_closing_guillemet_after_the_stop_belongs_to_the_sentence() -> None:
    assert texts("قال: «انتهى الأمر.» ثم غادر.") == ["قال: «انتهى الأمر.»", "ثم غادر."]


def test_closing_curly_quote_after_the_stop_belongs_to_the_sentence() -> None:
    assert texts("وأضاف “لن نتراجع.” وصفق الحضور.") == ["وأضاف “لن نتراجع.”", "وصفق الحضور."]


def test_closing_straight_quote_after_the_stop_belongs_to_the_sentence() -> None:
    assert texts('وأضاف "لن نتراجع." وصفق الحضور.') == ['وأضاف "لن نتراجع."', "وصفق الحضور."]


def test_quote_inside_a_sentence_stays_with_it() -> None:
    assert texts("أكد أن «الوضع مستقر» في بيان رسمي. وانتهى.") == [
        "أكد أن «الوضع مستقر» في بيان رسمي.",
        "وانتهى.",
    ]


def test_opening_quote_goes_with_the_next_sentence() -> None:
    assert texts("وقال. «سنعود»") == ["وقال.", "«سنعود»"]


def test_closing_bracket_after_the_stop_belongs_to_the_sentence() -> None:
    assert texts("(انتهى الاجتماع.) ثم بدأ آخر.") == ["(انتهى الاجتماع.)", "ثم بدأ آخر."]


# --- paragraphs -----------------------------------------------------------------------------------------


def test_paragraph_index_counts_blank_line_separated_blocks() -> None:
    got = segment("أولى. ثانية.\n\nثالثة.")
    assert got == [Sentence("أولى.", 0), Sentence("ثانية.", 0), Sentence("ثالثة.", 1)]


def test_segment_article_skips_the_title_and_indexes_paragraphs() -> None:
    article = Article(title="عنوان المقال", paragraphs=["جملة. أخرى.", "فقرة ثانية."])
    assert segment_article(article) == [
        Sentence("جملة.", 0),
        Sentence("أخرى.", 0),
        Sentence("فقرة ثانية.", 1),
    ]


def test_segment_normalizes_first() -> None:
    assert texts("العـــدد ٣٫٥. تم") == ["العدد 3.5.", "تم"]


def test_empty_and_whitespace_give_no_sentences() -> None:
    assert segment("") == []
    assert segment(" \n\t\u200f \n") == []


# --- cutting sentences that are too long -----------------------------------------------------------------


def test_long_sentence_cut_at_semicolon_first() -> None:
    s = "ارتفعت أسعار الوقود في الأسواق، وتراجعت المبيعات؛ لذلك تدخلت الحكومة، وأعلنت دعما جديدا."
    got = segment(s, max_length=50)
    assert [x.text for x in got] == [
        "ارتفعت أسعار الوقود في الأسواق، وتراجعت المبيعات؛",
        "لذلك تدخلت الحكومة، وأعلنت دعما جديدا.",
    ]
    assert [x.piece for x in got] == [0, 1]


def test_long_sentence_cut_at_comma_when_no_semicolon_fits() -> None:
    s = "قال الوزير في مؤتمر صحفي، بحضور السفراء والملحقين العسكريين، إن الحكومة ماضية في خطتها."
    got = [x.text for x in segment(s, max_length=40)]
    assert got == [
        "قال الوزير في مؤتمر صحفي،",
        "بحضور السفراء والملحقين العسكريين،",
        "إن الحكومة ماضية في خطتها.",
    ]


def test_long_sentence_cut_between_words_never_mid_word() -> None:
    s = "كلمة " * 30 + "نهاية."
    got = segment(s, max_length=23)
    assert all(len(x.text) <= 23 for x in got)
    assert " ".join(x.text for x in got) == s.strip()
    assert {w for x in got for w in x.text.split()} <= {"كلمة", "نهاية."}


def test_single_word_longer_than_the_budget_is_kept_whole() -> None:
    word = "ا" * 50
    assert [x.text for x in segment(f"{word} قصيرة", max_length=10)] == [word, "قصيرة"]


def test_comma_inside_a_number_is_not_a_cut_point() -> None:
    got = [x.text for x in segment("بلغ العدد 1,000,000 شخص, وفق الأرقام الرسمية المعلنة", max_length=25)]
    assert "1,000,000" in " ".join(got)
    assert all("1,000,000" in x or "1," not in x for x in got)


def test_an_arabic_comma_or_semicolon_inside_a_word_is_not_a_cut_point() -> None:
    """Scraped text glues ، and ؛ to the next word ("الجمعة،10"): a cut there would split a word in two
    (hypothesis found ['،', '0'] for '،0')."""
    s = "وصل الوفد يوم الجمعة،10 من الشهر؛ثم غادر إلى العاصمة في اليوم التالي"
    got = [x.text for x in segment(s, max_length=20)]
    assert " ".join(got).split() == s.split()
    assert all(len(x) <= 20 for x in got), got


def test_sentence_within_budget_has_no_piece_number() -> None:
    assert segment("جملة قصيرة.", max_length=100) == [Sentence("جملة قصيرة.", 0, None)]


def test_length_function_is_the_callers() -> None:
    """A token counter (here: words) decides, not characters."""
    s = "واحد اثنان ثلاثة، أربعة خمسة ستة، سبعة ثمانية"
    got = segment(s, max_length=3, length=lambda t: len(t.split()))
    assert [x.text for x in got] == ["واحد اثنان ثلاثة،", "أربعة خمسة ستة،", "سبعة ثمانية"]
    assert [x.piece for x in got] == [0, 1, 2]


def test_non_additive_length_is_verified_per_piece() -> None:
    """Tokenizers are not additive over concatenation; every piece is checked with the real length."""

    def length(t: str) -> int:
        return len(t.split()) * 2 - 1 if t else 0  # joining costs more than the sum of the parts

    s = "أ ب ج د ه و ز ح ط ي"
    got = segment(s, max_length=5, length=length)
    assert all(length(x.text) <= 5 for x in got)
    assert " ".join(x.text for x in got) == s


def test_abbreviation_at_a_line_end_ends_the_sentence_but_not_before_a_word() -> None:
    """Found by hypothesis (sentences joined by spaces): `د.` alone on its line is a sentence (a line end is a
    boundary), but `د. قال.` is a title and a name, one sentence; the same for a dotted acronym."""
    assert texts("د.\nقال.") == ["د.", "قال."]
    assert texts("د. قال.") == ["د. قال."]
    assert texts("قال ا.ف.ب.\nقال.") == ["قال ا.ف.ب.", "قال."]
    assert texts("قال ا.ف.ب. قال.") == ["قال ا.ف.ب. قال."]


# --- clock times, quoted questions, ellipses in quotations ---------------------------------------------


def test_clock_time_with_pm_abbreviation_ends_the_sentence_before_a_new_one() -> None:
    assert texts("انتهت الجلسة عند الساعة 10:30 م. وبدأت جلسة جديدة صباح اليوم التالي.") == [
        "انتهت الجلسة عند الساعة 10:30 م.",
        "وبدأت جلسة جديدة صباح اليوم التالي.",
    ]


def test_clock_time_with_am_abbreviation_ends_the_sentence_before_a_new_one() -> None:
    assert texts("وصل الوفد في تمام 8:15 ص. ثم بدأت المحادثات.") == [
        "وصل الوفد في تمام 8:15 ص.",
        "ثم بدأت المحادثات.",
    ]


def test_clock_time_abbreviation_followed_by_its_time_zone_does_not_end_the_sentence() -> None:
    assert texts("يبدأ البث في 9:00 م. بتوقيت مكة المكرمة.") == ["يبدأ البث في 9:00 م. بتوقيت مكة المكرمة."]


def test_the_letter_abbreviation_without_a_clock_time_is_still_a_title() -> None:
    assert texts("التقى الوزير م. سامر خليل في مكتبه.") == ["التقى الوزير م. سامر خليل في مكتبه."]


def test_quoted_question_with_its_attribution_is_one_sentence() -> None:
    assert texts("«إلى متى ننتظر؟» تساءل النائب خلال الجلسة. ثم غادر القاعة.") == [
        "«إلى متى ننتظر؟» تساءل النائب خلال الجلسة.",
        "ثم غادر القاعة.",
    ]


def test_quoted_exclamation_with_its_attribution_is_one_sentence() -> None:
    assert texts("“هذا ظلم!” هتف المتظاهرون أمام البرلمان.") == ["“هذا ظلم!” هتف المتظاهرون أمام البرلمان."]


def test_quoted_question_followed_by_a_new_sentence_still_splits() -> None:
    assert texts("«إلى متى ننتظر؟» وقال النائب إن الحكومة مسؤولة.") == [
        "«إلى متى ننتظر؟»",
        "وقال النائب إن الحكومة مسؤولة.",
    ]


def test_ellipsis_inside_a_quotation_does_not_end_the_sentence() -> None:
    assert texts("وقال: «لقد انتظرنا طويلا... ولم يتغير شيء» قبل أن يغادر. ثم انتهت الجلسة.") == [
        "وقال: «لقد انتظرنا طويلا... ولم يتغير شيء» قبل أن يغادر.",
        "ثم انتهت الجلسة.",
    ]


def test_ellipsis_after_a_closed_quotation_still_ends_the_sentence() -> None:
    assert texts("قال «كفى» وسكت... ثم خرج.") == ["قال «كفى» وسكت...", "ثم خرج."]
