"""Extractive summaries and the faithfulness check: no model involved."""

from __future__ import annotations

from tarjama.nlp.summarize import central_sentences, extractive, first_sentences, unsupported

SOURCE = [
    "قالت وزارة الصحة إن عدد الإصابات بفيروس كورونا ارتفع إلى ألف إصابة في بغداد.",
    "الطقس مشمس.",
    "وأعلنت وزارة الصحة تسجيل إصابات جديدة بفيروس كورونا في بغداد والبصرة.",
    "وفي الرياضة فاز الفريق بالمباراة النهائية.",
    "ودعت وزارة الصحة المواطنين إلى الالتزام بإجراءات الوقاية من فيروس كورونا.",
]
ENGLISH = ["s0.", "s1.", "s2.", "s3.", "s4."]


def test_central_sentences_pick_the_common_topic_in_article_order() -> None:
    picked = central_sentences(SOURCE, 3)
    assert picked == [0, 2, 4]


def test_extractive_pairs_each_source_sentence_with_its_own_translation() -> None:
    summary = extractive(SOURCE, ENGLISH, 2)
    assert summary.method == summary.requested == "extractive"
    picked = central_sentences(SOURCE, 2)
    assert summary.ar == " ".join(SOURCE[i] for i in picked)
    assert summary.en == " ".join(ENGLISH[i] for i in picked)


def test_short_articles_return_what_there_is() -> None:
    assert central_sentences(SOURCE[:1], 3) == [0]
    assert central_sentences([], 3) == []


def test_unsupported_finds_new_numbers_and_names_only() -> None:
    article = "Officials in Baghdad said 12 people died. The ministry of health confirmed it."
    assert unsupported("Officials in Baghdad said 12 people died.", article) == []
    assert unsupported("Officials said 15 people died.", article) == ["15"]
    assert unsupported("Officials told Reuters that people died.", article) == ["Reuters"]
    assert unsupported("Health officials confirmed it.", article) == []  # sentence-initial words are skipped


def test_first_sentences_cuts_and_drops_control_characters() -> None:
    assert first_sentences("One. Two!  Three? Four.", 2) == "One. Two!"
    assert first_sentences("A\x0c b\x06 c.", 3) == "A b c."
